// natterd's one SQLite connection: pragmas, schema migration, a cache of
// prepared statements, and the batching of writes.
//
// A write opens a transaction if none is open; a timer commits it and then runs
// the whenDurable() continuations, so nothing that reports a write (an `ack`, a
// fan-out, an HTTP answer) leaves before the write is committed, while a burst
// costs one commit instead of one per message. The timer fires at the end of
// the turn, or, when the last commit was less than a window ago, at the
// window's end (group commit: under load several turns share one commit; the
// window, 2 or 5 ms, follows the write rate: CommitWindow).
// WAL checkpoints run on SqliteCheckpointer's thread, never inside a commit.
// The search index (§10) catches up in the commit of every 16th batch, or of
// the first batch 250 ms after the last pass, of a batch that erased content,
// or before a search reads it (indexSearch()), so under load FTS5 writes one
// segment for dozens of messages instead of one per commit.
// Owned by SqliteChatStore; main thread only.
#pragma once

#include "store/StoreResult.h"
#include "store/sqlite/CommitWindow.h"
#include "store/sqlite/SqliteSearchIndexer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Natter::Server {

class SqliteCheckpointer;

class SqliteConnection : public QObject
{
    Q_OBJECT
public:
    explicit SqliteConnection(const QString &path, QObject *parent = nullptr);
    ~SqliteConnection() override;

    // FULL: fsync at every commit (power-cut safe); default NORMAL. Before open().
    void setFullSync(bool full) { m_fullSync = full; }
    // Opens the file and migrates it to `schemaVersion`.
    bool open(int schemaVersion, QString *error);
    // Opens the file, already opened and migrated by natterd's writing
    // connection, to read only (PRAGMA query_only): no batching, no
    // checkpointer, no search indexing (SqliteSearchReader's connection, on
    // its own thread). A reader's statements run in autocommit unless the
    // caller opens a transaction on database().
    bool openReader(QString *error);
    void close();

    // Joins (or opens) the batch transaction; call before every write.
    void beginWrite();
    // Commits the batch now and runs the continuations.
    bool flush();
    void whenDurable(std::function<void()> done);
    // whenDurable() for work that can answer a failure: when the batch does
    // not commit (a full disk, an I/O error; the batch is rolled back, so
    // nothing of it is stored), `ifFailed` runs instead, on the database
    // without the batch and with every write refused (PRAGMA query_only:
    // writes answer Failed, reads answer; should that pragma fail, every
    // statement answers Failed), and the continuation it returns
    // runs in `done`'s place. So no `ack` or fan-out ever announces a write
    // that was rolled back (docs/server.md, "A batch that does not commit").
    void whenCommitted(std::function<void()> done, std::function<std::function<void()>()> ifFailed);
    // ChatStore::Atomic: a savepoint inside the batch, opened with the first
    // write, so rollbackAtomic() undoes only what was written since, and
    // commitAtomic() leaves it to commit with the batch. Not nested. While
    // answering a batch that did not commit every write fails anyway: nothing
    // to undo, no savepoint.
    bool beginAtomic();
    bool commitAtomic();
    void rollbackAtomic();
    // Brings the search index up to date with every message written so far,
    // committed or in the open batch (it otherwise catches up in a later
    // commit, above), so a search finds what was written before it.
    void indexSearch();
    // The open batch erased content (a deleted message, §7): once it is
    // committed, old page images are also cleared out of the WAL file (a
    // TRUNCATE checkpoint), so the text is gone from every file, not only from
    // the pages secure_delete zeroed.
    void eraseAfterCommit() { m_eraseAfterCommit = true; }
    // Held by SqliteSearchReader for each search, tried by the checkpointer
    // before a TRUNCATE checkpoint (SqliteCheckpointer).
    std::shared_ptr<std::mutex> readGate() const { return m_readGate; }

    // A cached prepared statement for `sql` (a string literal); callers bind,
    // exec() and finish() it.
    QSqlQuery &statement(const char *sql);
    // Executes `q`, logging (without values) when it fails.
    bool exec(QSqlQuery &q);
    // Executes the write `q` (bound): done when it changed a row, NotFound when
    // it changed none, Conflict when it broke a constraint, Failed otherwise.
    StoreResult<void> write(QSqlQuery &q);
    // Executes `q` (bound) and reads its first row with `read`: NotFound when
    // there is none, Failed when the statement failed. finish()es `q`.
    template<typename T, typename Read> StoreResult<T> readOne(QSqlQuery &q, Read read)
    {
        StoreResult<T> result = StoreError::Failed;
        if (exec(q)) {
            if (q.next())
                result = read(q);
            else if (!q.lastError().isValid())
                result = StoreError::NotFound;
        }
        q.finish();
        return result;
    }
    // Executes `q` (bound) and reads every row with `read`: Failed when the
    // statement failed or a step failed half-way (never a partial or empty
    // list standing in for an answer). finish()es `q`.
    template<typename T, typename Read> StoreResult<QList<T>> readAll(QSqlQuery &q, Read read)
    {
        if (!exec(q)) {
            q.finish();
            return StoreError::Failed;
        }
        QList<T> result;
        while (q.next())
            result << read(q);
        // next() is also false when a step failed: not a complete answer.
        const bool complete = !q.lastError().isValid();
        q.finish();
        if (!complete)
            return StoreError::Failed;
        return result;
    }
    QSqlDatabase &database() { return m_db; }

private:
    // open() and openReader()'s start: the QSQLITE connection on m_path.
    bool openFile(QString *error);
    // Executes the cached statement `sql` (no values) and finishes it.
    bool runOnce(const char *sql);
    // beginWrite()'s BEGIN IMMEDIATE, and the savepoint of a pending Atomic.
    void openBatch();
    void openSavepoint();
    // Whether SQLite has a transaction open (it may have rolled the batch back).
    bool transactionOpen();
    void eraseWal();
    // Starts the commit timer unless it runs: at once, or at the window's end.
    void scheduleCommit();
    // Whether the batch about to commit brings the search index up to date.
    bool searchIndexDue() const;
    // Indexes what is queued, in the open batch; the count and clock of the
    // catch-up restart only when that worked.
    bool catchUpSearchIndex();

    QString m_path;
    QString m_connectionName;
    bool m_reader = false; // openReader()
    bool m_fullSync = false;
    QSqlDatabase m_db;
    QHash<const char *, QSqlQuery> m_statements;
    std::optional<QSqlQuery> m_unprepared; // what statement() returns when prepare failed
    bool m_inTransaction = false;
    bool m_eraseAfterCommit = false;
    QTimer m_commitTimer;
    QElapsedTimer m_sinceCommit; // since the last commit started
    QElapsedTimer m_clock; // CommitWindow's time
    CommitWindow m_commitWindow;
    qint64 m_fixedCommitWindowUs; // NATTERD_COMMIT_WINDOW_US, or -1
    struct Pending
    {
        std::function<void()> done;
        std::function<std::function<void()>()> ifFailed; // may be empty
    };
    QList<Pending> m_pending;
    bool m_refusing = false; // answering a batch that did not commit
    bool m_queryOnly = false; // ... with PRAGMA query_only on (else no statement runs)
    // Pending: no write yet. Failed: the savepoint could not open, and no
    // statement runs until the Atomic ends.
    enum class AtomicState { None, Pending, Savepoint, Failed, Refusing };
    AtomicState m_atomic = AtomicState::None;
    bool m_sameLibrary = false; // Qt's plugin uses the SQLite natterd links (open())
    std::unique_ptr<SqliteCheckpointer> m_checkpointer;
    std::shared_ptr<std::mutex> m_readGate = std::make_shared<std::mutex>();
    SqliteSearchIndexer m_searchIndexer{*this};
    int m_commitsSinceIndex = 0; // batches committed since the index last caught up
    QElapsedTimer m_sinceIndex; // since the index last caught up
    QTimer m_indexTimer; // a batch to catch up in once writes stop
};

} // namespace Natter::Server
