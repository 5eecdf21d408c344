// Presence and typing for the whole hub (contract §3, §5): who is online, away
// or offline (with the offline grace), who is typing where (with the server's own
// expiry), `last_seen`, and the timers that end both.
//
// Owned by ChatHub. Aggregation lives in the plain policy classes PresenceTracker
// and TypingTracker; this class adds the clock, the timer, the store (last_seen,
// contacts) and the Fanout that tells the others. On a node of a cluster (§12)
// a SharedPresence aggregates over every node instead: this node reports its
// connections to it and tells its own sockets of the transitions it hears.
#pragma once

#include "hub/PresenceTracker.h"
#include "hub/TypingTracker.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace Natter::Server {

class ChatStore;
class ClientConnection;
class Fanout;
class MembershipCache;
class SharedPresence;
struct StoredUser;

class PresenceService : public QObject
{
    Q_OBJECT
public:
    PresenceService(ChatStore *store, Fanout *fanout, const MembershipCache *members,
                    qint64 presenceGraceMs, qint64 typingExpiryMs, QObject *parent = nullptr);

    // A connection authenticated. `then` gets the user's new aggregate status
    // when it changed; the caller announces it with announce() once the client
    // is set up. One node: `then` runs before this returns. Several nodes
    // (§12): once the cluster counts the connection (SharedPresence), with
    // nullopt (the cluster announces), so that the client's `connected`, sent
    // in `then`, comes after it.
    using Opened = std::function<void(std::optional<PresenceTracker::Status>)>;
    void connectionOpened(const QString &user, const QString &connection, Opened then);
    // An authenticated connection closed: ends its typing, starts the grace period.
    void connectionClosed(const QString &user, const QString &connection);
    void announce(const QString &user, PresenceTracker::Status status);
    // Several nodes: presence is aggregated by `shared` (not owned), typing
    // relayed through it. Before the first connection.
    void setShared(SharedPresence *shared);

    void presenceChanged(ClientConnection *connection, PresenceTracker::Status status);
    void typingStarted(ClientConnection *connection, const QString &channel);
    void typingStopped(const QString &channel, const QString &user);

    // User records with their current presence, as in `connected`. The
    // records' own last_seen stands in for a user this node has not seen, so
    // these read nothing from the store (the caller's job read the records).
    QJsonObject userWithPresence(const StoredUser &user);
    QJsonArray usersWithPresence(const QList<StoredUser> &users);

private:
    void sendTypingStop(const QString &channel, const QString &user);
    void expireTimers();
    void scheduleTimers();
    // The user's last_seen as this node knows it; `stored` (the user record's)
    // when it knows none. Never reads the store.
    QDateTime lastSeen(const QString &user, const QDateTime &stored = QDateTime());
    // Tells the user's contacts of `status` (and stores `lastSeenToStore` as
    // the user's last_seen when valid): one store job, the frames in its
    // continuation.
    void tellContacts(const QString &user, PresenceTracker::Status status,
                      const QDateTime &lastSeenToStore, bool nodeLocal);
    PresenceTracker::Status currentStatus(const QString &user) const;
    void sendTyping(const QString &channel, const QString &user, const QStringList &recipients,
                    qint64 expiresInMs, const QByteArray &frame);
    void sharedTransition(const QString &user, PresenceTracker::Status status,
                          const QDateTime &lastSeen, bool own);

    ChatStore *m_store;
    Fanout *m_fanout;
    const MembershipCache *m_members;
    SharedPresence *m_shared = nullptr;
    qint64 m_typingExpiryMs;
    PresenceTracker m_presence;
    TypingTracker m_typing;
    QHash<QString, QDateTime> m_lastSeen;
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
};

} // namespace Natter::Server
