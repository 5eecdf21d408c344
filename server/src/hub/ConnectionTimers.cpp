#include "hub/ConnectionTimers.h"

#include "hub/ClientConnection.h"

#include <limits>

namespace Natter::Server {

ConnectionTimers::ConnectionTimers(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionTimers::fire);
}

void ConnectionTimers::schedule(Handle &handle, ClientConnection *connection, qint64 atMs)
{
    if (handle.active) {
        if (handle.entry->first == atMs)
            return;
        m_queue.erase(handle.entry);
    }
    handle.entry = m_queue.emplace(atMs, connection);
    handle.active = true;
    arm();
}

void ConnectionTimers::cancel(Handle &handle)
{
    if (!handle.active)
        return;
    m_queue.erase(handle.entry);
    handle.active = false;
    // The timer may now run to a deadline that is gone: fire() finds nothing due
    // and re-arms. Cheaper than re-arming on every cancel.
}

void ConnectionTimers::fire()
{
    m_armedFor = -1;
    const qint64 at = now();
    while (!m_queue.empty() && m_queue.begin()->first <= at) {
        ClientConnection *connection = m_queue.begin()->second;
        m_queue.erase(m_queue.begin());
        connection->m_deadline.active = false;
        // May schedule this connection again (or close it).
        connection->deadlineReached();
    }
    arm();
}

void ConnectionTimers::arm()
{
    if (m_queue.empty()) {
        m_timer.stop();
        m_armedFor = -1;
        return;
    }
    const qint64 earliest = m_queue.begin()->first;
    if (m_armedFor >= 0 && m_armedFor <= earliest && m_timer.isActive())
        return; // it fires no later than needed
    m_armedFor = earliest;
    m_timer.start(
        int(qBound<qint64>(0, earliest - now(), qint64(std::numeric_limits<int>::max()))));
}

} // namespace Natter::Server
