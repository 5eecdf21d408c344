#include "store/sqlite/SqliteSearchReader.h"

#include "ServerLog.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteMessageStore.h"
#include "store/sqlite/SqliteSearchStore.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QThread>

namespace Natter::Server {

namespace {
constexpr qint64 kReopenIntervalMs = 10000;
} // namespace

SqliteSearchReader::SqliteSearchReader(const QString &path, std::shared_ptr<std::mutex> readGate)
    : m_path(path)
    , m_readGate(std::move(readGate))
    , m_thread(QThread::create([this] { run(); }))
{
    m_thread->setObjectName(QStringLiteral("natterd-search"));
    m_thread->start();
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_started; });
}

SqliteSearchReader::~SqliteSearchReader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    m_thread->wait();
}

void SqliteSearchReader::submit(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_all();
}

void SqliteSearchReader::run()
{
    // Everything SQLite here belongs to this thread: made, used and closed in it.
    SqliteConnection connection(m_path);
    SqliteMessageStore messages(connection);
    SqliteSearchStore search(connection, messages);
    QString error;
    const bool opened = connection.openReader(&error);
    if (!opened)
        qCCritical(lcServerStore).noquote().nospace()
            << "event=search_reader_failed error=" << ServerLog::value(error);
    {
        std::lock_guard lock(m_mutex);
        m_started = true;
        m_running = opened;
    }
    m_wake.notify_all();
    if (!opened)
        return;
    bool open = true;
    QElapsedTimer sinceOpen; // since the last attempt to open again
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
        if (m_stop)
            break;
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        if (!open && sinceOpen.hasExpired(kReopenIntervalMs)) {
            sinceOpen.start();
            open = connection.openReader(&error);
            if (!open)
                qCCritical(lcServerStore).noquote().nospace()
                    << "event=search_reader_failed error=" << ServerLog::value(error);
        }
        {
            const std::lock_guard gate(*m_readGate);
            // One snapshot for the query and the reads of its hits: a message
            // deleted meanwhile is either found whole or not at all. Without
            // one, no answer (the job answers Failed).
            bool stuck = false; // a read transaction that could not be ended
            QString why;
            {
                QSqlDatabase &db = connection.database();
                const bool inTransaction = open && db.transaction();
                job(inTransaction ? &search : nullptr);
                // Read only: nothing to keep. A read transaction left open
                // would hold every later search to its snapshot and keep
                // checkpoints from ever passing it.
                if (inTransaction && !db.rollback()) {
                    stuck = true;
                    why = db.lastError().text();
                }
            }
            if (stuck) { // replaced at once, or before a later job
                qCCritical(lcServerStore).noquote().nospace()
                    << "event=search_reader_reopened error=" << ServerLog::value(why);
                connection.close();
                sinceOpen.start();
                open = connection.openReader(&error);
                if (!open)
                    qCCritical(lcServerStore).noquote().nospace()
                        << "event=search_reader_failed error=" << ServerLog::value(error);
            }
        }
        lock.lock();
    }
}

} // namespace Natter::Server
