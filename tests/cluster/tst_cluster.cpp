// Several natterd nodes on one database with Redis between them (§12, issue 16),
// all real processes: a throwaway redis-server (RedisProcess) and natterd nodes
// that share one data directory (SQLite in WAL mode across processes: the store
// allocates seq and ev under the database's write lock, as PostgreSQL does under
// the channel's row lock). The invariant everywhere: each client ends with every
// channel's seq exactly once and in order, nothing missing.
#include "ChannelEventsCheck.h"
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RedisProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

namespace {
constexpr int kNodes = 3;
// Users and channels of the cluster (the test 1, scaled to a 2-core
// box: 3 nodes, 9 clients, 3 channels, 6 senders × 40 messages).
constexpr int kUsers = 9;
constexpr int kChannels = 3;
constexpr int kSenders = 6;
constexpr int kMessagesPerSender = 40;

QString userName(int i)
{
    return QStringLiteral("u%1").arg(i);
}
QString channelName(int i)
{
    return QStringLiteral("c%1").arg(i);
}
} // namespace

class tst_Cluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void test1_messagesReachEveryNodeOnceInOrder();
    void test9_resumeOnAnotherNode();
    void test7_refreshReuseClosesTheFamilyOnEveryNode();
    void channelEventsReachNewcomersOnEveryNode();
    void test3_crashBetweenCommitAndPublish();
    void cleanupTestCase();

private:
    bool startNode(int i, const QStringList &extra = {});
    std::unique_ptr<WsTestClient> connectTo(int node, const QString &user,
                                            const QJsonObject &resume = {});
    QString token(const QString &user);
    // Every seq each of `clients` got for each channel (message and ack frames).
    static QHash<QString, QList<qint64>> seqsOf(const WsTestClient &client);
    // The nodes' warnings and cluster lines, for a failure's diagnosis.
    void dumpLogs();

    RedisProcess m_redis;
    NatterdProcess m_first; // owns the shared data directory
    std::vector<std::unique_ptr<NatterdProcess>> m_nodes;
    QTemporaryDir m_configDir;
    QString m_config;
    QHash<QString, QString> m_channelIds; // name -> id
};

void tst_Cluster::initTestCase()
{
    QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    for (int i = 0; i < kUsers; ++i)
        QVERIFY(m_first.addUser(userName(i), userName(i) + u"-pw"_qs));
    QStringList everyone;
    for (int i = 0; i < kUsers; ++i)
        everyone << userName(i);
    for (int c = 0; c < kChannels; ++c)
        QVERIFY(m_first.addChannel(channelName(c), everyone));
    // Generous limits: the senders go as fast as their acks come back.
    m_config = m_configDir.filePath(u"natterd.conf"_qs);
    QFile conf(m_config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[server]\nuser_rate_limit_per_second = 1000\nuser_rate_limit_burst = 1000\n"
               "rate_limit_per_second = 1000\nrate_limit_burst = 1000\n"
               "login_max_failures_user = 1000\nlogin_max_failures_peer = 1000\n");
    conf.close();
    m_nodes.push_back(nullptr); // node 0 is m_first
    for (int i = 1; i < kNodes; ++i)
        m_nodes.push_back(std::make_unique<NatterdProcess>());
    for (int i = 0; i < kNodes; ++i)
        QVERIFY(startNode(i));
}

bool tst_Cluster::startNode(int i, const QStringList &extra)
{
    NatterdProcess *node = i == 0 ? &m_first : m_nodes[size_t(i)].get();
    // The last --data-dir wins: every node serves the first node's data directory.
    QStringList args{u"--config"_qs,
                     m_config,
                     u"--data-dir"_qs,
                     m_first.dataDir(),
                     u"--redis"_qs,
                     m_redis.address(),
                     u"--cluster-position-check"_qs,
                     u"1"_qs};
    args += extra;
    if (!node->start(args)) {
        qWarning("%s", qPrintable(node->errorString()));
        return false;
    }
    return true;
}

QString tst_Cluster::token(const QString &user)
{
    HttpTestClient http(m_first.httpUrl());
    return http.accessToken(user, user + u"-pw"_qs);
}

std::unique_ptr<WsTestClient> tst_Cluster::connectTo(int node, const QString &user,
                                                     const QJsonObject &resume)
{
    NatterdProcess *n = node == 0 ? &m_first : m_nodes[size_t(node)].get();
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(n->wsUrl(), n->origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(token(user), resume, !resume.isEmpty());
    if (connected.isEmpty() || client->take(u"resumed"_qs).isEmpty())
        return nullptr;
    for (const QJsonValue &c : connected[u"channels"].toArray())
        m_channelIds[c[u"name"].toString()] = c[u"id"].toString();
    return client;
}

QHash<QString, QList<qint64>> tst_Cluster::seqsOf(const WsTestClient &client)
{
    QHash<QString, QList<qint64>> out;
    for (const QJsonObject &f : client.frames()) {
        const QString type = f[u"type"].toString();
        if (type != u"message" && type != u"ack")
            continue;
        const QJsonObject m = f[u"message"].toObject();
        out[m[u"channel"].toString()].append(m[u"seq"].toInteger());
    }
    return out;
}

void tst_Cluster::dumpLogs()
{
    for (int i = 0; i < kNodes; ++i) {
        NatterdProcess *n = i == 0 ? &m_first : m_nodes[size_t(i)].get();
        for (const QByteArray &line : n->log().split('\n')) {
            if (line.contains("cluster") || line.contains("level=warning")
                || line.contains("level=error"))
                qWarning("node %d: %s", i, line.left(300).constData());
        }
    }
}

void tst_Cluster::test1_messagesReachEveryNodeOnceInOrder()
{
    // Clients spread over the nodes; everybody is in every channel.
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (int i = 0; i < kUsers; ++i) {
        clients.push_back(connectTo(i % kNodes, userName(i)));
        QVERIFY(clients.back());
    }
    QHash<QString, qint64> base; // every channel's last_seq before the sends
    for (int c = 0; c < kChannels; ++c)
        base[m_channelIds[channelName(c)]] = 1; // the `created` system message
    // Senders: each sends its next message when the previous one is acked, to the
    // channels in turn; the senders on the three nodes run at the same time.
    std::vector<int> sent(kSenders, 0);
    std::vector<int> acked(kSenders, 0);
    const auto sendNext = [&](int s) {
        if (sent[size_t(s)] == kMessagesPerSender)
            return;
        const int n = sent[size_t(s)]++;
        clients[size_t(s)]->sendJson(
            {{u"type"_qs, u"send"_qs},
             {u"ref"_qs, n},
             {u"channel"_qs, m_channelIds[channelName((s + n) % kChannels)]},
             {u"client_msg_id"_qs, QStringLiteral("s%1-%2").arg(s).arg(n)},
             {u"text"_qs, QStringLiteral("m %1 %2").arg(s).arg(n)}});
    };
    // The senders' handlers go before the state they use does.
    const auto unhook = qScopeGuard([&] {
        for (const auto &c : clients)
            c->disconnect(this);
    });
    for (int s = 0; s < kSenders; ++s) {
        WsTestClient *client = clients[size_t(s)].get();
        connect(client, &WsTestClient::frameArrived, this, [&, s, client] {
            if (client->frames().last()[u"type"].toString() == u"ack") {
                ++acked[size_t(s)];
                sendNext(s);
            }
        });
        sendNext(s);
    }
    if (!QTest::qWaitFor(
            [&] {
                return std::all_of(acked.begin(), acked.end(),
                                   [](int a) { return a == kMessagesPerSender; });
            },
            120000)) {
        for (int s = 0; s < kSenders; ++s)
            qWarning("sender %d: %d sent, %d acked", s, sent[size_t(s)], acked[size_t(s)]);
        dumpLogs();
        QFAIL("not every send was acked");
    }
    const qint64 total = qint64(kSenders) * kMessagesPerSender;
    // Everyone converges: each channel's seqs, base+1 .. last, exactly once, in order.
    const auto complete = [&](const WsTestClient &c) {
        qint64 n = 0;
        for (const auto &list : seqsOf(c))
            n += list.size();
        return n >= total;
    };
    for (size_t i = 0; i < clients.size(); ++i) {
        if (QTest::qWaitFor([&] { return complete(*clients[i]); }, 30000))
            continue;
        // Say what is missing before failing.
        const auto seqs = seqsOf(*clients[i]);
        for (auto it = seqs.begin(); it != seqs.end(); ++it) {
            QStringList shown;
            for (qint64 v : it.value())
                shown << QString::number(v);
            qWarning("client %d channel %s: %s", int(i), qPrintable(it.key()),
                     qPrintable(shown.join(u' ')));
        }
        dumpLogs();
        QFAIL("a client did not get every message");
    }
    QHash<QString, qint64> last;
    for (const auto &c : clients) {
        const auto seqs = seqsOf(*c);
        QCOMPARE(seqs.size(), kChannels);
        for (auto it = seqs.begin(); it != seqs.end(); ++it) {
            const QList<qint64> &list = it.value();
            QList<qint64> expected;
            for (qsizetype k = 0; k < list.size(); ++k)
                expected << base.value(it.key()) + 1 + k;
            if (list != expected) {
                QStringList shown;
                for (const QJsonObject &f : c->frames()) {
                    const QJsonObject m = f[u"message"].toObject();
                    if (m[u"channel"].toString() == it.key())
                        shown << f[u"type"].toString() + u':'
                                + QString::number(m[u"seq"].toInteger());
                }
                qWarning("got %s", qPrintable(shown.join(u' ')));
            }
            QCOMPARE(list, expected);
            if (last.contains(it.key()))
                QCOMPARE(list.size(), last.value(it.key()));
            last[it.key()] = list.size();
        }
    }
    qint64 n = 0;
    for (qint64 v : std::as_const(last))
        n += v;
    QCOMPARE(n, total);
}

void tst_Cluster::test9_resumeOnAnotherNode()
{
    // u0 reads on node 0, goes away, misses messages sent on node 1, and comes
    // back on node 2 with the seq it had: exactly the missed ones, in order.
    auto reader = connectTo(0, userName(0));
    QVERIFY(reader);
    auto sender = connectTo(1, userName(1));
    QVERIFY(sender);
    const QString channel = m_channelIds[channelName(0)];
    sender->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, 1},
                      {u"channel"_qs, channel},
                      {u"client_msg_id"_qs, u"t9-a"_qs},
                      {u"text"_qs, u"before"_qs}});
    // Its ack first: take() takes the oldest ack, and the loop below must wait
    // for each of its own five (the last one stored before `back` resumes).
    QCOMPARE(sender->take(u"ack"_qs, 10000)[u"ref"].toInt(), 1);
    // The reader's last seq in this channel (a late frame of another channel
    // must not stand in for it).
    QJsonObject seen;
    do
        seen = reader->take(u"message"_qs, 10000);
    while (!seen.isEmpty() && seen[u"message"][u"channel"].toString() != channel);
    QVERIFY(!seen.isEmpty());
    const qint64 had = seen[u"message"][u"seq"].toInteger();
    reader.reset();
    for (int k = 0; k < 5; ++k) {
        sender->sendJson({{u"type"_qs, u"send"_qs},
                          {u"ref"_qs, 10 + k},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, QStringLiteral("t9-b%1").arg(k)},
                          {u"text"_qs, u"while away"_qs}});
        QCOMPARE(sender->take(u"ack"_qs, 10000)[u"ref"].toInt(), 10 + k);
    }
    auto back = std::make_unique<WsTestClient>();
    QVERIFY(back->open(m_nodes[2]->wsUrl(), m_nodes[2]->origin()));
    QVERIFY(!back->authenticate(token(userName(0)), {{channel, had}}, true).isEmpty());
    QVERIFY(!back->take(u"resumed"_qs, 10000).isEmpty());
    const QList<qint64> got = seqsOf(*back).value(channel);
    QCOMPARE(got.size(), 5);
    for (int k = 0; k < 5; ++k)
        QCOMPARE(got.at(k), had + 1 + k);
    // And live from there on, from a node it was never connected to before.
    sender->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, 99},
                      {u"channel"_qs, channel},
                      {u"client_msg_id"_qs, u"t9-c"_qs},
                      {u"text"_qs, u"live"_qs}});
    QTRY_COMPARE_WITH_TIMEOUT(seqsOf(*back).value(channel).size(), 6, 10000);
    QCOMPARE(seqsOf(*back).value(channel).last(), had + 6);
}

void tst_Cluster::test7_refreshReuseClosesTheFamilyOnEveryNode()
{
    HttpTestClient http(m_first.httpUrl());
    const HttpResult login = http.login(userName(2), userName(2) + u"-pw"_qs);
    QCOMPARE(login.status, 200);
    const QString access = login.json[u"access_token"].toString();
    const QString refresh = login.json[u"refresh_token"].toString();
    // The family has a socket on every node; another login of the same user too.
    std::vector<std::unique_ptr<WsTestClient>> family;
    std::vector<std::unique_ptr<WsTestClient>> others;
    for (int i = 0; i < kNodes; ++i) {
        NatterdProcess *n = i == 0 ? &m_first : m_nodes[size_t(i)].get();
        family.push_back(std::make_unique<WsTestClient>());
        QVERIFY(family.back()->open(n->wsUrl(), n->origin()));
        QVERIFY(!family.back()->authenticate(access).isEmpty());
        others.push_back(std::make_unique<WsTestClient>());
        QVERIFY(others.back()->open(n->wsUrl(), n->origin()));
        QVERIFY(!others.back()->authenticate(token(userName(2))).isEmpty());
    }
    // Rotate on node 1, then present the spent token again on node 2.
    HttpTestClient http1(m_nodes[1]->httpUrl());
    QCOMPARE(http1.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             200);
    HttpTestClient http2(m_nodes[2]->httpUrl());
    QCOMPARE(http2.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             401);
    // §12: within 2 s on every node, the originating one included.
    for (const auto &c : family) {
        QVERIFY(c->waitClosed(2000));
        QCOMPARE(c->closeCode(), 4401);
    }
    for (const auto &c : others)
        QVERIFY(c->isOpen());
}

void tst_Cluster::channelEventsReachNewcomersOnEveryNode()
{
    HttpTestClient http(m_first.httpUrl());
    const HttpResult directory =
        http.request("GET", u"/api/v1/users?limit=100"_qs, {}, token(userName(0)).toUtf8());
    QCOMPARE(directory.status, 200);
    QHash<QString, QString> ids;
    for (const QJsonValue &u : directory.json[u"users"].toArray())
        ids[u[u"username"].toString()] = u[u"id"].toString();
    auto a0 = connectTo(0, userName(0));
    auto a2 = connectTo(0, userName(2));
    auto b1 = connectTo(1, userName(1));
    auto b2 = connectTo(1, userName(2));
    QVERIFY(a0 && a2 && b1 && b2);
    checkChannelEventsAcrossNodes(*a0, *a2, *b1, *b2, ids[userName(1)], ids[userName(2)],
                                  u"t10"_qs);
}

void tst_Cluster::test3_crashBetweenCommitAndPublish()
{
    // Node 1 is restarted with the test fault: it dies after committing its
    // next message and before publishing it. The sender has its ack; the other
    // nodes must still deliver it, found by their position check (1 s here).
    m_nodes[1]->stop();
    qputenv("NATTERD_TEST_CRASH_BEFORE_PUBLISH", "1");
    const bool started = startNode(1);
    qunsetenv("NATTERD_TEST_CRASH_BEFORE_PUBLISH");
    QVERIFY(started);
    auto watcher = connectTo(0, userName(3));
    QVERIFY(watcher);
    auto sender = connectTo(1, userName(4));
    QVERIFY(sender);
    const QString channel = m_channelIds[channelName(1)];
    sender->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, 1},
                      {u"channel"_qs, channel},
                      {u"client_msg_id"_qs, u"t3-a"_qs},
                      {u"text"_qs, u"orphan"_qs}});
    QVERIFY(sender->waitClosed(10000)); // the node died
    const QJsonObject got = watcher->take(u"message"_qs, 10000);
    QVERIFY(!got.isEmpty());
    QCOMPARE(got[u"message"][u"client_msg_id"].toString(), u"t3-a"_qs);
    QVERIFY(!watcher->has(u"message"_qs));
    QVERIFY(startNode(1)); // back without the fault
}

void tst_Cluster::cleanupTestCase()
{
    for (int i = kNodes - 1; i >= 1; --i) {
        if (m_nodes.size() > size_t(i) && m_nodes[size_t(i)])
            m_nodes[size_t(i)]->stop();
    }
    m_first.stop();
    m_redis.stop();
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"
