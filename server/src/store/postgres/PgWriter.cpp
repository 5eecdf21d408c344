#include "store/postgres/PgWriter.h"

#include "ServerLog.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgFileStore.h"
#include "store/postgres/PgMessageStore.h"
#include "store/postgres/PgSessionStore.h"

#include <QElapsedTimer>
#include <QThread>

namespace Natter::Server {

namespace {
constexpr qint64 kOpenIntervalMs = 1000;
} // namespace

PgWriter::PgWriter(const QString &conninfo, const QString &password, const QString &role)
    : m_conninfo(conninfo)
    , m_password(password)
    , m_role(role)
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("natterd-pg-") + m_role);
    m_thread->start();
}

PgWriter::~PgWriter()
{
    stop();
}

void PgWriter::submit(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void PgWriter::waitIdle()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
}

void PgWriter::stop(bool dropQueued)
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (dropQueued)
            m_jobs.clear();
    }
    m_wake.notify_one();
    m_thread->wait();
    m_thread.reset();
}

void PgWriter::run()
{
    // Made on this thread: the QSqlDatabase connection belongs to it.
    PgConnection connection(m_conninfo, m_password);
    connection.setApplicationName(QStringLiteral("natterd-") + m_role);
    PgSessionStore store(connection);
    Session session{connection, store, store, store};
    QElapsedTimer lastOpen;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                break; // stopping, and nothing left to run
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_busy = true;
        }
        if (!connection.isOpen() && (!lastOpen.isValid() || lastOpen.hasExpired(kOpenIntervalMs))) {
            lastOpen.start();
            QString error;
            if (connection.open(&error))
                qCInfo(lcServerStore).noquote().nospace()
                    << "event=postgres_" << m_role << "_connected";
            else
                qCWarning(lcServerStore).noquote().nospace()
                    << "event=postgres_" << m_role
                    << "_connect_failed error=" << ServerLog::value(error);
        }
        // Not open: the job's transaction cannot start and it answers Failed.
        job(session);
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_idle.notify_all();
    }
    connection.close();
    {
        std::lock_guard lock(m_mutex);
        m_busy = false;
    }
    m_idle.notify_all();
}

StoreResult<void> PgWriter::appendMessageWithFiles(
    Session &session, StoredMessage *message, const QStringList &fileIds,
    const std::function<void(const StoredMessage &)> &beforeCommit, bool refuseArchived)
{
    // appendMessage() and attachFiles() each commit when called alone: two
    // transactions, and a failure between them (the server going away, a file
    // attached by another node's send meanwhile) would leave a message without
    // its files and with its seq used. Here the message's statements run in
    // this transaction directly (no savepoint: a failed one aborts it all, and
    // the destructor rolls back), the files' in a savepoint of their own; one
    // COMMIT.
    PgConnection::Transaction tx(session.connection);
    if (!tx.ok())
        return StoreError::Failed;
    if (StoreResult<void> appended = session.messages.insertMessage(message, refuseArchived);
        !appended)
        return appended;
    if (!fileIds.isEmpty()) {
        if (StoreResult<void> attached =
                session.files.attachFiles(message->id, message->channel, message->author, fileIds);
            !attached)
            return attached;
    }
    if (beforeCommit)
        beforeCommit(*message);
    if (!tx.commit())
        return StoreError::Failed;
    return {};
}

} // namespace Natter::Server
