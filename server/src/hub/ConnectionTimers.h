// One timer for the deadlines of every WebSocket connection.
//
// Each ClientConnection has at most one deadline at a time: its authentication
// timeout (before the first frame), its heartbeat check (3 silent intervals,
// computed from its last activity), or the wait for the peer's close frame.
// Three QTimers per connection cost about 1 KB each with their private parts and
// connections, and the periodic heartbeat check woke natterd four times per
// interval per connection; here a connection's deadline is a node in one
// ordered map and a single QTimer runs to the earliest (docs/benchmarks.md,
// "Idle memory per connection"). Owned by ChatHub, which deletes its
// connections before it.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <map>

namespace Natter::Server {

class ClientConnection;

class ConnectionTimers : public QObject
{
    Q_OBJECT
public:
    using Queue = std::multimap<qint64, ClientConnection *>;
    // A connection's place in the queue; kept by the connection.
    struct Handle
    {
        Queue::iterator entry;
        bool active = false;
    };

    explicit ConnectionTimers(QObject *parent = nullptr);

    // Milliseconds on the clock every deadline is given in.
    qint64 now() const { return m_clock.elapsed(); }
    // Calls connection->deadlineReached() at `atMs` or soon after; replaces the
    // deadline `handle` held.
    void schedule(Handle &handle, ClientConnection *connection, qint64 atMs);
    void cancel(Handle &handle);
    qsizetype size() const { return qsizetype(m_queue.size()); }

private:
    void fire();
    void arm();

    Queue m_queue;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_armedFor = -1;
};

} // namespace Natter::Server
