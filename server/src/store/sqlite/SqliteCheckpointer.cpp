#include "store/sqlite/SqliteCheckpointer.h"

#include "RandomId.h"
#include "ServerLog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <chrono>

namespace Natter::Server {

SqliteCheckpointer::SqliteCheckpointer(const QString &path, int intervalMs)
    : m_path(path)
    , m_intervalMs(intervalMs)
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
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs),
                                    [this] { return m_stop; })) {
                lock.unlock();
                // A no-op when everything is already in the database file.
                if (!checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")))
                    qCWarning(lcServerStore).noquote().nospace()
                        << "event=checkpoint_failed error="
                        << ServerLog::value(checkpoint.lastError().text());
                checkpoint.finish();
                lock.lock();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace Natter::Server
