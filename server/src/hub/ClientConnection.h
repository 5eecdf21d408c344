// One WebSocket client of natterd: its socket, its timers and its limits.
//
// Owned by ChatHub. Enforces the first-frame authentication deadline (1008
// `authentication timeout`), the idle close after three silent heartbeat
// intervals (4408), the per-connection token bucket, a separate one for
// WebSocket pings, and the output limit (unsent bytes queued for the socket:
// past it the socket is not read until it drains; a slow consumer is dropped).
// Its SocketReader reads and parses the socket's frames and closes gracefully
// (natterd's own WebSocket layer after the handshake); ChatHub decides what the
// frames mean. Live frames pass through its DeliveryGate, which keeps the
// contract's order on this connection (no message twice, nothing live inside a
// replay, no update before its message).
#pragma once

#include "hub/ConnectionTimers.h"
#include "hub/DeliveryGate.h"
#include "hub/FrameHold.h"
#include "hub/LiveFrame.h"
#include "hub/SocketReader.h"
#include "hub/TokenBucket.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace Natter::Server {

class ClientConnection : public QObject, private SocketReader::Listener
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 authTimeoutMs = 5000;
        qint64 heartbeatIntervalMs = 20000;
        double ratePerSecond = 20;
        int burst = 40;
        int floodRefusals = 100; // refused frames within floodWindowMs → 4429
        qint64 floodWindowMs = 10000;
        int protocolErrors = 20; // malformed or unknown frames within floodWindowMs → 1008
        // Unsent bytes queued for the socket (answers, fan-out, pongs, close
        // frames): past it the socket is not read until the queue is down to half;
        // still over it after slowConsumerMs, the connection is dropped (the
        // client resumes and loses nothing). Live frames arriving while the queue
        // is over kHardLimitFactor × the limit drop it at once: they would grow
        // it without bound. 0: no limit.
        qint64 outputLimitBytes = 4 * 1024 * 1024;
        qint64 slowConsumerMs = 10000;
        // WebSocket pings (§4: one per heartbeat interval) have their own
        // bucket, generous next to the heartbeat, shared with pongs and with
        // fragments that do not end a message (natter's clients send
        // neither); each frame past it counts as a refused frame towards the
        // 4429 flood close.
        double pingsPerSecond = 5;
        int pingBurst = 50;
    };
    static constexpr qint64 kHardLimitFactor = 4;
    // How long the peer's answer to our close frame is awaited before the cut.
    static constexpr qint64 kCloseWaitMs = 5000;
    enum class Admission { Accepted, Refused, Flooding };

    // What the connection tells its owner (ChatHub), by direct call: two signal
    // connections per socket cost more idle memory (docs/benchmarks.md).
    class Owner
    {
    public:
        // A complete message from the peer (not while closing).
        virtual void frameReceived(ClientConnection *connection, const QByteArray &data,
                                   bool binary) = 0;
        // The socket is gone; the owner forgets the connection (it is deleted later).
        virtual void connectionClosed(ClientConnection *connection) = 0;

    protected:
        ~Owner() = default;
    };

    // `tcp` is the socket after a completed handshake; the connection owns it.
    // `timers` (the hub's) runs this connection's deadlines and outlives it.
    // `owner` (may be null) hears of its frames and its end; see setOwner().
    ClientConnection(QTcpSocket *tcp, const QString &id, const Limits &limits,
                     ConnectionTimers *timers, Owner *owner, QObject *parent = nullptr);
    ~ClientConnection() override;

    // Null: nothing is told any more (the owner is going away).
    void setOwner(Owner *owner) { m_owner = owner; }

    QString id() const { return m_id; }
    QString userId() const { return m_userId; }
    QString familyId() const { return m_familyId; }
    bool isAuthenticated() const { return !m_userId.isEmpty(); }
    bool isClosing() const { return m_closing; }
    QString peer() const;

    // Called once the first frame authenticated; stops the auth deadline.
    void setAuthenticated(const QString &userId, const QString &familyId);
    // Rate limit for one data frame received after authentication.
    Admission admit();

    // Sends a direct answer to this connection's own frame (error, pong, history...).
    void send(const QByteArray &frame);
    // Counts a frame that broke the protocol (not JSON, no or unknown type).
    // True when there were too many within the window: time to close with 1008.
    bool recordProtocolError();
    void close(int code, const QString &reason);

    // A live frame (fan-out, ack, update): sent now, later or never as the
    // DeliveryGate decides.
    void deliver(const LiveFrame &frame);
    // The resume replay: live frames wait from beginReplay() until endReplay();
    // replayed messages are sent with sendReplayed().
    void beginReplay() { m_gate.beginReplay(); }
    void sendReplayed(const QString &channel, qint64 seq, const QByteArray &frame);
    void endReplay();
    // The connection's snapshot holds the channel's messages up to `seq`.
    void markDelivered(const QString &channel, qint64 seq);
    // This connection's later frames wait while a state-changing store job of
    // it is in flight (issue 16; ChatHub dispatches them).
    FrameHold &hold() { return m_hold; }
    // Writes the frames collected in this event-loop turn (OutputFlusher calls
    // it at the end of the turn; the connection itself before anything else
    // writes to the socket).
    void flushOutput();

private:
    friend class ConnectionTimers;

    // SocketReader::Listener
    void bytesArrived() override { touch(); }
    void messageReceived(const QByteArray &data, bool binary) override;
    void pingReceived(const QByteArray &payload) override;
    void frameWithoutMessage() override;
    void closeReceived(int code) override;
    void frameProcessed() override { checkOutput(); }
    void protocolError(int code, const QString &reason) override;

    // The one deadline due next (auth timeout, heartbeat, close wait): ConnectionTimers.
    void deadlineReached();
    void scheduleDeadline();
    void onDisconnected();
    bool recordRefusal(qint64 now);
    // Takes a ping, pong or fragment from m_pingBucket; false when that closed
    // the connection (4429).
    bool admitFrameWithoutMessage();
    // Output limit (defect 1 of issue 12): based on the TCP socket's
    // bytesToWrite(), whoever wrote the bytes.
    void checkOutput();
    void onOutputDrained();
    void dropSlowConsumer();
    void stopOutputWatch();
    // The write path (docs/server.md, "Write path"): framed messages and pongs
    // are collected for the end of the turn, in order; nothing follows a close frame.
    void write(const QByteArray &wireBytes);
    void writeAll(const QList<WireFrame> &frames);
    void touch();
    // Unsent bytes: collected in this turn and in the socket's buffer.
    qint64 queuedBytes() const;

    QPointer<QTcpSocket> m_tcp;
    SocketReader *m_reader = nullptr;
    // Created when the output first goes over its limit.
    std::unique_ptr<QTimer> m_slowTimer;
    QMetaObject::Connection m_drainWatch;
    QString m_id;
    Limits m_limits;
    QString m_userId;
    QString m_familyId;
    bool m_closing = false;
    bool m_closedEmitted = false;
    bool m_flushQueued = false; // registered with OutputFlusher
    // Frames of this turn not yet written (the first one shared, not copied).
    QByteArray m_outgoing;
    ConnectionTimers *m_timers;
    Owner *m_owner;
    ConnectionTimers::Handle m_deadline;
    qint64 m_authDeadlineMs = 0; // until the first frame authenticates
    qint64 m_closeDeadlineMs = -1; // after our close frame: the peer's is awaited until then
    qint64 m_lastActivityMs = 0;
    TokenBucket m_bucket;
    TokenBucket m_pingBucket;
    QList<qint64> m_refusals;
    QList<qint64> m_protocolErrors;
    DeliveryGate m_gate;
    FrameHold m_hold;
};

} // namespace Natter::Server
