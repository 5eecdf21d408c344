#include "cluster/ChannelSequencer.h"

#include "cluster/ClusterLog.h"

namespace Natter::Server {

ChannelSequencer::ChannelSequencer(Deliver deliver, Refill refill, qint64 reorderWindowMs)
    : m_deliver(std::move(deliver))
    , m_refill(std::move(refill))
    , m_windowMs(reorderWindowMs)
{ }

void ChannelSequencer::reset(const QString &channel, qint64 seq, qint64 ev)
{
    State &state = m_states[channel];
    state.seq = qMax(state.seq, seq);
    state.ev = qMax(state.ev, ev);
    drain(state, 0);
}

void ChannelSequencer::offer(const LiveFrame &frame, const QString &skipConnection, qint64 nowMs,
                             const std::function<void()> &before)
{
    // A channel first heard of after the node started is a new one: its evs
    // start at 1 (the store's position was read for every older channel).
    State &state = m_states[frame.channel];
    if (frame.ev <= state.ev || state.held.contains(frame.ev)) {
        ++m_duplicates;
        if (before)
            before();
        return;
    }
    state.held.insert(frame.ev, Held{frame, skipConnection, before});
    drain(state, nowMs);
}

void ChannelSequencer::drain(State &state, qint64 nowMs)
{
    while (!state.held.isEmpty()) {
        auto first = state.held.begin();
        if (first.key() <= state.ev) {
            ++m_duplicates;
            const std::function<void()> before = first.value().before;
            state.held.erase(first);
            if (before)
                before();
            continue;
        }
        if (first.key() != state.ev + 1)
            break;
        const Held held = first.value();
        state.held.erase(first);
        state.ev = held.frame.ev;
        if (held.frame.kind == LiveFrame::Kind::Message)
            state.seq = qMax(state.seq, held.frame.seq);
        if (held.before)
            held.before();
        m_deliver(held.frame, held.skip);
    }
    if (state.held.isEmpty())
        state.gapSince = 0;
    else if (state.gapSince == 0)
        state.gapSince = qMax<qint64>(1, nowMs);
}

void ChannelSequencer::expect(const QString &channel, qint64 ev, qint64 nowMs)
{
    State &state = m_states[channel];
    if (ev > state.ev)
        state.expected.insert(ev, nowMs);
}

bool ChannelSequencer::waitingForOwn(State &state, qint64 nowMs)
{
    while (!state.expected.isEmpty() && state.expected.firstKey() <= state.ev)
        state.expected.erase(state.expected.begin());
    const auto it = state.expected.constFind(state.ev + 1);
    return it != state.expected.constEnd() && nowMs - it.value() < kExpectMs;
}

void ChannelSequencer::refillDue(qint64 nowMs)
{
    for (auto it = m_states.begin(); it != m_states.end(); ++it) {
        State &state = it.value();
        if (state.gapSince != 0 && nowMs - state.gapSince >= m_windowMs
            && !waitingForOwn(state, nowMs))
            refill(it.key(), state, nowMs);
    }
}

void ChannelSequencer::catchUp(const QString &channel, qint64 lastEv, qint64 nowMs)
{
    State &state = m_states[channel];
    if (lastEv > state.ev && !waitingForOwn(state, nowMs))
        refill(channel, state, nowMs);
}

void ChannelSequencer::refill(const QString &channel, State &state, qint64)
{
    if (state.refilling)
        return;
    state.refilling = true;
    m_refill(channel, state.seq, state.ev); // may answer at once (refilled())
}

void ChannelSequencer::refilled(const QString &channel, qint64 afterEv,
                                const std::optional<Refilled> &got, qint64 nowMs)
{
    const auto it = m_states.find(channel);
    if (it == m_states.end())
        return;
    State &state = it.value();
    state.refilling = false;
    if (!got) {
        state.gapSince = qMax<qint64>(1, nowMs); // the store failed: again after a window
        return;
    }
    if (state.ev != afterEv) {
        if (got->ev > state.ev)
            refill(channel, state, nowMs);
        return;
    }
    ++m_refills;
    qCDebug(lcServerCluster).noquote().nospace()
        << "event=cluster_refill channel=" << channel << " after_ev=" << state.ev
        << " to_ev=" << got->ev << " frames=" << got->frames.size();
    for (const LiveFrame &frame : got->frames)
        m_deliver(frame, QString());
    state.seq = qMax(state.seq, got->seq);
    state.ev = qMax(state.ev, got->ev);
    state.gapSince = 0;
    drain(state, nowMs);
}

bool ChannelSequencer::hasGaps() const
{
    for (const State &state : m_states) {
        if (!state.held.isEmpty())
            return true;
    }
    return false;
}

} // namespace Natter::Server
