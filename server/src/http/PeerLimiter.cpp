#include "http/PeerLimiter.h"

#include "ServerLog.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Natter::Server {

namespace {
// What a refused client waits before it tries again.
constexpr int kRetryAfterSecs = 5;
// How long a refused socket may take to read our answer before it is cut off.
constexpr int kRefusalLingerMs = 2000;
// The upgrade request's headers (HttpConnection already found their end within this).
constexpr qint64 kMaxHeaderBytes = 16 * 1024 + 4;

// The X-Forwarded-For value of a request head. Like HttpConnection (the login
// throttle's peer), the last header line wins: the proxy appends to one line.
QByteArray forwardedFor(const QByteArray &head)
{
    QByteArray value;
    const qsizetype end = head.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = head.left(end < 0 ? head.size() : end).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.left(colon).trimmed().toLower() != "x-forwarded-for")
            continue;
        value = line.mid(colon + 1).trimmed();
    }
    return value;
}
} // namespace

PeerLimiter::PeerLimiter(const TrustedProxies *proxies, QObject *parent)
    : QObject(parent)
    , m_proxies(proxies)
{ }

QString PeerLimiter::peerKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also "::ffff:a.b.c.d"
    if (isV4)
        return QHostAddress(v4).toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

bool PeerLimiter::admitHttp(QTcpSocket *socket)
{
    if (m_proxies->contains(socket->peerAddress()))
        return true; // counted once the request names the client (admitWebSocket)
    const QString peer = peerKey(socket->peerAddress());
    if (m_limits.pendingHttp > 0 && m_http.value(peer) >= m_limits.pendingHttp) {
        logRefusal(Stage::Http, peer);
        return false;
    }
    track(socket, peer, Stage::Http);
    return true;
}

QString PeerLimiter::clientOf(QTcpSocket *socket) const
{
    const QHostAddress address = socket->peerAddress();
    if (!m_proxies->contains(address))
        return peerKey(address);
    const QString client =
        m_proxies->clientAddress(address, forwardedFor(socket->peek(kMaxHeaderBytes)));
    return peerKey(QHostAddress(client));
}

bool PeerLimiter::admitWebSocket(QTcpSocket *socket)
{
    const QString peer = clientOf(socket);
    if (m_limits.unauthenticatedWebSockets > 0
        && m_ws.value(peer) >= m_limits.unauthenticatedWebSockets) {
        logRefusal(Stage::WebSocket, peer);
        return false;
    }
    // No longer a pending HTTP connection (a socket from a trusted proxy was
    // not counted as one).
    track(socket, peer, Stage::WebSocket, release(socket, true));
    return true;
}

void PeerLimiter::authenticated(QTcpSocket *socket)
{
    release(socket);
}

void PeerLimiter::track(const QObject *object, const QString &peer, Stage stage,
                        QMetaObject::Connection watch)
{
    if (!watch)
        watch = connect(object, &QObject::destroyed, this, [this, object] { release(object); });
    m_slots.insert(object, Slot{peer, stage, watch});
    ++counts(stage)[peer];
}

QMetaObject::Connection PeerLimiter::release(const QObject *object, bool keepWatch)
{
    const auto it = m_slots.constFind(object);
    if (it == m_slots.cend())
        return {};
    const Slot slot = *it;
    m_slots.erase(it);
    if (!keepWatch)
        disconnect(slot.watch);
    QHash<QString, int> &count = counts(slot.stage);
    const auto c = count.find(slot.peer);
    if (c != count.end() && --*c <= 0) {
        count.erase(c);
        if (!m_http.contains(slot.peer) && !m_ws.contains(slot.peer))
            m_logged.remove(slot.peer);
    }
    return keepWatch ? slot.watch : QMetaObject::Connection();
}

void PeerLimiter::logRefusal(Stage stage, const QString &peer)
{
    if (m_logged.contains(peer))
        return;
    m_logged.insert(peer);
    qCInfo(lcServerHttp).noquote().nospace()
        << "event=peer_cap_reached peer=" << ServerLog::value(peer)
        << " sockets=" << (stage == Stage::Http ? "pending_http" : "unauthenticated_ws")
        << " open=" << counts(stage).value(peer);
}

void PeerLimiter::refuse(QTcpSocket *socket)
{
    static const QByteArray body = R"({"error":"too_many_connections"})";
    socket->setParent(nullptr);
    // Whatever the client sent is read and dropped: closing with unread bytes
    // would send a RST that can destroy the answer in the client's buffer.
    socket->readAll();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const auto shutdownWrite = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, shutdownWrite);
    QTimer::singleShot(kRefusalLingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->write("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
                  "Content-Length: "
                  + QByteArray::number(body.size())
                  + "\r\nRetry-After: " + QByteArray::number(kRetryAfterSecs)
                  + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body);
    // An Unbuffered socket (TcpListener) wrote it straight to the kernel: no
    // bytesWritten follows then.
    shutdownWrite();
}

} // namespace Natter::Server
