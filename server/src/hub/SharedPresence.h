// Presence and typing shared between the nodes of a cluster (§12), as
// PresenceService sees it: one implementation (ClusterPresence, over Redis),
// set on the PresenceService of a node started with --redis; a single node
// has none and aggregates in process.
//
// The node reports its own connections; the shared side aggregates over every
// node (online while any connection anywhere is, the 5 s grace, a dead node's
// connections removed) and calls `transition` once per change of a user's
// aggregate, on every node, so each node tells its own interested sockets.
// Typing starts and stops go to every node through relayTyping(); each node
// delivers them to its own sockets through `deliverLocal` and ends, by itself,
// a typing state whose node stopped saying anything (§3: 6 s).
// Owned by the composition root; outlives the hub.
#pragma once

#include "hub/PresenceTracker.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>

namespace Natter::Server {

class SharedPresence
{
public:
    // A user's aggregate over all nodes changed (`lastSeen` may be invalid);
    // `own`: this node made the change (it writes last_seen to the store).
    using Transition = std::function<void(const QString &user, PresenceTracker::Status status,
                                          const QDateTime &lastSeen, bool own)>;
    // Deliver an encoded frame to this node's connections of `users`.
    using DeliverLocal = std::function<void(const QStringList &users, const QByteArray &frame)>;

    virtual ~SharedPresence() = default;

    virtual void setHandlers(Transition transition, DeliverLocal deliverLocal) = 0;
    // A connection of this node authenticated (online). `counted` runs once the
    // shared side holds it, so that a status change of the user's other devices
    // made after the client's `connected` is aggregated with it (no flap); or,
    // bounded, once it is known that it could not be written now (the shared
    // side adds it later by itself). It may run before this returns.
    virtual void connectionOpened(const QString &user, const QString &connection,
                                  std::function<void()> counted) = 0;
    // A connection of this node changed status, closed.
    virtual void statusChanged(const QString &user, const QString &connection,
                               PresenceTracker::Status status) = 0;
    virtual void connectionClosed(const QString &user, const QString &connection) = 0;
    // The aggregate over all nodes as this node last heard it (Offline when unknown).
    virtual PresenceTracker::Status status(const QString &user) const = 0;
    virtual QDateTime lastSeen(const QString &user) const = 0;
    // A typing `start` (expiresInMs > 0) or `stop` (0) of `user` in `channel`
    // for `recipients`, already delivered on this node: tell the other nodes.
    virtual void relayTyping(const QString &channel, const QString &user,
                             const QStringList &recipients, qint64 expiresInMs,
                             const QByteArray &frame) = 0;
};

} // namespace Natter::Server
