// The WebSocket side of natterd: sessions, authentication, fan-out.
//
// Owned by NatterServer. Takes every upgraded socket from HttpServer, runs the
// first-frame authentication and the `connected` snapshot (+ resume replay),
// then hands frames to ChatFrameHandler. Holds who is connected (per user, for
// fan-out), presence (PresenceTracker, with the offline grace) and typing
// (TypingTracker, with the server's own expiry), and closes a token family's
// sockets when AuthService revokes it.
#pragma once

#include "hub/ClientConnection.h"
#include "hub/ClientFrame.h"
#include "hub/LocalFanout.h"
#include "hub/MembershipCache.h"
#include "hub/PresenceTracker.h"
#include "hub/SessionRegistry.h"
#include "hub/TypingTracker.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace Natter::Server {

class AuthService;
class ChatFrameHandler;
class ChatStore;
struct StoredChannel;
struct StoredMessage;

class ChatHub : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        ClientConnection::Limits limits;
        qint64 presenceGraceMs = 5000;
        qint64 typingExpiryMs = 6000;
        qint64 editWindowMs = -1; // §7; -1: none
        int resumeChangeLimit = 1000; // §6: more changed messages per channel → resync
    };

    ChatHub(ChatStore *store, AuthService *auth, const Settings &settings,
            QObject *parent = nullptr);
    ~ChatHub() override;

    void addSocket(QWebSocket *socket, QTcpSocket *tcp);
    // Closes every socket with `code` (1001 at shutdown); returns how many were open.
    int closeAll(int code, const QString &reason);
    int connectionCount() const { return m_sessions.count(); }

    // --- used by ChatFrameHandler ---
    // Channel membership, from the in-memory copy (see MembershipCache).
    QStringList membersOf(const QString &channel) const { return m_members.members(channel); }
    bool isMember(const QString &channel, const QString &user) const
    {
        return m_members.contains(channel, user);
    }
    // A channel this process created (a direct channel), for the membership copy.
    void channelCreated(const StoredChannel &channel);
    // User records with their current presence, as in `connected`.
    QJsonArray usersWithPresence(const QStringList &ids);
    void typingStarted(ClientConnection *connection, const QString &channel);
    void typingStopped(const QString &channel, const QString &user);
    void presenceChanged(ClientConnection *connection, PresenceTracker::Status status);
    qint64 typingExpiryMs() const { return m_settings.typingExpiryMs; }

Q_SIGNALS:
    void connectionCountChanged(int count);

private:
    void onFrame(ClientConnection *connection, const QByteArray &data, bool binary);
    void authenticate(ClientConnection *connection, const QByteArray &data, bool binary);
    void completeAuthentication(ClientConnection *connection, const AuthenticateFrame &request);
    void onClosed(ClientConnection *connection);
    void closeFamily(const QString &familyId, int code);
    void sendToUsers(const QStringList &users, const QByteArray &frame);
    void broadcastPresence(const QString &user, PresenceTracker::Status status);
    void sendTypingStop(const QString &channel, const QString &user);
    void expireTimers();
    void scheduleTimers();
    QDateTime lastSeen(const QString &user);
    void checkExternalChanges();
    void announceMembership(const MembershipCache::Change &change);

    ChatStore *m_store;
    AuthService *m_auth;
    Settings m_settings;
    SessionRegistry m_sessions;
    MembershipCache m_members;
    LocalFanout m_fanout;
    ChatFrameHandler *m_frames;
    PresenceTracker m_presence;
    TypingTracker m_typing;
    QHash<QString, QDateTime> m_lastSeen;
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
    QTimer m_adminWatch; // notices the admin CLI (user disable, channel join...) while we serve
    qint64 m_changeStamp = 0;
};

} // namespace Natter::Server
