#include "hub/ClientConnection.h"

#include "ServerLog.h"
#include "hub/OutputFlusher.h"

#include <QTcpSocket>

namespace Natter::Server {

ClientConnection::ClientConnection(QTcpSocket *tcp, const QString &id, const Limits &limits,
                                   ConnectionTimers *timers, Owner *owner, QObject *parent)
    : QObject(parent)
    , m_tcp(tcp)
    , m_id(id)
    , m_limits(limits)
    , m_timers(timers)
    , m_owner(owner)
    , m_bucket(limits.ratePerSecond, limits.burst, timers->now())
    , m_pingBucket(limits.pingsPerSecond, limits.pingBurst, timers->now())
{
    tcp->setParent(this);
    m_reader = new SocketReader(tcp, this, this);
    // Idle memory (docs/benchmarks.md): every connection made here is kept per
    // socket, so there are as few as the work needs. The reader calls this
    // connection directly (SocketReader::Listener), deadlines are ConnectionTimers'.
    connect(tcp, &QTcpSocket::disconnected, this, &ClientConnection::onDisconnected);

    touch();
    m_authDeadlineMs = m_timers->now() + limits.authTimeoutMs;
    scheduleDeadline();
}

ClientConnection::~ClientConnection()
{
    m_timers->cancel(m_deadline);
    if (m_flushQueued)
        OutputFlusher::shared().remove(this);
}

qint64 ClientConnection::queuedBytes() const
{
    return m_outgoing.size() + (m_tcp ? m_tcp->bytesToWrite() : 0);
}

void ClientConnection::flushOutput()
{
    if (m_flushQueued) {
        m_flushQueued = false;
        OutputFlusher::shared().remove(this);
    }
    const QByteArray out = std::exchange(m_outgoing, QByteArray());
    if (out.isEmpty() || !m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    // One system call for the turn's frames; what the kernel does not take
    // waits in the socket's buffer (bytesToWrite()).
    m_tcp->write(out);
    if (m_drainWatch)
        onOutputDrained(); // the kernel may have taken it all: no bytesWritten then
}

QString ClientConnection::peer() const
{
    return m_tcp ? m_tcp->peerAddress().toString() : QString();
}

void ClientConnection::touch()
{
    m_lastActivityMs = m_timers->now();
}

void ClientConnection::messageReceived(const QByteArray &data, bool binary)
{
    touch();
    if (!m_closing && m_owner)
        m_owner->frameReceived(this, data, binary);
}

void ClientConnection::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_timers->cancel(m_deadline);
    stopOutputWatch();
    if (m_owner)
        m_owner->connectionClosed(this);
}

void ClientConnection::scheduleDeadline()
{
    qint64 at = -1;
    if (m_closedEmitted)
        at = -1;
    else if (m_closing)
        at = m_closeDeadlineMs;
    else if (!isAuthenticated())
        at = m_authDeadlineMs;
    else
        // Closed once silent for three heartbeat intervals (4408).
        at = m_lastActivityMs + 3 * m_limits.heartbeatIntervalMs;
    if (at < 0)
        m_timers->cancel(m_deadline);
    else
        m_timers->schedule(m_deadline, this, at);
}

void ClientConnection::deadlineReached()
{
    const qint64 now = m_timers->now();
    if (m_closedEmitted) {
        return;
    } else if (m_closing) {
        // A peer that never answers our close frame is cut off.
        if (m_closeDeadlineMs >= 0 && now >= m_closeDeadlineMs) {
            m_closeDeadlineMs = -1;
            qCInfo(lcServerWs).noquote().nospace() << "event=close_wait_expired conn=" << m_id;
            if (m_tcp)
                m_tcp->abort();
            return;
        }
    } else if (!isAuthenticated()) {
        if (now >= m_authDeadlineMs) {
            qCInfo(lcServerWs).noquote().nospace() << "event=auth_timeout conn=" << m_id;
            close(1008, QStringLiteral("authentication timeout"));
            return;
        }
    } else if (now - m_lastActivityMs >= 3 * m_limits.heartbeatIntervalMs) {
        qCInfo(lcServerWs).noquote().nospace() << "event=idle_close conn=" << m_id;
        close(4408, QStringLiteral("heartbeat timeout"));
        return;
    }
    // Activity moved the heartbeat deadline on meanwhile.
    scheduleDeadline();
}

void ClientConnection::setAuthenticated(const QString &userId, const QString &familyId)
{
    m_userId = userId;
    m_familyId = familyId;
    touch();
    scheduleDeadline();
}

ClientConnection::Admission ClientConnection::admit()
{
    const qint64 now = m_timers->now();
    if (m_bucket.tryTake(now))
        return Admission::Accepted;
    return recordRefusal(now) ? Admission::Flooding : Admission::Refused;
}

bool ClientConnection::recordRefusal(qint64 now)
{
    m_refusals.append(now);
    while (!m_refusals.isEmpty() && m_refusals.first() <= now - m_limits.floodWindowMs)
        m_refusals.removeFirst();
    return m_refusals.size() >= m_limits.floodRefusals;
}

bool ClientConnection::admitFrameWithoutMessage()
{
    // A flood of pings (even one that reads its pongs), pongs or empty
    // fragments would keep the event loop busy for everyone: past their own
    // bucket they count as refused frames, towards the flood close.
    const qint64 now = m_timers->now();
    if (!m_pingBucket.tryTake(now) && recordRefusal(now)) {
        qCInfo(lcServerWs).noquote().nospace() << "event=ping_flood_close conn=" << m_id;
        close(4429, QStringLiteral("rate limit exceeded"));
        return false;
    }
    return true;
}

void ClientConnection::frameWithoutMessage()
{
    admitFrameWithoutMessage();
}

void ClientConnection::pingReceived(const QByteArray &payload)
{
    if (!admitFrameWithoutMessage())
        return;
    // RFC 6455 §5.5.2-3: every ping is answered until the close, with a pong
    // carrying its payload (at most 125 bytes).
    QByteArray pong;
    pong.reserve(payload.size() + 2);
    pong.append(char(0x8A)).append(char(payload.size())).append(payload);
    write(pong);
}

void ClientConnection::closeReceived(int code)
{
    // The peer closes first: what this turn produced goes before our answer.
    qCDebug(lcServerWs).noquote().nospace()
        << "event=ws_peer_close conn=" << m_id << " code=" << code;
    flushOutput();
    m_closing = true;
    stopOutputWatch();
    m_reader->answerClose(code);
    // A peer that does not read our answer holds the socket until then.
    if (!m_closedEmitted) {
        m_closeDeadlineMs = m_timers->now() + kCloseWaitMs;
        scheduleDeadline();
    }
}

void ClientConnection::protocolError(int code, const QString &reason)
{
    // RFC 6455 §5.1 (unmasked frames), §5.4-5.5 (framing), §8.1 (UTF-8), and
    // the message size limit (1009).
    qCInfo(lcServerWs).noquote().nospace()
        << "event=ws_protocol_close conn=" << m_id << " code=" << code
        << " reason=" << ServerLog::value(reason);
    close(code, reason);
}

void ClientConnection::checkOutput()
{
    if (!m_tcp || m_limits.outputLimitBytes <= 0 || m_closing || m_drainWatch)
        return;
    const qint64 queued = queuedBytes();
    if (queued <= m_limits.outputLimitBytes)
        return;
    qCInfo(lcServerWs).noquote().nospace()
        << "event=output_over_limit conn=" << m_id << " queued=" << queued;
    m_reader->pause();
    if (!m_slowTimer) {
        m_slowTimer = std::make_unique<QTimer>();
        m_slowTimer->setSingleShot(true);
        connect(m_slowTimer.get(), &QTimer::timeout, this, &ClientConnection::dropSlowConsumer);
    }
    m_slowTimer->start(int(m_limits.slowConsumerMs));
    m_drainWatch =
        connect(m_tcp, &QTcpSocket::bytesWritten, this, &ClientConnection::onOutputDrained);
}

void ClientConnection::onOutputDrained()
{
    if (!m_tcp || queuedBytes() > m_limits.outputLimitBytes / 2)
        return;
    stopOutputWatch();
    m_reader->resume();
}

void ClientConnection::stopOutputWatch()
{
    if (m_drainWatch)
        disconnect(m_drainWatch);
    m_drainWatch = {};
    if (m_slowTimer)
        m_slowTimer->stop();
}

void ClientConnection::dropSlowConsumer()
{
    if (!m_tcp)
        return;
    // The peer does not read: a close frame would wait behind the backlog.
    qCInfo(lcServerWs).noquote().nospace()
        << "event=slow_consumer_close conn=" << m_id << " queued=" << queuedBytes();
    m_closing = true;
    m_outgoing = QByteArray();
    m_closeDeadlineMs = -1;
    scheduleDeadline();
    stopOutputWatch();
    m_tcp->abort();
}

bool ClientConnection::recordProtocolError()
{
    const qint64 now = m_timers->now();
    m_protocolErrors.append(now);
    while (!m_protocolErrors.isEmpty() && m_protocolErrors.first() <= now - m_limits.floodWindowMs)
        m_protocolErrors.removeFirst();
    return m_protocolErrors.size() >= m_limits.protocolErrors;
}

void ClientConnection::send(const QByteArray &frame)
{
    write(WireFrame::encodeText(frame));
    checkOutput();
}

void ClientConnection::close(int code, const QString &reason)
{
    if (m_closing || !m_tcp)
        return;
    // What this turn produced before the close goes before the close frame.
    flushOutput();
    m_closing = true;
    stopOutputWatch();
    // Closing the TCP socket right after the close frame would make the kernel
    // reset the connection over the frames the peer sent meanwhile: it would
    // see neither those answers nor the code (issue 12, defect 5). The reader
    // keeps reading until the peer's close instead.
    m_reader->closeGracefully(code, reason);
    if (!m_closedEmitted) {
        m_closeDeadlineMs = m_timers->now() + kCloseWaitMs;
        scheduleDeadline();
    }
}

void ClientConnection::write(const QByteArray &wireBytes)
{
    // No frame may follow a close frame (RFC 6455 §5.5.1), ours or the answer
    // to the peer's.
    if (m_closing || !m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    // Same bytes for every receiver (servers do not mask, RFC 6455 §5.1),
    // collected for the end of the turn (OutputFlusher): the socket is
    // Unbuffered, a write would be a system call per frame.
    if (m_outgoing.isEmpty())
        m_outgoing = wireBytes;
    else
        m_outgoing.append(wireBytes);
    if (!m_flushQueued) {
        m_flushQueued = true;
        OutputFlusher::shared().add(this);
    }
}

void ClientConnection::writeAll(const QList<WireFrame> &frames)
{
    for (const WireFrame &frame : frames)
        write(frame.bytes());
    checkOutput();
}

void ClientConnection::deliver(const LiveFrame &frame)
{
    // Live frames keep coming however slowly the peer reads: bound them.
    if (m_tcp && m_limits.outputLimitBytes > 0 && !m_closing
        && queuedBytes() > kHardLimitFactor * m_limits.outputLimitBytes) {
        dropSlowConsumer();
        return;
    }
    writeAll(m_gate.offer(frame));
}

void ClientConnection::sendReplayed(const QString &channel, qint64 seq, const QByteArray &frame)
{
    send(frame);
    writeAll(m_gate.markDelivered(channel, seq));
}

void ClientConnection::endReplay()
{
    writeAll(m_gate.endReplay());
}

void ClientConnection::markDelivered(const QString &channel, qint64 seq)
{
    writeAll(m_gate.markDelivered(channel, seq));
}

} // namespace Natter::Server
