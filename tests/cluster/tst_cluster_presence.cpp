// What the nodes of a cluster share besides messages (§3, §5, §12, issue 16):
// presence over every node with the 5 s grace, a dead or frozen node's users
// going offline within the stated bound, fencing of a frozen node, typing
// across nodes, login throttling over every node and the jobs' lease. Real
// processes only: a throwaway redis-server and three natterd nodes sharing one
// data directory, with a short node TTL (3 s) so the failures take seconds.
//
// The bound (docs/server.md): a user whose connections were all on a node that
// died or froze is offline for everyone within TTL + TTL/3 + grace + 2 sweeps
// (3 + 1 + 5 + 1.5 s here). The tests wait that long plus kSlackMs for what a
// busy 2-core machine adds (process scheduling, pub/sub delivery), no longer.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RedisProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <QElapsedTimer>

#include <signal.h>

namespace {
constexpr int kNodes = 3;
constexpr int kUsers = 10;
constexpr int kTtlMs = 3000;
constexpr int kGraceMs = 5000;
constexpr int kSweepMs = 750; // TTL/4
constexpr int kBoundMs = kTtlMs + kTtlMs / 3 + kGraceMs + 2 * kSweepMs;
constexpr int kSlackMs = 2500;

QString userName(int i)
{
    return QStringLiteral("p%1").arg(i);
}
} // namespace

class tst_ClusterPresence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void presenceAcrossNodes();
    void typingAcrossNodes();
    void test8_wrongPasswordsRoundRobin();
    void test2_killNodeMidFanout();
    void test6_frozenNodeIsFenced();
    void cleanupTestCase();

private:
    NatterdProcess *node(int i) { return i == 0 ? &m_first : m_nodes[size_t(i)].get(); }
    bool startNode(int i);
    std::unique_ptr<WsTestClient> connectTo(int node, const QString &user,
                                            const QJsonObject &resume = {});
    QString token(const QString &user);
    // The node holding the jobs lease, from Redis (its value starts with the node id).
    int leaseHolder();
    // What node `i` last said of the lease in its log: acquired (true) or lost.
    bool holdsLeaseByLog(int i);
    // Every presence status `client` was told for `user` (by user name), in order.
    QStringList statusesOf(const WsTestClient &client, const QString &user) const;
    static QList<qint64> seqsOf(const WsTestClient &client, const QString &channel);
    void sendMessages(WsTestClient *sender, const QString &tag, int count, int *acked);
    void dumpLogs();

    RedisProcess m_redis;
    NatterdProcess m_first;
    std::vector<std::unique_ptr<NatterdProcess>> m_nodes;
    QTemporaryDir m_configDir;
    QString m_config;
    QHash<QString, QString> m_userIds; // name -> id
    QString m_room;
};

void tst_ClusterPresence::initTestCase()
{
    QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    QStringList everyone;
    for (int i = 0; i < kUsers; ++i) {
        QVERIFY(m_first.addUser(userName(i), userName(i) + u"-pw"_qs));
        everyone << userName(i);
    }
    QVERIFY(m_first.addChannel(u"room"_qs, everyone));
    m_config = m_configDir.filePath(u"natterd.conf"_qs);
    QFile conf(m_config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    // The contract's login limits and presence grace; a short node TTL.
    conf.write("[server]\nuser_rate_limit_per_second = 1000\nuser_rate_limit_burst = 1000\n"
               "rate_limit_per_second = 1000\nrate_limit_burst = 1000\n"
               "heartbeat_interval = 300\npresence_grace = 5\ncluster_node_ttl = 3\n");
    conf.close();
    m_nodes.push_back(nullptr);
    for (int i = 1; i < kNodes; ++i)
        m_nodes.push_back(std::make_unique<NatterdProcess>());
    for (int i = 0; i < kNodes; ++i)
        QVERIFY(startNode(i));
    auto probe = connectTo(0, userName(0));
    QVERIFY(probe);
}

bool tst_ClusterPresence::startNode(int i)
{
    const QStringList args{u"--config"_qs,
                           m_config,
                           u"--data-dir"_qs,
                           m_first.dataDir(),
                           u"--redis"_qs,
                           m_redis.address(),
                           u"--node-id"_qs,
                           QStringLiteral("n%1").arg(i),
                           u"--cluster-position-check"_qs,
                           u"1"_qs};
    if (!node(i)->start(args)) {
        qWarning("%s", qPrintable(node(i)->errorString()));
        return false;
    }
    return true;
}

QString tst_ClusterPresence::token(const QString &user)
{
    // Any node that runs (the first one may be the one killed).
    int n = 0;
    while (n + 1 < kNodes && !node(n)->isRunning())
        ++n;
    HttpTestClient http(node(n)->httpUrl());
    return http.accessToken(user, user + u"-pw"_qs);
}

std::unique_ptr<WsTestClient> tst_ClusterPresence::connectTo(int n, const QString &user,
                                                             const QJsonObject &resume)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(node(n)->wsUrl(), node(n)->origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(token(user), resume, !resume.isEmpty());
    if (connected.isEmpty() || client->take(u"resumed"_qs, 10000).isEmpty())
        return nullptr;
    m_userIds[user] = connected[u"user"][u"id"].toString();
    for (const QJsonValue &u : connected[u"users"].toArray())
        m_userIds[u[u"username"].toString()] = u[u"id"].toString();
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"room")
            m_room = c[u"id"].toString();
    }
    return client;
}

int tst_ClusterPresence::leaseHolder()
{
    const QByteArray value = m_redis.cli({u"GET"_qs, u"natter:lease:jobs"_qs});
    for (int i = 0; i < kNodes; ++i) {
        if (value.startsWith("n" + QByteArray::number(i) + '|'))
            return i;
    }
    return -1;
}

bool tst_ClusterPresence::holdsLeaseByLog(int i)
{
    const QByteArray log = node(i)->log();
    return log.lastIndexOf("event=cluster_lease_acquired lease=jobs")
        > log.lastIndexOf("event=cluster_lease_lost lease=jobs");
}

QStringList tst_ClusterPresence::statusesOf(const WsTestClient &client, const QString &user) const
{
    const QString id = m_userIds.value(user);
    QStringList out;
    for (const QJsonObject &f : client.frames()) {
        if (f[u"type"].toString() == u"presence" && f[u"user"].toString() == id)
            out << f[u"status"].toString();
    }
    return out;
}

QList<qint64> tst_ClusterPresence::seqsOf(const WsTestClient &client, const QString &channel)
{
    QList<qint64> out;
    for (const QJsonObject &f : client.frames()) {
        const QString type = f[u"type"].toString();
        if (type != u"message" && type != u"ack")
            continue;
        const QJsonObject m = f[u"message"].toObject();
        if (m[u"channel"].toString() == channel)
            out << m[u"seq"].toInteger();
    }
    return out;
}

void tst_ClusterPresence::sendMessages(WsTestClient *sender, const QString &tag, int count,
                                       int *acked)
{
    // One at a time, each after the previous ack (the sender's own order).
    auto next = std::make_shared<int>(0);
    const auto send = [sender, tag, next, this] {
        const int n = (*next)++;
        sender->sendJson({{u"type"_qs, u"send"_qs},
                          {u"ref"_qs, n},
                          {u"channel"_qs, m_room},
                          {u"client_msg_id"_qs, QStringLiteral("%1-%2").arg(tag).arg(n)},
                          {u"text"_qs, QStringLiteral("%1 %2").arg(tag).arg(n)}});
    };
    connect(sender, &WsTestClient::frameArrived, sender, [sender, acked, count, next, send] {
        if (sender->frames().last()[u"type"].toString() != u"ack")
            return;
        ++*acked;
        if (*next < count)
            send();
    });
    send();
}

void tst_ClusterPresence::dumpLogs()
{
    for (int i = 0; i < kNodes; ++i) {
        for (const QByteArray &line : node(i)->log().split('\n')) {
            if (line.contains("cluster") || line.contains("level=warning")
                || line.contains("level=error"))
                qWarning("node %d: %s", i, line.left(300).constData());
        }
    }
}

void tst_ClusterPresence::presenceAcrossNodes()
{
    // Online on n1 is seen by a client on n0; away too; offline after the grace.
    auto observer = connectTo(0, userName(0));
    QVERIFY(observer);
    auto p1 = connectTo(1, userName(1));
    QVERIFY(p1);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(1)), QStringList{u"online"_qs}, 5000);
    // A client arriving on n2 sees p1 online in its `connected` snapshot.
    auto late = std::make_unique<WsTestClient>();
    QVERIFY(late->open(node(2)->wsUrl(), node(2)->origin()));
    const QJsonObject connected = late->authenticate(token(userName(2)));
    QString shown;
    for (const QJsonValue &u : connected[u"users"].toArray()) {
        if (u[u"username"].toString() == userName(1))
            shown = u[u"status"].toString();
    }
    QCOMPARE(shown, u"online"_qs);
    // A second connection of p1 on n2 changes nothing for the others, even
    // when p1's first device goes away the very moment the second one has
    // `connected`: n2 sends `connected` only once Redis counts the connection,
    // so that `away` is aggregated with it (still online). Were it sent before,
    // the away could reach Redis first: away, then online when the
    // registration lands, then away (a flap the sequences below would show).
    const QString p1Token = token(userName(1));
    auto p1b = std::make_unique<WsTestClient>();
    QVERIFY(p1b->open(node(2)->wsUrl(), node(2)->origin()));
    bool awaySent = false;
    connect(p1b.get(), &WsTestClient::frameArrived, p1.get(), [&] {
        const QList<QJsonObject> frames = p1b->frames();
        if (awaySent || frames.isEmpty() || frames.constLast()[u"type"].toString() != u"connected")
            return;
        awaySent = true;
        p1->sendJson({{u"type"_qs, u"presence"_qs}, {u"status"_qs, u"away"_qs}});
    });
    QVERIFY(!p1b->authenticate(p1Token).isEmpty());
    QVERIFY(awaySent);
    QVERIFY(!p1b->take(u"resumed"_qs, 10000).isEmpty());
    p1b->sendJson({{u"type"_qs, u"presence"_qs}, {u"status"_qs, u"away"_qs}});
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(1)),
                              (QStringList{u"online"_qs, u"away"_qs}), 5000);
    // Closing one connection leaves the user away (the other node still has one).
    p1.reset();
    // Closing the last one: offline once the grace has passed, and exactly once.
    QElapsedTimer clock;
    p1b.reset();
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(1)),
                              (QStringList{u"online"_qs, u"away"_qs, u"offline"_qs}),
                              kGraceMs + 2 * kSweepMs + kSlackMs);
    // Not before the grace: a reconnect within it would not have flapped.
    QVERIFY2(clock.elapsed() >= kGraceMs - 200, qPrintable(QString::number(clock.elapsed())));
    // A reconnect (to another node) within the grace: no frame at all. A
    // control user closing just after, and not coming back, goes offline: by
    // then the first one's grace has ended too.
    auto p3 = connectTo(2, userName(3));
    QVERIFY(p3);
    auto control = connectTo(2, userName(9));
    QVERIFY(control);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(3)), QStringList{u"online"_qs}, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(9)), QStringList{u"online"_qs}, 5000);
    p3.reset();
    control.reset();
    auto p3back = connectTo(1, userName(3));
    QVERIFY(p3back);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(9)),
                              (QStringList{u"online"_qs, u"offline"_qs}),
                              kGraceMs + 2 * kSweepMs + kSlackMs);
    QCOMPARE(statusesOf(*observer, userName(3)), QStringList{u"online"_qs});
}

void tst_ClusterPresence::typingAcrossNodes()
{
    auto observer = connectTo(0, userName(0));
    QVERIFY(observer);
    // A node other than the lease holder, so the kill below tests typing only.
    int victim = 1;
    if (leaseHolder() == victim)
        victim = 2;
    auto typist = connectTo(victim, userName(2));
    QVERIFY(typist);
    typist->sendJson(
        {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, m_room}, {u"state"_qs, u"start"_qs}});
    QJsonObject got = observer->take(u"typing"_qs, 5000);
    QCOMPARE(got[u"state"].toString(), u"start"_qs);
    QCOMPARE(got[u"user"].toString(), m_userIds[userName(2)]);
    QCOMPARE(got[u"expires_in_ms"].toInt(), 6000);
    typist->sendJson(
        {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, m_room}, {u"state"_qs, u"stop"_qs}});
    got = observer->take(u"typing"_qs, 5000);
    QCOMPARE(got[u"state"].toString(), u"stop"_qs);
    // The typist's node dies while they type: the observer's node says `stop`
    // by itself once the 6 s expiry has passed without a renewal, once.
    typist->sendJson(
        {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, m_room}, {u"state"_qs, u"start"_qs}});
    got = observer->take(u"typing"_qs, 5000);
    QCOMPARE(got[u"state"].toString(), u"start"_qs);
    node(victim)->kill();
    got = observer->take(u"typing"_qs, 6000 + kSlackMs);
    QCOMPARE(got[u"state"].toString(), u"stop"_qs);
    QCOMPARE(got[u"user"].toString(), m_userIds[userName(2)]);
    QVERIFY(!observer->has(u"typing"_qs));
    QVERIFY(startNode(victim));
}

void tst_ClusterPresence::test8_wrongPasswordsRoundRobin()
{
    // §5: after 10 failed logins for one username, the 11th attempt is refused,
    // whichever node each one reached.
    const QString victim = userName(8);
    for (int k = 0; k < 10; ++k) {
        HttpTestClient http(node(k % kNodes)->httpUrl());
        const HttpResult r = http.login(victim, u"wrong"_qs);
        QVERIFY2(r.status == 401,
                 qPrintable(QStringLiteral("attempt %1: %2").arg(k).arg(r.status)));
    }
    for (int n = 0; n < kNodes; ++n) {
        HttpTestClient http(node(n)->httpUrl());
        const HttpResult r = http.login(victim, u"wrong"_qs);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.json[u"error"].toString(), u"rate_limited"_qs);
        QVERIFY(r.json[u"retry_after"].toInteger() > 0);
        QVERIFY(!r.header("Retry-After").isEmpty());
    }
    // Even the right password waits now; other users are not affected.
    HttpTestClient http(node(1)->httpUrl());
    QCOMPARE(http.login(victim, victim + u"-pw"_qs).status, 429);
    QCOMPARE(http.login(userName(7), userName(7) + u"-pw"_qs).status, 200);
}

void tst_ClusterPresence::test2_killNodeMidFanout()
{
    // The node killed is the lease holder: its users still go offline within
    // the bound, which needs another node to take the lease and sweep.
    const int dead = leaseHolder();
    QVERIFY(dead >= 0);
    const int a = (dead + 1) % kNodes;
    const int b = (dead + 2) % kNodes;
    auto observer = connectTo(a, userName(0));
    QVERIFY(observer);
    auto sender = connectTo(b, userName(5));
    QVERIFY(sender);
    // sendMessages()' handler goes before the client does (its destructor emits).
    const auto unhook = qScopeGuard(
        [&] { QObject::disconnect(sender.get(), &WsTestClient::frameArrived, nullptr, nullptr); });
    auto reader = connectTo(dead, userName(4)); // only there; resumes on `a`
    QVERIFY(reader);
    auto gone = connectTo(dead, userName(6)); // only there; never comes back
    QVERIFY(gone);
    auto bothHere = connectTo(dead, userName(7)); // also on `b`: must never flap
    QVERIFY(bothHere);
    auto bothThere = connectTo(b, userName(7));
    QVERIFY(bothThere);
    for (int u : {4, 6, 7})
        QTRY_VERIFY_WITH_TIMEOUT(statusesOf(*observer, userName(u)).contains(u"online"_qs), 5000);
    const QList<qint64> before = seqsOf(*observer, m_room);
    observer->clearFrames();

    int acked = 0;
    constexpr int kMessages = 60;
    sendMessages(sender.get(), u"t2"_qs, kMessages, &acked);
    QTRY_VERIFY_WITH_TIMEOUT(seqsOf(*reader, m_room).size() >= 15, 20000);
    node(dead)->kill();
    QElapsedTimer clock;
    clock.start();
    QVERIFY(reader->waitClosed(10000) || !reader->isOpen());
    const QList<qint64> had = seqsOf(*reader, m_room);
    QVERIFY(!had.isEmpty());
    // The reader resumes on another node from the last seq it had.
    auto resumed = connectTo(a, userName(4), {{m_room, had.last()}});
    QVERIFY(resumed);
    QTRY_COMPARE_WITH_TIMEOUT(acked, kMessages, 60000);
    const qint64 last = seqsOf(*sender, m_room).last();
    QTRY_VERIFY_WITH_TIMEOUT(
        !seqsOf(*resumed, m_room).isEmpty() && seqsOf(*resumed, m_room).last() == last, 10000);
    QList<qint64> all = had + seqsOf(*resumed, m_room);
    for (qsizetype i = 1; i < all.size(); ++i)
        QCOMPARE(all.at(i), all.at(i - 1) + 1);
    // The observer got everything exactly once too.
    QTRY_VERIFY_WITH_TIMEOUT(
        !seqsOf(*observer, m_room).isEmpty() && seqsOf(*observer, m_room).last() == last, 10000);
    const QList<qint64> seen = seqsOf(*observer, m_room);
    for (qsizetype i = 1; i < seen.size(); ++i)
        QCOMPARE(seen.at(i), seen.at(i - 1) + 1);
    QVERIFY(before.isEmpty() || seen.first() == before.last() + 1);

    // Only on the dead node: offline within the bound, once.
    if (!QTest::qWaitFor([&] { return statusesOf(*observer, userName(6)).contains(u"offline"_qs); },
                         qMax(1, kBoundMs + kSlackMs - int(clock.elapsed())))) {
        dumpLogs();
        QFAIL("the dead node's user did not go offline within the bound");
    }
    qInfo("offline after %lld ms (bound %d ms)", clock.elapsed(), kBoundMs);
    QCOMPARE(statusesOf(*observer, userName(6)), QStringList{u"offline"_qs});
    // Another node holds the lease now, and only that one thinks it does.
    QTRY_VERIFY_WITH_TIMEOUT(leaseHolder() >= 0 && leaseHolder() != dead, 5000);
    const int holder = leaseHolder();
    QVERIFY(holdsLeaseByLog(holder));
    QVERIFY(!holdsLeaseByLog(holder == a ? b : a));
    // Also connected elsewhere, or back elsewhere within the grace: no flap.
    QVERIFY(statusesOf(*observer, userName(7)).isEmpty());
    QVERIFY(statusesOf(*observer, userName(4)).isEmpty());
    QVERIFY(startNode(dead));
}

void tst_ClusterPresence::test6_frozenNodeIsFenced()
{
    // Freeze a node that does not hold the lease for longer than the bound.
    int frozen = (leaseHolder() + 1) % kNodes;
    const int other = (frozen + 1) % kNodes;
    auto observer = connectTo(other, userName(0));
    QVERIFY(observer);
    auto sender = connectTo(other, userName(5));
    QVERIFY(sender);
    const auto unhook = qScopeGuard(
        [&] { QObject::disconnect(sender.get(), &WsTestClient::frameArrived, nullptr, nullptr); });
    auto stuck = connectTo(frozen, userName(6));
    QVERIFY(stuck);
    QTRY_VERIFY_WITH_TIMEOUT(statusesOf(*observer, userName(6)).contains(u"online"_qs), 5000);
    // One message before the freeze, so the stuck client has a seq to resume from.
    int acked = 0;
    sendMessages(sender.get(), u"t6a"_qs, 1, &acked);
    QTRY_COMPARE_WITH_TIMEOUT(acked, 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(seqsOf(*stuck, m_room).size(), 1, 10000);
    QObject::disconnect(sender.get(), &WsTestClient::frameArrived, nullptr, nullptr);
    observer->clearFrames();
    const qint64 pid = node(frozen)->pid();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
    auto resume = qScopeGuard([pid] { ::kill(pid_t(pid), SIGCONT); });
    QElapsedTimer clock;
    clock.start();
    // Its user goes offline meanwhile, within the bound.
    if (!QTest::qWaitFor([&] { return statusesOf(*observer, userName(6)).contains(u"offline"_qs); },
                         kBoundMs + kSlackMs)) {
        dumpLogs();
        QFAIL("the frozen node's user did not go offline within the bound");
    }
    qInfo("offline after %lld ms (bound %d ms)", clock.elapsed(), kBoundMs);
    // Messages go on meanwhile.
    acked = 0;
    sendMessages(sender.get(), u"t6"_qs, 5, &acked);
    QTRY_COMPARE_WITH_TIMEOUT(acked, 5, 10000);
    const qint64 last = seqsOf(*sender, m_room).last();
    resume.dismiss();
    QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
    // The node notices it was frozen and closes its old sockets (1001: resume elsewhere).
    QVERIFY(stuck->waitClosed(kTtlMs + kSlackMs));
    QCOMPARE(stuck->closeCode(), 1001);
    const QList<qint64> had = seqsOf(*stuck, m_room);
    for (qsizetype i = 1; i < had.size(); ++i)
        QCOMPARE(had.at(i), had.at(i - 1) + 1); // nothing twice from its buffers
    // A new connection to the resumed node works, under its new incarnation;
    // once its `online` reached the observer, a stale one would have too.
    auto fresh = connectTo(frozen, userName(9));
    QVERIFY(fresh);
    QTRY_VERIFY_WITH_TIMEOUT(statusesOf(*observer, userName(9)).contains(u"online"_qs), 5000);
    QCOMPARE(statusesOf(*observer, userName(6)), QStringList{u"offline"_qs});
    // The stuck client resumes on another node: every message once, in order.
    auto back = connectTo(other, userName(6), {{m_room, had.last()}});
    QVERIFY(back);
    // The replay is complete at `resumed` (connectTo waited for it); the old
    // socket may have had some of the messages sent during the freeze already.
    const QList<qint64> all = had + seqsOf(*back, m_room);
    QCOMPARE(all.last(), last);
    for (qsizetype i = 1; i < all.size(); ++i)
        QCOMPARE(all.at(i), all.at(i - 1) + 1);
    QTRY_COMPARE_WITH_TIMEOUT(statusesOf(*observer, userName(6)),
                              (QStringList{u"offline"_qs, u"online"_qs}), 5000);
    QVERIFY(node(frozen)->log().contains("event=cluster_node_fenced"));
}

void tst_ClusterPresence::cleanupTestCase()
{
    for (int i = kNodes - 1; i >= 1; --i) {
        if (m_nodes.size() > size_t(i) && m_nodes[size_t(i)])
            m_nodes[size_t(i)]->stop();
    }
    m_first.stop();
    m_redis.stop();
}

QTEST_GUILESS_MAIN(tst_ClusterPresence)
#include "tst_cluster_presence.moc"
