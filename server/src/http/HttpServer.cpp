#include "http/HttpServer.h"

#include "ServerLog.h"
#include "http/HttpConnection.h"
#include "http/UnbufferedSocket.h"

namespace Natter::Server {

HttpServer::HttpServer(const HttpRouter *router, QObject *parent)
    : QObject(parent)
    , m_router(router)
{
    m_tcp.setMaxPendingConnections(1024);
    connect(&m_tcp, &QTcpServer::newConnection, this, &HttpServer::acceptTcp);
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
        auto *connection =
            new HttpConnection(socket, m_router, &m_proxies, &m_allowedOrigins, this);
        connect(connection, &HttpConnection::webSocketUpgradeRequested, this, &HttpServer::upgrade);
    }
}

void HttpServer::upgrade(QTcpSocket *socket, const QByteArray &switchingProtocols, qint64 headBytes)
{
    if (!m_peers.admitWebSocket(socket)) {
        PeerLimiter::refuse(socket);
        return;
    }
    // The request was only peeked at (admitWebSocket read its X-Forwarded-For).
    socket->skip(headBytes);
    // Frames are small and latency matters: no Nagle delay behind an unacked segment.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->write(switchingProtocols);
    liftHttpReadLimit(socket);
    // The peeks of the HTTP phase left a read chunk behind (idle memory per
    // connection, docs/benchmarks.md).
    UnbufferedSocket::releaseBuffers(socket);
    Q_EMIT webSocketConnected(socket);
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
