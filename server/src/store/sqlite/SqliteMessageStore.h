// The messages aggregate on SQLite. A message's seq and every change's ev come
// from counters on the channel row, bumped in the batch transaction that stores
// the change (§6); a delete leaves a tombstone whose text is erased from the
// files (secure_delete, then a TRUNCATE checkpoint after the commit).
// Reactions and mentions live in tables of their own (schema 5); every read
// joins them, and a reply's target, in (MESSAGE_SELECT).
//
// Runs its queries on the store's one SqliteConnection (owned by
// SqliteChatStore, which inherits this class); writes join the connection's
// batch transaction. Main thread only.
#pragma once

#include "store/MessageStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class SqliteConnection;

class SqliteMessageStore : public virtual MessageStore
{
public:
    explicit SqliteMessageStore(SqliteConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<void> appendMessage(StoredMessage *message) override
    {
        return append(message, false);
    }
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
    // changedSince()'s statements: a bounded look along the channel's ev
    // index, then (when that found too few) a walk along its seq or ev index.
    enum class ChangedSinceWalk { Look, BySeq, ByEv };
    static const char *changedSinceSql(ChangedSinceWalk walk);
    StoreResult<StoredMessage> messageByClientId(const QString &author,
                                                 const QString &clientMsgId) override;
    StoreResult<QList<StoredMessage>> history(const QString &channelId, qint64 beforeSeq,
                                              int limit) override;
    StoreResult<QList<StoredMessage>> messagesAfter(const QString &channelId, qint64 afterSeq,
                                                    int limit) override;

protected:
    // appendMessage(); with `refuseArchived` nothing is stored in an archived
    // channel (NotFound): checked in the statement that takes the seq, so a
    // send reads nothing more for it.
    StoreResult<void> append(StoredMessage *message, bool refuseArchived);

private:
    // channels.last_ev of `channelId` (0 when there is no such channel).
    StoreResult<qint64> channelLastEv(const QString &channelId);
    static StoredMessage readMessage(const QSqlQuery &q);
    // Reply target, mentions and reactions: the columns MESSAGE_SELECT adds.
    static void readExtras(StoredMessage *m, const QSqlQuery &q);
    // Writes the mention rows of `m` (m.mentions) inside the open batch,
    // replacing the ones it had when `replace`.
    bool writeMentions(const StoredMessage &m, bool replace);
    // Runs `q` (newest rows first) and returns the messages oldest first.
    StoreResult<QList<StoredMessage>> readNewestFirst(QSqlQuery &q);
    // Takes the channel's next ev inside the open batch; 0 on failure.
    qint64 nextEv(const QString &channelId);

    SqliteConnection &m_conn;
};

} // namespace Natter::Server
