// RedisConnection (natterd's hiredis adapter on the Qt event loop) against a
// real redis-server: commands and their replies, pub/sub, failing fast while
// Redis is away, and coming back by itself (resubscribed) after Redis restarts;
// and a peer that accepts the connection but never answers (a silent
// QTcpServer, a TcpProxy frozen in front of Redis) dropped within the reply
// timeout.
#include "RedisProcess.h"
#include "TcpProxy.h"
#include "cluster/RedisConnection.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using Natter::Server::RedisConnection;
using Natter::Server::RedisReply;

namespace {

RedisConnection::Settings settingsFor(const RedisProcess &redis, const QString &name)
{
    RedisConnection::Settings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = redis.port();
    s.name = name;
    s.minBackoffMs = 20;
    s.maxBackoffMs = 200;
    return s;
}

// Sends `args` and waits for the reply.
RedisReply run(RedisConnection &c, const QList<QByteArray> &args)
{
    RedisReply out;
    bool done = false;
    c.command(args, [&](const RedisReply &r) {
        out = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        return RedisReply::connectionLost();
    return out;
}

} // namespace

class tst_RedisConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString())); }

    void commandsGetTheirReplies()
    {
        RedisConnection c(settingsFor(m_redis, QStringLiteral("cmd")));
        QSignalSpy connected(&c, &RedisConnection::connected);
        c.open();
        QVERIFY(connected.wait(5000));
        QCOMPARE(run(c, {"SET", "natter:k", QByteArray("a\0b", 3)}).str, QByteArray("OK"));
        const RedisReply got = run(c, {"GET", "natter:k"});
        QCOMPARE(got.type, RedisReply::Type::String);
        QCOMPARE(got.str, QByteArray("a\0b", 3)); // binary-safe
        QCOMPARE(run(c, {"INCR", "natter:n"}).integer, 1);
        QCOMPARE(run(c, {"GET", "natter:missing"}).type, RedisReply::Type::Nil);
        const RedisReply err = run(c, {"NOSUCHCOMMAND"});
        QVERIFY(err.isError());
        QVERIFY(!err.lost); // Redis answered: not a lost connection
        QCOMPARE(run(c, {"RPUSH", "natter:l", "x", "y"}).integer, 2);
        const RedisReply list = run(c, {"LRANGE", "natter:l", "0", "-1"});
        QCOMPARE(list.type, RedisReply::Type::Array);
        QCOMPARE(list.elements.size(), 2);
        QCOMPARE(list.elements.at(1).str, QByteArray("y"));
    }

    void publishedMessagesReachTheSubscriber()
    {
        RedisConnection sub(settingsFor(m_redis, QStringLiteral("sub")));
        RedisConnection pub(settingsFor(m_redis, QStringLiteral("pub")));
        QSignalSpy subscribed(&sub, &RedisConnection::subscribed);
        QSignalSpy messages(&sub, &RedisConnection::message);
        sub.subscribe("natter:test:a");
        sub.subscribe("natter:test:b");
        sub.open();
        pub.open();
        QVERIFY(subscribed.wait(5000));
        QTRY_VERIFY(pub.isConnected());
        for (int i = 0; i < 50; ++i)
            pub.command(
                {"PUBLISH", i % 2 ? "natter:test:a" : "natter:test:b", QByteArray::number(i)});
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 50, 5000);
        // One publishing connection: Redis keeps its order.
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(messages.at(i).at(1).toByteArray(), QByteArray::number(i));
            QCOMPARE(messages.at(i).at(0).toByteArray(),
                     QByteArray(i % 2 ? "natter:test:a" : "natter:test:b"));
        }
    }

    void commandsFailFastWhileRedisIsAwayAndItReconnects()
    {
        RedisConnection sub(settingsFor(m_redis, QStringLiteral("sub")));
        RedisConnection cmd(settingsFor(m_redis, QStringLiteral("cmd")));
        QSignalSpy subscribed(&sub, &RedisConnection::subscribed);
        QSignalSpy messages(&sub, &RedisConnection::message);
        QSignalSpy cmdDown(&cmd, &RedisConnection::disconnected);
        QSignalSpy subDown(&sub, &RedisConnection::disconnected);
        sub.subscribe("natter:restart");
        sub.open();
        cmd.open();
        QVERIFY(subscribed.wait(5000));
        QTRY_VERIFY(cmd.isConnected());
        QCOMPARE(run(cmd, {"SET", "natter:before", "1"}).str, QByteArray("OK"));

        QVERIFY(m_redis.stop());
        QTRY_COMPARE_WITH_TIMEOUT(cmdDown.size(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(subDown.size(), 1, 5000);
        // No Redis: a command is answered at once, as lost (the caller's fallback).
        bool answered = false;
        cmd.command({"GET", "natter:before"}, [&](const RedisReply &r) {
            answered = true;
            QVERIFY(r.lost);
        });
        QVERIFY(answered);

        QVERIFY2(m_redis.restart(), qPrintable(m_redis.errorString()));
        // Both come back by themselves; the subscription is made again.
        QVERIFY(subscribed.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(cmd.isConnected(), 10000);
        // No persistence: what was there before is gone.
        QCOMPARE(run(cmd, {"GET", "natter:before"}).type, RedisReply::Type::Nil);
        cmd.command({"PUBLISH", "natter:restart", "after"});
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 5000);
        QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("after"));
    }

    void aKilledSubscriberConnectionResubscribes()
    {
        RedisConnection sub(settingsFor(m_redis, QStringLiteral("sub")));
        RedisConnection cmd(settingsFor(m_redis, QStringLiteral("cmd")));
        QSignalSpy subscribed(&sub, &RedisConnection::subscribed);
        QSignalSpy messages(&sub, &RedisConnection::message);
        sub.subscribe("natter:kill");
        sub.open();
        cmd.open();
        QVERIFY(subscribed.wait(5000));
        QTRY_VERIFY(cmd.isConnected());
        // Redis drops only the subscribers (as under its pubsub output-buffer limit).
        QVERIFY(run(cmd, {"CLIENT", "KILL", "TYPE", "pubsub"}).integer >= 1);
        QVERIFY(subscribed.wait(10000));
        cmd.command({"PUBLISH", "natter:kill", "x"});
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 5000);
    }

    void aSilentPeerIsDroppedWithinTheReplyTimeout()
    {
        // Accepts, reads, never answers: not even the handshake's PING.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        RedisConnection::Settings s;
        s.port = silent.serverPort();
        s.name = QStringLiteral("silent");
        s.replyTimeoutMs = 300;
        s.pingIntervalMs = 100;
        s.minBackoffMs = 20;
        s.maxBackoffMs = 200;
        RedisConnection c(s);
        QSignalSpy connected(&c, &RedisConnection::connected);
        QSignalSpy accepted(&silent, &QTcpServer::newConnection);
        c.open();
        QVERIFY(accepted.wait(5000));
        QTcpSocket *first = silent.nextPendingConnection();
        QVERIFY(first);
        QSignalSpy closed(first, &QTcpSocket::disconnected);
        QTRY_VERIFY(first->bytesAvailable() > 0); // the handshake went out
        QVERIFY(closed.wait(5000)); // given up on after the timeout ...
        QTRY_VERIFY_WITH_TIMEOUT(accepted.count() >= 2, 5000); // ... and tried again
        QVERIFY(!c.isConnected());
        QCOMPARE(connected.count(), 0);
        bool failed = false;
        c.command({"PING"}, [&](const RedisReply &r) { failed = r.lost; });
        QVERIFY(failed); // fails at once, never queued
    }

    void aSubscriberThatGoesSilentIsDroppedAndComesBack()
    {
        TcpProxy proxy(m_redis.port());
        QVERIFY(proxy.listen());
        RedisConnection::Settings s = settingsFor(m_redis, QStringLiteral("sub"));
        s.port = proxy.port();
        s.replyTimeoutMs = 300;
        s.pingIntervalMs = 100;
        RedisConnection sub(s);
        RedisConnection cmd(settingsFor(m_redis, QStringLiteral("cmd")));
        QSignalSpy subscribed(&sub, &RedisConnection::subscribed);
        QSignalSpy disconnected(&sub, &RedisConnection::disconnected);
        QSignalSpy messages(&sub, &RedisConnection::message);
        sub.subscribe("natter:silent");
        sub.open();
        cmd.open();
        QVERIFY(subscribed.wait(5000));
        QTRY_VERIFY(cmd.isConnected());
        // A subscribed connection only receives; its heartbeat (a repeated
        // SUBSCRIBE) is what notices the silence.
        proxy.setFrozen(true);
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(subscribed.count(), 1); // heartbeats are not new subscriptions
        proxy.setFrozen(false);
        QVERIFY(subscribed.wait(5000));
        cmd.command({"PUBLISH", "natter:silent", "back"});
        QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 5000);
    }

    void cleanupTestCase() { m_redis.stop(); }

private:
    RedisProcess m_redis;
};

QTEST_GUILESS_MAIN(tst_RedisConnection)
#include "tst_redisconnection.moc"
