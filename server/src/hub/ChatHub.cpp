#include "hub/ChatHub.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "auth/AuthService.h"
#include "hub/ChatFrameHandler.h"
#include "hub/MembershipWatcher.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "hub/SessionStarter.h"

namespace Natter::Server {

ChatHub::ChatHub(ChatStore *store, AuthService *auth, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_userLimits(settings.userLimits)
    , m_fanout(&m_sessions, &m_members)
    , m_out(settings.makeFanout ? settings.makeFanout(&m_fanout, &m_sessions, store, this)
                                : &m_fanout)
    , m_presence(new PresenceService(store, m_out, &m_members, settings.presenceGraceMs,
                                     settings.typingExpiryMs, this))
    , m_watcher(new MembershipWatcher(store, &m_members, m_out->nodeLocal(), m_presence,
                                      &m_sessions, this))
    , m_starter(new SessionStarter(
          store, auth, &m_sessions, m_presence, &m_members, m_watcher, &m_userLimits,
          SessionStarter::Settings{settings.limits.heartbeatIntervalMs, settings.resumeChangeLimit},
          this))
    , m_frames(new ChatFrameHandler(
          store, m_out, &m_members, m_presence, &m_userLimits,
          ChatFrameHandler::Settings{settings.editWindowMs, settings.onlyAdminsCreateChannels},
          this))
{
    if (settings.sharedPresence)
        m_presence->setShared(settings.sharedPresence);
    // Several nodes: another node's channel event; read the memberships now.
    m_out->setMembershipHandler([watcher = m_watcher](const QString &) { watcher->reread(); });
    connect(auth, &AuthService::familyRevoked, this, &ChatHub::closeFamily);
    connect(m_frames, &ChatFrameHandler::filesReleased, this, &ChatHub::filesReleased);
}

ChatHub::~ChatHub()
{
    // Sockets torn down with the hub must not call back into it.
    for (ClientConnection *c : m_sessions.all())
        c->setOwner(nullptr);
    // Now, not as children after the members: they give their deadlines back
    // to m_timers. Closed ones waiting for deleteLater are children too.
    const auto connections = findChildren<ClientConnection *>(Qt::FindDirectChildrenOnly);
    for (ClientConnection *c : connections)
        c->setOwner(nullptr);
    qDeleteAll(connections);
}

void ChatHub::addSocket(QTcpSocket *tcp)
{
    const QString id = RandomId::hex(8);
    // The connection calls frameReceived() and connectionClosed() directly.
    auto *connection = new ClientConnection(tcp, id, m_settings.limits, &m_timers, this, this);
    m_sessions.add(connection);
    m_unauthenticated.insert(connection, tcp);
    qCInfo(lcServerWs).noquote().nospace()
        << "event=ws_open conn=" << id << " peer=" << ServerLog::value(connection->peer());
    Q_EMIT connectionCountChanged(m_sessions.count());
}

void ChatHub::frameReceived(ClientConnection *connection, const QByteArray &data, bool binary)
{
    qCDebug(lcServerWs).noquote().nospace()
        << "event=frame conn=" << connection->id() << " bytes=" << data.size();
    // The first frame. (SessionStarter marks the connection authenticated
    // before its store job reads the snapshot: the frames behind it wait in
    // the FrameHold for `connected`, below.)
    if (!connection->isAuthenticated() && !connection->hold().isHeld()) {
        m_starter->authenticate(connection, data, binary);
        if (connection->isAuthenticated()) {
            if (QTcpSocket *socket = m_unauthenticated.take(connection))
                Q_EMIT socketAuthenticated(socket);
        }
        return;
    }
    switch (connection->isAuthenticated() ? connection->admit()
                                          : ClientConnection::Admission::Accepted) {
    case ClientConnection::Admission::Accepted:
        // Issue 16: a state-changing job of this connection is in flight; its
        // frames go on in order once it has answered (bounded by admit()).
        if (connection->hold().isHeld()) {
            connection->hold().enqueue(data, binary,
                                       [this, connection](const QByteArray &d, bool b) {
                                           dispatchHeld(connection, d, b);
                                       });
            return;
        }
        // Admin commands (`user disable`, `channel join`) arrive through the
        // store's change feed (MembershipWatcher), within its bound (§12), not
        // per frame.
        m_frames->handle(connection, data, binary);
        return;
    case ClientConnection::Admission::Refused:
        connection->send(ServerCodec::errorFrame(QJsonValue(), QStringLiteral("rate_limited"),
                                                 tr("Too many frames; slow down.")));
        return;
    case ClientConnection::Admission::Flooding:
        qCInfo(lcServerWs).noquote().nospace() << "event=flood_close conn=" << connection->id();
        connection->close(4429, QStringLiteral("rate limit exceeded"));
        return;
    }
}

void ChatHub::dispatchHeld(ClientConnection *connection, const QByteArray &data, bool binary)
{
    // Authentication failed meanwhile (the connection is closing): the frames
    // that waited for it are not processed.
    if (connection->isClosing() || !connection->isAuthenticated()) {
        connection->hold().clear();
        return;
    }
    m_frames->handle(connection, data, binary);
}

void ChatHub::connectionClosed(ClientConnection *connection)
{
    connection->hold().clear();
    m_sessions.remove(connection);
    m_unauthenticated.remove(connection);
    if (connection->isAuthenticated()) {
        m_presence->connectionClosed(connection->userId(), connection->id());
        m_userLimits.releaseConnection(connection->userId());
    }
    qCInfo(lcServerWs).noquote().nospace() << "event=ws_closed conn=" << connection->id();
    connection->deleteLater();
    Q_EMIT connectionCountChanged(m_sessions.count());
}

int ChatHub::closeAll(int code, const QString &reason)
{
    return m_sessions.closeAll(code, reason);
}

void ChatHub::closeFamily(const QString &familyId, int code)
{
    const QString reason =
        code == 1000 ? QStringLiteral("logged out") : QStringLiteral("token revoked");
    m_out->closeFamily(familyId, code, reason);
}

} // namespace Natter::Server
