#include "store/sqlite/SqliteChatStore.h"

#include "store/sqlite/SqliteSchema.h"

namespace Natter::Server {

namespace {
// How often the change feed asks SQLite whether another process committed: the
// admin CLI's effects show within this (§12 allows 2 s for a disabled user).
constexpr int kChangePollMs = 250;
// After the search reader could not open its connection.
constexpr qint64 kReaderRetryMs = 10000;
} // namespace

SqliteChatStore::SqliteChatStore(const QString &path, int maxVersion, QObject *parent)
    : QObject(parent)
    , SqliteUserStore(m_conn)
    , SqliteChannelStore(m_conn)
    , SqliteMessageStore(m_conn)
    , SqliteRefreshTokenStore(m_conn)
    , SqliteSearchStore(m_conn, *this)
    , SqliteFileStore(m_conn)
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
    m_closing = false;
    if (!m_conn.open(m_maxVersion, error))
        return false;
    m_changeWatcher.start();
    return true;
}

void SqliteChatStore::close()
{
    m_closing = true;
    // Nothing of ours keeps SQLite's write lock while the reader is joined (a
    // TRUNCATE holding the gate would wait for it). The reader goes before
    // the writing connection, which must be the last to close
    // (SqliteConnection::close()); searches it had not started are not answered.
    if (m_searchReader)
        m_conn.flush();
    m_searchReader.reset();
    m_changeWatcher.stop();
    m_conn.close();
}

void SqliteChatStore::searchAsync(const QString &userId, const SearchQuery &query,
                                  const QString &afterCursor, int limit, SearchDone done)
{
    if (m_closing) { // a continuation run by close()'s last commit: no new reader
        done(StoreError::Failed, 0);
        return;
    }
    // Started with the first search; after a failure to open, tried again a
    // while later (searches run on the event loop meanwhile).
    if (!m_searchReader && m_conn.database().isOpen()
        && (!m_searchReaderFailed.isValid() || m_searchReaderFailed.hasExpired(kReaderRetryMs))) {
        m_searchReader = std::make_unique<SqliteSearchReader>(m_conn.database().databaseName(),
                                                              m_conn.readGate());
        if (m_searchReader->running()) {
            m_searchReaderFailed.invalidate();
        } else {
            m_searchReader.reset();
            m_searchReaderFailed.start();
        }
    }
    if (!m_searchReader) {
        ChatStore::searchAsync(userId, query, afterCursor, limit, std::move(done));
        return;
    }
    // What is written but not yet indexed goes into the index in the open
    // batch; the reader is asked once that has committed, so it finds every
    // message acknowledged before this search. Should that batch not commit,
    // the index may lack messages committed before it: not an answer.
    m_conn.indexSearch();
    m_conn.whenCommitted(
        [this, userId, query, afterCursor, limit, done] {
            if (!m_searchReader) {
                done(StoreError::Failed, 0); // closed meanwhile
                return;
            }
            m_searchReader->submit(
                [this, userId, query, afterCursor, limit, done](SearchStore *store) mutable {
                    QElapsedTimer clock;
                    clock.start();
                    StoreResult<QList<StoredSearchHit>> hits = StoreError::Failed;
                    if (store) // else no snapshot: no answer rather than a torn one
                        hits = store->search(userId, query, afterCursor, limit);
                    const qint64 spentNs = clock.nsecsElapsed();
                    // Back on the event loop's thread (where `done` is also destroyed);
                    // dropped when the store is gone.
                    QMetaObject::invokeMethod(
                        this,
                        [done = std::move(done), hits = std::move(hits), spentNs] {
                            done(hits, spentNs);
                        },
                        Qt::QueuedConnection);
                });
        },
        [done]() -> std::function<void()> {
            return [done] {
                done(StoreError::Failed, 0);
            };
        });
}

bool SqliteChatStore::flush()
{
    return m_conn.flush();
}

void SqliteChatStore::whenDurable(std::function<void()> done)
{
    m_conn.whenDurable(std::move(done));
}

void SqliteChatStore::runJob(Job job)
{
    Continuation done = job(*this);
    m_conn.whenCommitted(std::move(done), [this, job = std::move(job)] { return job(*this); });
}

void SqliteChatStore::runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated)
{
    Continuation done = job(*this, sendAppend(std::move(allocated)));
    // Again without `allocated`: nothing is allocated when every statement fails.
    m_conn.whenCommitted(std::move(done),
                         [this, job = std::move(job)] { return job(*this, sendAppend({})); });
}

int SqliteChatStore::schemaVersion()
{
    return SqliteSchema::version(m_conn.database());
}

} // namespace Natter::Server
