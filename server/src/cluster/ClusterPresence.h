// Presence over every node of a cluster (§3, §5, §12), kept in Redis.
//
// State (one Redis; the scripts name their keys themselves, so this is not for
// Redis Cluster):
//   natter:p:u:<user>     HASH connection -> "<incarnation>|<o|a>"
//   natter:p:inc:<inc>    SET of "<user>\n<connection>" one incarnation holds
//   natter:p:incs         SET of the incarnations with a liveness key
//   natter:p:alive:<inc>  the incarnation's liveness key, PX TTL (ClusterNode)
//   natter:p:status       HASH user -> o|a: the aggregate last published
//   natter:p:seen         HASH user -> last_seen (ms, Redis' clock)
//   natter:p:grace        ZSET user -> when the offline grace ends
// Lua scripts make each step atomic and publish on `natter:presence` exactly
// when a user's aggregate changes, once, whichever node caused it: `update`
// (a connection opened or changed status; cancels a grace), `remove` (the last
// connection closing starts the 5 s grace), and `sweep`, run only by the holder
// of the jobs lease (checked inside the script), every TTL/4 (≤ 1 s): it reaps
// the connections of incarnations whose liveness key is gone (a node that
// crashed or froze) and ends the graces that are due. Scripts from a stale
// incarnation change nothing (fencing).
//
// A new connection counts in Redis before its client hears `connected`
// (SessionStarter waits for connectionOpened's `counted`): a status change of
// the user's other devices made after it is aggregated with it, never without
// (away, online, away: a flap). When Redis cannot take it (unreachable, not
// registered, no answer within the connection's reply timeout) the client is
// not kept waiting: `event=cluster_presence_unconfirmed`, and the connection is
// written again with the others once the node is back in Redis.
//
// Every node keeps a mirror of the aggregates (for `connected` and channel
// frames), updated by the published events, and tells its own sockets of each
// change. A periodic reconcile (every 10 s, and one TTL after Redis came back)
// compares the mirror with Redis, for events pub/sub lost.
//
// Bound (docs/server.md): a user whose connections were all on a node that
// died is offline for everyone within TTL (its key expires) + TTL/3 (another
// node takes the lease, if the dead node held it) + grace + 2 sweeps; 10 s,
// 5 s and 1 s by default: under 21 s (§12: 30 s).
// Owned by ClusterNode; main thread only.
#pragma once

#include "hub/SharedPresence.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Natter::Server {

class ClusterLease;
class ClusterNode;
class ClusterTyping;
struct RedisReply;

class ClusterPresence : public QObject, public SharedPresence
{
    Q_OBJECT
public:
    ClusterPresence(ClusterNode *node, ClusterTyping *typing, ClusterLease *sweeper, qint64 graceMs,
                    QObject *parent = nullptr);

    void start();

    void setHandlers(Transition transition, DeliverLocal deliverLocal) override;
    void connectionOpened(const QString &user, const QString &connection,
                          std::function<void()> counted) override;
    void statusChanged(const QString &user, const QString &connection,
                       PresenceTracker::Status status) override;
    void connectionClosed(const QString &user, const QString &connection) override;
    PresenceTracker::Status status(const QString &user) const override;
    QDateTime lastSeen(const QString &user) const override;
    void relayTyping(const QString &channel, const QString &user, const QStringList &recipients,
                     qint64 expiresInMs, const QByteArray &frame) override;

    // A clean stop (ClusterNode::leave): removes every presence entry of the
    // current incarnation in one script, as the sweeper would after the node's
    // key expired (users with no connection left start their grace), and
    // deletes the liveness key. `done` runs after Redis answered (or failed).
    void leave(std::function<void()> done);

public Q_SLOTS:
    // The node was fenced: its connections no longer count; their sockets are
    // closing, and nothing they do is written any more.
    void dropConnections();
    // The incarnation is (again) registered: write every connection this node holds.
    void addConnections();

private:
    struct Connection
    {
        QString user;
        PresenceTracker::Status status = PresenceTracker::Status::Online;
    };
    struct Known
    {
        PresenceTracker::Status status = PresenceTracker::Status::Offline;
        qint64 seenMs = 0;
    };

    // `counted` (may be empty) runs once Redis answered the write, or at once
    // when it is not sent (the node is not registered).
    void write(const QString &connection, const Connection &c, std::function<void()> counted = {});
    void remove(const QString &connection, const QString &user);
    void sweep();
    void reconcile();
    void onReconciled(const RedisReply &reply);
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    // Sets the mirror; tells this node's sockets when the status changed.
    void apply(const QString &user, PresenceTracker::Status status, qint64 seenMs, bool own,
               bool tell);

    ClusterNode *m_node;
    ClusterTyping *m_typing;
    ClusterLease *m_sweeper;
    qint64 m_graceMs;
    Transition m_transition;
    QHash<QString, Connection> m_connections; // this node's, by connection id
    QSet<QString> m_dropped; // closed by fencing, not yet gone
    QHash<QString, QString> m_unsentRemovals; // connection -> user (Redis was away)
    QHash<QString, Known> m_known; // the mirror
    QByteArray m_epoch;
    qint64 m_version = 0; // of the last event or snapshot applied
    bool m_loaded = false;
    QTimer m_sweep;
    QTimer m_reconcile;
    QTimer m_reconcileSoon;
};

} // namespace Natter::Server
