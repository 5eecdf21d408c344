// Starts a session on a new connection (contract §2, §6): checks the first frame
// (`authenticate`, the access token), then, once everything written so far is
// durable, registers the connection, sends the `connected` snapshot, the resume
// replay (`seq` replay, `resume_ev` updates or `resync`) and `resumed`, and
// announces the user's presence. A user who already holds the most connections
// UserLimits allows is refused (`too_many_connections`, 1008).
//
// Owned by ChatHub. The replay runs inside the connection's replay window, so the
// order rules hold even when it does not complete in one go (DeliveryGate).
#pragma once

#include "hub/ClientFrame.h"

#include <QObject>

namespace Natter::Server {

class AuthService;
class ChatStore;
class ClientConnection;
class MembershipCache;
class MembershipWatcher;
class PresenceService;
class SessionRegistry;
class UserLimits;

class SessionStarter : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        qint64 heartbeatIntervalMs = 20000; // announced in `connected`
        int resumeChangeLimit = 1000; // §6: more changed messages per channel → resync
    };

    SessionStarter(ChatStore *store, AuthService *auth, SessionRegistry *sessions,
                   PresenceService *presence, const MembershipCache *members,
                   MembershipWatcher *watcher, UserLimits *userLimits, const Settings &settings,
                   QObject *parent = nullptr);

    // The first frame of an unauthenticated connection; closes it on failure.
    void authenticate(ClientConnection *connection, const QByteArray &data, bool binary);

private:
    void completeAuthentication(ClientConnection *connection, const AuthenticateFrame &request);

    ChatStore *m_store;
    AuthService *m_auth;
    SessionRegistry *m_sessions;
    PresenceService *m_presence;
    const MembershipCache *m_members;
    MembershipWatcher *m_watcher;
    UserLimits *m_userLimits;
    Settings m_settings;
};

} // namespace Natter::Server
