// Runs SQLite's WAL checkpoints on a thread of their own.
//
// A checkpoint copies committed pages from the WAL back into the database file
// and, with synchronous=NORMAL, fsyncs both files: 1–7 ms each on the benchmark
// VM. SQLite's automatic checkpoint runs inside whichever commit crosses its
// threshold, that is on natterd's event loop, where it held up every delivery
// queued behind it (docs/benchmarks.md). SqliteConnection switches the automatic
// checkpoint off and owns one of these, which runs a PASSIVE checkpoint (it never
// blocks the writer or readers) on its own connection every interval.
// truncateSoon() asks for one TRUNCATE checkpoint instead, which also empties the
// WAL file (after a delete, so the erased text leaves every file, §7); it waits
// for the writer briefly, which is fine for something as rare as a delete.
// While it waits for readers on an older snapshot it also keeps every writer
// out, so it never starts while a search reads (SqliteSearchReader holds
// `readGate` for each search): it waits for the gate first, holding no
// SQLite lock meanwhile.
#pragma once

#include <QString>
#include <QtGlobal>

#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;

namespace Natter::Server {

class SqliteCheckpointer
{
public:
    // Returns once the thread has opened its connection (or failed to).
    SqliteCheckpointer(const QString &path, int intervalMs, std::shared_ptr<std::mutex> readGate);
    ~SqliteCheckpointer(); // stops and joins the thread
    // False when the thread could not open its connection: the owner must then
    // let SQLite checkpoint by itself again.
    bool running() const { return m_running; }
    // Runs a TRUNCATE checkpoint at once (retried every interval until it
    // completes); what was committed before the call is then out of the WAL.
    void truncateSoon();
    SqliteCheckpointer(const SqliteCheckpointer &) = delete;
    SqliteCheckpointer &operator=(const SqliteCheckpointer &) = delete;

private:
    void run();

    QString m_path;
    int m_intervalMs;
    std::shared_ptr<std::mutex> m_readGate;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    quint64 m_truncateRequested = 0; // generations: requested > done = one is owed
    quint64 m_truncateDone = 0;
    bool m_started = false; // the thread has tried to open its connection
    bool m_running = false;
    QThread *m_thread = nullptr;
};

} // namespace Natter::Server
