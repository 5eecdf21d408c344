#include "hub/OutputFlusher.h"

#include "hub/ClientConnection.h"

namespace Natter::Server {

OutputFlusher &OutputFlusher::shared()
{
    static thread_local OutputFlusher flusher;
    return flusher;
}

void OutputFlusher::add(ClientConnection *connection)
{
    m_waiting.append(connection);
    if (m_queued)
        return;
    m_queued = true;
    QMetaObject::invokeMethod(this, &OutputFlusher::flush, Qt::QueuedConnection);
}

void OutputFlusher::remove(ClientConnection *connection)
{
    m_waiting.removeOne(connection);
}

void OutputFlusher::flush()
{
    m_queued = false;
    // A flush may close a connection, whose frames then go nowhere; it does not
    // add new ones to this list (they would be written at once).
    // Two lists that keep their capacity: a new one per turn grew (and
    // reallocated) about log2(receivers) times for every fanned-out message.
    m_flushing.swap(m_waiting);
    for (ClientConnection *connection : std::as_const(m_flushing))
        connection->flushOutput();
    m_flushing.clear();
}

} // namespace Natter::Server
