// The files aggregate on PostgreSQL (§9): a row per upload (its bytes live on
// the node's disk under files/, see files/FileRepository), the channel and
// uploader it belongs to, and the message it is attached to. The same table
// as SQLite's (schema 3, PgSchema); attaching sets search_docs.has_file
// (§10 has:file) by trigger in the same transaction.
//
// Every write commits before it returns (PgConnection): attachFiles() attaches
// all of a message's files in one transaction, or none. Runs on the store's
// PgConnection (owned by PgChatStore, which inherits this class). Main thread only.
#pragma once

#include "store/FileStore.h"

namespace Natter::Server {

class PgConnection;

class PgFileStore : public virtual FileStore
{
public:
    explicit PgFileStore(PgConnection &connection)
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
    PgConnection &m_conn;
};

} // namespace Natter::Server
