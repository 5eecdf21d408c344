#include "store/sqlite/SqliteChannelStore.h"

#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteValues.h"

#include <QSqlError>

namespace Natter::Server {

using namespace SqliteValues;

StoreResult<void> SqliteChannelStore::fillChannel(StoredChannel *c, const QString &forUser)
{
    auto members = membersOf(c->id);
    if (!members)
        return members.error();
    c->members = std::move(*members);
    if (!forUser.isEmpty()) {
        const auto seq = lastReadSeq(c->id, forUser);
        if (seq.failed())
            return StoreError::Failed;
        c->lastReadSeq = seq.value_or(0); // not a member: nothing read
        auto &q = m_conn.statement("SELECT COUNT(*) FROM mentions WHERE user_id = ? "
                                   "AND channel_id = ? AND seq > ?");
        q.addBindValue(forUser);
        q.addBindValue(c->id);
        q.addBindValue(c->lastReadSeq);
        const auto count =
            m_conn.readOne<qint64>(q, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
        if (!count)
            return StoreError::Failed;
        c->mentionCount = *count;
        auto &n =
            m_conn.statement("SELECT notify FROM memberships WHERE channel_id = ? AND user_id = ?");
        n.addBindValue(c->id);
        n.addBindValue(forUser);
        const auto notify =
            m_conn.readOne<QString>(n, [](const QSqlQuery &r) { return r.value(0).toString(); });
        if (notify.failed())
            return StoreError::Failed;
        c->notify = notify.value_or(QStringLiteral("all"));
    }
    return {};
}

StoredChannel SqliteChannelStore::readChannel(const QSqlQuery &q)
{
    StoredChannel c;
    c.id = q.value(0).toString();
    c.name = q.value(1).toString();
    c.direct = q.value(2).toString() == u"direct";
    c.lastSeq = q.value(3).toLongLong();
    c.lastEv = q.value(4).toLongLong();
    c.visibility = q.value(5).toString();
    c.topic = q.value(6).toString();
    c.owner = q.value(7).toString();
    c.archived = q.value(8).toBool();
    return c;
}

#define CHANNEL_COLUMNS                                                                            \
    "c.id, c.name, c.kind, c.last_seq, c.last_ev, c.visibility, c.topic, c.owner_id, c.archived"

StoreResult<StoredChannel> SqliteChannelStore::channelById(const QString &id,
                                                           const QString &forUser)
{
    auto &q = m_conn.statement("SELECT " CHANNEL_COLUMNS " FROM channels c WHERE c.id = ?");
    q.addBindValue(id);
    StoreResult<StoredChannel> result = m_conn.readOne<StoredChannel>(q, readChannel);
    if (result) {
        if (const auto filled = fillChannel(&*result, forUser); !filled)
            return filled.error();
    }
    return result;
}

StoreResult<StoredChannel> SqliteChannelStore::channelByName(const QString &name)
{
    auto &q = m_conn.statement("SELECT id FROM channels WHERE name = ? AND kind = 'channel'");
    q.addBindValue(name);
    const auto id =
        m_conn.readOne<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!id)
        return id.error();
    return channelById(*id);
}

StoreResult<QList<StoredChannel>> SqliteChannelStore::channelsOf(const QString &userId)
{
    // §7 mention_count: the user's mentions after their read marker.
    auto &q = m_conn.statement(
        "SELECT " CHANNEL_COLUMNS ", m.last_read_seq, (SELECT COUNT(*) FROM mentions x "
        "WHERE x.user_id = m.user_id AND x.channel_id = c.id AND x.seq > m.last_read_seq), "
        "m.notify "
        "FROM channels c JOIN memberships m ON m.channel_id = c.id "
        "WHERE m.user_id = ? ORDER BY c.kind, c.name, c.id");
    q.addBindValue(userId);
    auto result = m_conn.readAll<StoredChannel>(q, [](const QSqlQuery &r) {
        StoredChannel c = readChannel(r);
        c.lastReadSeq = r.value(9).toLongLong();
        c.mentionCount = r.value(10).toLongLong();
        c.notify = r.value(11).toString();
        return c;
    });
    if (!result)
        return result;
    for (auto &c : *result) {
        if (const auto filled = fillChannel(&c, {}); !filled)
            return filled.error();
    }
    return result;
}

StoreResult<QList<StoredChannel>> SqliteChannelStore::allChannels()
{
    auto &q =
        m_conn.statement("SELECT " CHANNEL_COLUMNS " FROM channels c ORDER BY c.kind, c.name");
    auto result = m_conn.readAll<StoredChannel>(q, readChannel);
    if (!result)
        return result;
    for (auto &c : *result) {
        if (const auto filled = fillChannel(&c, {}); !filled)
            return filled.error();
    }
    return result;
}

StoreResult<QStringList> SqliteChannelStore::membersOf(const QString &channelId)
{
    auto &q =
        m_conn.statement("SELECT user_id FROM memberships WHERE channel_id = ? ORDER BY user_id");
    q.addBindValue(channelId);
    auto ids = m_conn.readAll<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!ids)
        return ids.error();
    return QStringList(std::move(*ids));
}

StoreResult<QHash<QString, QStringList>> SqliteChannelStore::allMemberships()
{
    auto &q = m_conn.statement("SELECT channel_id, user_id FROM memberships");
    if (!m_conn.exec(q))
        return StoreError::Failed;
    QHash<QString, QStringList> result;
    while (q.next())
        result[q.value(0).toString()].append(q.value(1).toString());
    // next() is also false when a step failed half-way: not a complete answer.
    const bool complete = !q.lastError().isValid();
    q.finish();
    if (!complete)
        return StoreError::Failed;
    return result;
}

StoreResult<void> SqliteChannelStore::addChannel(const StoredChannel &channel, QString *error)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("INSERT INTO channels (id, name, kind, direct_key, created_at, "
                               "visibility, topic, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.addBindValue(channel.id);
    q.addBindValue(text(channel.name));
    q.addBindValue(channel.direct ? QStringLiteral("direct") : QStringLiteral("channel"));
    QStringList sorted = channel.members;
    sorted.sort();
    q.addBindValue(channel.direct ? sorted.join(QLatin1Char(':')) : QVariant());
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(channel.direct ? QStringLiteral("direct") : channel.visibility);
    q.addBindValue(text(channel.topic));
    q.addBindValue(channel.owner.isEmpty() ? QVariant() : QVariant(channel.owner));
    if (const StoreResult<void> done = m_conn.write(q); !done) {
        *error = q.lastError().text();
        return done;
    }
    // Members that do not exist are skipped; one that cannot be written fails
    // the call (the caller's ChatStore::Atomic undoes the channel).
    for (const QString &member : channel.members) {
        if (addMember(channel.id, member).failed())
            return StoreError::Failed;
    }
    return {};
}

StoreResult<void> SqliteChannelStore::addMember(const QString &channelId, const QString &userId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "INSERT OR IGNORE INTO memberships (channel_id, user_id, last_read_seq) VALUES (?, ?, 0)");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    const StoreResult<void> done = m_conn.write(q);
    if (done.notFound())
        return StoreError::Conflict; // ignored: already a member
    if (done.conflict())
        return StoreError::NotFound; // a foreign key: no such channel or user
    return done;
}

StoreResult<void> SqliteChannelStore::removeMember(const QString &channelId, const QString &userId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("DELETE FROM memberships WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.write(q);
}

StoreResult<StoredChannel> SqliteChannelStore::directChannel(const QString &a, const QString &b)
{
    QStringList pair{a, b};
    pair.sort();
    auto &q = m_conn.statement("SELECT id FROM channels WHERE direct_key = ?");
    q.addBindValue(pair.join(QLatin1Char(':')));
    const auto id =
        m_conn.readOne<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!id)
        return id.error();
    return channelById(*id, a);
}

StoreResult<QStringList> SqliteChannelStore::contactsOf(const QString &userId)
{
    auto &q = m_conn.statement("SELECT DISTINCT o.user_id FROM memberships m "
                               "JOIN memberships o ON o.channel_id = m.channel_id "
                               "WHERE m.user_id = ? ORDER BY o.user_id");
    q.addBindValue(userId);
    auto ids = m_conn.readAll<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!ids)
        return ids.error();
    QStringList result(std::move(*ids));
    if (!result.contains(userId))
        result << userId;
    return result;
}

StoreResult<qint64> SqliteChannelStore::lastReadSeq(const QString &channelId, const QString &userId)
{
    auto &q = m_conn.statement(
        "SELECT last_read_seq FROM memberships WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.readOne<qint64>(q, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
}

StoreResult<void> SqliteChannelStore::setLastReadSeq(const QString &channelId,
                                                     const QString &userId, qint64 seq)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "UPDATE memberships SET last_read_seq = ? WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(seq);
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.write(q);
}

StoreResult<StoredChannel> SqliteChannelStore::channelByNameNoCase(const QString &name)
{
    auto &q = m_conn.statement("SELECT id FROM channels WHERE name = ? COLLATE NOCASE "
                               "AND kind = 'channel' ORDER BY name = ? DESC LIMIT 1");
    q.addBindValue(name);
    q.addBindValue(name);
    const auto id =
        m_conn.readOne<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!id)
        return id.error();
    return channelById(*id);
}

StoreResult<void> SqliteChannelStore::updateChannel(const QString &id, const QString &name,
                                                    const QString &topic, bool archived)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE channels SET name = ?, topic = ?, archived = ? "
                               "WHERE id = ? AND kind = 'channel'");
    q.addBindValue(text(name));
    q.addBindValue(text(topic));
    q.addBindValue(archived ? 1 : 0);
    q.addBindValue(id);
    return m_conn.write(q);
}

StoreResult<bool> SqliteChannelStore::channelArchived(const QString &id)
{
    auto &q = m_conn.statement("SELECT archived FROM channels WHERE id = ?");
    q.addBindValue(id);
    // Read as a number: GCC's maybe-uninitialized misfires on StoreResult<bool>.
    const auto archived =
        m_conn.readOne<qint64>(q, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
    if (!archived)
        return archived.error();
    return *archived != 0;
}

StoreResult<QStringList> SqliteChannelStore::archivedChannels()
{
    auto &q = m_conn.statement("SELECT id FROM channels WHERE archived <> 0 ORDER BY id");
    auto ids = m_conn.readAll<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!ids)
        return ids.error();
    return QStringList(std::move(*ids));
}

StoreResult<void> SqliteChannelStore::setNotify(const QString &channelId, const QString &userId,
                                                const QString &level)
{
    m_conn.beginWrite();
    auto &q =
        m_conn.statement("UPDATE memberships SET notify = ? WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(level);
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.write(q);
}

StoreResult<QList<StoredDirectoryEntry>>
SqliteChannelStore::channelDirectory(const QString &forUser, const QString &query,
                                     const QString &afterName, int limit)
{
    // instr() on lower(): a literal substring (no LIKE wildcards); names are
    // ASCII, topics fold ASCII case only (SQLite's lower()).
    auto &q = m_conn.statement(
        "SELECT c.id, c.name, c.topic, c.archived, "
        "(SELECT COUNT(*) FROM memberships a WHERE a.channel_id = c.id), "
        "EXISTS (SELECT 1 FROM memberships m WHERE m.channel_id = c.id AND m.user_id = ?) AS mine "
        "FROM channels c WHERE c.kind = 'channel' AND (c.visibility = 'public' OR mine) "
        "AND (? = '' OR instr(lower(c.name), lower(?)) > 0 OR instr(lower(c.topic), lower(?)) > 0) "
        "AND c.name > ? ORDER BY c.name LIMIT ?");
    q.addBindValue(forUser);
    q.addBindValue(text(query));
    q.addBindValue(text(query));
    q.addBindValue(text(query));
    q.addBindValue(text(afterName));
    q.addBindValue(limit);
    return m_conn.readAll<StoredDirectoryEntry>(q, [](const QSqlQuery &r) {
        StoredDirectoryEntry e;
        e.id = r.value(0).toString();
        e.name = r.value(1).toString();
        e.topic = r.value(2).toString();
        e.archived = r.value(3).toBool();
        e.memberCount = r.value(4).toLongLong();
        e.member = r.value(5).toBool();
        return e;
    });
}

} // namespace Natter::Server
