// Redis with a password between the nodes (issue 16): a real redis-server with
// `requirepass` (RedisProcess::setPassword) and real natterd nodes. Nodes given
// the right password (by --redis-password-file or NATTER_REDIS_PASSWORD) carry
// messages between them through Redis; a node with a wrong one says redis:false
// in its health and keeps serving; the password is never in a node's log nor
// on its command line (/proc/PID/cmdline).
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RedisProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QByteArray kPassword = QByteArrayLiteral("s3cret-Redis-pw-7f2a");
const QByteArray kWrongPassword = QByteArrayLiteral("not-the-Redis-pw-91c4");
constexpr int kNodes = 3; // 0: password file, 1: environment, 2: wrong password file
} // namespace

class tst_ClusterAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rightPasswordDeliversAcrossNodes();
    void wrongPasswordIsRedisFalseInHealth();
    void passwordNeverInLogOrCommandLine();
    void cleanupTestCase();

private:
    NatterdProcess *node(int i) { return i == 0 ? &m_first : m_nodes[size_t(i)].get(); }
    bool startNode(int i, const QStringList &extra);
    QJsonObject health(int i);
    std::unique_ptr<WsTestClient> connectTo(int i, const QString &user);
    QString writeFile(const QString &name, const QByteArray &content);

    RedisProcess m_redis;
    NatterdProcess m_first; // owns the shared data directory
    std::vector<std::unique_ptr<NatterdProcess>> m_nodes;
    QTemporaryDir m_dir;
    QString m_channelId;
};

QString tst_ClusterAuth::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return path;
}

void tst_ClusterAuth::initTestCase()
{
    m_redis.setPassword(kPassword);
    QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    QCOMPARE(m_redis.cli({u"PING"_qs}), QByteArray("PONG"));
    // Redis really refuses a client without the password.
    QProcess anonymous;
    anonymous.start(u"redis-cli"_qs, {u"-p"_qs, QString::number(m_redis.port()), u"PING"_qs});
    QVERIFY(anonymous.waitForFinished(10000));
    QVERIFY(anonymous.readAllStandardOutput().contains("NOAUTH"));
    QVERIFY(m_first.addUser(u"ann"_qs, u"ann-pw"_qs));
    QVERIFY(m_first.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_first.addChannel(u"general"_qs, {u"ann"_qs, u"bob"_qs}));
    const QString right = writeFile(u"redis-pw"_qs, kPassword + '\n');
    const QString wrong = writeFile(u"redis-wrong-pw"_qs, kWrongPassword + '\n');
    QVERIFY(!right.isEmpty() && !wrong.isEmpty());
    m_nodes.push_back(nullptr); // node 0 is m_first
    for (int i = 1; i < kNodes; ++i)
        m_nodes.push_back(std::make_unique<NatterdProcess>());
    QVERIFY(startNode(0, {u"--redis-password-file"_qs, right}));
    // natterd inherits this process' environment when it starts.
    qputenv("NATTER_REDIS_PASSWORD", kPassword);
    const bool started = startNode(1, {});
    qunsetenv("NATTER_REDIS_PASSWORD");
    QVERIFY(started);
    QVERIFY(startNode(2, {u"--redis-password-file"_qs, wrong}));
}

bool tst_ClusterAuth::startNode(int i, const QStringList &extra)
{
    // The position check is far off: a message reaches the other node through
    // Redis or not at all within the test.
    QStringList args{u"--data-dir"_qs,
                     m_first.dataDir(),
                     u"--redis"_qs,
                     m_redis.address(),
                     u"--cluster-position-check"_qs,
                     u"600"_qs,
                     u"--node-id"_qs,
                     QStringLiteral("n%1").arg(i)};
    args += extra;
    if (!node(i)->start(args)) {
        qWarning("%s", qPrintable(node(i)->errorString()));
        return false;
    }
    return true;
}

QJsonObject tst_ClusterAuth::health(int i)
{
    HttpTestClient http(node(i)->httpUrl());
    return http.request("GET", u"/api/v1/health"_qs).json;
}

std::unique_ptr<WsTestClient> tst_ClusterAuth::connectTo(int i, const QString &user)
{
    HttpTestClient http(node(i)->httpUrl());
    const QString token = http.accessToken(user, user + u"-pw"_qs);
    auto client = std::make_unique<WsTestClient>();
    if (token.isEmpty() || !client->open(node(i)->wsUrl(), node(i)->origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(token);
    if (connected.isEmpty())
        return nullptr;
    for (const QJsonValue &c : connected[u"channels"].toArray())
        if (c[u"name"].toString() == u"general")
            m_channelId = c[u"id"].toString();
    return client;
}

void tst_ClusterAuth::rightPasswordDeliversAcrossNodes()
{
    QTRY_VERIFY_WITH_TIMEOUT(health(0)[u"redis"].toBool(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(health(1)[u"redis"].toBool(), 15000);
    auto ann = connectTo(0, u"ann"_qs);
    auto bob = connectTo(1, u"bob"_qs);
    QVERIFY(ann && bob);
    QVERIFY(!m_channelId.isEmpty());
    ann->sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, 1},
                   {u"channel"_qs, m_channelId},
                   {u"client_msg_id"_qs, u"auth-1"_qs},
                   {u"text"_qs, u"through an authenticated Redis"_qs}});
    QVERIFY(!ann->take(u"ack"_qs).isEmpty());
    const QJsonObject got = bob->take(u"message"_qs, 10000);
    QCOMPARE(got[u"message"].toObject()[u"text"].toString(), u"through an authenticated Redis"_qs);
}

void tst_ClusterAuth::wrongPasswordIsRedisFalseInHealth()
{
    // Redis refused it: logged once, and it keeps retrying (as when Redis is down).
    QTRY_VERIFY_WITH_TIMEOUT(node(2)->log().contains("event=redis_auth_failed"), 15000);
    QVERIFY(node(2)->log().contains("WRONGPASS"));
    const QJsonObject h = health(2);
    QCOMPARE(h[u"node"].toString(), u"n2"_qs);
    QCOMPARE(h[u"redis"].toBool(true), false);
    // It still serves its own users.
    auto ann = connectTo(2, u"ann"_qs);
    QVERIFY(ann);
    // The others are unaffected.
    QCOMPARE(health(0)[u"redis"].toBool(), true);
    QCOMPARE(health(1)[u"redis"].toBool(), true);
}

void tst_ClusterAuth::passwordNeverInLogOrCommandLine()
{
    for (int i = 0; i < kNodes; ++i) {
        QVERIFY(node(i)->log().contains("event=redis_"));
        QVERIFY2(!node(i)->log().contains(kPassword), qPrintable(QString::number(i)));
        QVERIFY2(!node(i)->log().contains(kWrongPassword), qPrintable(QString::number(i)));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(node(i)->pid()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray args = cmdline.readAll();
        QVERIFY(args.contains("--redis")); // the right process
        QVERIFY(!args.contains(kPassword));
        QVERIFY(!args.contains(kWrongPassword));
    }
}

void tst_ClusterAuth::cleanupTestCase()
{
    for (int i = kNodes - 1; i >= 0; --i) {
        if (i < int(m_nodes.size()) && node(i) && node(i)->isRunning())
            node(i)->stop();
    }
    m_redis.stop();
}

QTEST_GUILESS_MAIN(tst_ClusterAuth)
#include "tst_cluster_auth.moc"
