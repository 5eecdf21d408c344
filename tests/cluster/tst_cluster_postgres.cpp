// Three natterd nodes on ONE real PostgreSQL with a real Redis between them:
// the production shape of §12 (issue 16), and what it does when the services it
// leans on fail. Everything is a real process: PostgresProcess (initdb +
// postgres in a temp dir), RedisProcess, three natterd, clients over loopback.
//
// - test 1 at the full size: 3 nodes, 30 clients, 5 channels,
//   10 senders × 200 messages;
// - test 4: Redis shut down (nosave) and started again under load;
// - test 5: PostgreSQL restarted, fast and immediate, under load;
// - files: an upload through one node downloads from another (a shared
//   `files_dir`), and a message with attachments commits in one transaction;
// - tests 9, 7 and 3 (resume on another node, refresh reuse on all nodes, a
//   crash between commit and publish) as tst_cluster runs them on SQLite.
//
// The invariant everywhere: each client ends with every channel's seq exactly
// once and in order, and the database holds every send once, gapless.
#include "ChannelEventsCheck.h"
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RedisProcess.h"
#include "SendLoad.h"
#include "WsTestClient.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

namespace {
constexpr int kNodes = 3;
constexpr int kUsers = 30;
constexpr int kChannels = 5;

QString userName(int i)
{
    return QStringLiteral("u%1").arg(i);
}
QString channelName(int i)
{
    return QStringLiteral("c%1").arg(i);
}
// Regular files under `dir`, recursively.
int filesUnder(const QString &dir)
{
    int n = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}
} // namespace

class tst_ClusterPostgres : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void test1_fullSizeOnPostgres();
    void test4_redisRestartedUnderLoad();
    void test5_postgresRestartedUnderLoad_data();
    void test5_postgresRestartedUnderLoad();
    void filesUploadedOnOneNodeDownloadFromAnother();
    void aNodeStartingKeepsAnotherNodesUploadInFlight();
    void attachmentsCommitWithTheirMessageOrNotAtAll();
    void test9_resumeOnAnotherNode();
    void test7_refreshReuseClosesTheFamilyOnEveryNode();
    void channelEventsReachNewcomersOnEveryNode();
    void test3_crashBetweenCommitAndPublish();
    void cleanupTestCase();

private:
    NatterdProcess *node(int i) const
    {
        return i == 0 ? const_cast<NatterdProcess *>(&m_first) : m_nodes[size_t(i)].get();
    }
    bool startNode(int i);
    QString token(const QString &user);
    std::unique_ptr<WsTestClient> connectTo(int node, const QString &user);
    // `count` clients, user i on node i % kNodes.
    std::vector<std::unique_ptr<WsTestClient>> connectClients(int count);
    // Every channel's last_seq, read from the database.
    QHash<QString, qint64> lastSeqs();
    // The health answer of node i.
    HttpResult health(int i);
    // Waits until every client holds `expected` new messages after `base`
    // (message frames and its own acks), then checks the invariant: per channel
    // base+1 .. base+k exactly once and in order (`strictOrder`: acks in the
    // order too; otherwise an ack may repeat a seq the client already had as a
    // message, as a resend's answer does after an ambiguous commit), the same k
    // everywhere.
    void verifyConverged(const std::vector<std::unique_ptr<WsTestClient>> &clients,
                         const QHash<QString, qint64> &base, qint64 expected, bool strictOrder);
    // The database holds each of the load's sends once, and every channel's
    // messages are 1..last_seq without a gap.
    void verifyDatabase(const QString &tag, int sends);
    QList<QVariantList> sql(const QString &query);
    HttpResult upload(int node, const QString &user, const QString &channel, const QString &name,
                      const QByteArray &bytes);
    void dumpLogs();

    RedisProcess m_redis;
    NatterdProcess m_first; // owns the PostgreSQL server
    std::vector<std::unique_ptr<NatterdProcess>> m_nodes;
    QTemporaryDir m_configDir;
    QTemporaryDir m_sharedFiles; // the cluster's files_dir (NFS in production)
    QString m_config;
    QHash<QString, QString> m_channelIds; // name -> id
    QStringList m_channels; // ids, c0 .. c4
    QHash<QString, QString> m_tokens;
};

void tst_ClusterPostgres::initTestCase()
{
    QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    QVERIFY2(m_first.usePostgres(), qPrintable(m_first.errorString()));
    QCOMPARE(m_first.admin({u"migrate"_qs}), 0);
    for (int i = 0; i < kUsers; ++i)
        QVERIFY(m_first.addUser(userName(i), userName(i) + u"-pw"_qs));
    QStringList everyone;
    for (int i = 0; i < kUsers; ++i)
        everyone << userName(i);
    for (int c = 0; c < kChannels; ++c)
        QVERIFY(m_first.addChannel(channelName(c), everyone));
    for (const QVariantList &row : sql(u"SELECT name, id FROM channels"_qs))
        m_channelIds[row[0].toString()] = row[1].toString();
    for (int c = 0; c < kChannels; ++c)
        m_channels << m_channelIds.value(channelName(c));
    QCOMPARE(m_channels.size(), kChannels);
    // Generous limits: the senders go as fast as their acks come back. The
    // receivers only listen (no pings of their own): a long heartbeat keeps them
    // from being taken for dead during the longer runs.
    m_config = m_configDir.filePath(u"natterd.conf"_qs);
    QFile conf(m_config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[server]\nuser_rate_limit_per_second = 1000\nuser_rate_limit_burst = 1000\n"
               "rate_limit_per_second = 1000\nrate_limit_burst = 1000\n"
               "login_max_failures_user = 1000\nlogin_max_failures_peer = 1000\n"
               "heartbeat_interval = 600\n");
    conf.close();
    m_nodes.push_back(nullptr); // node 0 is m_first
    for (int i = 1; i < kNodes; ++i)
        m_nodes.push_back(std::make_unique<NatterdProcess>());
    for (int i = 0; i < kNodes; ++i)
        QVERIFY(startNode(i));
}

bool tst_ClusterPostgres::startNode(int i)
{
    NatterdProcess *n = node(i);
    QStringList args{u"--config"_qs,
                     m_config,
                     u"--redis"_qs,
                     m_redis.address(),
                     u"--cluster-position-check"_qs,
                     u"1"_qs,
                     u"--node-id"_qs,
                     QStringLiteral("n%1").arg(i + 1),
                     u"--files-dir"_qs,
                     m_sharedFiles.path()};
    if (i != 0)
        args += m_first.storageArgs(); // the same database as node 0
    if (!n->start(args)) {
        qWarning("%s", qPrintable(n->errorString()));
        return false;
    }
    return true;
}

QString tst_ClusterPostgres::token(const QString &user)
{
    // Logins are Argon2id (CPU): one per user for the whole run (15 min tokens).
    QString &t = m_tokens[user];
    if (t.isEmpty()) {
        HttpTestClient http(m_first.httpUrl());
        t = http.accessToken(user, user + u"-pw"_qs);
    }
    return t;
}

std::unique_ptr<WsTestClient> tst_ClusterPostgres::connectTo(int i, const QString &user)
{
    NatterdProcess *n = node(i);
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(n->wsUrl(), n->origin()))
        return nullptr;
    if (client->authenticate(token(user)).isEmpty())
        return nullptr;
    return client;
}

std::vector<std::unique_ptr<WsTestClient>> tst_ClusterPostgres::connectClients(int count)
{
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (int i = 0; i < count; ++i) {
        clients.push_back(connectTo(i % kNodes, userName(i)));
        if (!clients.back())
            return {};
    }
    // What the session start said is not part of what the test counts.
    for (const auto &c : clients)
        c->clearFrames();
    return clients;
}

QList<QVariantList> tst_ClusterPostgres::sql(const QString &query)
{
    return m_first.postgres()->query(u"natter"_qs, query);
}

QHash<QString, qint64> tst_ClusterPostgres::lastSeqs()
{
    QHash<QString, qint64> out;
    for (const QVariantList &row : sql(u"SELECT id, last_seq FROM channels"_qs))
        out[row[0].toString()] = row[1].toLongLong();
    return out;
}

HttpResult tst_ClusterPostgres::health(int i)
{
    HttpTestClient http(node(i)->httpUrl());
    return http.request("GET", u"/api/v1/health"_qs);
}

void tst_ClusterPostgres::dumpLogs()
{
    for (int i = 0; i < kNodes; ++i) {
        for (const QByteArray &line : node(i)->log().split('\n')) {
            if (line.contains("cluster") || line.contains("level=warning")
                || line.contains("level=error"))
                qWarning("node %d: %s", i, line.left(300).constData());
        }
    }
}

void tst_ClusterPostgres::verifyConverged(const std::vector<std::unique_ptr<WsTestClient>> &clients,
                                          const QHash<QString, qint64> &base, qint64 expected,
                                          bool strictOrder)
{
    // Per client and channel, in arrival order: (is an ack, seq).
    using Seen = QHash<QString, QList<std::pair<bool, qint64>>>;
    const auto seen = [](const WsTestClient &c) {
        Seen s;
        for (const QJsonObject &f : c.frames()) {
            const QString type = f[u"type"].toString();
            if (type != u"message" && type != u"ack")
                continue;
            const QJsonObject m = f[u"message"].toObject();
            s[m[u"channel"].toString()].append({type == u"ack", m[u"seq"].toInteger()});
        }
        return s;
    };
    const auto distinct = [&](const WsTestClient &c) {
        qint64 n = 0;
        for (const auto &list : seen(c)) {
            QSet<qint64> set;
            for (const auto &frame : list)
                set.insert(frame.second);
            n += set.size();
        }
        return n;
    };
    const auto show = [](const QList<std::pair<bool, qint64>> &list) {
        QStringList shown;
        for (const auto &frame : list)
            shown << (frame.first ? u"a"_qs : u"m"_qs) + QString::number(frame.second);
        return shown.join(u' ');
    };
    for (size_t i = 0; i < clients.size(); ++i) {
        if (QTest::qWaitFor([&] { return distinct(*clients[i]) >= expected; }, 60000))
            continue;
        const Seen s = seen(*clients[i]);
        for (auto it = s.begin(); it != s.end(); ++it)
            qWarning("client %d channel %s: %s", int(i), qPrintable(it.key()),
                     qPrintable(show(it.value())));
        dumpLogs();
        QFAIL("a client did not get every message");
    }
    QHash<QString, qint64> last;
    for (size_t i = 0; i < clients.size(); ++i) {
        const Seen s = seen(*clients[i]);
        qint64 total = 0;
        for (auto it = s.begin(); it != s.end(); ++it) {
            const QString &channel = it.key();
            // `high`: everything up to it was seen. A message frame is always the
            // next one (never a gap, never twice, never out of order). An ack is
            // the next one too (strictOrder), or repeats a seq the client had as
            // a message (a refill delivered the sender's own message first), or,
            // for a resend answered with the stored original, may run ahead (and
            // the message frame then repeats the ack's seq once): the client
            // keeps one per seq (§3).
            qint64 high = base.value(channel);
            QSet<qint64> messages;
            QSet<qint64> acks;
            QSet<qint64> ahead;
            bool ok = true;
            for (const auto &[isAck, seq] : it.value()) {
                if (!isAck && seq <= high && !strictOrder && acks.contains(seq)) {
                    acks.remove(seq); // the resend's ack came first
                    continue;
                }
                if (isAck)
                    acks.insert(seq);
                if (!isAck) {
                    ok = ok && seq == high + 1 && !messages.contains(seq);
                    messages.insert(seq);
                } else if (seq <= high) {
                    ok = ok && messages.contains(seq);
                    messages.remove(seq); // one ack per message
                    continue;
                } else if (seq == high + 1) {
                } else {
                    ok = ok && !strictOrder;
                    ahead.insert(seq);
                    continue;
                }
                high = seq;
                while (ahead.remove(high + 1))
                    ++high;
            }
            if (!ok || !ahead.isEmpty())
                qWarning("client %d channel %s (from %lld): %s", int(i), qPrintable(channel),
                         base.value(channel), qPrintable(show(it.value())));
            QVERIFY(ok);
            QVERIFY(ahead.isEmpty());
            const qint64 got = high - base.value(channel);
            if (last.contains(channel))
                QCOMPARE(got, last.value(channel));
            last[channel] = got;
            total += got;
        }
        QCOMPARE(total, expected);
    }
}

void tst_ClusterPostgres::verifyDatabase(const QString &tag, int sends)
{
    const QList<QVariantList> mine =
        sql(u"SELECT count(*), count(DISTINCT client_msg_id) FROM messages WHERE client_msg_id "
            "LIKE '%1-%%'"_qs.arg(tag));
    QCOMPARE(mine.size(), 1);
    QCOMPARE(mine[0][0].toInt(), sends); // every send stored, none twice
    QCOMPARE(mine[0][1].toInt(), sends);
    const QList<QVariantList> channels =
        sql(u"SELECT c.id, c.last_seq, count(m.seq), min(m.seq), max(m.seq) FROM channels c "
            "JOIN messages m ON m.channel_id = c.id GROUP BY c.id, c.last_seq"_qs);
    QCOMPARE(channels.size(), kChannels);
    for (const QVariantList &row : channels) {
        QCOMPARE(row[2].toLongLong(), row[1].toLongLong()); // count = last_seq: no gap
        QCOMPARE(row[3].toLongLong(), 1);
        QCOMPARE(row[4].toLongLong(), row[1].toLongLong());
    }
}

void tst_ClusterPostgres::test1_fullSizeOnPostgres()
{
    // The test 1 at full size: 30 clients spread over the 3 nodes,
    // everyone in the 5 channels; 10 senders (on all nodes) × 200 messages.
    constexpr int kSenders = 10;
    constexpr int kPerSender = 200;
    QElapsedTimer took;
    took.start();
    auto clients = connectClients(kUsers);
    QCOMPARE(int(clients.size()), kUsers);
    const QHash<QString, qint64> base = lastSeqs();
    std::vector<WsTestClient *> senders;
    for (int s = 0; s < kSenders; ++s)
        senders.push_back(clients[size_t(s)].get());
    SendLoad load(senders, m_channels, kPerSender, u"t1"_qs);
    load.start();
    if (!QTest::qWaitFor([&] { return load.done() || !load.failures().isEmpty(); }, 240000)) {
        dumpLogs();
        QFAIL(qPrintable(load.describe()));
    }
    QVERIFY2(load.failures().isEmpty(), qPrintable(load.describe()));
    QCOMPARE(load.refused(), 0); // nothing failed: nothing was refused
    verifyConverged(clients, base, kSenders * kPerSender, true);
    verifyDatabase(u"t1"_qs, kSenders * kPerSender);
    qInfo("test 1: %d messages to %d clients on %d nodes in %lld ms", kSenders * kPerSender, kUsers,
          kNodes, took.elapsed());
}

void tst_ClusterPostgres::test4_redisRestartedUnderLoad()
{
    // Redis goes away without saving anything and comes back empty on the same
    // port while 6 senders on all nodes send. Sends keep being stored and acked
    // meanwhile (each node delivers its own, the others find them by their
    // position check); after the nodes resubscribe everyone has everything.
    constexpr int kClients = 15;
    constexpr int kSenders = 6;
    constexpr int kPerSender = 80;
    auto clients = connectClients(kClients);
    QCOMPARE(int(clients.size()), kClients);
    for (int i = 0; i < kNodes; ++i)
        QCOMPARE(health(i).json[u"redis"].toBool(), true);
    const QHash<QString, qint64> base = lastSeqs();
    std::vector<WsTestClient *> senders;
    for (int s = 0; s < kSenders; ++s)
        senders.push_back(clients[size_t(s)].get());
    SendLoad load(senders, m_channels, kPerSender, u"t4"_qs);
    load.start();
    QVERIFY2(QTest::qWaitFor([&] { return load.acked() >= 80; }, 60000),
             qPrintable(load.describe()));

    // `redis-cli shutdown nosave`: Redis exits and forgets everything.
    m_redis.cli({u"shutdown"_qs, u"nosave"_qs});
    QTRY_VERIFY_WITH_TIMEOUT(!m_redis.isRunning(), 10000);
    // Every node notices, says so in its health, and still serves (200).
    for (int i = 0; i < kNodes; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(health(i).json[u"redis"].toBool(true), false, 10000);
        QCOMPARE(health(i).status, 200);
    }
    // Sends keep working while Redis is down.
    const int before = load.acked();
    QVERIFY2(QTest::qWaitFor([&] { return load.acked() >= before + 60; }, 60000),
             qPrintable(load.describe()));

    QVERIFY2(m_redis.restart(), qPrintable(m_redis.errorString()));
    for (int i = 0; i < kNodes; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(health(i).json[u"redis"].toBool(), true, 15000);
    if (!QTest::qWaitFor([&] { return load.done() || !load.failures().isEmpty(); }, 120000)) {
        dumpLogs();
        QFAIL(qPrintable(load.describe()));
    }
    QVERIFY2(load.failures().isEmpty(), qPrintable(load.describe()));
    verifyConverged(clients, base, kSenders * kPerSender, false);
    verifyDatabase(u"t4"_qs, kSenders * kPerSender);
    // The nodes subscribed again (the log says so once more than at the start).
    for (int i = 0; i < kNodes; ++i)
        QVERIFY(node(i)->log().count("event=cluster_subscribed") >= 2);
}

void tst_ClusterPostgres::test5_postgresRestartedUnderLoad_data()
{
    QTest::addColumn<bool>("immediate");
    QTest::newRow("fast") << false;
    QTest::newRow("immediate") << true;
}

void tst_ClusterPostgres::test5_postgresRestartedUnderLoad()
{
    // PostgreSQL stops (fast: sessions cut; immediate: as if it crashed) while
    // 6 senders on all nodes send. Their sends are refused retryably
    // (rate_limited) while it is away and sent again by the "outbox"; once it is
    // back every node reconnects by itself, and nothing is lost or stored twice.
    QFETCH(bool, immediate);
    const QString tag = immediate ? u"t5i"_qs : u"t5f"_qs;
    constexpr int kClients = 15;
    constexpr int kSenders = 6;
    constexpr int kPerSender = 50;
    auto clients = connectClients(kClients);
    QCOMPARE(int(clients.size()), kClients);
    const QHash<QString, qint64> base = lastSeqs();
    std::vector<WsTestClient *> senders;
    for (int s = 0; s < kSenders; ++s)
        senders.push_back(clients[size_t(s)].get());
    SendLoad load(senders, m_channels, kPerSender, tag);
    load.start();
    QVERIFY2(QTest::qWaitFor([&] { return load.acked() >= 60; }, 60000),
             qPrintable(load.describe()));

    PostgresProcess *pg = m_first.postgres();
    QVERIFY(pg->stop(immediate));
    for (int i = 0; i < kNodes; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(health(i).status, 503, 10000);
    // Sends are refused retryably meanwhile (and the senders try again).
    const int refusedBefore = load.refused();
    QVERIFY2(QTest::qWaitFor([&] { return load.refused() >= refusedBefore + kSenders; }, 30000),
             qPrintable(load.describe()));
    QVERIFY2(load.failures().isEmpty(), qPrintable(load.describe()));

    QVERIFY2(pg->start(), qPrintable(pg->errorString()));
    // The nodes reconnect by themselves: no restart, no operator.
    for (int i = 0; i < kNodes; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(health(i).status, 200, 15000);
    if (!QTest::qWaitFor([&] { return load.done() || !load.failures().isEmpty(); }, 120000)) {
        dumpLogs();
        QFAIL(qPrintable(load.describe()));
    }
    QVERIFY2(load.failures().isEmpty(), qPrintable(load.describe()));
    verifyConverged(clients, base, kSenders * kPerSender, false);
    verifyDatabase(tag, kSenders * kPerSender);
    // Each acked id has the seq the database gave it (a resend got the original).
    const QHash<QString, qint64> acked = load.seqOfId();
    for (const QVariantList &row :
         sql(u"SELECT client_msg_id, seq FROM messages WHERE client_msg_id LIKE '%1-%%'"_qs.arg(
             tag)))
        QCOMPARE(acked.value(row[0].toString()), row[1].toLongLong());
}

HttpResult tst_ClusterPostgres::upload(int i, const QString &user, const QString &channel,
                                       const QString &name, const QByteArray &bytes)
{
    HttpTestClient http(node(i)->httpUrl());
    QUrlQuery query;
    query.addQueryItem(u"channel"_qs, channel);
    query.addQueryItem(u"name"_qs, name);
    return http.request("POST", u"/api/v1/files?"_qs + query.toString(QUrl::FullyEncoded), bytes,
                        token(user).toUtf8());
}

void tst_ClusterPostgres::filesUploadedOnOneNodeDownloadFromAnother()
{
    // u0 uploads through node 1 and sends it there; u1 on node 2 gets the
    // message and downloads the file from node 2, u2 from node 3.
    auto sender = connectTo(0, userName(0));
    QVERIFY(sender);
    auto reader = connectTo(1, userName(1));
    QVERIFY(reader);
    const QString channel = m_channels[0];
    const QByteArray bytes = "minutes of the meeting\nwe decided: ship it on three nodes\n";
    const HttpResult up = upload(0, userName(0), channel, u"notes.txt"_qs, bytes);
    QCOMPARE(up.status, 201);
    const QString id = up.json[u"file"][u"id"].toString();
    QCOMPARE(id.size(), 32);
    // The bytes went to the shared files directory, not the node's data dir.
    QVERIFY(
        QFile::exists(m_sharedFiles.path() + u'/' + id.left(2) + u'/' + id.mid(2, 2) + u'/' + id));
    QCOMPARE(filesUnder(m_first.dataDir() + u"/files"_qs), 0);
    sender->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, 1},
                      {u"channel"_qs, channel},
                      {u"client_msg_id"_qs, u"files-1"_qs},
                      {u"text"_qs, u"the notes"_qs},
                      {u"attachments"_qs, QJsonArray{id}}});
    const QJsonObject ack = sender->take(u"ack"_qs, 10000);
    QCOMPARE(ack[u"message"][u"attachments"][0][u"id"].toString(), id);
    const QJsonObject got = reader->take(u"message"_qs, 10000);
    QCOMPARE(got[u"message"][u"attachments"][0][u"id"].toString(), id);
    for (int i = 1; i < kNodes; ++i) {
        HttpTestClient http(node(i)->httpUrl());
        const HttpResult down =
            http.request("GET", u"/api/v1/files/"_qs + id, {}, token(userName(i)).toUtf8());
        QCOMPARE(down.status, 200);
        QCOMPARE(down.body, bytes);
    }
}

void tst_ClusterPostgres::aNodeStartingKeepsAnotherNodesUploadInFlight()
{
    // An upload arrives slowly on node 1 while node 3 restarts: node 3 empties
    // its own leftover partial uploads at start, never node 1's.
    const QByteArray body(4096, 'z');
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_first.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /api/v1/files?channel=" + m_channels[1].toUtf8()
                 + "&name=slow.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                 + token(userName(0)).toUtf8() + "\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body.left(1000));
    const QString mine = m_sharedFiles.path() + u"/tmp/node-n1"_qs;
    QTRY_COMPARE_WITH_TIMEOUT(filesUnder(mine), 1, 10000);
    m_nodes[2]->stop();
    QVERIFY(startNode(2));
    QCOMPARE(filesUnder(mine), 1);
    QByteArray answer;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { answer += socket.readAll(); });
    socket.write(body.mid(1000));
    QTRY_VERIFY_WITH_TIMEOUT(answer.contains("\r\n\r\n"), 10000);
    QVERIFY2(answer.startsWith("HTTP/1.1 201 "), answer.constData());
    QCOMPARE(filesUnder(mine), 0); // placed into the shared tree
}

void tst_ClusterPostgres::attachmentsCommitWithTheirMessageOrNotAtAll()
{
    // The database refuses to attach files (a trigger the test installs, the
    // stand-in for a failure between storing the message and attaching its
    // files). The send is refused retryably and leaves nothing: no message, no
    // seq used up, the file still unattached. Once attaching works again, the
    // resend stores both with the next seq, and the other nodes deliver it.
    auto sender = connectTo(0, userName(3));
    QVERIFY(sender);
    auto watcher = connectTo(2, userName(4));
    QVERIFY(watcher);
    const QString channel = m_channels[2];
    const HttpResult up = upload(0, userName(3), channel, u"plan.txt"_qs, "the plan");
    QCOMPARE(up.status, 201);
    const QString id = up.json[u"file"][u"id"].toString();
    const qint64 before = lastSeqs().value(channel);
    PostgresProcess *pg = m_first.postgres();
    QVERIFY2(pg->runSql(u"CREATE FUNCTION natter_test_refuse() RETURNS trigger LANGUAGE plpgsql "
                        "AS $$ BEGIN RAISE EXCEPTION 'attaching refused by the test'; END $$"_qs,
                        u"natter"_qs),
             qPrintable(pg->errorString()));
    QVERIFY2(pg->runSql(u"CREATE TRIGGER natter_test_refuse_attach BEFORE UPDATE OF message_id "
                        "ON files FOR EACH ROW EXECUTE FUNCTION natter_test_refuse()"_qs,
                        u"natter"_qs),
             qPrintable(pg->errorString()));
    const auto send = [&](int ref) {
        sender->sendJson({{u"type"_qs, u"send"_qs},
                          {u"ref"_qs, ref},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, u"atomic-1"_qs},
                          {u"text"_qs, u"see the plan"_qs},
                          {u"attachments"_qs, QJsonArray{id}}});
    };
    const qsizetype reconnects = m_first.log().count("event=postgres_reconnected");
    send(1);
    const QJsonObject refused = sender->take(u"error"_qs, 10000);
    QCOMPARE(refused[u"ref"].toInt(), 1);
    QCOMPARE(refused[u"code"].toString(), u"rate_limited"_qs);
    QVERIFY(!sender->has(u"ack"_qs));
    QCOMPARE(
        sql(u"SELECT count(*) FROM messages WHERE client_msg_id = 'atomic-1'"_qs)[0][0].toInt(), 0);
    QCOMPARE(lastSeqs().value(channel), before);
    QCOMPARE(
        sql(u"SELECT count(*) FROM files WHERE id = '%1' AND message_id IS NULL"_qs.arg(id))[0][0]
            .toInt(),
        1);

    QVERIFY2(pg->runSql(u"DROP TRIGGER natter_test_refuse_attach ON files"_qs, u"natter"_qs),
             qPrintable(pg->errorString()));
    QVERIFY2(pg->runSql(u"DROP FUNCTION natter_test_refuse()"_qs, u"natter"_qs),
             qPrintable(pg->errorString()));
    // The trigger's exception was the statement's, not the session's: node 1's
    // writer session (sends run on its writer thread, docs/server.md "On the
    // event loop") stays, and the outbox's resend goes through on it at once.
    send(2);
    const QJsonObject ack = sender->take(u"ack"_qs, 10000);
    QCOMPARE(m_first.log().count("event=postgres_reconnected"), reconnects);
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), before + 1);
    QCOMPARE(ack[u"message"][u"attachments"][0][u"id"].toString(), id);
    const QJsonObject got = watcher->take(u"message"_qs, 10000);
    QCOMPARE(got[u"message"][u"seq"].toInteger(), before + 1);
    QCOMPARE(got[u"message"][u"attachments"][0][u"id"].toString(), id);
}

void tst_ClusterPostgres::test9_resumeOnAnotherNode()
{
    // u5 reads on node 1, goes away, misses messages sent on node 2, and comes
    // back on node 3 with the seq it had: exactly the missed ones, in order.
    auto reader = connectTo(0, userName(5));
    QVERIFY(reader);
    auto sender = connectTo(1, userName(6));
    QVERIFY(sender);
    const QString channel = m_channels[3];
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
    WsTestClient back;
    QVERIFY(back.open(m_nodes[2]->wsUrl(), m_nodes[2]->origin()));
    QVERIFY(!back.authenticate(token(userName(5)), {{channel, had}}, true).isEmpty());
    QVERIFY(!back.take(u"resumed"_qs, 10000).isEmpty());
    QList<qint64> got;
    for (const QJsonObject &f : back.frames()) {
        if (f[u"type"].toString() == u"message" && f[u"message"][u"channel"].toString() == channel)
            got << f[u"message"][u"seq"].toInteger();
    }
    QCOMPARE(got, (QList<qint64>{had + 1, had + 2, had + 3, had + 4, had + 5}));
}

void tst_ClusterPostgres::test7_refreshReuseClosesTheFamilyOnEveryNode()
{
    HttpTestClient http(m_first.httpUrl());
    const HttpResult login = http.login(userName(7), userName(7) + u"-pw"_qs);
    QCOMPARE(login.status, 200);
    const QString access = login.json[u"access_token"].toString();
    const QString refresh = login.json[u"refresh_token"].toString();
    std::vector<std::unique_ptr<WsTestClient>> family;
    for (int i = 0; i < kNodes; ++i) {
        family.push_back(std::make_unique<WsTestClient>());
        QVERIFY(family.back()->open(node(i)->wsUrl(), node(i)->origin()));
        QVERIFY(!family.back()->authenticate(access).isEmpty());
    }
    auto other = connectTo(1, userName(7)); // another login of the same user
    QVERIFY(other);
    HttpTestClient http1(m_nodes[1]->httpUrl());
    QCOMPARE(http1.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             200);
    HttpTestClient http2(m_nodes[2]->httpUrl());
    QCOMPARE(http2.postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             401);
    for (const auto &c : family) {
        QVERIFY(c->waitClosed(2000));
        QCOMPARE(c->closeCode(), 4401);
    }
    QVERIFY(other->isOpen());
}

void tst_ClusterPostgres::channelEventsReachNewcomersOnEveryNode()
{
    // Users of no other test here (their channel lists stay small).
    const QString u0 = userName(20), u1 = userName(21), u2 = userName(22);
    HttpTestClient http(m_first.httpUrl());
    const HttpResult directory =
        http.request("GET", u"/api/v1/users?limit=100"_qs, {}, token(u0).toUtf8());
    QCOMPARE(directory.status, 200);
    QHash<QString, QString> ids;
    for (const QJsonValue &u : directory.json[u"users"].toArray())
        ids[u[u"username"].toString()] = u[u"id"].toString();
    auto a0 = connectTo(0, u0);
    auto a2 = connectTo(0, u2);
    auto b1 = connectTo(1, u1);
    auto b2 = connectTo(1, u2);
    QVERIFY(a0 && a2 && b1 && b2);
    checkChannelEventsAcrossNodes(*a0, *a2, *b1, *b2, ids[u1], ids[u2], u"pg10"_qs);
}

void tst_ClusterPostgres::test3_crashBetweenCommitAndPublish()
{
    // Node 2 dies after committing its next message and before publishing it;
    // node 1 must still deliver it, found by its position check (1 s here).
    m_nodes[1]->stop();
    qputenv("NATTERD_TEST_CRASH_BEFORE_PUBLISH", "1");
    const bool started = startNode(1);
    qunsetenv("NATTERD_TEST_CRASH_BEFORE_PUBLISH");
    QVERIFY(started);
    auto watcher = connectTo(0, userName(8));
    QVERIFY(watcher);
    auto sender = connectTo(1, userName(9));
    QVERIFY(sender);
    sender->sendJson({{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, 1},
                      {u"channel"_qs, m_channels[4]},
                      {u"client_msg_id"_qs, u"t3-a"_qs},
                      {u"text"_qs, u"orphan"_qs}});
    QVERIFY(sender->waitClosed(10000)); // the node died
    const QJsonObject got = watcher->take(u"message"_qs, 10000);
    QCOMPARE(got[u"message"][u"client_msg_id"].toString(), u"t3-a"_qs);
    QVERIFY(!watcher->has(u"message"_qs));
    QVERIFY(startNode(1)); // back without the fault
}

void tst_ClusterPostgres::cleanupTestCase()
{
    for (int i = kNodes - 1; i >= 1; --i) {
        if (m_nodes.size() > size_t(i) && m_nodes[size_t(i)])
            m_nodes[size_t(i)]->stop();
    }
    m_first.stop();
    m_redis.stop();
}

QTEST_GUILESS_MAIN(tst_ClusterPostgres)
#include "tst_cluster_postgres.moc"
