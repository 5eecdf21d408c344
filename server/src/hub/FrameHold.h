// Keeps one connection's frames in order around its state-changing store jobs
// (issue 16). A frame whose answer changes in-memory state that the
// connection's next frames rely on (authenticate registers the session; join,
// leave and the other channel frames update the MembershipCache) runs its
// store work as a ChatStore job; while such a job is in flight (begin() ..
// end()) the connection's later frames wait here and are dispatched, in
// arrival order, once its continuation has run. A send right after a join is
// then checked against the membership the join made; frames that change no
// such state (send, typing, ping) never take the hold and keep pipelining.
//
// One per ClientConnection (its member); ChatHub queues admitted frames with
// its dispatcher and drops the queue when the connection closes. The queue is
// bounded by the connection's rate limit: only admitted frames are queued.
#pragma once

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>

namespace Natter::Server {

class FrameHold
{
public:
    using Dispatch = std::function<void(const QByteArray &data, bool binary)>;

    // Whether a frame arriving now must wait (a job in flight, or frames still
    // queued ahead of it).
    bool isHeld() const { return m_jobs > 0 || (m_queue && !m_queue->frames.isEmpty()); }
    // A state-changing job of the connection starts / has answered. end()
    // dispatches the queued frames while no job is in flight.
    void begin() { ++m_jobs; }
    void end();
    // Queues a frame; `dispatch` is where it goes once released.
    void enqueue(const QByteArray &data, bool binary, const Dispatch &dispatch);
    // The connection closed: nothing queued is processed any more.
    void clear();

private:
    struct Frame
    {
        QByteArray data;
        bool binary = false;
    };
    // Allocated with the first queued frame: most connections never queue one
    // (a connection's idle footprint matters, docs/benchmarks.md).
    struct Queue
    {
        QList<Frame> frames;
        Dispatch dispatch;
    };

    int m_jobs = 0;
    bool m_draining = false; // end() inside a dispatched frame's own job (SQLite: inline)
    bool m_cleared = false;
    std::unique_ptr<Queue> m_queue;
};

} // namespace Natter::Server
