// This node's membership of a cluster (§12) and what the nodes share besides
// messages: presence, typing, login throttling and the singleton jobs' lease.
//
// Liveness and fencing. The node registers an incarnation (a random id, new at
// every start and after every fencing) under `natter:p:alive:<inc>` with a TTL
// (`cluster_node_ttl`, 10 s by default) and refreshes it every TTL/3. Every
// presence entry carries the incarnation that wrote it, and the Lua scripts
// ignore writes of an incarnation whose key is gone, so a node that was frozen
// (SIGSTOP, a long GC-like stall, a partition from Redis) cannot bring back the
// connections the others already counted as gone. The node notices it was
// frozen either by itself (its refresh timer fired more than a TTL late) or by
// Redis (its key expired while Redis kept its data): it then takes a new
// incarnation and emits fenced(), and the composition root closes its sockets
// (1001: clients reconnect and resume, on this node or another). When Redis
// lost its data (restarted without persistence: the epoch key is gone), the
// node registers again and re-adds its connections instead; nothing is fenced.
//
// Owns its own two Redis connections (commands and pub/sub), then the parts;
// created by the composition root when --redis is given. Main thread only.
#pragma once

#include "cluster/ClusterLease.h"
#include "cluster/ClusterPresence.h"
#include "cluster/ClusterThrottle.h"
#include "cluster/ClusterTyping.h"
#include "cluster/RedisConnection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Natter::Server {

class ClusterNode : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString redisHost = QStringLiteral("127.0.0.1");
        quint16 redisPort = 6379;
        QByteArray redisUser; // AUTH (redis_user); empty: the default user
        QByteArray redisPassword; // empty: no AUTH; never logged
        QString nodeId;
        int nodeTtlMs = 10000;
        qint64 presenceGraceMs = 5000;
        qint64 typingExpiryMs = 6000;
        int loginMaxPerUser = 10;
        int loginMaxPerPeer = 50;
        qint64 loginWindowSecs = 15 * 60;
    };

    explicit ClusterNode(const Settings &settings, QObject *parent = nullptr);
    ~ClusterNode() override;

    void start();
    // A clean stop (SIGTERM): this node's presence entries and liveness key go
    // at once, and the jobs lease is given up, so that its users go offline on
    // the other nodes after the grace instead of after the crash bound, and
    // another node takes the lease at its next renewal. Nothing is written
    // after it. `done` runs once Redis answered, or failed (bounded by the
    // connection's reply timeout); at once when Redis is not reachable (the
    // others then reap this node as if it had crashed).
    void leave(std::function<void()> done);

    QString nodeId() const { return m_settings.nodeId; }
    // This process (constant; the echo filter of pub/sub).
    QString instance() const { return m_instance; }
    // The current incarnation (changes when the node is fenced).
    QString incarnation() const { return m_incarnation; }
    // Registered in Redis under the current incarnation.
    bool isRegistered() const { return m_registered; }
    int nodeTtlMs() const { return m_settings.nodeTtlMs; }
    // How often the presence sweeper runs (TTL/4, between 250 ms and 1 s).
    int sweepIntervalMs() const;

    // Both of this node's own Redis connections are up (health, with the fan-out's).
    bool redisConnected() const { return m_commands.isConnected() && m_subscriber.isConnected(); }
    RedisConnection *commands() { return &m_commands; }
    RedisConnection *subscriber() { return &m_subscriber; }
    // EVAL of a Lua script with no declared keys (one Redis, not Redis Cluster).
    void eval(const QByteArray &script, const QList<QByteArray> &args,
              RedisConnection::Callback done);
    // Fences at once when the event loop has not run for longer than the TTL
    // (called before every presence write, so a resumed node's backlog cannot
    // act under its old incarnation). True when the node is (now) fenced.
    bool checkStalled();

    ClusterPresence *presence() { return &m_presence; }
    ClusterThrottle *throttle() { return &m_throttle; }
    // The lease of the cluster's singleton jobs (presence sweeper, file sweep).
    ClusterLease *jobsLease() { return &m_jobsLease; }

Q_SIGNALS:
    // The incarnation is registered (at start, after Redis lost its data, after
    // fencing): the parts (re-)add what this node holds.
    void registered();
    // The old incarnation lapsed: every socket of this node must be closed.
    // Emitted before the new incarnation registers.
    void fenced();

private:
    void tick();
    void registerIncarnation();
    void fence(const char *why);

    Settings m_settings;
    QString m_instance;
    QString m_incarnation;
    QByteArray m_epoch; // Redis' data epoch this node registered under
    bool m_registered = false;
    bool m_registering = false;
    bool m_refreshing = false;
    bool m_leaving = false;
    RedisConnection m_commands;
    RedisConnection m_subscriber;
    QTimer m_heartbeat;
    QElapsedTimer m_sinceTick;
    // The parts, after the connections they use (destroyed before them).
    ClusterLease m_jobsLease;
    ClusterTyping m_typing;
    ClusterPresence m_presence;
    ClusterThrottle m_throttle;
};

} // namespace Natter::Server
