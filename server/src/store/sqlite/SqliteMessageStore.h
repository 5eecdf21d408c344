// The messages aggregate on SQLite. A message's seq and every change's ev come
// from counters on the channel row, bumped in the batch transaction that stores
// the change (§6); a delete leaves a tombstone whose text is erased from the
// files (secure_delete, then a TRUNCATE checkpoint after the commit).
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

    StoreResult<void> appendMessage(StoredMessage *message) override;
    StoreResult<StoredMessage> messageById(const QString &channelId, const QString &id) override;
    StoreResult<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                           const QString &text, const QDateTime &editedAt) override;
    StoreResult<StoredMessage> deleteMessage(const QString &channelId, const QString &id) override;
    QList<StoredMessage> changedSince(const QString &channelId, qint64 afterEv, qint64 maxSeq,
                                      int limit) override;
    StoreResult<StoredMessage> messageByClientId(const QString &author,
                                                 const QString &clientMsgId) override;
    QList<StoredMessage> history(const QString &channelId, qint64 beforeSeq, int limit) override;
    QList<StoredMessage> messagesAfter(const QString &channelId, qint64 afterSeq,
                                       int limit) override;

private:
    static StoredMessage readMessage(const QSqlQuery &q);
    // Runs `q` (newest rows first) and returns the messages oldest first.
    QList<StoredMessage> readNewestFirst(QSqlQuery &q);
    // Takes the channel's next ev inside the open batch; 0 on failure.
    qint64 nextEv(const QString &channelId);

    SqliteConnection &m_conn;
};

} // namespace Natter::Server
