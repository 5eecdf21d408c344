// The files aggregate (§9) on SQLite: one row per upload in `files` (schema 7).
//
// Runs its queries on the store's one SqliteConnection (owned by
// SqliteChatStore, which inherits this class); writes join the connection's
// batch transaction. Main thread only.
#pragma once

#include "store/FileStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class SqliteConnection;

class SqliteFileStore : public virtual FileStore
{
public:
    explicit SqliteFileStore(SqliteConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<void> addFile(const StoredFile &file) override;
    StoreResult<StoredFile> fileById(const QString &id) override;
    StoreResult<void> attachFiles(const QString &messageId, const QString &channelId,
                                  const QString &uploader, const QStringList &ids) override;
    StoreResult<QStringList> unattachedBefore(const QDateTime &cutoff, int limit) override;
    StoreResult<void> removeUnattachedFile(const QString &id, const QString &uploader) override;
    StoreResult<qint64> storedBytesOf(const QString &uploader) override;

private:
    SqliteConnection &m_conn;
};

} // namespace Natter::Server
