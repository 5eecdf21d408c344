#include "hub/DeliveryGate.h"

#include <algorithm>

namespace Natter::Server {

QList<WireFrame> DeliveryGate::offer(const LiveFrame &frame)
{
    QList<WireFrame> out;
    if (m_replaying)
        m_buffer.append(frame);
    else
        admit(frame, &out);
    return out;
}

qint64 DeliveryGate::delivered(const QString &channel) const
{
    const auto it =
        std::lower_bound(m_delivered.cbegin(), m_delivered.cend(), channel,
                         [](const Delivered &d, const QString &c) { return d.channel < c; });
    return it != m_delivered.cend() && it->channel == channel ? it->seq : 0;
}

QList<DeliveryGate::Delivered>::iterator DeliveryGate::position(const QString &channel)
{
    return std::lower_bound(m_delivered.begin(), m_delivered.end(), channel,
                            [](const Delivered &d, const QString &c) { return d.channel < c; });
}

QList<WireFrame> DeliveryGate::endReplay()
{
    m_replaying = false;
    m_delivered.squeeze(); // the snapshot filled it one channel at a time
    QList<WireFrame> out;
    const QList<LiveFrame> buffered = std::exchange(m_buffer, {});
    for (const LiveFrame &frame : buffered)
        admit(frame, &out);
    return out;
}

QList<WireFrame> DeliveryGate::markDelivered(const QString &channel, qint64 seq)
{
    QList<WireFrame> out;
    raise(channel, seq, &out);
    return out;
}

void DeliveryGate::admit(const LiveFrame &frame, QList<WireFrame> *out)
{
    switch (frame.kind) {
    case LiveFrame::Kind::Message: {
        // One lookup for the check and the raise: this runs for every receiver.
        const auto at = position(frame.channel);
        if (at != m_delivered.end() && at->channel == frame.channel && frame.seq <= at->seq)
            return; // replayed, acked or delivered already
        out->append(frame.frame);
        raiseAt(at, frame.channel, frame.seq, out);
        return;
    }
    case LiveFrame::Kind::Ack:
        out->append(frame.frame);
        raise(frame.channel, frame.seq, out);
        return;
    case LiveFrame::Kind::Update:
        if (frame.seq <= delivered(frame.channel))
            out->append(frame.frame);
        else
            m_waiting[frame.channel].append(frame);
        return;
    case LiveFrame::Kind::Channel:
        out->append(frame.frame);
        raise(frame.channel, frame.seq, out);
        return;
    case LiveFrame::Kind::Other:
        out->append(frame.frame);
        return;
    }
}

void DeliveryGate::raise(const QString &channel, qint64 seq, QList<WireFrame> *out)
{
    raiseAt(position(channel), channel, seq, out);
}

void DeliveryGate::raiseAt(QList<Delivered>::iterator at, const QString &channel, qint64 seq,
                           QList<WireFrame> *out)
{
    if (at == m_delivered.end() || at->channel != channel)
        at = m_delivered.insert(at, Delivered{channel, 0});
    if (seq <= at->seq)
        return;
    at->seq = seq;
    if (m_waiting.isEmpty())
        return; // the usual case: no update is ahead of its message
    const qint64 current = seq;
    auto it = m_waiting.find(channel);
    if (it == m_waiting.end())
        return;
    // Release, in arrival order, the updates whose message the connection now holds.
    QList<LiveFrame> still;
    for (const LiveFrame &update : std::as_const(*it)) {
        if (update.seq <= current)
            out->append(update.frame);
        else
            still.append(update);
    }
    if (still.isEmpty())
        m_waiting.erase(it);
    else
        *it = still;
}

} // namespace Natter::Server
