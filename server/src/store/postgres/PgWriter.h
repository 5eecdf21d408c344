// The worker thread that runs natterd's store work on PostgreSQL off the
// event loop (issue 16: sends, and every ChatStore::runJob() job): one thread, one PgConnection of
// its own (a QSqlDatabase connection belongs to the thread that made it), one FIFO queue of jobs.
//
// One thread and one queue keep the order: jobs run, commit and post their
// results one after the other in the order they were submitted, so a channel's
// messages commit in submission order (and take seq/ev in it: the row lock is
// taken and released inside each job) and the results reach the event loop in
// that order too (queued calls from one thread to one receiver keep their order).
//
// The connection has the same session settings (lock_timeout,
// idle_in_transaction_session_timeout, statement_timeout) and reconnects the
// same way as the main one; it shows in pg_stat_activity as `natterd-writer`
// (PgChatStore's search thread, one more of these: `natterd-search`).
// It is opened with the first job; while PostgreSQL is down every job's
// transaction fails (Failed, which the send path answers retryably) and a new
// session is tried at most once a second.
//
// Owned by PgChatStore (started with the first asynchronous write, stopped by
// its close()). submit() and waitIdle() are called from the owner's thread.
#pragma once

#include "store/StoreResult.h"

#include <QString>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace Natter::Server {

class ChatStore;
class PgConnection;
class PgFileStore;
class PgMessageStore;
struct StoredMessage;

class PgWriter
{
public:
    // What a job runs its queries on (the worker's own connection).
    struct Session
    {
        PgConnection &connection;
        PgMessageStore &messages;
        PgFileStore &files;
        ChatStore &store; // the whole store on `connection` (ChatStore::runJob)
    };
    using Job = std::function<void(Session &session)>;

    // `role` names the session in pg_stat_activity (natterd-ROLE) and the
    // thread (natterd-pg-ROLE): "writer", or "search" for PgChatStore's searches.
    PgWriter(const QString &conninfo, const QString &password,
             const QString &role = QStringLiteral("writer"));
    ~PgWriter();
    PgWriter(const PgWriter &) = delete;
    PgWriter &operator=(const PgWriter &) = delete;

    // Queues `job` (run on the worker thread, after every job queued before it).
    void submit(Job job);
    // Blocks until every queued job has run (their results may still be on
    // their way to the event loop).
    void waitIdle();
    // Runs the queued jobs (or, with `dropQueued`, only the one running),
    // then ends the thread and closes its connection.
    void stop(bool dropQueued = false);

    // A new message and its files (§9) in one transaction on `session`: a
    // failure anywhere in it rolls back everything, the seq bump included.
    // Without files or mentions that is 3 round trips: BEGIN, one statement
    // that takes seq/ev and inserts the row (PgMessageStore::insertMessage),
    // COMMIT. `refuseArchived`: an archived channel is refused like a missing
    // one (NotFound), checked by that same statement. `beforeCommit` runs (on
    // the calling thread) once seq and ev are taken and the rows written, just
    // before COMMIT.
    static StoreResult<void>
    appendMessageWithFiles(Session &session, StoredMessage *message, const QStringList &fileIds,
                           const std::function<void(const StoredMessage &)> &beforeCommit = {},
                           bool refuseArchived = false);

private:
    void run();

    QString m_conninfo;
    QString m_password;
    QString m_role;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake; // a job was queued, or stop
    std::condition_variable m_idle; // the queue ran empty
    std::deque<Job> m_jobs;
    bool m_busy = false; // a job is running
    bool m_stopping = false;
};

} // namespace Natter::Server
