// One HTTP/1.1 client connection of natterd's own small HTTP front.
//
// Parses request line and headers straight from the socket buffer (peek), and
// answers a WebSocket upgrade itself (WebSocketHandshake; the accepted socket
// goes to the hub with the request still in its buffer for the peer count). Caps headers at 16 KiB
// (431) and bodies at 64 KiB (413, answered before the body is read); only Content-Length bodies
// (chunked → 411). Serves one request at a time with keep-alive. Framing is strict
// (HttpRequestParser). Memory per connection is bounded: the socket is
// Unbuffered (TcpListener), so only what is peeked at is taken from the kernel,
// at most one request of the largest size, and no further request is taken while more than
// kMaxWriteBacklogBytes of answers are unsent. A streaming route (§9 uploads)
// gets its body piece by piece instead (HttpBodyReceiver), once its handler
// accepted it (possibly after a store job), and a streamed
// answer (§9 downloads) is read from its device only as fast as the client
// takes it, so neither ever sits whole in memory. Owned by HttpServer; deletes
// itself when the socket closes or is handed over.
#pragma once

#include "http/HttpBodyReceiver.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"
#include "http/TrustedProxies.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace Natter::Server {

class HttpRouter;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxHeaderBytes = 16 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024;
    // What Qt may buffer from the client: one request of the largest size.
    static constexpr qsizetype kMaxReadBufferBytes = kMaxHeaderBytes + 4 + kMaxBodyBytes;
    // Unsent answers past which no further request is taken (pipelining).
    static constexpr qsizetype kMaxWriteBacklogBytes = 64 * 1024;
    // Pieces of a streamed body, in and out; unsent bytes of a streamed answer.
    static constexpr qint64 kBodyPieceBytes = 64 * 1024;
    static constexpr qint64 kStreamWindowBytes = 256 * 1024;

    // `proxies` (owned by HttpServer, outlives this) decides the request's peer;
    // `allowedOrigins` (HttpServer's too) the upgrades that are accepted.
    HttpConnection(QTcpSocket *socket, const HttpRouter *router, const TrustedProxies *proxies,
                   const QSet<QString> *allowedOrigins, QObject *parent = nullptr);

Q_SIGNALS:
    // A valid `GET /ws` upgrade request from an allowed Origin is waiting,
    // unread (`headBytes` long), in `socket`; `switchingProtocols` is the 101
    // answer to write once the receiver admits it. The receiver takes the
    // socket over; this connection is gone afterwards.
    void webSocketUpgradeRequested(QTcpSocket *socket, const QByteArray &switchingProtocols,
                                   qint64 headBytes);

private:
    void processBuffered();
    void respond(const HttpResponse &response, bool close);
    void finishWithError(int status, const QString &code);
    void closeGracefully();
    void keepReading(qint64 wanted);
    bool pauseForBacklog();
    void resumeAfterBacklog();
    void finishResponse(bool close);
    void startStreaming(const HttpRouter *router, const HttpRequest &request, qint64 length);
    // The streaming handler took the body (HttpRouter::BodyAcceptor): read it.
    void acceptBody(std::unique_ptr<HttpBodyReceiver> receiver, bool expectsContinue);
    void pumpBody();
    void pumpOut();

    QTcpSocket *m_socket;
    const HttpRouter *m_router;
    const QSet<QString> *m_allowedOrigins;
    const TrustedProxies *m_proxies;
    QTimer m_idleTimer;
    qint64 m_bodySinceIdleStart = 0; // body bytes since the idle clock last restarted
    bool m_busy = false; // a handler has not answered yet
    bool m_closing = false; // answer then close
    bool m_keepAlive = true;
    bool m_continueSent = false; // `100 Continue` already sent for this request
    bool m_writePaused = false; // too many unsent answers: no request is taken
    bool m_pauseLogged = false;
    QString m_peer; // the last request's peer, for the log
    QByteArray m_method;
    QString m_path;
    quint64 m_generation = 0; // which request a late answer belongs to
    // A streamed request body (§9 upload): who takes it, and what is still to come.
    std::unique_ptr<HttpBodyReceiver> m_receiver;
    qint64 m_bodyRemaining = 0;
    bool m_bodyFinished = false;
    // A streamed answer (§9 download) being sent, and what is still to send.
    std::shared_ptr<QIODevice> m_outStream;
    qint64 m_outRemaining = 0;
    bool m_outClose = false;
};

} // namespace Natter::Server
