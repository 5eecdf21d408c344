#include "store/postgres/PgMessageStore.h"

#include "RandomId.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgValues.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace Natter::Server {

using namespace PgValues;

StoredMessage PgMessageStore::readMessage(const QSqlQuery &q)
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

void PgMessageStore::readExtras(StoredMessage *m, const QSqlQuery &q)
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
    MESSAGE_COLUMNS                                                                                \
    ", reply_to, "                                                                                 \
    "(SELECT json_build_array(t.seq, t.author_id, t.text, t.deleted)::text "                       \
    "FROM messages t WHERE t.id = messages.reply_to), "                                            \
    "(SELECT string_agg(x.user_id, ' ') FROM mentions x "                                          \
    "WHERE x.message_id = messages.id), "                                                          \
    "(SELECT json_agg(json_build_array(r.emoji, r.user_id, r.emoji_ev, r.ev))::text "              \
    "FROM reactions r WHERE r.message_id = messages.id), system, "                                 \
    "(SELECT json_agg(json_build_array(f.id, f.name, f.size, f.mime, f.width, f.height, "          \
    "f.thumbnail, f.channel_id, f.uploader_id) ORDER BY f.position)::text "                        \
    "FROM files f WHERE f.message_id = messages.id)"

StoreResult<void> PgMessageStore::appendMessage(StoredMessage *message)
{
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    if (StoreResult<void> inserted = insertMessage(message, false); !inserted)
        return inserted; // tx rolls back, the seq bump with it
    if (!tx.commit())
        return StoreError::Failed;
    return {};
}

StoreResult<void> PgMessageStore::insertMessage(StoredMessage *message, bool refuseArchived)
{
    message->ts = QDateTime::currentDateTimeUtc();
    message->id = RandomId::timeOrderedHex(message->ts.toMSecsSinceEpoch());
    message->rev = 1;
    message->editedAt = QDateTime();
    message->deleted = false;
    if (message->kind.isEmpty())
        message->kind = QStringLiteral("user");
    // The channel row holds the per-channel counters. The UPDATE takes its row
    // lock until COMMIT: a writer on another node waits, then reads our value,
    // so seq is taken in commit order (§12) and a node that sees seq N + 1 can
    // read N from the database. One statement bumps and inserts (one round
    // trip, docs/benchmarks.md): no row comes back when the channel is missing
    // (or archived, with `refuseArchived`: archived <= 0). A duplicate
    // (author, client_msg_id) fails the whole statement, the bump included,
    // and the caller's transaction rolls back: no seq is used up (§12), also
    // when the resend races one on another node.
    auto &q = m_conn.statement(
        "WITH bump AS (UPDATE channels SET last_seq = last_seq + 1, last_ev = last_ev + 1 "
        "WHERE id = CAST(? AS TEXT) AND archived <= CAST(? AS INTEGER) "
        "RETURNING id, last_seq, last_ev) "
        "INSERT INTO messages (" MESSAGE_COLUMNS ", reply_to, system) "
        "SELECT CAST(? AS TEXT), bump.id, bump.last_seq, CAST(? AS TEXT), CAST(? AS TEXT), "
        "CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), 1, bump.last_ev, NULL, 0, "
        "CAST(? AS TEXT), CAST(? AS TEXT) FROM bump RETURNING seq, ev");
    q.addBindValue(message->channel);
    q.addBindValue(refuseArchived ? 0 : 1);
    q.addBindValue(message->id);
    q.addBindValue(message->author);
    q.addBindValue(text(message->text));
    q.addBindValue(toMs(message->ts));
    q.addBindValue(message->clientMsgId);
    q.addBindValue(message->kind);
    q.addBindValue(message->replyTo ? QVariant(message->replyTo->id) : QVariant());
    q.addBindValue(message->system.isEmpty() ? QVariant()
                                             : QVariant(QString::fromUtf8(message->system)));
    // Conflict: the author already used this client_msg_id (an idempotent
    // resend, possibly on another node at the same moment). NotFound: no such
    // channel (or archived).
    if (const StoreResult<void> inserted = m_conn.write(q); !inserted) {
        q.finish();
        return inserted;
    }
    if (!q.next()) {
        q.finish();
        return StoreError::Failed;
    }
    message->seq = q.value(0).toLongLong();
    message->ev = q.value(1).toLongLong();
    q.finish();
    message->reactions.clear();
    message->mentions.removeDuplicates();
    message->mentions.sort();
    if (!writeMentions(*message, false))
        return StoreError::Failed;
    return {};
}

bool PgMessageStore::writeMentions(const StoredMessage &m, bool replace)
{
    // A new message has no rows to replace: the send path skips the DELETE.
    if (replace) {
        auto &clear = m_conn.statement("DELETE FROM mentions WHERE message_id = ?");
        clear.addBindValue(m.id);
        if (!m_conn.exec(clear))
            return false;
    }
    for (const QString &user : m.mentions) {
        auto &q = m_conn.statement("INSERT INTO mentions (message_id, user_id, channel_id, seq) "
                                   "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
        q.addBindValue(m.id);
        q.addBindValue(user);
        q.addBindValue(m.channel);
        q.addBindValue(m.seq);
        if (!m_conn.exec(q))
            return false;
    }
    return true;
}

StoreResult<StoredMessage> PgMessageStore::messageById(const QString &channelId, const QString &id)
{
    auto &q =
        m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE id = ? AND channel_id = ?");
    q.addBindValue(id);
    q.addBindValue(channelId);
    return m_conn.readOne<StoredMessage>(q, readMessage);
}

qint64 PgMessageStore::nextEv(const QString &channelId)
{
    auto &bump = m_conn.statement(
        "UPDATE channels SET last_ev = last_ev + 1 WHERE id = ? RETURNING last_ev");
    bump.addBindValue(channelId);
    const qint64 ev = m_conn.exec(bump) && bump.next() ? bump.value(0).toLongLong() : 0;
    bump.finish();
    return ev;
}

StoreResult<StoredMessage> PgMessageStore::editMessage(const QString &channelId, const QString &id,
                                                       const QString &text,
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
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    // The ev and the change it numbers commit together (§6).
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return StoreError::Failed;
    const QDateTime when =
        fromMs(toMs(editedAt.isValid() ? editedAt : QDateTime::currentDateTimeUtc()));
    auto &q = m_conn.statement("UPDATE messages SET text = ?, edited_at = ?, rev = rev + 1, ev = ? "
                               "WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(PgValues::text(text));
    q.addBindValue(toMs(when));
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return StoreError::Failed; // read as live just above: only a failure gets here
    message->text = PgValues::text(text);
    message->editedAt = when;
    message->rev += 1;
    message->ev = ev;
    message->mentions = mentions;
    message->mentions.removeDuplicates();
    message->mentions.sort();
    if (!writeMentions(*message, true) || !tx.commit())
        return StoreError::Failed;
    return message;
}

StoreResult<StoredMessage> PgMessageStore::deleteMessage(const QString &channelId,
                                                         const QString &id)
{
    StoreResult<StoredMessage> message = messageById(channelId, id);
    if (!message)
        return message.error();
    if (message->deleted)
        return StoreError::NotFound; // a tombstone stays one (§13)
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    const qint64 ev = nextEv(channelId);
    if (ev == 0)
        return StoreError::Failed;
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
    if (!writeMentions(*message, true) || !tx.commit())
        return StoreError::Failed;
    message->text = QStringLiteral("");
    message->deleted = true;
    message->reactions.clear();
    message->replyTo.reset();
    message->attachments.clear();
    message->rev += 1;
    message->ev = ev;
    return message;
}

StoreResult<StoredMessage> PgMessageStore::setReaction(const QString &channelId, const QString &id,
                                                       const QString &userId, const QString &emoji,
                                                       bool on, int maxDistinct)
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
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
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
    // The whole new state, read inside the transaction that holds the change.
    StoreResult<StoredMessage> updated = messageById(channelId, id);
    if (!updated || !tx.commit())
        return StoreError::Failed;
    return updated;
}

StoreResult<QList<StoredMessage>>
PgMessageStore::changedSince(const QString &channelId, qint64 afterEv, qint64 maxSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
                               "AND ev > ? AND seq <= ? ORDER BY ev LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(afterEv);
    q.addBindValue(maxSeq);
    q.addBindValue(limit);
    return m_conn.readAll<StoredMessage>(q, readMessage);
}

StoreResult<StoredMessage> PgMessageStore::messageByClientId(const QString &author,
                                                             const QString &clientMsgId)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT
                               " FROM messages WHERE author_id = ? AND client_msg_id = ?");
    q.addBindValue(author);
    q.addBindValue(clientMsgId);
    return m_conn.readOne<StoredMessage>(q, readMessage);
}

StoreResult<QList<StoredMessage>> PgMessageStore::readNewestFirst(QSqlQuery &q)
{
    // The queries select the newest rows (ORDER BY seq DESC LIMIT n); callers
    // want them oldest first.
    auto result = m_conn.readAll<StoredMessage>(q, readMessage);
    if (result)
        std::reverse(result->begin(), result->end());
    return result;
}

StoreResult<QList<StoredMessage>> PgMessageStore::history(const QString &channelId,
                                                          qint64 beforeSeq, int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_SELECT " FROM messages WHERE channel_id = ? "
                               "AND (CAST(? AS BIGINT) = 0 OR seq < ?) ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(beforeSeq);
    q.addBindValue(beforeSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

StoreResult<QList<StoredMessage>> PgMessageStore::messagesAfter(const QString &channelId,
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
