#include "http/HttpServer.h"

#include "ServerLog.h"
#include "http/HttpConnection.h"
#include "http/UnbufferedSocket.h"

#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>

namespace Natter::Server {

HttpServer::HttpServer(const HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_router(router)
    , m_ws(QStringLiteral("natterd"), QWebSocketServer::NonSecureMode)
{
    m_tcp.setMaxPendingConnections(1024);
    m_ws.setMaxPendingConnections(1024);
    m_ws.setHandshakeTimeout(10000);
    connect(&m_tcp, &QTcpServer::newConnection, this, &HttpServer::acceptTcp);
    connect(&m_ws, &QWebSocketServer::newConnection, this, &HttpServer::acceptWebSockets);
    // Direct connection: the answer must be set before the handshake reply is written.
    connect(
        &m_ws, &QWebSocketServer::originAuthenticationRequired, this,
        [this](QWebSocketCorsAuthenticator *auth) {
            const bool allowed =
                !auth->origin().isEmpty() && m_allowedOrigins.contains(auth->origin());
            auth->setAllowed(allowed);
            if (!allowed)
                qCInfo(lcServerWs).noquote().nospace()
                    << "event=origin_refused origin=" << ServerLog::value(auth->origin().left(200));
        },
        Qt::DirectConnection);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_tcp.listen(address, port);
}

quint16 HttpServer::serverPort() const
{
    return m_tcp.serverPort();
}

void HttpServer::setAllowedOrigins(const QSet<QString> &origins)
{
    m_allowedOrigins = origins;
}

void HttpServer::close()
{
    m_tcp.close();
}

void HttpServer::acceptTcp()
{
    while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
        if (!m_peers.admitHttp(socket)) {
            PeerLimiter::refuse(socket);
            continue;
        }
        auto *connection = new HttpConnection(socket, m_router, &m_proxies, this);
        connect(connection, &HttpConnection::webSocketUpgradeRequested, this, &HttpServer::upgrade);
    }
}

void HttpServer::upgrade(QTcpSocket *socket)
{
    if (!m_peers.admitWebSocket(socket)) {
        PeerLimiter::refuse(socket);
        return;
    }
    const QPair<QString, quint16> key(socket->peerAddress().toString(), socket->peerPort());
    // Frames are small and latency matters: no Nagle delay behind an unacked segment.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // A failed handshake deletes the socket: forget it then. (Disconnected once
    // the handshake succeeds: a connection kept per socket costs memory.)
    const QMetaObject::Connection watch = connect(socket, &QObject::destroyed, this, [this, key] {
        if (m_upgrading.value(key).socket.isNull())
            m_upgrading.remove(key);
    });
    m_upgrading.insert(key, Upgrading{socket, watch});
    // The handshake bytes were only peeked at and are still buffered:
    // handleConnection() sees them and emits readyRead itself. Emitting it here
    // too ran the handshake twice, the second time on the socket that a refused
    // handshake had already closed ("QIODevice::peek: device not open").
    m_ws.handleConnection(socket);
}

void HttpServer::acceptWebSockets()
{
    while (QWebSocket *socket = m_ws.nextPendingConnection()) {
        socket->setMaxAllowedIncomingMessageSize(kMaxMessageBytes);
        socket->setMaxAllowedIncomingFrameSize(kMaxMessageBytes);
        socket->setOutgoingFrameSize(kMaxMessageBytes);
        const Upgrading upgrading = m_upgrading.take(
            QPair<QString, quint16>(socket->peerAddress().toString(), socket->peerPort()));
        disconnect(upgrading.watch);
        const QPointer<QTcpSocket> tcp = upgrading.socket;
        liftHttpReadLimit(tcp.data());
        // The peeks of the HTTP phase and the handshake left a read chunk behind
        // (idle memory per connection, docs/benchmarks.md).
        UnbufferedSocket::releaseBuffers(tcp.data());
        if (tcp)
            m_peers.handedOver(tcp, socket);
        Q_EMIT webSocketConnected(socket, tcp.data());
    }
}

void HttpServer::liftHttpReadLimit(QTcpSocket *tcp)
{
    // HttpConnection bounds Qt's read buffer for the HTTP phase. A WebSocket
    // reads frames as they come, but not while its output is over the limit
    // (issue 12): Qt 6.4 reads an accepted socket into this buffer whether
    // anyone reads it or not (Unbuffered only counts in connectToHost()), so
    // it stays bounded and a peer that keeps writing meets TCP's back-pressure.
    // Room for the largest frame; Qt reads on once the buffer has room again.
    if (tcp)
        tcp->setReadBufferSize(kWebSocketReadBufferBytes);
}

} // namespace Natter::Server
