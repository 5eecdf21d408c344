#include "hub/ClientConnection.h"

#include "ServerLog.h"

#include <QTcpSocket>

namespace Natter::Server {

ClientConnection::ClientConnection(QWebSocket *socket, QTcpSocket *tcp, const QString &id,
                                   const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_tcp(tcp)
    , m_id(id)
    , m_limits(limits)
    , m_bucket(limits.ratePerSecond, limits.burst, 0)
    , m_pingBucket(limits.pingsPerSecond, limits.pingBurst, 0)
{
    m_clock.start();
    socket->setParent(this);
    m_reader = new SocketReader(socket, tcp, this);
    connect(m_reader, &SocketReader::pingsReceived, this, &ClientConnection::onPings);
    connect(m_reader, &SocketReader::frameProcessed, this, &ClientConnection::checkOutput);
    connect(m_reader, &SocketReader::unmaskedFrame, this, [this] {
        // RFC 6455 §5.1: a server closes on an unmasked client frame (1002).
        qCInfo(lcServerWs).noquote().nospace() << "event=unmasked_frame_close conn=" << m_id;
        close(1002, QStringLiteral("client frames must be masked"));
    });
    connect(m_reader, &SocketReader::protocolError, this, [this](int code, const QString &reason) {
        qCInfo(lcServerWs).noquote().nospace()
            << "event=ws_protocol_close conn=" << m_id << " code=" << code;
        close(code, reason);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        touch();
        if (!m_closing)
            Q_EMIT frameReceived(this, text.toUtf8(), false);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        touch();
        if (!m_closing)
            Q_EMIT frameReceived(this, data, true);
    });
    connect(socket, &QWebSocket::pong, this, &ClientConnection::touch);
    // Client pings are answered inside QWebSocket without a signal; any bytes on
    // the underlying TCP socket count as a sign of life for the idle check.
    if (tcp)
        connect(tcp, &QTcpSocket::readyRead, this, &ClientConnection::touch);
    connect(socket, &QWebSocket::disconnected, this, [this] {
        if (m_closedEmitted)
            return;
        m_closedEmitted = true;
        m_authTimer.stop();
        m_idleTimer.stop();
        m_closeTimer.stop();
        stopOutputWatch();
        Q_EMIT closed(this);
    });

    m_authTimer.setSingleShot(true);
    m_authTimer.setInterval(int(limits.authTimeoutMs));
    connect(&m_authTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcServerWs).noquote().nospace() << "event=auth_timeout conn=" << m_id;
        close(1008, QStringLiteral("authentication timeout"));
    });
    m_authTimer.start();

    // Checked a few times per interval so a silent peer is closed close to 3×.
    m_idleTimer.setInterval(int(qMax<qint64>(10, limits.heartbeatIntervalMs / 4)));
    connect(&m_idleTimer, &QTimer::timeout, this, &ClientConnection::checkIdle);

    // A peer that never answers our close frame is cut off.
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(5000);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
}

ClientConnection::~ClientConnection() = default;

QString ClientConnection::peer() const
{
    return m_socket ? m_socket->peerAddress().toString() : QString();
}

void ClientConnection::touch()
{
    m_lastActivityMs = m_clock.elapsed();
}

void ClientConnection::checkIdle()
{
    if (m_closing)
        return;
    if (m_clock.elapsed() - m_lastActivityMs >= 3 * m_limits.heartbeatIntervalMs) {
        qCInfo(lcServerWs).noquote().nospace() << "event=idle_close conn=" << m_id;
        close(4408, QStringLiteral("heartbeat timeout"));
    }
}

void ClientConnection::setAuthenticated(const QString &userId, const QString &familyId)
{
    m_userId = userId;
    m_familyId = familyId;
    m_authTimer.stop();
    touch();
    m_idleTimer.start();
}

ClientConnection::Admission ClientConnection::admit()
{
    const qint64 now = m_clock.elapsed();
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

void ClientConnection::onPings(int count)
{
    // Qt answers every ping by itself; a flood of them, even one that reads its
    // pongs, would keep the event loop busy for everyone.
    const qint64 now = m_clock.elapsed();
    for (int i = 0; i < count && !m_closing; ++i) {
        if (m_pingBucket.tryTake(now))
            continue;
        if (recordRefusal(now)) {
            qCInfo(lcServerWs).noquote().nospace() << "event=ping_flood_close conn=" << m_id;
            close(4429, QStringLiteral("rate limit exceeded"));
        }
    }
}

void ClientConnection::checkOutput()
{
    if (!m_tcp || m_limits.outputLimitBytes <= 0 || m_closing || m_drainWatch)
        return;
    const qint64 queued = m_tcp->bytesToWrite();
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
    if (!m_tcp || m_tcp->bytesToWrite() > m_limits.outputLimitBytes / 2)
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
    if (!m_socket)
        return;
    // The peer does not read: a close frame would wait behind the backlog.
    qCInfo(lcServerWs).noquote().nospace() << "event=slow_consumer_close conn=" << m_id
                                           << " queued=" << (m_tcp ? m_tcp->bytesToWrite() : 0);
    m_closing = true;
    m_authTimer.stop();
    m_idleTimer.stop();
    stopOutputWatch();
    m_socket->abort();
}

bool ClientConnection::recordProtocolError()
{
    const qint64 now = m_clock.elapsed();
    m_protocolErrors.append(now);
    while (!m_protocolErrors.isEmpty() && m_protocolErrors.first() <= now - m_limits.floodWindowMs)
        m_protocolErrors.removeFirst();
    return m_protocolErrors.size() >= m_limits.protocolErrors;
}

void ClientConnection::send(const QByteArray &frame)
{
    write(WireFrame(frame));
    checkOutput();
}

void ClientConnection::close(int code, const QString &reason)
{
    if (m_closing || !m_socket)
        return;
    m_closing = true;
    m_authTimer.stop();
    m_idleTimer.stop();
    stopOutputWatch();
    // QWebSocket::close() would close the TCP socket right after the close
    // frame, and the kernel would reset the connection over the frames the peer
    // sent meanwhile: it would see neither those answers nor the code (issue 12,
    // defect 5). The reader keeps reading until the peer's close instead.
    if (m_reader->isHooked())
        m_reader->closeGracefully(code, reason);
    else
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    m_closeTimer.start();
}

void ClientConnection::write(const WireFrame &frame)
{
    // QWebSocket itself only sends in ConnectedState; once its close frame is out
    // (ours, or the answer to the peer's) the state has left it, and no frame may
    // follow a close frame (RFC 6455 §5.5.1).
    if (!m_socket || m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_tcp && m_tcp->state() == QAbstractSocket::ConnectedState) {
        // Same bytes for every receiver (servers do not mask, RFC 6455 §5.1); the
        // QTcpSocket buffers them and sends everything written to it in one event
        // loop turn with one system call, and bytesToWrite() counts them.
        m_tcp->write(frame.bytes());
        return;
    }
    if (!m_tcp)
        m_socket->sendTextMessage(QString::fromUtf8(frame.payload()));
}

void ClientConnection::writeAll(const QList<WireFrame> &frames)
{
    for (const WireFrame &frame : frames)
        write(frame);
    checkOutput();
}

void ClientConnection::deliver(const LiveFrame &frame)
{
    // Live frames keep coming however slowly the peer reads: bound them.
    if (m_tcp && m_limits.outputLimitBytes > 0 && !m_closing
        && m_tcp->bytesToWrite() > kHardLimitFactor * m_limits.outputLimitBytes) {
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
