#include "store/sqlite/SqliteCheckpointer.h"

#include "RandomId.h"
#include "ServerLog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <algorithm>
#include <chrono>

namespace Natter::Server {

SqliteCheckpointer::SqliteCheckpointer(const QString &path, int intervalMs,
                                       std::shared_ptr<std::mutex> readGate)
    : m_path(path)
    , m_intervalMs(intervalMs)
    , m_readGate(std::move(readGate))
    , m_thread(QThread::create([this] { run(); }))
{
    m_thread->setObjectName(QStringLiteral("natterd-checkpoint"));
    m_thread->start();
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_started; });
}

SqliteCheckpointer::~SqliteCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread->wait();
    delete m_thread;
}

void SqliteCheckpointer::truncateSoon()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_truncateRequested;
    }
    m_wake.notify_one();
}

void SqliteCheckpointer::run()
{
    const QString name = QStringLiteral("natterd-checkpoint-") + RandomId::hex(4);
    {
        // A connection belongs to the thread that opened it: this one is ours alone.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        const bool opened = db.open();
        if (!opened)
            qCCritical(lcServerStore).noquote().nospace()
                << "event=checkpointer_failed error=" << ServerLog::value(db.lastError().text());
        {
            std::lock_guard lock(m_mutex);
            m_started = true;
            m_running = opened;
        }
        m_wake.notify_all();
        if (opened) {
            QSqlQuery checkpoint(db);
            bool retryLater = false; // a TRUNCATE not done waits an interval
            std::unique_lock lock(m_mutex);
            while (true) {
                m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [&] {
                    return m_stop || (!retryLater && m_truncateRequested > m_truncateDone);
                });
                if (m_stop)
                    break;
                const quint64 generation = m_truncateRequested;
                const bool owed = generation > m_truncateDone;
                const bool truncate = owed;
                lock.unlock();
                // No TRUNCATE while a search reads: it would wait for that
                // reader holding the write lock, and the event loop's next
                // write with it. Waiting here for the search to end holds no
                // SQLite lock.
                std::unique_lock gate(*m_readGate, std::defer_lock);
                if (truncate)
                    gate.lock();
                // PASSIVE is a no-op when everything is already in the database file.
                const bool ok =
                    checkpoint.exec(truncate ? QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")
                                             : QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
                if (!ok)
                    qCWarning(lcServerStore).noquote().nospace()
                        << "event=checkpoint_failed error="
                        << ServerLog::value(checkpoint.lastError().text());
                // The first column is 1 when the checkpoint could not complete.
                const bool complete = ok && checkpoint.next() && checkpoint.value(0).toInt() == 0;
                checkpoint.finish();
                if (gate.owns_lock())
                    gate.unlock();
                lock.lock();
                // Not complete: an interval later.
                retryLater = owed && !complete;
                if (truncate && complete)
                    m_truncateDone = std::max(m_truncateDone, generation);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace Natter::Server
