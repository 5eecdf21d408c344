// The messages aggregate on PostgreSQL. A message's seq and every change's ev
// come from counters on the channel row, bumped with
// `UPDATE channels ... RETURNING` in the transaction that stores the change:
// the row lock orders the writers of a channel across nodes, so commit order is
// seq order, and a failed insert (a duplicate client_msg_id) rolls the bump
// back: no seq is ever used up (§12). A delete overwrites the text in the row
// (PostgreSQL's old row version goes at the next vacuum).
//
// Runs its queries on the store's PgConnection (owned by PgChatStore, which
// inherits this class). Main thread only.
#pragma once

#include "store/MessageStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class PgConnection;

class PgMessageStore : public virtual MessageStore
{
public:
    explicit PgMessageStore(PgConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<void> appendMessage(StoredMessage *message) override;
    // appendMessage() inside the caller's open transaction (PgWriter's send
    // transaction; no savepoint): the seq/ev bump and the row in one
    // statement, then the mention rows. On failure the caller must roll the
    // whole transaction back (an aborted one can do nothing else), which
    // undoes the bump: no seq is used up. `refuseArchived`: an archived channel
    // stores nothing and answers NotFound, like a missing one.
    StoreResult<void> insertMessage(StoredMessage *message, bool refuseArchived);
    StoreResult<StoredMessage> messageById(const QString &channelId, const QString &id) override;
    StoreResult<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                           const QString &text, const QDateTime &editedAt,
                                           const QStringList &mentions) override;
    StoreResult<StoredMessage> deleteMessage(const QString &channelId, const QString &id) override;
    StoreResult<StoredMessage> setReaction(const QString &channelId, const QString &id,
                                           const QString &userId, const QString &emoji, bool on,
                                           int maxDistinct) override;
    StoreResult<QList<StoredMessage>> changedSince(const QString &channelId, qint64 afterEv,
                                                   qint64 maxSeq, int limit) override;
    StoreResult<StoredMessage> messageByClientId(const QString &author,
                                                 const QString &clientMsgId) override;
    StoreResult<QList<StoredMessage>> history(const QString &channelId, qint64 beforeSeq,
                                              int limit) override;
    StoreResult<QList<StoredMessage>> messagesAfter(const QString &channelId, qint64 afterSeq,
                                                    int limit) override;

private:
    static StoredMessage readMessage(const QSqlQuery &q);
    // Reply target, mentions and reactions: the columns MESSAGE_SELECT adds.
    static void readExtras(StoredMessage *m, const QSqlQuery &q);
    // Writes the mention rows of `m` (m.mentions) inside the open transaction,
    // replacing the ones it had when `replace`.
    bool writeMentions(const StoredMessage &m, bool replace);
    // Runs `q` (newest rows first) and returns the messages oldest first.
    StoreResult<QList<StoredMessage>> readNewestFirst(QSqlQuery &q);
    // Takes the channel's next ev inside the open transaction; 0 on failure.
    qint64 nextEv(const QString &channelId);

    PgConnection &m_conn;
};

} // namespace Natter::Server
