#include "store/sqlite/SqliteChatStore.h"

#include "RandomId.h"
#include "store/sqlite/SqliteSchema.h"

#include <QSqlError>
#include <QSqlRecord>

namespace Natter::Server {

namespace {

// A null QString binds as SQL NULL; NOT NULL text columns want "" instead.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

qint64 toMs(const QDateTime &dt)
{
    return dt.isValid() ? dt.toMSecsSinceEpoch() : 0;
}

// How often the change feed asks SQLite whether another process committed: the
// admin CLI's effects show within this (§12 allows 2 s for a disabled user).
constexpr int kChangePollMs = 250;

QDateTime fromMs(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace

SqliteChatStore::SqliteChatStore(const QString &path, int maxVersion, QObject *parent)
    : QObject(parent)
    , m_conn(path)
    , m_maxVersion(maxVersion)
    , m_changeWatcher(&m_conn, &m_changeFeed, kChangePollMs)
{ }

SqliteChatStore::~SqliteChatStore()
{
    close();
}

bool SqliteChatStore::open(QString *error)
{
    if (!m_conn.open(m_maxVersion, error))
        return false;
    m_changeWatcher.start();
    return true;
}

void SqliteChatStore::close()
{
    m_changeWatcher.stop();
    m_conn.close();
}

bool SqliteChatStore::flush()
{
    return m_conn.flush();
}

void SqliteChatStore::whenDurable(std::function<void()> done)
{
    m_conn.whenDurable(std::move(done));
}

int SqliteChatStore::schemaVersion()
{
    return SqliteSchema::version(m_conn.database());
}

StoredUser SqliteChatStore::readUser(const QSqlQuery &q)
{
    StoredUser u;
    u.id = q.value(0).toString();
    u.username = q.value(1).toString();
    u.displayName = q.value(2).toString();
    u.passwordHash = q.value(3).toByteArray();
    u.disabled = q.value(4).toBool();
    u.lastSeen = fromMs(q.value(5).toLongLong());
    u.admin = q.value(6).toBool();
    return u;
}

#define USER_COLUMNS "id, username, display_name, password_hash, disabled, last_seen, admin"

std::optional<StoredUser> SqliteChatStore::userByName(const QString &username)
{
    auto &q = m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE username = ?");
    q.addBindValue(username);
    std::optional<StoredUser> result;
    if (m_conn.exec(q) && q.next())
        result = readUser(q);
    q.finish();
    return result;
}

std::optional<StoredUser> SqliteChatStore::userById(const QString &id)
{
    auto &q = m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE id = ?");
    q.addBindValue(id);
    std::optional<StoredUser> result;
    if (m_conn.exec(q) && q.next())
        result = readUser(q);
    q.finish();
    return result;
}

QList<StoredUser> SqliteChatStore::users(const QString &query, const QString &afterUsername,
                                         int limit, bool includeDisabled)
{
    auto &q = m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE username > ? "
                               "AND (? OR disabled = 0) "
                               "AND (? = '' OR instr(lower(username), lower(?)) > 0 "
                               "     OR instr(lower(display_name), lower(?)) > 0) "
                               "ORDER BY username LIMIT ?");
    // Null QStrings bind as SQL NULL, which compares as unknown: bind "" instead.
    const QString after = afterUsername.isNull() ? QStringLiteral("") : afterUsername;
    const QString needle = query.isNull() ? QStringLiteral("") : query;
    q.addBindValue(after);
    q.addBindValue(includeDisabled ? 1 : 0);
    q.addBindValue(needle);
    q.addBindValue(needle);
    q.addBindValue(needle);
    q.addBindValue(limit);
    QList<StoredUser> result;
    if (m_conn.exec(q)) {
        while (q.next())
            result << readUser(q);
    }
    q.finish();
    return result;
}

bool SqliteChatStore::addUser(const StoredUser &user, QString *error)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("INSERT INTO users (id, username, display_name, password_hash, "
                               "admin, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    q.addBindValue(user.id.isEmpty() ? RandomId::hex() : user.id);
    q.addBindValue(user.username);
    q.addBindValue(text(user.displayName));
    q.addBindValue(user.passwordHash);
    q.addBindValue(user.admin ? 1 : 0);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

bool SqliteChatStore::setPassword(const QString &userId, const QByteArray &hash)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE users SET password_hash = ? WHERE id = ?");
    q.addBindValue(hash);
    q.addBindValue(userId);
    return m_conn.exec(q) && q.numRowsAffected() == 1;
}

bool SqliteChatStore::setDisabled(const QString &userId, bool disabled)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE users SET disabled = ? WHERE id = ?");
    q.addBindValue(disabled ? 1 : 0);
    q.addBindValue(userId);
    return m_conn.exec(q) && q.numRowsAffected() == 1;
}

bool SqliteChatStore::setAdmin(const QString &userId, bool admin)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE users SET admin = ? WHERE id = ?");
    q.addBindValue(admin ? 1 : 0);
    q.addBindValue(userId);
    return m_conn.exec(q) && q.numRowsAffected() == 1;
}

void SqliteChatStore::setLastSeen(const QString &userId, const QDateTime &when)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE users SET last_seen = ? WHERE id = ?");
    q.addBindValue(toMs(when));
    q.addBindValue(userId);
    m_conn.exec(q);
}

void SqliteChatStore::fillChannel(StoredChannel *c, const QString &forUser)
{
    c->members = membersOf(c->id);
    if (!forUser.isEmpty())
        c->lastReadSeq = lastReadSeq(c->id, forUser);
}

StoredChannel SqliteChatStore::readChannel(const QSqlQuery &q)
{
    StoredChannel c;
    c.id = q.value(0).toString();
    c.name = q.value(1).toString();
    c.direct = q.value(2).toString() == u"direct";
    c.lastSeq = q.value(3).toLongLong();
    c.lastEv = q.value(4).toLongLong();
    return c;
}

#define CHANNEL_COLUMNS "c.id, c.name, c.kind, c.last_seq, c.last_ev"

std::optional<StoredChannel> SqliteChatStore::channelById(const QString &id, const QString &forUser)
{
    auto &q = m_conn.statement("SELECT " CHANNEL_COLUMNS " FROM channels c WHERE c.id = ?");
    q.addBindValue(id);
    std::optional<StoredChannel> result;
    if (m_conn.exec(q) && q.next())
        result = readChannel(q);
    q.finish();
    if (result)
        fillChannel(&*result, forUser);
    return result;
}

std::optional<StoredChannel> SqliteChatStore::channelByName(const QString &name)
{
    auto &q = m_conn.statement("SELECT id FROM channels WHERE name = ? AND kind = 'channel'");
    q.addBindValue(name);
    QString id;
    if (m_conn.exec(q) && q.next())
        id = q.value(0).toString();
    q.finish();
    if (id.isEmpty())
        return std::nullopt;
    return channelById(id);
}

QList<StoredChannel> SqliteChatStore::channelsOf(const QString &userId)
{
    auto &q = m_conn.statement("SELECT " CHANNEL_COLUMNS ", m.last_read_seq "
                               "FROM channels c JOIN memberships m ON m.channel_id = c.id "
                               "WHERE m.user_id = ? ORDER BY c.kind, c.name, c.id");
    q.addBindValue(userId);
    QList<StoredChannel> result;
    if (m_conn.exec(q)) {
        while (q.next()) {
            result << readChannel(q);
            result.last().lastReadSeq = q.value(5).toLongLong();
        }
    }
    q.finish();
    for (auto &c : result)
        c.members = membersOf(c.id);
    return result;
}

QList<StoredChannel> SqliteChatStore::allChannels()
{
    auto &q =
        m_conn.statement("SELECT " CHANNEL_COLUMNS " FROM channels c ORDER BY c.kind, c.name");
    QList<StoredChannel> result;
    if (m_conn.exec(q)) {
        while (q.next())
            result << readChannel(q);
    }
    q.finish();
    for (auto &c : result)
        c.members = membersOf(c.id);
    return result;
}

QStringList SqliteChatStore::membersOf(const QString &channelId)
{
    auto &q =
        m_conn.statement("SELECT user_id FROM memberships WHERE channel_id = ? ORDER BY user_id");
    q.addBindValue(channelId);
    QStringList result;
    if (m_conn.exec(q)) {
        while (q.next())
            result << q.value(0).toString();
    }
    q.finish();
    return result;
}

std::optional<QHash<QString, QStringList>> SqliteChatStore::allMemberships()
{
    auto &q = m_conn.statement("SELECT channel_id, user_id FROM memberships");
    if (!m_conn.exec(q))
        return std::nullopt;
    QHash<QString, QStringList> result;
    while (q.next())
        result[q.value(0).toString()].append(q.value(1).toString());
    // next() is also false when a step failed half-way: not a complete answer.
    const bool complete = !q.lastError().isValid();
    q.finish();
    if (!complete)
        return std::nullopt;
    return result;
}

std::optional<QSet<QString>> SqliteChatStore::disabledUserIds()
{
    auto &q = m_conn.statement("SELECT id FROM users WHERE disabled = 1");
    if (!m_conn.exec(q))
        return std::nullopt;
    QSet<QString> result;
    while (q.next())
        result.insert(q.value(0).toString());
    const bool complete = !q.lastError().isValid();
    q.finish();
    if (!complete)
        return std::nullopt;
    return result;
}

bool SqliteChatStore::addChannel(const StoredChannel &channel, QString *error)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("INSERT INTO channels (id, name, kind, direct_key, created_at) "
                               "VALUES (?, ?, ?, ?, ?)");
    q.addBindValue(channel.id);
    q.addBindValue(text(channel.name));
    q.addBindValue(channel.direct ? QStringLiteral("direct") : QStringLiteral("channel"));
    QStringList sorted = channel.members;
    sorted.sort();
    q.addBindValue(channel.direct ? sorted.join(QLatin1Char(':')) : QVariant());
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    for (const QString &member : channel.members)
        addMember(channel.id, member);
    return true;
}

bool SqliteChatStore::addMember(const QString &channelId, const QString &userId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "INSERT OR IGNORE INTO memberships (channel_id, user_id, last_read_seq) VALUES (?, ?, 0)");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.exec(q) && q.numRowsAffected() == 1;
}

bool SqliteChatStore::removeMember(const QString &channelId, const QString &userId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("DELETE FROM memberships WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    return m_conn.exec(q) && q.numRowsAffected() == 1;
}

std::optional<StoredChannel> SqliteChatStore::directChannel(const QString &a, const QString &b)
{
    QStringList pair{a, b};
    pair.sort();
    auto &q = m_conn.statement("SELECT id FROM channels WHERE direct_key = ?");
    q.addBindValue(pair.join(QLatin1Char(':')));
    QString id;
    if (m_conn.exec(q) && q.next())
        id = q.value(0).toString();
    q.finish();
    if (id.isEmpty())
        return std::nullopt;
    return channelById(id, a);
}

QStringList SqliteChatStore::contactsOf(const QString &userId)
{
    auto &q = m_conn.statement("SELECT DISTINCT o.user_id FROM memberships m "
                               "JOIN memberships o ON o.channel_id = m.channel_id "
                               "WHERE m.user_id = ? ORDER BY o.user_id");
    q.addBindValue(userId);
    QStringList result;
    if (m_conn.exec(q)) {
        while (q.next())
            result << q.value(0).toString();
    }
    q.finish();
    if (!result.contains(userId))
        result << userId;
    return result;
}

StoredMessage SqliteChatStore::readMessage(const QSqlQuery &q)
{
    StoredMessage m;
    m.id = q.value(0).toString();
    m.channel = q.value(1).toString();
    m.seq = q.value(2).toLongLong();
    m.author = q.value(3).toString();
    m.text = q.value(4).toString();
    m.ts = fromMs(q.value(5).toLongLong());
    m.clientMsgId = q.value(6).toString();
    m.kind = q.value(7).toString();
    m.rev = q.value(8).toLongLong();
    m.ev = q.value(9).toLongLong();
    m.editedAt = fromMs(q.value(10).toLongLong());
    m.deleted = q.value(11).toBool();
    return m;
}

#define MESSAGE_COLUMNS                                                                            \
    "id, channel_id, seq, author_id, text, ts, client_msg_id, kind, rev, ev, edited_at, deleted"

bool SqliteChatStore::appendMessage(StoredMessage *message)
{
    m_conn.beginWrite();
    // The channel row holds the per-channel counters: bumping seq and ev inside
    // the batch's transaction numbers the message in the same transaction that
    // stores it (§6) and keeps seq gapless (a failed insert undoes the bump).
    auto &bump = m_conn.statement("UPDATE channels SET last_seq = last_seq + 1, "
                                  "last_ev = last_ev + 1 WHERE id = ? RETURNING last_seq, last_ev");
    bump.addBindValue(message->channel);
    if (!m_conn.exec(bump) || !bump.next()) {
        bump.finish();
        return false;
    }
    message->seq = bump.value(0).toLongLong();
    message->ev = bump.value(1).toLongLong();
    bump.finish();
    message->id = RandomId::hex();
    message->ts = QDateTime::currentDateTimeUtc();
    message->rev = 1;
    message->editedAt = QDateTime();
    message->deleted = false;
    if (message->kind.isEmpty())
        message->kind = QStringLiteral("user");
    auto &q = m_conn.statement("INSERT INTO messages (" MESSAGE_COLUMNS
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, NULL, 0)");
    q.addBindValue(message->id);
    q.addBindValue(message->channel);
    q.addBindValue(message->seq);
    q.addBindValue(message->author);
    q.addBindValue(text(message->text));
    q.addBindValue(toMs(message->ts));
    q.addBindValue(message->clientMsgId);
    q.addBindValue(message->kind);
    q.addBindValue(message->ev);
    if (!m_conn.exec(q)) {
        auto &undo = m_conn.statement("UPDATE channels SET last_seq = last_seq - 1, "
                                      "last_ev = last_ev - 1 WHERE id = ?");
        undo.addBindValue(message->channel);
        m_conn.exec(undo);
        return false;
    }
    return true;
}

std::optional<StoredMessage> SqliteChatStore::messageById(const QString &channelId,
                                                          const QString &id)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS
                               " FROM messages WHERE id = ? AND channel_id = ?");
    q.addBindValue(id);
    q.addBindValue(channelId);
    std::optional<StoredMessage> result;
    if (m_conn.exec(q) && q.next())
        result = readMessage(q);
    q.finish();
    return result;
}

qint64 SqliteChatStore::nextEv(const QString &channelId)
{
    auto &bump = m_conn.statement(
        "UPDATE channels SET last_ev = last_ev + 1 WHERE id = ? RETURNING last_ev");
    bump.addBindValue(channelId);
    const qint64 ev = m_conn.exec(bump) && bump.next() ? bump.value(0).toLongLong() : 0;
    bump.finish();
    return ev;
}

std::optional<StoredMessage> SqliteChatStore::editMessage(const QString &channelId,
                                                          const QString &id, const QString &text,
                                                          const QDateTime &editedAt)
{
    std::optional<StoredMessage> message = messageById(channelId, id);
    if (!message || message->deleted)
        return std::nullopt;
    if (message->text == text)
        return message; // no change (§13): same rev, no ev taken
    m_conn.beginWrite();
    // Both statements run in the batch's transaction, so the ev and the change
    // it numbers commit together (§6). A failed update leaves a gap in ev,
    // which §13 allows.
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return std::nullopt;
    const QDateTime when =
        fromMs(toMs(editedAt.isValid() ? editedAt : QDateTime::currentDateTimeUtc()));
    auto &q = m_conn.statement("UPDATE messages SET text = ?, edited_at = ?, rev = rev + 1, ev = ? "
                               "WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(Natter::Server::text(text));
    q.addBindValue(toMs(when));
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return std::nullopt;
    message->text = Natter::Server::text(text);
    message->editedAt = when;
    message->rev += 1;
    message->ev = ev;
    return message;
}

std::optional<StoredMessage> SqliteChatStore::deleteMessage(const QString &channelId,
                                                            const QString &id)
{
    std::optional<StoredMessage> message = messageById(channelId, id);
    if (!message || message->deleted)
        return std::nullopt;
    m_conn.beginWrite();
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return std::nullopt;
    // secure_delete (SqliteConnection) zeroes the old text in the page; the
    // WAL's copies go with the TRUNCATE checkpoint eraseAfterCommit() asks for.
    auto &q = m_conn.statement("UPDATE messages SET text = '', deleted = 1, rev = rev + 1, ev = ? "
                               "WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return std::nullopt;
    m_conn.eraseAfterCommit();
    message->text = QStringLiteral("");
    message->deleted = true;
    message->rev += 1;
    message->ev = ev;
    return message;
}

QList<StoredMessage> SqliteChatStore::changedSince(const QString &channelId, qint64 afterEv,
                                                   qint64 maxSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS " FROM messages WHERE channel_id = ? "
                               "AND ev > ? AND seq <= ? ORDER BY ev LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(afterEv);
    q.addBindValue(maxSeq);
    q.addBindValue(limit);
    QList<StoredMessage> result;
    if (m_conn.exec(q)) {
        while (q.next())
            result << readMessage(q);
    }
    q.finish();
    return result;
}

std::optional<StoredMessage> SqliteChatStore::messageByClientId(const QString &author,
                                                                const QString &clientMsgId)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS
                               " FROM messages WHERE author_id = ? AND client_msg_id = ?");
    q.addBindValue(author);
    q.addBindValue(clientMsgId);
    std::optional<StoredMessage> result;
    if (m_conn.exec(q) && q.next())
        result = readMessage(q);
    q.finish();
    return result;
}

QList<StoredMessage> SqliteChatStore::readNewestFirst(QSqlQuery &q)
{
    // The queries select the newest rows (ORDER BY seq DESC LIMIT n); callers
    // want them oldest first.
    QList<StoredMessage> result;
    if (m_conn.exec(q)) {
        while (q.next())
            result.prepend(readMessage(q));
    }
    q.finish();
    return result;
}

QList<StoredMessage> SqliteChatStore::history(const QString &channelId, qint64 beforeSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS " FROM messages WHERE channel_id = ? "
                               "AND (? = 0 OR seq < ?) ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(beforeSeq);
    q.addBindValue(beforeSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

QList<StoredMessage> SqliteChatStore::messagesAfter(const QString &channelId, qint64 afterSeq,
                                                    int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS " FROM messages WHERE channel_id = ? "
                               "AND seq > ? ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

qint64 SqliteChatStore::lastReadSeq(const QString &channelId, const QString &userId)
{
    auto &q = m_conn.statement(
        "SELECT last_read_seq FROM memberships WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(channelId);
    q.addBindValue(userId);
    const qint64 seq = m_conn.exec(q) && q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return seq;
}

void SqliteChatStore::setLastReadSeq(const QString &channelId, const QString &userId, qint64 seq)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "UPDATE memberships SET last_read_seq = ? WHERE channel_id = ? AND user_id = ?");
    q.addBindValue(seq);
    q.addBindValue(channelId);
    q.addBindValue(userId);
    m_conn.exec(q);
}

void SqliteChatStore::addFamily(const QString &familyId, const QString &userId,
                                const QString &deviceName)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("INSERT INTO token_families (id, user_id, device_name, created_at) "
                               "VALUES (?, ?, ?, ?)");
    q.addBindValue(familyId);
    q.addBindValue(userId);
    q.addBindValue(text(deviceName));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    m_conn.exec(q);
}

void SqliteChatStore::addRefreshToken(const QByteArray &tokenHash, const QString &familyId,
                                      const QDateTime &expiresAt)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?, ?, ?)");
    q.addBindValue(tokenHash);
    q.addBindValue(familyId);
    q.addBindValue(toMs(expiresAt));
    m_conn.exec(q);
}

std::optional<RefreshTokenRecord> SqliteChatStore::refreshToken(const QByteArray &tokenHash)
{
    auto &q = m_conn.statement("SELECT t.family_id, f.user_id, t.used, f.revoked, t.expires_at "
                               "FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id "
                               "WHERE t.token_hash = ?");
    q.addBindValue(tokenHash);
    std::optional<RefreshTokenRecord> result;
    if (m_conn.exec(q) && q.next())
        result =
            RefreshTokenRecord{q.value(0).toString(), q.value(1).toString(), q.value(2).toBool(),
                               q.value(3).toBool(), fromMs(q.value(4).toLongLong())};
    q.finish();
    return result;
}

void SqliteChatStore::markRefreshTokenUsed(const QByteArray &tokenHash)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?");
    q.addBindValue(tokenHash);
    m_conn.exec(q);
}

void SqliteChatStore::revokeFamily(const QString &familyId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE token_families SET revoked = 1 WHERE id = ?");
    q.addBindValue(familyId);
    m_conn.exec(q);
}

bool SqliteChatStore::familyActive(const QString &familyId)
{
    auto &q = m_conn.statement("SELECT f.revoked, u.disabled FROM token_families f "
                               "JOIN users u ON u.id = f.user_id WHERE f.id = ?");
    q.addBindValue(familyId);
    const bool active = m_conn.exec(q) && q.next() && !q.value(0).toBool() && !q.value(1).toBool();
    q.finish();
    return active;
}

} // namespace Natter::Server
