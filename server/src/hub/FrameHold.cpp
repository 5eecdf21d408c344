#include "hub/FrameHold.h"

namespace Natter::Server {

void FrameHold::enqueue(const QByteArray &data, bool binary, const Dispatch &dispatch)
{
    if (m_cleared)
        return;
    if (!m_queue)
        m_queue = std::make_unique<Queue>();
    if (!m_queue->dispatch)
        m_queue->dispatch = dispatch;
    m_queue->frames.append({data, binary});
}

void FrameHold::end()
{
    if (m_jobs > 0)
        --m_jobs;
    // A frame dispatched below may start a job whose continuation runs at once
    // (SQLite without a pending batch) and ends here again: the loop below
    // goes on with the next frame instead of recursing.
    if (m_draining || !m_queue)
        return;
    m_draining = true;
    while (m_jobs == 0 && !m_cleared && !m_queue->frames.isEmpty()) {
        const Frame frame = m_queue->frames.takeFirst();
        m_queue->dispatch(frame.data, frame.binary);
    }
    m_draining = false;
}

void FrameHold::clear()
{
    // The queue (and its dispatcher) stays: clear() may run inside a dispatch
    // (a released frame closed the connection).
    m_cleared = true;
    if (m_queue)
        m_queue->frames.clear();
}

} // namespace Natter::Server
