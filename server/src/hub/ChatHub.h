// The WebSocket side of natterd: wires the parts that serve live connections.
//
// Owned by NatterServer. Takes every upgraded socket from HttpServer and keeps it
// in the SessionRegistry; a connection's first frame goes to SessionStarter
// (authentication, snapshot, replay), every later one, once admitted by the rate
// limit, to ChatFrameHandler. PresenceService runs presence and typing,
// MembershipWatcher follows the admin CLI's changes, and every delivery to other
// connections goes through the Fanout (LocalFanout in one process). Closes a token
// family's sockets when AuthService revokes it.
#pragma once

#include "hub/ClientConnection.h"
#include "hub/ConnectionTimers.h"
#include "hub/LocalFanout.h"
#include "hub/MembershipCache.h"
#include "hub/SessionRegistry.h"
#include "hub/UserLimits.h"

#include <QObject>

#include <functional>

namespace Natter::Server {

class AuthService;
class ChatFrameHandler;
class ChatStore;
class MembershipWatcher;
class PresenceService;
class SessionStarter;
class SharedPresence;

class ChatHub : public QObject, private ClientConnection::Owner
{
    Q_OBJECT
public:
    struct Settings
    {
        ClientConnection::Limits limits;
        qint64 presenceGraceMs = 5000;
        qint64 typingExpiryMs = 6000;
        qint64 editWindowMs = -1; // §7; -1: none
        bool onlyAdminsCreateChannels = false; // §8 `channel_creation = admins`
        int resumeChangeLimit = 1000; // §6: more changed messages per channel → resync
        UserLimits::Settings userLimits; // per-user connection cap and rates (issue 12)
        // Several nodes (§12): builds the Fanout every part uses instead of the
        // LocalFanout, which it delivers this node's frames through (the composition
        // root's ClusterFanout, parented to the hub). Empty: one process.
        std::function<Fanout *(LocalFanout *local, const SessionRegistry *sessions,
                               ChatStore *store, QObject *parent)>
            makeFanout;
        // Several nodes (§12): presence aggregated and typing relayed over every
        // node (ClusterPresence, owned by the composition root). Null: one process.
        SharedPresence *sharedPresence = nullptr;
    };

    ChatHub(ChatStore *store, AuthService *auth, const Settings &settings,
            QObject *parent = nullptr);
    ~ChatHub() override;

    void addSocket(QTcpSocket *tcp);
    // Closes every socket with `code` (1001 at shutdown); returns how many were open.
    int closeAll(int code, const QString &reason);
    int connectionCount() const { return m_sessions.count(); }

Q_SIGNALS:
    void connectionCountChanged(int count);
    // §9: a deleted message's files left the store; their bytes are to go.
    void filesReleased(const QStringList &fileIds);
    // `socket` (given to addSocket) authenticated: it no longer counts against
    // its peer's cap of unauthenticated sockets (PeerLimiter).
    void socketAuthenticated(QTcpSocket *socket);

private:
    // ClientConnection::Owner
    void frameReceived(ClientConnection *connection, const QByteArray &data, bool binary) override;
    void connectionClosed(ClientConnection *connection) override;
    // A frame that waited in the connection's FrameHold (already admitted).
    void dispatchHeld(ClientConnection *connection, const QByteArray &data, bool binary);
    void closeFamily(const QString &familyId, int code);

    Settings m_settings;
    // Every connection's deadlines; the connections (children) are deleted
    // before it (~ChatHub).
    ConnectionTimers m_timers;
    SessionRegistry m_sessions;
    UserLimits m_userLimits;
    // Sockets of connections that have not authenticated yet, for socketAuthenticated().
    QHash<ClientConnection *, QTcpSocket *> m_unauthenticated;
    MembershipCache m_members;
    LocalFanout m_fanout;
    Fanout *m_out; // m_fanout, or the cluster's (Settings::makeFanout)
    PresenceService *m_presence;
    MembershipWatcher *m_watcher;
    SessionStarter *m_starter;
    ChatFrameHandler *m_frames;
};

} // namespace Natter::Server
