// Operating a cluster (§12, issue 16): what happens around Redis and around a
// node's own stop, with real processes only.
//
// - A Redis that accepts the TCP connection and then never answers (here: a
//   TcpProxy in front of a real redis-server, frozen: it reads and drops every
//   byte). natterd waits at most its reply timeout (3 s, RedisConnection) for
//   any reply, then drops the connection and reconnects, as for a Redis that
//   went away: the node keeps serving its own users, health says
//   "redis": false, and once the proxy forwards again the node is back on
//   Redis ("redis": true), which it can only be after giving up on the silent
//   connections (their handshake was thrown away).
// - A clean stop (SIGTERM) of a node removes its presence entries and liveness
//   key at once, so a user who was only on it goes offline on the other nodes
//   after the grace (2 s here), well before the crash bound (TTL 10 s + TTL/3 +
//   grace + 2 sweeps ≈ 17 s); the test allows 8 s.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RedisProcess.h"
#include "TcpProxy.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

namespace {
// Well below the crash bound with the default TTL (10 s), well above the
// clean path (grace 2 s + one sweep, or the lease's takeover: ≤ 4.5 s).
constexpr int kCleanStopBoundMs = 8000;
// Reply timeout 3 s + the 1 s check + a reconnect's backoff (≤ 2 s), with slack.
constexpr int kRedisBoundMs = 12000;
} // namespace

class tst_ClusterOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void silentRedisIsDroppedAndTheNodeKeepsServing();
    void cleanStopTakesItsUsersOfflinePromptly();
    void cleanupTestCase();

private:
    static QJsonObject health(const NatterdProcess &node);
    // SIGTERM, and the event loop keeps running meanwhile (the TcpProxy and the
    // clients live in this process: the node's clean stop talks to them).
    static bool stopCleanly(NatterdProcess &node);
    static std::unique_ptr<WsTestClient> connectTo(const NatterdProcess &node, const QString &user,
                                                   QJsonObject *connected = nullptr);

    RedisProcess m_redis;
    QTemporaryDir m_dir;
};

void tst_ClusterOps::initTestCase()
{
    QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    QVERIFY(m_dir.isValid());
}

QJsonObject tst_ClusterOps::health(const NatterdProcess &node)
{
    HttpTestClient http(node.httpUrl());
    return http.request("GET", u"/api/v1/health"_qs).json;
}

bool tst_ClusterOps::stopCleanly(NatterdProcess &node)
{
    if (::kill(pid_t(node.pid()), SIGTERM) != 0)
        return false;
    return QTest::qWaitFor([&] { return !node.isRunning(); }, 15000)
        && node.log().contains("event=stopped");
}

std::unique_ptr<WsTestClient> tst_ClusterOps::connectTo(const NatterdProcess &node,
                                                        const QString &user, QJsonObject *connected)
{
    HttpTestClient http(node.httpUrl());
    const QString token = http.accessToken(user, user + u"-pw"_qs);
    auto client = std::make_unique<WsTestClient>();
    if (token.isEmpty() || !client->open(node.wsUrl(), node.origin()))
        return nullptr;
    const QJsonObject c = client->authenticate(token);
    if (c.isEmpty())
        return nullptr;
    if (connected)
        *connected = c;
    return client;
}

void tst_ClusterOps::silentRedisIsDroppedAndTheNodeKeepsServing()
{
    TcpProxy silent(m_redis.port());
    QVERIFY(silent.listen());
    silent.setFrozen(true);
    NatterdProcess node;
    QVERIFY(node.addUser(u"ann"_qs, u"ann-pw"_qs));
    QVERIFY(node.addChannel(u"general"_qs, {u"ann"_qs}));
    QVERIFY2(node.start({u"--redis"_qs, QStringLiteral("127.0.0.1:%1").arg(silent.port()),
                         u"--node-id"_qs, u"silent"_qs}),
             qPrintable(node.errorString()));

    // It gives up on the silent connections (and says so), and reconnects.
    QTRY_VERIFY_WITH_TIMEOUT(node.log().contains("reason=\"reply timeout\""), kRedisBoundMs);
    const QJsonObject down = health(node);
    QCOMPARE(down[u"node"].toString(), u"silent"_qs);
    QCOMPARE(down[u"redis"].toBool(true), false);

    // Single-node work goes on: log in, send, get the ack.
    QJsonObject connected;
    auto ann = connectTo(node, u"ann"_qs, &connected);
    QVERIFY(ann);
    QString channel;
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            channel = c[u"id"].toString();
    }
    QVERIFY(!channel.isEmpty());
    ann->sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, 1},
                   {u"channel"_qs, channel},
                   {u"client_msg_id"_qs, u"silent-1"_qs},
                   {u"text"_qs, u"while Redis is silent"_qs}});
    const QJsonObject ack = ann->take(u"ack"_qs, 10000);
    QCOMPARE(ack[u"message"][u"text"].toString(), u"while Redis is silent"_qs);
    QVERIFY(ack[u"message"][u"seq"].toInteger() > 0);
    QCOMPARE(health(node)[u"redis"].toBool(true), false);

    // Redis answers again: the node is back on it.
    silent.setFrozen(false);
    QTRY_VERIFY_WITH_TIMEOUT(health(node)[u"redis"].toBool(), kRedisBoundMs);

    // A new connection's `connected` waits until Redis counts it (§12: no
    // presence flap), but a Redis that stops answering meanwhile does not keep
    // the client waiting: the node gives up within its reply timeout, says so,
    // and answers.
    QTRY_VERIFY_WITH_TIMEOUT(node.log().contains("event=cluster_node_registered node=silent"),
                             kRedisBoundMs);
    HttpTestClient http(node.httpUrl());
    const QString token = http.accessToken(u"ann"_qs, u"ann-pw"_qs);
    WsTestClient second;
    QVERIFY(second.open(node.wsUrl(), node.origin()));
    silent.setFrozen(true);
    second.sendJson({{u"type"_qs, u"authenticate"_qs}, {u"token"_qs, token}});
    const QJsonObject late = second.take(u"connected"_qs, kRedisBoundMs);
    QVERIFY(!late.isEmpty());
    const QByteArray unconfirmed = "event=cluster_presence_unconfirmed node=silent conn="
        + late[u"connection_id"].toString().toUtf8() + " reason=redis_unreachable";
    QTRY_VERIFY(node.log().contains(unconfirmed));
    silent.setFrozen(false);
    QTRY_VERIFY_WITH_TIMEOUT(health(node)[u"redis"].toBool(), kRedisBoundMs);
    QVERIFY(stopCleanly(node));
}

void tst_ClusterOps::cleanStopTakesItsUsersOfflinePromptly()
{
    const QString config = m_dir.filePath(u"natterd.conf"_qs);
    QFile conf(config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    // The default node TTL (10 s); a short grace keeps the test short.
    conf.write("[server]\npresence_grace = 2\n");
    conf.close();
    NatterdProcess b; // owns the data directory the two nodes share
    NatterdProcess a;
    QVERIFY(b.addUser(u"ann"_qs, u"ann-pw"_qs));
    QVERIFY(b.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(b.addChannel(u"general"_qs, {u"ann"_qs, u"bob"_qs}));
    const auto args = [&](const QString &id) {
        return QStringList{u"--config"_qs,   config,
                           u"--data-dir"_qs, b.dataDir(),
                           u"--redis"_qs,    m_redis.address(),
                           u"--node-id"_qs,  id};
    };
    QVERIFY2(b.start(args(u"b"_qs)), qPrintable(b.errorString()));
    QVERIFY2(a.start(args(u"a"_qs)), qPrintable(a.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(health(a)[u"redis"].toBool() && health(b)[u"redis"].toBool(),
                             kRedisBoundMs);

    QJsonObject connected;
    auto bob = connectTo(b, u"bob"_qs, &connected);
    QVERIFY(bob);
    QString annId;
    for (const QJsonValue &u : connected[u"users"].toArray()) {
        if (u[u"username"].toString() == u"ann")
            annId = u[u"id"].toString();
    }
    QVERIFY(!annId.isEmpty());
    const auto annStatuses = [&] {
        QStringList out;
        for (const QJsonObject &f : bob->frames()) {
            if (f[u"type"].toString() == u"presence" && f[u"user"].toString() == annId)
                out << f[u"status"].toString();
        }
        return out;
    };
    auto ann = connectTo(a, u"ann"_qs);
    QVERIFY(ann);
    // Bob, on the other node, sees Ann come online (through Redis).
    QTRY_COMPARE_WITH_TIMEOUT(annStatuses(), QStringList{u"online"_qs}, kRedisBoundMs);

    // SIGTERM: Ann's node closes her socket (1001) and leaves the cluster.
    QCOMPARE(::kill(pid_t(a.pid()), SIGTERM), 0);
    QVERIFY(ann->waitClosed(10000));
    QCOMPARE(ann->closeCode(), 1001);
    QTRY_COMPARE_WITH_TIMEOUT(annStatuses(), (QStringList{u"online"_qs, u"offline"_qs}),
                              kCleanStopBoundMs);
    QTRY_VERIFY(!a.isRunning());
    QVERIFY(a.log().contains("event=cluster_left node=a"));
    QVERIFY(a.log().contains("event=stopped"));
    QVERIFY(stopCleanly(b));
}

void tst_ClusterOps::cleanupTestCase()
{
    m_redis.stop();
}

QTEST_GUILESS_MAIN(tst_ClusterOps)
#include "tst_cluster_ops.moc"
