// Runs natterd's searches (§10) on SQLite on a thread and connection of their
// own, so that a costly one holds up neither the event loop nor the writes.
//
// Before, a search ran on the event loop on the writing connection: the
// costliest query natterd accepts (8 one-letter prefixes) took about 0.2 s
// over a few hundred thousand messages, and for that long nobody's send was
// read, acknowledged or delivered (docs/server.md, "Searches run beside the
// event loop"). The search budgets bound how often that could happen, not how
// long each took.
//
// The thread opens its connection read-only (SqliteConnection::openReader())
// with the first search and runs the searches one after the other, each in a
// read transaction of its own, so the query and the reads of its hits see one
// state of the file. SqliteChatStore brings the search index up to date and
// waits for that commit before it submits, so a search finds everything
// written before it was asked. While a search reads, the checkpointer puts
// off its TRUNCATE checkpoints (the read gate), which would otherwise wait
// for the search holding SQLite's write lock. submit() and the destructor
// are called from the owner's thread.
#pragma once

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace Natter::Server {

class SearchStore;

class SqliteSearchReader
{
public:
    // `store` is null when no read transaction could be had (the connection
    // is down): the job answers Failed.
    using Job = std::function<void(SearchStore *store)>;

    // Returns once the thread has opened its connection (or failed to).
    // `readGate` is held for each search (SqliteConnection::readGate()).
    SqliteSearchReader(const QString &path, std::shared_ptr<std::mutex> readGate);
    // Drops the jobs not yet started, lets the running one end, joins.
    ~SqliteSearchReader();
    SqliteSearchReader(const SqliteSearchReader &) = delete;
    SqliteSearchReader &operator=(const SqliteSearchReader &) = delete;

    // False when the connection could not be opened (then nothing runs).
    bool running() const { return m_running; }
    // Queues `job`, run on the reader's thread inside a read transaction;
    // `job` posts its own answer back (QMetaObject::invokeMethod). A
    // connection that failed is opened again before a job, at most every 10 s.
    void submit(Job job);

private:
    void run();

    QString m_path;
    std::shared_ptr<std::mutex> m_readGate;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_started = false;
    bool m_running = false;
    bool m_stop = false;
};

} // namespace Natter::Server
