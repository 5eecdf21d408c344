#include "store/sqlite/SqliteMessageStore.h"

#include "RandomId.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteValues.h"

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
    return m;
}

#define MESSAGE_COLUMNS                                                                            \
    "id, channel_id, seq, author_id, text, ts, client_msg_id, kind, rev, ev, edited_at, deleted"

StoreResult<void> SqliteMessageStore::appendMessage(StoredMessage *message)
{
    m_conn.beginWrite();
    // The channel row holds the per-channel counters: bumping seq and ev inside
    // the batch's transaction numbers the message in the same transaction that
    // stores it (§6) and keeps seq gapless (a failed insert undoes the bump).
    auto &bump = m_conn.statement("UPDATE channels SET last_seq = last_seq + 1, "
                                  "last_ev = last_ev + 1 WHERE id = ? RETURNING last_seq, last_ev");
    bump.addBindValue(message->channel);
    if (!m_conn.exec(bump))
        return StoreError::Failed;
    if (!bump.next()) {
        const bool failed = bump.lastError().isValid();
        bump.finish();
        return failed ? StoreError::Failed : StoreError::NotFound; // no such channel
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
    // Conflict: the author already used this client_msg_id (an idempotent resend).
    if (const StoreResult<void> inserted = m_conn.write(q); !inserted) {
        auto &undo = m_conn.statement("UPDATE channels SET last_seq = last_seq - 1, "
                                      "last_ev = last_ev - 1 WHERE id = ?");
        undo.addBindValue(message->channel);
        m_conn.exec(undo);
        return inserted;
    }
    return {};
}

StoreResult<StoredMessage> SqliteMessageStore::messageById(const QString &channelId,
                                                           const QString &id)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS
                               " FROM messages WHERE id = ? AND channel_id = ?");
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
                                                           const QDateTime &editedAt)
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
    auto &q = m_conn.statement("UPDATE messages SET text = '', deleted = 1, rev = rev + 1, ev = ? "
                               "WHERE id = ? AND channel_id = ? AND deleted = 0");
    q.addBindValue(ev);
    q.addBindValue(id);
    q.addBindValue(channelId);
    if (!m_conn.exec(q) || q.numRowsAffected() != 1)
        return StoreError::Failed; // read as live just above: only a failure gets here
    m_conn.eraseAfterCommit();
    message->text = QStringLiteral("");
    message->deleted = true;
    message->rev += 1;
    message->ev = ev;
    return message;
}

QList<StoredMessage> SqliteMessageStore::changedSince(const QString &channelId, qint64 afterEv,
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

StoreResult<StoredMessage> SqliteMessageStore::messageByClientId(const QString &author,
                                                                 const QString &clientMsgId)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS
                               " FROM messages WHERE author_id = ? AND client_msg_id = ?");
    q.addBindValue(author);
    q.addBindValue(clientMsgId);
    return m_conn.readOne<StoredMessage>(q, readMessage);
}

QList<StoredMessage> SqliteMessageStore::readNewestFirst(QSqlQuery &q)
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

QList<StoredMessage> SqliteMessageStore::history(const QString &channelId, qint64 beforeSeq,
                                                 int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS " FROM messages WHERE channel_id = ? "
                               "AND (? = 0 OR seq < ?) ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(beforeSeq);
    q.addBindValue(beforeSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

QList<StoredMessage> SqliteMessageStore::messagesAfter(const QString &channelId, qint64 afterSeq,
                                                       int limit)
{
    auto &q = m_conn.statement("SELECT " MESSAGE_COLUMNS " FROM messages WHERE channel_id = ? "
                               "AND seq > ? ORDER BY seq DESC LIMIT ?");
    q.addBindValue(channelId);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    return readNewestFirst(q);
}

} // namespace Natter::Server
