// natterd's single listening port: plain HTTP for the API and `/ws` upgrades.
//
// QHttpServer 6.4 upgrades WebSockets before a handler can refuse them and
// buffers whole bodies before any size check, so this is a QTcpServer whose
// HttpConnections hand upgrade requests to a QWebSocketServer in
// NonSecureMode. The Origin check happens during that handshake, so a missing
// or foreign Origin gets a real HTTP 403. Owned by NatterServer.
#pragma once

#include "http/PeerLimiter.h"
#include "http/TcpListener.h"
#include "http/TrustedProxies.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QWebSocketServer>

namespace Natter::Server {

class HttpRouter;

class HttpServer : public QObject
{
    Q_OBJECT
public:
    static constexpr quint64 kMaxMessageBytes = 64 * 1024;
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
    void socketAuthenticated(QWebSocket *socket) { m_peers.authenticated(socket); }
    // Stops accepting new connections (shutdown).
    void close();
    QString errorString() const { return m_tcp.errorString(); }

Q_SIGNALS:
    // A WebSocket handshake completed (Origin already checked). The receiver owns
    // `socket`; `tcp` is the TCP socket underneath (for liveness: client pings are
    // answered inside QWebSocket without a signal, but their bytes show up there).
    void webSocketConnected(QWebSocket *socket, QTcpSocket *tcp);

private:
    void acceptTcp();
    void upgrade(QTcpSocket *socket);
    void acceptWebSockets();
    static void liftHttpReadLimit(QTcpSocket *tcp);

    const HttpRouter *m_router;
    TcpListener m_tcp; // accepted sockets are Unbuffered (TcpListener)
    QWebSocketServer m_ws;
    QSet<QString> m_allowedOrigins;
    TrustedProxies m_proxies;
    PeerLimiter m_peers{&m_proxies};
    // Upgrading sockets by peer (address, port), to pair each QWebSocket with its
    // TCP socket, and the watch that forgets one whose handshake failed.
    struct Upgrading
    {
        QPointer<QTcpSocket> socket;
        QMetaObject::Connection watch;
    };
    QHash<QPair<QString, quint16>, Upgrading> m_upgrading;
};

} // namespace Natter::Server
