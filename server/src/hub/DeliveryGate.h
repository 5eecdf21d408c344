// Decides, for one connection, which live frames go out now and in which order,
// so the contract's ordering rules hold without assuming that a replay, the store
// or the fan-out is synchronous (docs/server.md, "Replay and live order"):
//
// - While the connection's resume replay runs, every live frame is held back and
//   released, in arrival order, when the replay ends (`resumed` comes first).
// - A `message` whose seq the connection already has (from its snapshot, the
//   replay, its own ack, or an earlier delivery) is dropped: no duplicates, and
//   each channel's messages arrive in seq order.
// - A `message_updated` for a message the connection has not been sent yet waits
//   until that message's `message`/`ack` has gone out, then follows it (§13).
//
// Plain class owned by ClientConnection; no Qt event loop needed.
#pragma once

#include "hub/LiveFrame.h"

#include <QHash>
#include <QList>

namespace Natter::Server {

class DeliveryGate
{
public:
    // The frames to send now for `frame`, in order (possibly none).
    QList<WireFrame> offer(const LiveFrame &frame);

    // A replay starts: hold live frames back until endReplay().
    void beginReplay() { m_replaying = true; }
    bool isReplaying() const { return m_replaying; }
    // The replay is over (`resumed` was sent): the held-back frames that may go now.
    QList<WireFrame> endReplay();

    // The connection holds the channel's messages up to `seq` (snapshot, replay).
    // Returns the updates that were waiting for them.
    QList<WireFrame> markDelivered(const QString &channel, qint64 seq);
    qint64 delivered(const QString &channel) const;

private:
    struct Delivered
    {
        QString channel;
        qint64 seq = 0;
    };

    void admit(const LiveFrame &frame, QList<WireFrame> *out);
    // Where `channel` is or would go in m_delivered.
    QList<Delivered>::iterator position(const QString &channel);
    void raise(const QString &channel, qint64 seq, QList<WireFrame> *out);
    // raise() with the channel's position already looked up.
    void raiseAt(QList<Delivered>::iterator at, const QString &channel, qint64 seq,
                 QList<WireFrame> *out);

    bool m_replaying = false;
    QList<LiveFrame> m_buffer; // during a replay
    // Highest seq the connection holds, per channel, sorted by channel. Held by
    // every idle connection: a QHash allocates a 128-slot span on its first
    // insert (~1.3 KB for one channel), this array 32 bytes a channel.
    QList<Delivered> m_delivered;
    QHash<QString, QList<LiveFrame>> m_waiting; // updates ahead of their message
};

} // namespace Natter::Server
