// Per-channel delivery order on one node of a cluster (§12): every `message`
// and `message_updated` of a channel reaches this node's connections once and in
// the channel's `ev` order, whichever node committed it and in whichever order
// Redis brought it.
//
// Every message and every change of a channel has its own `ev` (§6), allocated
// under the channel's row lock in the transaction that commits it, so a channel's
// evs are gapless and commit order is ev order. The sequencer keeps, per channel,
// the last (seq, ev) it delivered: a frame with the next ev goes out (and frees
// the frames waiting behind it), a frame at or below the cursor is a duplicate and
// is dropped, a frame further ahead waits. A gap that has not closed within the
// reorder window (publishes from different nodes race) is filled from the store
// (refill), as is any distance the periodic position check finds between the
// cursor and the store's last_ev: the only way to see a node that crashed between
// commit and publish, or a lost last message.
//
// Plain class owned by ClusterFanout; delivery and the store read are callbacks.
// The read answers later (a store job, off the event loop on PostgreSQL,
// issue 16): refilled() hands its rows in; one read per channel at a time.
#pragma once

#include "hub/LiveFrame.h"

#include <QHash>
#include <QMap>

#include <functional>
#include <optional>

namespace Natter::Server {

class ChannelSequencer
{
public:
    // What the store has after a cursor: the frames to deliver, in order, and the
    // cursor after them.
    struct Refilled
    {
        QList<LiveFrame> frames;
        qint64 seq = 0;
        qint64 ev = 0;
    };
    using Deliver = std::function<void(const LiveFrame &frame, const QString &skipConnection)>;
    // Starts reading what the store has after (afterSeq, afterEv); its answer
    // goes to refilled(), now or later.
    using Refill = std::function<void(const QString &channel, qint64 afterSeq, qint64 afterEv)>;

    ChannelSequencer(Deliver deliver, Refill refill, qint64 reorderWindowMs);

    // The channel's position is known (from the store): start from it. Frames
    // held for it that it covers are dropped.
    void reset(const QString &channel, qint64 seq, qint64 ev);
    bool knows(const QString &channel) const { return m_states.contains(channel); }
    qint64 cursorEv(const QString &channel) const { return m_states.value(channel).ev; }

    // A frame with an ev (LiveFrame::ev > 0) for the node's connections.
    // `before` (the sender's ack) runs just before the frame goes out, or when
    // the frame turns out to be one this node has delivered already.
    void offer(const LiveFrame &frame, const QString &skipConnection, qint64 nowMs,
               const std::function<void()> &before = {});
    // This node allocated `ev` and will offer it once durable: a gap at it is
    // not filled from the store for up to kExpectMs.
    void expect(const QString &channel, qint64 ev, qint64 nowMs);
    static constexpr qint64 kExpectMs = 3000;
    // Fills from the store every gap older than the reorder window.
    void refillDue(qint64 nowMs);
    // The position check found the store at `lastEv`: fill up to it now.
    void catchUp(const QString &channel, qint64 lastEv, qint64 nowMs);
    // The answer of the Refill read after `afterEv` (nullopt: the store could
    // not answer; again after a window). Applied when the cursor is still
    // there; when frames moved it meanwhile the rows may overlap them, so
    // they are dropped and read again from the new cursor.
    void refilled(const QString &channel, qint64 afterEv, const std::optional<Refilled> &got,
                  qint64 nowMs);
    bool hasGaps() const;

    // Counters for the log and the tests.
    qint64 duplicatesDropped() const { return m_duplicates; }
    qint64 refills() const { return m_refills; }

private:
    struct Held
    {
        LiveFrame frame;
        QString skip;
        std::function<void()> before;
    };
    struct State
    {
        qint64 seq = 0;
        qint64 ev = 0;
        QMap<qint64, Held> held; // by ev, all > ev + 1 after drain()
        qint64 gapSince = 0; // when the oldest unfilled gap appeared; 0: none
        QMap<qint64, qint64> expected; // ev → since when (expect())
        bool refilling = false; // a Refill read is under way
    };
    void drain(State &state, qint64 nowMs);
    void refill(const QString &channel, State &state, qint64 nowMs);
    // The next missing ev is this node's own, committed soon: wait for it.
    static bool waitingForOwn(State &state, qint64 nowMs);

    Deliver m_deliver;
    Refill m_refill;
    qint64 m_windowMs;
    QHash<QString, State> m_states;
    qint64 m_duplicates = 0;
    qint64 m_refills = 0;
};

} // namespace Natter::Server
