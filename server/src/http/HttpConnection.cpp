#include "http/HttpConnection.h"

#include "ServerLog.h"
#include "http/HttpRequestParser.h"
#include "http/HttpRouter.h"
#include "http/WebSocketHandshake.h"

#include <QHostAddress>
#include <QUrl>

#include <sys/socket.h>

namespace Natter::Server {

namespace {

constexpr int kIdleTimeoutMs = 30000;
// How much more of a body restarts the idle clock: at least ~0.5 KiB/s.
constexpr qint64 kBodyProgressBytes = 16 * 1024;

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 206:
        return "Partial Content";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 507:
        return "Insufficient Storage";
    default:
        return "Status";
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpRouter *router,
                               const TrustedProxies *proxies, const QSet<QString> *allowedOrigins,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_allowedOrigins(allowedOrigins)
    , m_proxies(proxies)
{
    socket->setParent(this);
    // Qt stops reading from the kernel once this much is buffered (the client's
    // TCP window closes); one whole request of the largest size still fits.
    socket->setReadBufferSize(kMaxReadBufferBytes);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::processBuffered);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::resumeAfterBacklog);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::pumpOut);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    // A client that sends nothing (or trickles a header) must not hold a socket forever.
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(kIdleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, socket, &QTcpSocket::abort);
    m_idleTimer.start();
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::processBuffered, Qt::QueuedConnection);
}

void HttpConnection::finishWithError(int status, const QString &code)
{
    m_closing = true;
    respond(HttpResponse::error(status, code), true);
}

void HttpConnection::processBuffered()
{
    if (m_receiver) {
        pumpBody();
        return;
    }
    if (m_busy || m_closing || m_writePaused || m_outStream)
        return;
    const QByteArray peeked = m_socket->peek(kMaxHeaderBytes + 4);
    const qsizetype end = peeked.indexOf("\r\n\r\n");
    if (end < 0) {
        if (peeked.size() > kMaxHeaderBytes)
            finishWithError(431, QStringLiteral("headers_too_large"));
        return;
    }
    const qsizetype headerBytes = end + 4;
    HttpRequestParser::Head head = HttpRequestParser::parse(QByteArrayView(peeked).first(end));
    // For the log line of this request, refused or not.
    m_method = head.request.method;
    m_path = head.logPath;
    if (head.error != 0) {
        finishWithError(head.error,
                        head.error == 505 ? QStringLiteral("http_version_not_supported")
                                          : QStringLiteral("bad_request"));
        return;
    }
    HttpRequest &request = head.request;
    request.peer =
        m_proxies->clientAddress(m_socket->peerAddress(), request.header("x-forwarded-for"));
    m_peer = request.peer;
    const QByteArray connection = request.header("connection").toLower();
    m_keepAlive = head.http10 ? connection.contains("keep-alive") : !connection.contains("close");

    // Any Upgrade header makes it a handshake, checked as one
    // (WebSocketHandshake: 400 unless it lists `websocket`).
    if (request.method == "GET" && request.path == u"/ws" && request.headers.contains("upgrade")) {
        const WebSocketHandshake::Answer answer =
            WebSocketHandshake::answer(request, head.http10, *m_allowedOrigins);
        if (!answer.accepted()) {
            if (answer.originRefused)
                qCInfo(lcServerWs).noquote().nospace()
                    << "event=origin_refused origin="
                    << ServerLog::value(QString::fromUtf8(request.header("origin").left(200)));
            m_closing = true;
            respond(answer.response, true);
            return;
        }
        // The request stays in the socket: the peer count reads its
        // X-Forwarded-For (PeerLimiter) before the 101 is written.
        m_idleTimer.stop();
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->setParent(nullptr);
        QTcpSocket *socket = std::exchange(m_socket, nullptr);
        Q_EMIT webSocketUpgradeRequested(socket, answer.switchingProtocols, headerBytes);
        deleteLater();
        return;
    }

    if (head.hasTransferEncoding) {
        finishWithError(411, QStringLiteral("length_required"));
        return;
    }
    const qint64 length = head.contentLength;
    if (m_router->streamHandler(request)) {
        // Its handler decides about the body (size, rights) before a byte is read.
        m_socket->skip(headerBytes);
        startStreaming(m_router, request, length);
        return;
    }
    // Refuse an oversized body from its announced length, before reading any of it.
    if (length > kMaxBodyBytes) {
        finishWithError(413, QStringLiteral("payload_too_large"));
        return;
    }
    if (m_socket->bytesAvailable() < headerBytes + length) {
        // curl and others wait for this before sending a larger body.
        if (!m_continueSent && request.header("expect").toLower() == "100-continue") {
            m_continueSent = true;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        keepReading(headerBytes + length);
        return; // wait for the rest of the body
    }
    m_continueSent = false;
    m_socket->skip(headerBytes);
    request.body = m_socket->read(length);

    m_busy = true;
    m_idleTimer.stop();
    const quint64 generation = ++m_generation;
    QPointer<HttpConnection> self(this);
    m_router->dispatch(request, [self, generation](const HttpResponse &response) {
        // The client may have gone (or the answer come twice): drop it then.
        if (!self || self->m_generation != generation || !self->m_busy)
            return;
        self->respond(response, !self->m_keepAlive);
    });
}

void HttpConnection::startStreaming(const HttpRouter *router, const HttpRequest &request,
                                    qint64 length)
{
    m_continueSent = false;
    m_busy = true;
    m_bodyRemaining = length;
    m_bodyFinished = false;
    // The handler may take a while to decide (a store job): its answer or
    // the body's first bytes restart the clock.
    m_idleTimer.stop();
    const quint64 generation = ++m_generation;
    QPointer<HttpConnection> self(this);
    const HttpRouter::Responder responder = [self, generation](const HttpResponse &response) {
        if (!self || self->m_generation != generation || !self->m_busy)
            return;
        // A body not read to its end cannot be followed by another request.
        self->respond(response, !self->m_keepAlive || self->m_bodyRemaining > 0);
    };
    const bool expectsContinue = length > 0 && request.header("expect").toLower() == "100-continue";
    const HttpRouter::BodyAcceptor accept =
        [self, generation, expectsContinue](std::unique_ptr<HttpBodyReceiver> receiver) {
            // The client may have gone, or been answered: the receiver goes too.
            if (!self || !receiver || self->m_generation != generation || !self->m_busy
                || self->m_receiver)
                return;
            self->acceptBody(std::move(receiver), expectsContinue);
        };
    (*router->streamHandler(request))(request, responder, accept);
}

void HttpConnection::acceptBody(std::unique_ptr<HttpBodyReceiver> receiver, bool expectsContinue)
{
    m_receiver = std::move(receiver);
    m_bodySinceIdleStart = 0;
    m_idleTimer.start();
    // curl and others wait for this before sending a larger body: only now,
    // once the handler took it, is the client told to send it.
    if (expectsContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    pumpBody();
}

void HttpConnection::pumpBody()
{
    while (m_receiver && m_bodyRemaining > 0 && m_socket->bytesAvailable() > 0) {
        const QByteArray piece = m_socket->read(qMin(m_bodyRemaining, kBodyPieceBytes));
        m_bodyRemaining -= piece.size();
        // Progress, not any byte, restarts the idle clock: a body that trickles
        // in a byte at a time would otherwise hold its socket and part file for
        // ever (docs/server.md, "Files").
        m_bodySinceIdleStart += piece.size();
        if (m_bodySinceIdleStart >= kBodyProgressBytes) {
            m_bodySinceIdleStart = 0;
            m_idleTimer.start();
        }
        if (!m_receiver->write(piece))
            return; // it answered; respond() let it go
    }
    if (!m_receiver || m_bodyFinished)
        return;
    if (m_bodyRemaining == 0) {
        m_bodyFinished = true;
        m_idleTimer.stop(); // the answer may take a moment (a thumbnail)
        m_receiver->finish();
        return;
    }
    keepReading(qMin<qint64>(m_bodyRemaining, kMaxReadBufferBytes));
}

void HttpConnection::pumpOut()
{
    while (m_outStream && m_socket->bytesToWrite() < kStreamWindowBytes) {
        if (m_outRemaining == 0) {
            m_outStream.reset();
            finishResponse(m_outClose);
            return;
        }
        const QByteArray piece = m_outStream->read(qMin(m_outRemaining, kBodyPieceBytes));
        if (piece.isEmpty()) {
            // The announced length cannot be met: the client must not take
            // what it got for the whole body.
            m_outStream.reset();
            m_socket->abort();
            return;
        }
        m_outRemaining -= piece.size();
        m_socket->write(piece);
        m_idleTimer.start();
    }
}

void HttpConnection::closeGracefully()
{
    m_closing = true;
    // Closing with unread request bytes (an oversized body) would send a RST that
    // can destroy our answer in the client's buffer. So: send the answer, shut our
    // side, and drain what the client still sends until it closes (or 5 s pass).
    disconnect(m_socket, &QTcpSocket::readyRead, this, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, m_socket, [s = m_socket] { s->readAll(); });
    m_socket->readAll();
    const auto shutdownWrite = [s = m_socket] {
        if (s->bytesToWrite() == 0 && s->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(s->socketDescriptor()), SHUT_WR);
    };
    if (m_socket->bytesToWrite() > 0)
        connect(m_socket, &QTcpSocket::bytesWritten, m_socket, shutdownWrite);
    else
        shutdownWrite();
    m_idleTimer.setInterval(5000);
    m_idleTimer.start();
}

void HttpConnection::respond(const HttpResponse &response, bool close)
{
    if (!m_socket)
        return;
    m_busy = false;
    if (m_receiver) {
        // It may be the caller (an answer from inside write()): let it go later.
        QTimer::singleShot(0, [receiver = m_receiver.release()] { delete receiver; });
    }
    const qint64 length = response.stream ? response.streamLength : response.body.size();
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reason(response.status) + "\r\n";
    if (!response.contentType.isEmpty())
        out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(length) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    out += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    if (!response.stream)
        out += response.body;
    m_socket->write(out);
    // Only the path: the query string may carry things that must never be logged.
    qCInfo(lcServerHttp).noquote().nospace()
        << "event=http_request method=" << ServerLog::value(QString::fromLatin1(m_method))
        << " path=" << ServerLog::value(m_path) << " status=" << response.status;
    if (response.stream) {
        m_outStream = response.stream;
        m_outRemaining = length;
        m_outClose = close;
        pumpOut();
        return;
    }
    finishResponse(close);
}

void HttpConnection::finishResponse(bool close)
{
    if (close) {
        closeGracefully();
        return;
    }
    m_idleTimer.start();
    if (pauseForBacklog())
        return; // resumeAfterBacklog() carries on
    // Also with nothing buffered: the socket is Unbuffered (TcpListener) and
    // reports bytes (or the client's end) that came while this request was
    // being answered only after another read.
    QMetaObject::invokeMethod(this, &HttpConnection::processBuffered, Qt::QueuedConnection);
}

void HttpConnection::keepReading(qint64 wanted)
{
    // The socket reads from the kernel only when asked (Unbuffered, TcpListener),
    // and a buffered one turns reading off when its buffer is full: ask for
    // the rest of a body explicitly.
    if (m_socket->bytesAvailable() < wanted)
        m_socket->peek(wanted);
}

bool HttpConnection::pauseForBacklog()
{
    // A client that pipelines requests without reading the answers: stop taking
    // requests (and so reading) until it has read most of them. The answers then
    // wait in the kernel's buffers and in at most this backlog, not in natterd.
    if (m_socket->bytesToWrite() <= kMaxWriteBacklogBytes)
        return false;
    m_writePaused = true;
    if (!m_pauseLogged) {
        m_pauseLogged = true; // once per connection: the client decides how often
        qCInfo(lcServerHttp).noquote().nospace()
            << "event=http_write_paused peer=" << ServerLog::value(m_peer)
            << " unsent=" << m_socket->bytesToWrite();
    }
    return true;
}

void HttpConnection::resumeAfterBacklog()
{
    if (!m_writePaused)
        return;
    // The client reads: it is not idle. One that never reads is dropped when the
    // idle timer runs out.
    m_idleTimer.start();
    if (m_socket->bytesToWrite() > kMaxWriteBacklogBytes)
        return;
    m_writePaused = false;
    processBuffered();
}

} // namespace Natter::Server
