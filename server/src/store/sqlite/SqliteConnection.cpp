#include "store/sqlite/SqliteConnection.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "store/sqlite/SqliteCheckpointer.h"
#include "store/sqlite/SqliteSchema.h"

#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

namespace Natter::Server {

namespace {
// At 1,000 messages/s a quarter second is a few MB of WAL per checkpoint.
constexpr int kCheckpointIntervalMs = 250;
// The search index's catch-up (docs/benchmarks.md, "The search index catches
// up every 16 batches"): FTS5 writes a new segment (and, every few segments,
// merges them) at every pass whatever its size, which was a fifth of natterd's
// CPU per delivery at 1,000 messages/s when every commit indexed its own one
// or two messages. Every 16th batch, or the first after 250 ms: under load a
// pass takes dozens of messages and stays well under a millisecond; at low
// rates it waits at most 250 ms, and nothing reads the index without
// indexSearch() first.
constexpr int kIndexEveryCommits = 16;
constexpr int kIndexIntervalMs = 250;

// A bench knob (NATTERD_COMMIT_WINDOW_US: a fixed window, 0 = a commit every
// turn), not a setting; -1 = CommitWindow decides.
qint64 fixedCommitWindowUs()
{
    bool ok = false;
    const qint64 us = qEnvironmentVariableIntValue("NATTERD_COMMIT_WINDOW_US", &ok);
    return ok && us >= 0 ? us : -1;
}

// With the slow-turn probe on (NATTERD_SLOW_TURN_MS, a bench tool), commits that
// took this long are logged with their parts; 0 = off.
qint64 slowCommitUs()
{
    static const qint64 us = qint64(qEnvironmentVariable("NATTERD_SLOW_TURN_MS").toDouble() * 1000);
    return us;
}
} // namespace

SqliteConnection::SqliteConnection(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_connectionName(QStringLiteral("natterd-") + RandomId::hex(4))
    , m_fixedCommitWindowUs(fixedCommitWindowUs())
{
    m_clock.start();
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setTimerType(Qt::PreciseTimer);
    m_commitTimer.setObjectName(QStringLiteral("sqlite-commit"));
    connect(&m_commitTimer, &QTimer::timeout, this, &SqliteConnection::flush);
    m_indexTimer.setSingleShot(true);
    m_indexTimer.setObjectName(QStringLiteral("sqlite-search-index"));
    connect(&m_indexTimer, &QTimer::timeout, this, [this] {
        // Writes stopped with messages left to index: a batch of its own.
        // (A commit in the meantime restarted the timer, or caught up.)
        beginWrite();
        m_commitsSinceIndex = kIndexEveryCommits;
    });
}

SqliteConnection::~SqliteConnection()
{
    close();
}

bool SqliteConnection::openFile(QString *error)
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        *error = m_db.lastError().text();
        return false;
    }
    return true;
}

bool SqliteConnection::open(int schemaVersion, QString *error)
{
    if (!openFile(error))
        return false;
    QSqlQuery q(m_db);
    // WAL lets readers run beside the writer. A commit has written the batch into
    // the WAL file, so an acked message survives kill -9 in both modes. NORMAL
    // fsyncs only at checkpoints (a power cut may lose the newest batches; the
    // database stays consistent); FULL fsyncs at every commit (a power cut loses
    // nothing acked) at the price of one fsync per batch. See docs/server.md.
    const char *sync = m_fullSync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    // No automatic checkpoint: it would run inside a commit, on the event loop
    // (see SqliteCheckpointer, started below). secure_delete zeroes what a write
    // removes (an edited or deleted message's old text, §7) instead of leaving it
    // in free space of the page or on the freelist.
    for (const char *pragma :
         {"PRAGMA journal_mode=WAL", sync, "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
          "PRAGMA wal_autocheckpoint=0", "PRAGMA secure_delete=ON"}) {
        if (!q.exec(QLatin1String(pragma))) {
            *error = q.lastError().text();
            return false;
        }
    }
    if (!SqliteSchema::migrate(m_db, schemaVersion, error))
        return false;
    // The statement journal in memory: inside the batch transaction every
    // message's INSERT (constraints, triggers) journals the pages it changes,
    // ~12, and past 64 KiB SQLite moved that journal to a temporary file for
    // good, so each message cost ~24 pwrite() calls of a file nobody reads
    // (docs/benchmarks.md, "CPU per delivery and p99, session 8"). Set after the
    // migrations, whose index builds may sort more than should sit in memory.
    if (!q.exec(QStringLiteral("PRAGMA temp_store=MEMORY"))) {
        *error = q.lastError().text();
        return false;
    }
    m_searchIndexer.attach();
    // What a writer outside the batching (the admin import) queued, or a queue
    // a failed index run kept: indexed now, in a transaction of its own.
    m_searchIndexer.drain();
    m_sinceIndex.start();
    m_checkpointer = std::make_unique<SqliteCheckpointer>(
        m_path,
        qEnvironmentVariableIntValue("NATTERD_CHECKPOINT_INTERVAL_MS") > 0
            ? qEnvironmentVariableIntValue("NATTERD_CHECKPOINT_INTERVAL_MS")
            : kCheckpointIntervalMs,
        m_readGate);
    // transactionOpen() asks the SQLite natterd links about the handle of the
    // one Qt's plugin loaded: the same library on Debian (Qt is built against
    // the system SQLite). Another copy (a Qt with its own SQLite) is not
    // asked about its handles.
    m_sameLibrary = q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next()
        && q.value(0).toString() == QLatin1String(sqlite3_libversion());
    q.finish();
    if (!m_sameLibrary)
        qCWarning(lcServerStore).noquote().nospace()
            << "event=sqlite_library_differs linked=" << sqlite3_libversion();
    if (!m_checkpointer->running()) {
        // Without it the WAL would grow without bound: SQLite checkpoints
        // inside commits again (slower, but bounded).
        m_checkpointer.reset();
        if (!q.exec(QStringLiteral("PRAGMA wal_autocheckpoint=1000"))) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

bool SqliteConnection::openReader(QString *error)
{
    m_reader = true;
    if (!openFile(error))
        return false;
    // The file is in WAL mode already (open()): a reader sees the last commit
    // when its read transaction starts and never waits for the writer.
    QSqlQuery q(m_db);
    for (const char *pragma :
         {"PRAGMA query_only=ON", "PRAGMA busy_timeout=5000", "PRAGMA temp_store=MEMORY"}) {
        if (!q.exec(QLatin1String(pragma))) {
            *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

void SqliteConnection::close()
{
    if (!m_db.isValid())
        return;
    if (m_reader) {
        m_statements.clear();
        m_unprepared.reset();
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return;
    }
    // A clean stop leaves nothing for the next start to index.
    if (m_commitsSinceIndex > 0)
        beginWrite();
    m_commitsSinceIndex = kIndexEveryCommits;
    m_indexTimer.stop();
    flush();
    // Ours must be the last connection to close: SQLite then checkpoints and
    // removes the WAL file.
    m_checkpointer.reset();
    m_statements.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void SqliteConnection::beginWrite()
{
    if (m_refusing)
        return;
    if (!m_inTransaction)
        openBatch();
    if (m_atomic == AtomicState::Pending)
        openSavepoint();
}

void SqliteConnection::openBatch()
{
    // IMMEDIATE: the write lock now, waiting (busy_timeout) for another
    // process's writer (another node on the same file, the admin CLI). Under a
    // deferred BEGIN a read inside the batch (a `send` checks the channel and
    // its client_msg_id first; a search catches the index up) pins a snapshot;
    // if another process then commits, the batch's first write fails at once
    // with "database is locked" (SQLITE_BUSY_SNAPSHOT, which no busy handler
    // waits for) and the send is answered `unavailable`.
    if (!exec(statement("BEGIN IMMEDIATE")))
        m_db.transaction(); // deferred, as before: its writes wait for the lock themselves
    m_inTransaction = true;
    scheduleCommit();
}

void SqliteConnection::scheduleCommit()
{
    // Already due (at the end of this turn or of the window): never postponed.
    if (m_commitTimer.isActive())
        return;
    const qint64 windowUs = m_fixedCommitWindowUs >= 0 ? m_fixedCommitWindowUs
                                                       : m_commitWindow.windowUs(m_clock.elapsed());
    const qint64 waitUs =
        m_sinceCommit.isValid() ? windowUs - m_sinceCommit.nsecsElapsed() / 1000 : 0;
    // In whole milliseconds (QTimer's), rounded to the nearest.
    m_commitTimer.start(waitUs > 0 ? int((waitUs + 500) / 1000) : 0);
}

bool SqliteConnection::searchIndexDue() const
{
    // An erasing batch (a deleted message) takes its text out of the index in
    // the same commit, before its WAL copies are cleared (eraseWal()).
    return m_eraseAfterCommit || m_commitsSinceIndex + 1 >= kIndexEveryCommits
        || !m_sinceIndex.isValid() || m_sinceIndex.elapsed() >= kIndexIntervalMs;
}

bool SqliteConnection::flush()
{
    m_commitTimer.stop();
    bool ok = true;
    const bool committing = m_inTransaction;
    qint64 indexedNs = 0;
    qint64 committedNs = 0;
    if (m_inTransaction) {
        m_inTransaction = false;
        m_sinceCommit.start();
        // In the batch's transaction: committed together with the messages
        // it indexes. The queue (search_pending) is written by the triggers
        // in the messages' own statements, so what waits for a later pass is
        // as durable as the messages and is indexed at the next start at the
        // latest.
        const bool due = searchIndexDue();
        if (!due || !catchUpSearchIndex()) {
            // Left for a later pass. A pass that failed is tried again in the
            // next commit (still due), or by the timer 250 ms on.
            ++m_commitsSinceIndex;
            if (!m_indexTimer.isActive())
                m_indexTimer.start(due ? kIndexIntervalMs
                                       : int(kIndexIntervalMs - m_sinceIndex.elapsed()));
        }
        indexedNs = m_sinceCommit.nsecsElapsed();
        ok = m_db.commit();
        committedNs = m_sinceCommit.nsecsElapsed();
        if (!ok) {
            qCCritical(lcServerStore).noquote().nospace()
                << "event=commit_failed error=" << ServerLog::value(m_db.lastError().text());
            // SQLite rolls a COMMIT that failed on I/O or a full disk back
            // itself; after any other failure the transaction is still open.
            // Either way nothing of the batch is stored: no transaction may
            // carry it into the next batch.
            m_db.rollback(); // fails with "no transaction is active" in the first case
            // What the batch queued for the search index was rolled back too:
            // the next batch catches up.
            m_commitsSinceIndex = kIndexEveryCommits;
        } else if (std::exchange(m_eraseAfterCommit, false)) {
            eraseWal();
        }
    }
    // Continuations may write again (and so open the next batch); take the list first.
    auto pending = std::exchange(m_pending, {});
    if (committing && !ok) {
        // Each job answers again, against the database as it is (without the
        // batch) and with every write refused: what a client is told when the
        // storage is unavailable. Reads still answer, truthfully; writes fail
        // (query_only), outside any batch (beginWrite() opens none meanwhile).
        // Should even query_only fail, no statement runs at all (every job
        // answers that the storage failed): every job still answers.
        QSqlQuery pragma(m_db);
        m_queryOnly = pragma.exec(QStringLiteral("PRAGMA query_only=1"));
        m_refusing = true;
        for (Pending &p : pending) {
            if (p.ifFailed)
                p.done = p.ifFailed();
        }
        if (!m_queryOnly)
            m_statements.clear(); // bound but never executed: prepared again when next used
        else if (!pragma.exec(QStringLiteral("PRAGMA query_only=0")))
            qCCritical(lcServerStore).noquote().nospace()
                << "event=query_only_stuck error=" << ServerLog::value(pragma.lastError().text());
        m_refusing = false;
        m_queryOnly = false;
    }
    for (const Pending &p : pending)
        p.done();
    if (committing && slowCommitUs() > 0 && m_sinceCommit.nsecsElapsed() / 1000 >= slowCommitUs())
        qCWarning(lcServerStore).noquote().nospace()
            << "event=slow_commit index_us=" << indexedNs / 1000
            << " commit_us=" << (committedNs - indexedNs) / 1000
            << " continuations_us=" << (m_sinceCommit.nsecsElapsed() - committedNs) / 1000
            << " continuations=" << pending.size();
    return ok;
}

bool SqliteConnection::runOnce(const char *sql)
{
    QSqlQuery &q = statement(sql);
    const bool ok = exec(q);
    q.finish();
    return ok;
}

bool SqliteConnection::transactionOpen()
{
    if (!m_sameLibrary)
        return m_inTransaction; // what the batching believes
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    sqlite3 *db = *static_cast<sqlite3 *const *>(handle.constData());
    return db && !sqlite3_get_autocommit(db);
}

bool SqliteConnection::beginAtomic()
{
    if (m_atomic != AtomicState::None)
        return false;
    // The savepoint waits for the first write (beginWrite()): a frame that
    // only reads (refused, or nothing to change) takes no write lock.
    m_atomic = m_refusing ? AtomicState::Refusing : AtomicState::Pending;
    return true;
}

void SqliteConnection::openSavepoint()
{
    // SQLite rolls a whole transaction back by itself on some errors (a full
    // disk, I/O, out of memory) while the batch still counts as open. A
    // SAVEPOINT would then open a transaction of its own, which RELEASE
    // would commit on the spot: the Atomic fails instead, and so does every
    // statement in it (exec()); the batch's commit fails and its jobs answer
    // again (flush()).
    m_atomic = transactionOpen() && runOnce("SAVEPOINT atomic") ? AtomicState::Savepoint
                                                                : AtomicState::Failed;
}

bool SqliteConnection::commitAtomic()
{
    switch (std::exchange(m_atomic, AtomicState::None)) {
    case AtomicState::None:
    case AtomicState::Failed:
        return false;
    case AtomicState::Pending: // nothing written
    case AtomicState::Refusing: // nothing could be written
        return true;
    case AtomicState::Savepoint:
        break;
    }
    // Fails when SQLite rolled the batch back meanwhile (the savepoint went
    // with it): then the batch's commit fails too.
    return runOnce("RELEASE atomic");
}

void SqliteConnection::rollbackAtomic()
{
    if (std::exchange(m_atomic, AtomicState::None) != AtomicState::Savepoint)
        return;
    // ROLLBACK TO keeps the savepoint open; RELEASE ends it (and nothing else:
    // the batch's transaction was opened by BEGIN).
    if (runOnce("ROLLBACK TO atomic"))
        runOnce("RELEASE atomic");
}

void SqliteConnection::indexSearch()
{
    if (m_reader)
        return; // the writing connection indexed before the reader was asked
    if (m_refusing || (m_commitsSinceIndex == 0 && !m_inTransaction))
        return; // nothing written since the last pass
    // In a batch (opened if none is): the pass commits with it.
    beginWrite();
    catchUpSearchIndex();
}

bool SqliteConnection::catchUpSearchIndex()
{
    if (m_refusing || !m_searchIndexer.drain())
        return false;
    m_commitsSinceIndex = 0;
    m_sinceIndex.start();
    m_indexTimer.stop();
    return true;
}

void SqliteConnection::eraseWal()
{
    // The WAL still holds the page images from before the erasing commit until it
    // is restarted and overwritten; a TRUNCATE checkpoint empties it.
    if (m_checkpointer) {
        m_checkpointer->truncateSoon(); // off the event loop, as every checkpoint
        return;
    }
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        qCWarning(lcServerStore).noquote().nospace()
            << "event=checkpoint_failed error=" << ServerLog::value(q.lastError().text());
}

void SqliteConnection::whenDurable(std::function<void()> done)
{
    whenCommitted(std::move(done), {});
}

void SqliteConnection::whenCommitted(std::function<void()> done,
                                     std::function<std::function<void()>()> ifFailed)
{
    if (!m_inTransaction && m_pending.isEmpty()) {
        done();
        return;
    }
    m_pending.append({std::move(done), std::move(ifFailed)});
    m_commitWindow.wrote();
    scheduleCommit();
}

QSqlQuery &SqliteConnection::statement(const char *sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery q(m_db);
        // Rows are only ever read with next(). Otherwise Qt's SQLite driver
        // allocates and clears a cache of 128 rows at every exec: 35,000
        // instructions each time for a message read (docs/benchmarks.md).
        q.setForwardOnly(true);
        if (!q.prepare(QLatin1String(sql))) {
            qCCritical(lcServerStore).noquote().nospace()
                << "event=prepare_failed error=" << ServerLog::value(q.lastError().text());
            // Not cached: a statement first prepared while the storage failed
            // would fail forever. Its exec() fails (the caller answers
            // Failed); the next call prepares it again.
            m_unprepared.emplace(q);
            return *m_unprepared;
        }
        it = m_statements.insert(sql, q);
    }
    return it.value();
}

bool SqliteConnection::exec(QSqlQuery &q)
{
    if ((m_refusing && !m_queryOnly) || m_atomic == AtomicState::Failed)
        return false;
    if (q.exec())
        return true;
    if (!m_refusing)
        qCWarning(lcServerStore).noquote().nospace()
            << "event=query_failed error=" << ServerLog::value(q.lastError().text());
    return false;
}

StoreResult<void> SqliteConnection::write(QSqlQuery &q)
{
    if ((m_refusing && !m_queryOnly) || m_atomic == AtomicState::Failed)
        return StoreError::Failed;
    if (q.exec())
        return q.numRowsAffected() > 0 ? StoreResult<void>() : StoreError::NotFound;
    // SQLITE_CONSTRAINT is 19; its extended codes keep 19 in the low byte.
    bool isNumber = false;
    const int code = q.lastError().nativeErrorCode().toInt(&isNumber);
    if (isNumber && (code & 0xff) == 19)
        return StoreError::Conflict;
    if (!m_refusing)
        qCWarning(lcServerStore).noquote().nospace()
            << "event=query_failed error=" << ServerLog::value(q.lastError().text());
    return StoreError::Failed;
}

} // namespace Natter::Server
