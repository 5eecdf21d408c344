// natterd's single listening port: plain HTTP for the API and `/ws` upgrades.
//
// QHttpServer 6.4 upgrades WebSockets before a handler can refuse them and
// buffers whole bodies before any size check, so this is a QTcpServer whose
// HttpConnections answer WebSocket handshakes themselves (WebSocketHandshake:
// the Origin check, so a missing or foreign Origin gets a real HTTP 403). An
// accepted socket goes to the hub, where natterd's own WebSocket layer reads
// it (hub/SocketReader). Owned by NatterServer.
#pragma once

#include "http/PeerLimiter.h"
#include "http/TcpListener.h"
#include "http/TrustedProxies.h"

#include <QObject>
#include <QSet>

namespace Natter::Server {

class HttpRouter;

class HttpServer : public QObject
{
    Q_OBJECT
public:
    // Qt's read buffer for a WebSocket's socket: the largest frame and its
    // header, and then some (hub's SocketReader keeps as much unparsed).
    static constexpr qint64 kWebSocketReadBufferBytes = 80 * 1024;

    explicit HttpServer(const HttpRouter *router, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    void setAllowedOrigins(const QSet<QString> &origins);
    QSet<QString> allowedOrigins() const { return m_allowedOrigins; }
    // Proxies whose X-Forwarded-For names the client (for per-peer limits).
    void setTrustedProxies(const TrustedProxies &proxies) { m_proxies = proxies; }
    // Caps on sockets per peer before they authenticate (issue 12).
    void setPeerLimits(const PeerLimiter::Limits &limits) { m_peers.setLimits(limits); }
    // `socket` (from webSocketConnected) authenticated: its peer's cap no longer counts it.
    void socketAuthenticated(QTcpSocket *socket) { m_peers.authenticated(socket); }
    // Stops accepting new connections (shutdown).
    void close();
    QString errorString() const { return m_tcp.errorString(); }

Q_SIGNALS:
    // A WebSocket handshake completed (Origin checked, 101 written). The
    // receiver owns `socket`; frames may already wait in it.
    void webSocketConnected(QTcpSocket *socket);

private:
    void acceptTcp();
    void upgrade(QTcpSocket *socket, const QByteArray &switchingProtocols, qint64 headBytes);
    static void liftHttpReadLimit(QTcpSocket *tcp);

    const HttpRouter *m_router;
    TcpListener m_tcp; // accepted sockets are Unbuffered (TcpListener)
    QSet<QString> m_allowedOrigins;
    TrustedProxies m_proxies;
    PeerLimiter m_peers{&m_proxies};
};

} // namespace Natter::Server
