// ChatStore on SQLite through Qt SQL: WAL journal, synchronous NORMAL (or FULL), versioned
// migrations (PRAGMA user_version) that upgrade an older data directory in place.
//
// The queries live in one class per aggregate (SqliteUserStore, SqliteChannelStore,
// SqliteMessageStore, SqliteRefreshTokenStore, SqliteSearchStore,
// SqliteFileStore), which this class combines: they
// implement ChatStore's aggregate interfaces (virtual bases), this class the
// lifecycle. The connection, its pragmas and the per-turn batching of writes live
// in SqliteConnection; the change feed is fed by SqliteChangeWatcher. Owned by
// NatterServer (or AdminCli); used on the main thread only.
#pragma once

#include "store/ChatStore.h"
#include "store/sqlite/SqliteChangeWatcher.h"
#include "store/sqlite/SqliteChannelStore.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteFileStore.h"
#include "store/sqlite/SqliteMessageStore.h"
#include "store/sqlite/SqliteRefreshTokenStore.h"
#include "store/sqlite/SqliteSchema.h"
#include "store/sqlite/SqliteSearchReader.h"
#include "store/sqlite/SqliteSearchStore.h"
#include "store/sqlite/SqliteUserStore.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace Natter::Server {

class SqliteChatStore : public QObject,
                        public ChatStore,
                        public SqliteUserStore,
                        public SqliteChannelStore,
                        public SqliteMessageStore,
                        public SqliteRefreshTokenStore,
                        public SqliteSearchStore,
                        public SqliteFileStore
{
    Q_OBJECT
public:
    // `maxVersion` exists for the migration test, which builds an old data dir.
    explicit SqliteChatStore(const QString &path, int maxVersion = SqliteSchema::kVersion,
                             QObject *parent = nullptr);
    ~SqliteChatStore() override;

    // FULL: fsync at every commit (power-cut safe); default NORMAL. Before open().
    void setFullSync(bool full) { m_conn.setFullSync(full); }
    bool open(QString *error) override;
    void close() override;
    bool flush() override;
    void whenDurable(std::function<void()> done) override;
    // ChatStore's, but a job whose batch does not commit answers again with
    // every statement failing (SqliteConnection::whenCommitted): no answer
    // reports what was rolled back.
    void runJob(Job job) override;
    void runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated) override;
    // On SqliteSearchReader's thread (started with the first search), after
    // the index has caught up and that is committed (Failed when it does not
    // commit); ChatStore's default (on the event loop) when the reader could
    // not open its connection, for 10 s before it is tried again.
    void searchAsync(const QString &userId, const SearchQuery &query, const QString &afterCursor,
                     int limit, SearchDone done) override;
    ChangeFeed *changeFeed() override { return &m_changeFeed; }
    StoreResult<void> appendMessageUnlessArchived(StoredMessage *message) override
    {
        return append(message, true);
    }
    int schemaVersion();

protected:
    bool beginAtomic() override { return m_conn.beginAtomic(); }
    bool commitAtomic() override { return m_conn.commitAtomic(); }
    void rollbackAtomic() override { m_conn.rollbackAtomic(); }

private:
    // The aggregate bases keep a reference to it; they use it only once open.
    SqliteConnection m_conn;
    int m_maxVersion;
    ChangeFeed m_changeFeed;
    SqliteChangeWatcher m_changeWatcher;
    std::unique_ptr<SqliteSearchReader> m_searchReader;
    QElapsedTimer m_searchReaderFailed; // since the reader last failed to open
    bool m_closing = false;
};

} // namespace Natter::Server
