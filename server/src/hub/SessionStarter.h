// Starts a session on a new connection (contract §2, §6): checks the first frame
// (`authenticate`, the access token), registers the connection with its live
// frames held back, reads the user, the snapshot and the resume replay in one
// store job (issue 16: off the event loop on PostgreSQL; the connection's next
// frames wait in its FrameHold until it has answered), then sends the
// `connected` snapshot, the replay (`seq` replay, `resume_ev` updates or
// `resync`) and `resumed`, and announces the user's presence. On a cluster
// node `connected` waits until Redis counts the connection (§12: no flap). A
// user who already holds the most connections UserLimits allows is refused
// (`too_many_connections`, 1008).
//
// Owned by ChatHub. The replay runs inside the connection's replay window, so the
// order rules hold even when it does not complete in one go (DeliveryGate).
#pragma once

#include "auth/AuthService.h"
#include "hub/ClientFrame.h"
#include "hub/PresenceTracker.h"
#include "store/ChatStore.h"

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

    // Everything a session's start reads from the store, read in one store job
    // (issue 16: off the event loop on PostgreSQL).
    struct Snapshot
    {
        struct Replay
        {
            QString channel;
            bool resync = false; // more changes than the limit: `resync` instead
            QList<StoredMessage> missed; // seq replay
            QList<StoredMessage> changes; // §6 resume_ev updates
        };
        StoreResult<StoredUser> self{StoreError::NotFound};
        const char *failed = nullptr; // the read that failed, if one did
        QList<StoredChannel> channels;
        QList<StoredUser> contacts;
        QList<Replay> replays;
    };

private:
    static Snapshot read(ChatStore &store, AuthService::Access access,
                         const AuthenticateFrame &request, int changeLimit);
    void completeAuthentication(ClientConnection *connection, const Snapshot &snapshot);
    void finish(ClientConnection *connection, const Snapshot &snapshot);
    // `connected`, the replay, `resumed`; once the connection counts for presence.
    void sendSession(ClientConnection *connection, const Snapshot &snapshot,
                     std::optional<PresenceTracker::Status> presence);

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
