// Caps the sockets one peer may hold before it is a signed-in user (issue 12).
//
// With no cap, one peer holding ~1,000 trickling HTTP sockets (or WebSockets
// that never authenticate, renewed every few seconds) used up natterd's file
// descriptors and locked every other client out. PeerLimiter counts, per peer,
// the HTTP connections not (yet) upgraded and the WebSockets that have not
// authenticated; past a cap a new one is answered `429 too_many_connections`
// and closed. Authenticated sockets are capped per user instead (UserLimits).
//
// "Peer" is the client address after trusted_proxies where that is known: the
// WebSocket count uses the client X-Forwarded-For names in the upgrade request.
// A new TCP connection from a trusted proxy is not counted (its client is not
// known before the request, and the proxy reads slow clients' headers itself).
// IPv6 addresses count per /64, the smallest block a subscriber is given.
//
// Owned by HttpServer, which calls it from its accept and upgrade path; a
// socket's slot is released when the socket is destroyed or authenticates.
#pragma once

#include "http/TrustedProxies.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QString>

class QTcpSocket;

namespace Natter::Server {

class PeerLimiter : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int pendingHttp = 512; // 0: no cap
        int unauthenticatedWebSockets = 256; // 0: no cap
    };

    // `proxies` is HttpServer's and outlives this.
    explicit PeerLimiter(const TrustedProxies *proxies, QObject *parent = nullptr);

    void setLimits(const Limits &limits) { m_limits = limits; }
    // The key a peer is counted under: the IPv4 address, or the IPv6 /64.
    static QString peerKey(const QHostAddress &address);

    // A new TCP connection: false when its peer already holds the maximum of
    // pending HTTP connections (the caller refuses it).
    bool admitHttp(QTcpSocket *socket);
    // `socket` carries a WebSocket upgrade request (unread in its buffer): from
    // now on it counts as an unauthenticated WebSocket of its client. False when
    // that client already holds the maximum (the caller refuses it).
    bool admitWebSocket(QTcpSocket *socket);
    // `socket` (admitted by admitWebSocket()) authenticated: it no longer
    // counts against its peer.
    void authenticated(QTcpSocket *socket);

    // Answers `429 {"error":"too_many_connections"}` with Retry-After and closes
    // the socket without losing the answer to a reset; the socket deletes itself.
    static void refuse(QTcpSocket *socket);

private:
    enum class Stage { Http, WebSocket };
    struct Slot
    {
        QString peer;
        Stage stage;
        // Releases the slot when the object holding it is destroyed; cut when
        // the slot ends, so a signed-in socket carries nothing of this class.
        QMetaObject::Connection watch;
    };

    // Counts `object` under `peer` at `stage`, watching it (or keeping `watch`).
    void track(const QObject *object, const QString &peer, Stage stage,
               QMetaObject::Connection watch = {});
    // Ends the slot of `object` (if any); returns its watch, still connected,
    // when `keepWatch`.
    QMetaObject::Connection release(const QObject *object, bool keepWatch = false);
    QHash<QString, int> &counts(Stage stage) { return stage == Stage::Http ? m_http : m_ws; }
    void logRefusal(Stage stage, const QString &peer);
    QString clientOf(QTcpSocket *socket) const;

    const TrustedProxies *m_proxies;
    Limits m_limits;
    QHash<const QObject *, Slot> m_slots;
    QHash<QString, int> m_http;
    QHash<QString, int> m_ws;
    // Peers whose refusal was logged since they last dropped below the cap: an
    // attacker retrying in a loop gets one log line, not one per attempt.
    QSet<QString> m_logged;
};

} // namespace Natter::Server
