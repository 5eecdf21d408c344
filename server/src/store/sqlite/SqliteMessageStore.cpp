#include "store/sqlite/SqliteMessageStore.h"

#include "RandomId.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteValues.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace Natter::Server {

using namespace SqliteValues;

StoredMessage SqliteMessageStore::readMessage(const QSqlQuery &q)
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
    readExtras(&m, q);
    return m;
}

void SqliteMessageStore::readExtras(StoredMessage *m, const QSqlQuery &q)
{
    // §7 R: the target as it is now (MESSAGE_SELECT reads it with the reply).
    if (const QString replyTo = q.value(12).toString(); !replyTo.isEmpty()) {
        const QJsonArray t = QJsonDocument::fromJson(q.value(13).toString().toUtf8()).array();
        StoredReplyTarget target;
        target.id = replyTo;
        target.seq = t.at(0).toInteger();
        target.author = t.at(1).toString();
        target.deleted = t.at(3).toInteger() != 0;
        target.text = target.deleted ? QString() : t.at(2).toString();
        m->replyTo = target;
    }
    m->mentions = q.value(14).toString().split(u' ', Qt::SkipEmptyParts);
    m->mentions.sort();
    // Rows of [emoji, user, emoji_ev, ev]: emoji in the order they (re)appeared,
    // each emoji's users in the order they reacted (§13).
    QList<QJsonArray> rows;
    for (const QJsonValue &row : QJsonDocument::fromJson(q.value(15).toString().toUtf8()).array())
        rows << row.toArray();
    std::sort(rows.begin(), rows.end(), [](const QJsonArray &a, const QJsonArray &b) {
        return std::pair(a.at(2).toInteger(), a.at(3).toInteger())
            < std::pair(b.at(2).toInteger(), b.at(3).toInteger());
    });
    for (const QJsonArray &row : rows) {
        const QString emoji = row.at(0).toString();
        if (m->reactions.isEmpty() || m->reactions.last().emoji != emoji)
            m->reactions.append(StoredReaction{emoji, {}});
        m->reactions.last().users.append(row.at(1).toString());
    }
    m->system = q.value(16).toByteArray(); // §7 S (NULL for user messages)
    // §9: the attached files, in the order they were sent.
    for (const QJsonValue &row : QJsonDocument::fromJson(q.value(17).toString().toUtf8()).array()) {
        const QJsonArray f = row.toArray();
        StoredFile file;
        file.id = f.at(0).toString();
        file.name = f.at(1).toString();
        file.size = f.at(2).toInteger();
        file.mime = f.at(3).toString();
        file.width = int(f.at(4).toInteger());
        file.height = int(f.at(5).toInteger());
        file.thumbnail = f.at(6).toInteger() != 0;
        file.channel = f.at(7).toString();
        file.uploader = f.at(8).toString();
        file.messageId = m->id;
        m->attachments.append(file);
    }
}

#define MESSAGE_COLUMNS                                                                            \
    "id, channel_id, seq, author_id, text, ts, client_msg_id, kind, rev, ev, edited_at, deleted"
// What every read selects: the columns, then reply_to with its target's current
// state, the mentioned user ids and the reaction rows (read by readExtras()).
#define MESSAGE_SELECT                                                                             \
    MESSAGE_COLUMNS ", reply_to, "                                                                 \
                    "(SELECT json_array(t.seq, t.author_id, t.text, t.deleted) FROM messages t "   \
                    "WHERE t.id = messages.reply_to), "                                            \
                    "(SELECT group_concat(x.user_id, ' ') FROM mentions x "                        \
                    "WHERE x.message_id = messages.id), "                                          \
                    "(SELECT json_group_array(json_array(r.emoji, r.user_id, r.emoji_ev, r.ev)) "  \
                    "FROM reactions r WHERE r.message_id = messages.id), system, "                 \
                    "(SELECT json_group_array(json_array(f.id, f.name, f.size, f.mime, f.width, "  \
                    "f.height, f.thumbnail, f.channel_id, f.uploader_id)) FROM (SELECT * FROM "    \
                    "files WHERE message_id = messages.id ORDER BY position) f)"

StoreResult<void> SqliteMessageStore::append(StoredMessage *message, bool refuseArchived)
{
    m_conn.beginWrite();
    // The channel row holds the per-channel counters: bumping seq and ev inside
    // the batch's transaction numbers the message in the same transaction that
    // stores it (§6) and keeps seq gapless (a failed insert undoes the bump).
    //
    // OR FAIL here and OR IGNORE on the insert: with SQLite's default (ABORT)
    // a constraint that may fail half-way through a statement inside the batch
    // transaction makes SQLite copy every page the statement touches into a
    // statement journal first, about a quarter of what storing a message cost
    // (docs/benchmarks.md, "No statement journal for a send"). These two cannot
    // fail half-way: the update changes one row, and the insert's constraints
    // are checked before it writes anything (its triggers call no function,
    // SqliteSchema step 10).
    auto &bump = refuseArchived
        ? m_conn.statement("UPDATE OR FAIL channels SET last_seq = last_seq + 1, "
                           "last_ev = last_ev + 1 WHERE id = ? AND archived = 0 "
                           "RETURNING last_seq, last_ev")
        : m_conn.statement("UPDATE OR FAIL channels SET last_seq = last_seq + 1, "
                           "last_ev = last_ev + 1 WHERE id = ? RETURNING last_seq, last_ev");
    bump.addBindValue(message->channel);
    if (!m_conn.exec(bump))
        return StoreError::Failed;
    if (!bump.next()) {
        const bool failed = bump.lastError().isValid();
        bump.finish();
        // No such channel (or, refusing, an archived one).
        return failed ? StoreError::Failed : StoreError::NotFound;
    }
    message->seq = bump.value(0).toLongLong();
    message->ev = bump.value(1).toLongLong();
    bump.finish();
    message->ts = QDateTime::currentDateTimeUtc();
    message->id = RandomId::timeOrderedHex(message->ts.toMSecsSinceEpoch());
    message->rev = 1;
    message->editedAt = QDateTime();
    message->deleted = false;
    if (message->kind.isEmpty())
        message->kind = QStringLiteral("user");
    auto &q =
        m_conn.statement("INSERT OR IGNORE INTO messages (" MESSAGE_COLUMNS ", reply_to, system) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, NULL, 0, ?, ?)");
    q.addBindValue(message->id);
    q.addBindValue(message->channel);
    q.addBindValue(message->seq);
    q.addBindValue(message->author);
    q.addBindValue(text(message->text));
    q.addBindValue(toMs(message->ts));
    q.addBindValue(message->clientMsgId);
    q.addBindValue(message->kind);
    q.addBindValue(message->ev);
    q.addBindValue(message->replyTo ? QVariant(message->replyTo->id) : QVariant());
    q.addBindValue(message->system.isEmpty() ? QVariant()
                                             : QVariant(QString::fromUtf8(message->system)));
    // No row: the author already used this client_msg_id (an idempotent
    // resend), which OR IGNORE reports as nothing inserted.
    StoreResult<void> inserted = m_conn.write(q);
    if (!inserted && inserted.error() == StoreError::NotFound)
        inserted = StoreError::Conflict;
    if (!inserted) {
        auto &undo = m_conn.statement("UPDATE channels SET last_seq = last_seq - 1, "
                                      "last_ev = last_ev - 1 WHERE id = ?");
        undo.addBindValue(message->channel);
        m_conn.exec(undo);
        return inserted;
    }
    message->reactions.clear();
    message->mentions.removeDuplicates();
    message->mentions.sort();
    if (!writeMentions(*message, false))
        return StoreError::Failed;
    return {};
}

bool SqliteMessageStore::writeMentions(const StoredMessage &m, bool replace)
{
    // A new message has no rows to replace: the send path skips the DELETE.
    if (replace) {
        auto &clear = m_conn.statement("DELETE FROM mentions WHERE message_id = ?");
        clear.addBindValue(m.id);
        if (!m_conn.exec(clear))
            return false;
    }
    for (const QString &user : m.mentions) {
        auto &q = m_conn.statement("INSERT OR IGNORE INTO mentions (message_id, user_id, "
                                   "channel_id, seq) VALUES (?, ?, ?, ?)");
        q.addBindValue(m.id);
        q.addBindValue(user);
        q.addBindValue(m.channel);
        q.addBindValue(m.seq);
        if (!m_conn.exec(q))
            return false;
    }
    return true;
}

StoreResult<StoredMessage> SqliteMessageStore::messageById(const QString &channelId,
                                                           const QString &id)
{
    auto &q =
        m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE id = ? AND channel_id = ?");
    q.addBindValue(id);
    q.addBindValue(channelId);
    return m_conn.readOne<StoredMessage>(q, readMessage);
}

qint64 SqliteMessageStore::nextEv(const QString &channelId)
{
    auto &bump = m_conn.statement(
        "UPDATE channels SET last_ev = last_ev + 1 WHERE id = ? RETURNING last_ev");
    bump.addBindValue(channelId);
    const qint64 ev = m_conn.exec(bump) && bump.next() ? bump.value(0).toLongLong() : 0;
    bump.finish();
    return ev;
}

StoreResult<StoredMessage> SqliteMessageStore::editMessage(const QString &channelId,
                                                           const QString &id, const QString &text,
                                                           const QDateTime &editedAt,
                                                           const QStringList &mentions)
{
    StoreResult<StoredMessage> message = messageById(channelId, id);
    if (!message)
        return message.error();
    if (message->deleted)
        return StoreError::NotFound; // a tombstone stays one (§13)
    if (message->text == text)
        return message; // no change (§13): same rev, no ev taken
    m_conn.beginWrite();
    // Both statements run in the batch's transaction, so the ev and the change
    // it numbers commit together (§6). A failed update leaves a gap in ev,
    // which §13 allows.
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return StoreError::Failed;
    const QDateTime when =
        fromMs(toMs(editedAt.isValid() ? editedAt : QDateTime::currentDateTimeUtc()));
    auto &q = m_conn.statement("UPDATE messages SET text = ?, edited_at = ?, rev = rev + 1, ev = ? "
                               "WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(SqliteValues::text(text));
    q.addBindValue(toMs(when));
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return StoreError::Failed; // read as live just above: only a failure gets here
    message->text = SqliteValues::text(text);
    message->editedAt = when;
    message->rev += 1;
    message->ev = ev;
    message->mentions = mentions;
    message->mentions.removeDuplicates();
    message->mentions.sort();
    if (!writeMentions(*message, true))
        return StoreError::Failed;
    return message;
}

StoreResult<StoredMessage> SqliteMessageStore::deleteMessage(const QString &channelId,
                                                             const QString &id)
{
    StoreResult<StoredMessage> message = messageById(channelId, id);
    if (!message)
        return message.error();
    if (message->deleted)
        return StoreError::NotFound; // a tombstone stays one (§13)
    m_conn.beginWrite();
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return StoreError::Failed;
    // secure_delete (SqliteConnection) zeroes the old text in the page; the
    // WAL's copies go with the TRUNCATE checkpoint eraseAfterCommit() asks for.
    auto &q = m_conn.statement("UPDATE messages SET text = '', deleted = 1, rev = rev + 1, ev = ?, "
                               "reply_to = NULL WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return StoreError::Failed; // read as live just above: only a failure gets here
    // A tombstone has no reactions, mentions or reply_to (§7), nor files (§9).
    auto &reactions = m_conn.statement("DELETE FROM reactions WHERE message_id = ?");
    reactions.addBindValue(id);
    if (!m_conn.exec(reactions))
        return StoreError::Failed;
    auto &files = m_conn.statement("DELETE FROM files WHERE message_id = ?");
    files.addBindValue(id);
    if (!m_conn.exec(files))
        return StoreError::Failed;
    message->mentions.clear();
    if (!writeMentions(*message, true))
        return StoreError::Failed;
    m_conn.eraseAfterCommit();
    message->text = QStringLiteral("");
    message->deleted = true;
    message->reactions.clear();
    message->replyTo.reset();
    message->attachments.clear();
    message->rev += 1;
    message->ev = ev;
    return message;
}

StoreResult<StoredMessage> SqliteMessageStore::setReaction(const QString &channelId,
                                                           const QString &id, const QString &userId,
                                                           const QString &emoji, bool on,
                                                           int maxDistinct)
{
    StoreResult<StoredMessage> message = messageById(channelId, id);
    if (!message)
        return message.error();
    if (message->deleted)
        return StoreError::NotFound; // a tombstone takes no reactions (§13)
    const auto existing = std::find_if(message->reactions.cbegin(), message->reactions.cend(),
                                       [&](const StoredReaction &r) { return r.emoji == emoji; });
    const bool has = existing != message->reactions.cend() && existing->users.contains(userId);
    if (on == has)
        return message; // no change (§13): same rev, no ev taken
    if (on && existing == message->reactions.cend() && message->reactions.size() >= maxDistinct)
        return StoreError::Conflict;
    m_conn.beginWrite();
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return StoreError::Failed;
    if (on) {
        // An emoji already on the message keeps its place; a new one (or one
        // whose last user had removed it) goes last (§13).
        auto &add = m_conn.statement(
            "INSERT INTO reactions (message_id, emoji, user_id, emoji_ev, ev) VALUES (?, ?, ?, "
            "COALESCE((SELECT emoji_ev FROM reactions WHERE message_id = ? AND emoji = ? LIMIT 1), "
            "?), ?)");
        add.addBindValue(id);
        add.addBindValue(emoji);
        add.addBindValue(userId);
        add.addBindValue(id);
        add.addBindValue(emoji);
        add.addBindValue(ev);
        add.addBindValue(ev);
        if (!m_conn.write(add))
            return StoreError::Failed;
    } else {
        auto &remove = m_conn.statement(
            "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?");
        remove.addBindValue(id);
        remove.addBindValue(emoji);
        remove.addBindValue(userId);
        if (!m_conn.write(remove))
            return StoreError::Failed;
    }
    auto &bump = m_conn.statement("UPDATE messages SET rev = rev + 1, ev = ? "
                                  "WHERE id = ? AND channel_id = ? AND deleted = 0");
    bump.addBindValue(ev);
    bump.addBindValue(id);
    bump.addBindValue(channelId);
    if (!m_conn.exec(bump) || bump.numRowsAffected() != 1)
        return StoreError::Failed;
    // The whole new state, read inside the batch that holds the change.
    StoreResult<StoredMessage> updated = messageById(channelId, id);
    return updated ? updated : StoreResult<StoredMessage>(StoreError::Failed);
}

StoreResult<QList<StoredMessage>>
SqliteMessageStore::changedSince(const QString &channelId, qint64 afterEv, qint64 maxSeq, int limit)
{
    // Two ways to the rows. Along the channel's ev index from afterEv until
    // `limit` rows with seq <= maxSeq were found: quick when such rows are
    // dense there (a message not changed since its send keeps its send's low
    // ev), but when they are few it never stops early and walks every row
    // after afterEv. Or along the seq index up to maxSeq: maxSeq rows, then
    // sorted by ev. SQLite always took the first, as it gives the order, so a
    // resume with a small seq and an old ev walked the whole channel (an
    // audit: 70-80 ms of the event loop per resume in a 300,000-message
    // channel). So: first a look at the next 4 × limit rows along the ev index;
    // if it finds `limit` rows, those are the answer (the first ones in ev
    // order); if not, the rows are sparse and the shorter of the two walks
    // gives the whole answer. A hostile ev below 0 counts as 0.
    const auto lastEv = channelLastEv(channelId);
    if (!lastEv)
        return StoreError::Failed;
    const qint64 from = std::max<qint64>(afterEv, 0);
    const qint64 evRange = std::max<qint64>(*lastEv - from, 0);
    const qint64 look = 4 * qint64(limit);
    ChangedSinceWalk walk = ChangedSinceWalk::ByEv;
    if (evRange > look) {
        auto &q = m_conn.statement(changedSinceSql(ChangedSinceWalk::Look));
        q.addBindValue(channelId);
        q.addBindValue(from);
        q.addBindValue(look);
        q.addBindValue(maxSeq);
        q.addBindValue(limit);
        auto found = m_conn.readAll<StoredMessage>(q, readMessage);
        if (!found || found->size() >= limit)
            return found;
        if (maxSeq < evRange)
            walk = ChangedSinceWalk::BySeq;
    }
    auto &q = m_conn.statement(changedSinceSql(walk));
    q.addBindValue(channelId);
    q.addBindValue(from);
    q.addBindValue(maxSeq);
    q.addBindValue(limit);
    return m_conn.readAll<StoredMessage>(q, readMessage);
}

const char *SqliteMessageStore::changedSinceSql(ChangedSinceWalk walk)
{
    switch (walk) {
    case ChangedSinceWalk::Look: // channel, after ev, rows to look at, max seq, limit
        return "SELECT " MESSAGE_SELECT " FROM messages WHERE rowid IN (SELECT rowid FROM "
               "(SELECT rowid, seq, ev FROM messages WHERE channel_id = ? AND ev > ? "
               "ORDER BY ev LIMIT ?) WHERE seq <= ?) ORDER BY ev LIMIT ?";
    case ChangedSinceWalk::BySeq: // channel, after ev, max seq, limit
        return "SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
               "AND +ev > ? AND seq <= ? ORDER BY +ev LIMIT ?";
    case ChangedSinceWalk::ByEv:
        break;
    }
    return "SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
           "AND ev > ? AND seq <= ? ORDER BY ev LIMIT ?";
}

StoreResult<qint64> SqliteMessageStore::channelLastEv(const QString &channelId)
{
    auto &q = m_conn.statement("SELECT last_ev FROM channels WHERE id = ?");
    q.addBindValue(channelId);
    const auto ev =
        m_conn.readOne<qint64>(q, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
    if (ev.notFound())
        return qint64(0); // no such channel: no rows either way
    return ev;
}

StoreResult<StoredMessage> SqliteMessageStore::messageByClientId(const QString &author,
                                                                 const QString &clientMsgId)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT
                               " FROM messages WHERE author_id = ? AND client_msg_id = ?");
    q.addBindValue(author);
    q.addBindValue(clientMsgId);
    return m_conn.readOne<StoredMessage>(q, readMessage);
}

StoreResult<QList<StoredMessage>> SqliteMessageStore::readNewestFirst(QSqlQuery &q)
{
    // The queries select the newest rows (ORDER BY seq DESC LIMIT n); callers
    // want them oldest first.
    auto result = m_conn.readAll<StoredMessage>(q, readMessage);
    if (result)
        std::reverse(result->begin(), result->end());
    return result;
}

StoreResult<QList<StoredMessage>> SqliteMessageStore::history(const QString &channelId,
                                                              qint64 beforeSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
                               "AND (? = 0 OR seq < ?) ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(beforeSeq);
    q.addBindValue(beforeSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

StoreResult<QList<StoredMessage>> SqliteMessageStore::messagesAfter(const QString &channelId,
                                                                    qint64 afterSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
                               "AND seq > ? ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

} // namespace Natter::Server
