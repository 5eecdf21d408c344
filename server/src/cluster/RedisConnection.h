// One connection to Redis on the Qt event loop (hiredis' async API), kept open:
// it connects, reconnects with exponential backoff (with jitter) after Redis went
// away, and never waits for a reply longer than Settings::replyTimeoutMs (3 s):
// the TCP connect, the handshake (AUTH, or a PING without a password), every
// command, every SUBSCRIBE and the idle heartbeat (PING, or a repeated SUBSCRIBE
// on a subscribed connection) are each owed a reply within it. A Redis that
// accepts the connection and then never answers (hung, SIGSTOPped, a proxy in
// front of a dead one) is therefore dropped like a lost connection: pending
// callbacks get connectionLost, and it reconnects with the usual backoff.
//
// Two uses, one class: commands (command(), answered through a callback in the
// order they were sent) and pub/sub (subscribe(); Redis allows nothing but
// (UN)SUBSCRIBE and PING on a subscribed connection, so a user that needs both
// opens two). Subscriptions are remembered and made again after every reconnect;
// `subscribed` tells when Redis confirmed them, the moment to look for what was
// missed meanwhile (pub/sub delivers at most once).
//
// hiredis is driven by QSocketNotifiers of our own (RedisConnection.cpp), not by
// the shipped adapters/qt.h: that adapter's destructor writes into the hiredis
// context, which hiredis frees by itself after a disconnect, so it could never be
// deleted safely across reconnects. Logs name the host and port, never data.
//
// Every (re)connect starts with a handshake: AUTH with a password (Redis
// `requirepass` or an ACL user), PING without. The connection counts as
// connected (isConnected(), health) only once Redis answered it: nothing else
// (SUBSCRIBE, commands) goes out before. A refused handshake is logged (Redis'
// error, never the password) and retried like a Redis that is down.
// Owned by whoever needs Redis (ClusterFanout); main thread only.
#pragma once

#include "cluster/RedisReply.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

struct redisAsyncContext;

namespace Natter::Server {

class RedisConnection : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString host = QStringLiteral("127.0.0.1");
        quint16 port = 6379;
        QString name; // for the log: which of a node's connections this is
        QByteArray user; // AUTH user password (Redis 6+ ACL); empty: AUTH password
        QByteArray password; // empty: no AUTH
        int pingIntervalMs = 1000; // heartbeat when idle; also how often deadlines are checked
        int replyTimeoutMs = 3000; // a reply owed this long: the connection is dropped
        int minBackoffMs = 100;
        int maxBackoffMs = 2000;
    };
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisConnection(const Settings &settings, QObject *parent = nullptr);
    ~RedisConnection() override;

    // Starts connecting (and reconnecting whenever the connection is lost).
    void open();
    bool isConnected() const { return m_connected; }

    // Sends one command; `done` gets the reply, or RedisReply::connectionLost()
    // (at once when not connected: callers fail fast rather than queue).
    void command(const QList<QByteArray> &args, Callback done = {});
    // Subscribes to `channel` now (if connected) and after every reconnect.
    void subscribe(const QByteArray &channel);

Q_SIGNALS:
    void connected();
    void disconnected();
    // Redis confirmed the subscription to every channel asked for so far.
    void subscribed();
    void message(const QByteArray &channel, const QByteArray &payload);

private:
    struct Loop;
    void connectNow();
    void onConnected(int status);
    void onReady();
    void onHandshakeReply(const RedisReply &reply);
    void onDisconnected(int status);
    void onPubSub(const RedisReply &reply);
    void sendSubscribe(const QByteArray &channel);
    void scheduleReconnect();
    void ping();
    void dropContext(const char *why);
    // Deadlines: one entry per reply owed, in the order Redis answers.
    void expectReply();
    void gotReply();

    static void connectCallback(const redisAsyncContext *ac, int status);
    static void disconnectCallback(const redisAsyncContext *ac, int status);
    static void replyCallback(redisAsyncContext *ac, void *reply, void *privdata);
    static void pubSubCallback(redisAsyncContext *ac, void *reply, void *privdata);
    static void handshakeCallback(redisAsyncContext *ac, void *reply, void *privdata);

    Settings m_settings;
    redisAsyncContext *m_context = nullptr;
    std::unique_ptr<Loop> m_loop;
    bool m_connected = false;
    bool m_wasConnected = false;
    bool m_tcpConnected = false; // hiredis' connect completed (its disconnect callback will run)
    bool m_authRefused = false; // the last handshake failed (log it once, not every retry)
    int m_attempt = 0;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_confirmed;
    QTimer m_reconnect;
    QTimer m_ping;
    QElapsedTimer m_clock;
    qint64 m_connectStartedAt = 0;
    std::deque<qint64> m_owed; // when each reply still owed was asked for (m_clock)
};

} // namespace Natter::Server
