// ChatFrameHandler rules that need volume: history's default of 50 and cap of
// 200, resume's cap of 500 per channel (the gap shows in the first replayed
// seq). natterd runs with a config file raising the per-connection rate limit,
// which also exercises --config end to end.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

class tst_ChatFrameHandler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void historyDefaultsAndCap_data();
    void historyDefaultsAndCap();
    void resumeReplaysAtMost500();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user, const QJsonObject &resume = {},
                                            bool withResume = false);

    QTemporaryDir m_configDir;
    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_general;
    qint64 m_lastSeq = 0;
};

void tst_ChatFrameHandler::initTestCase()
{
    QFile config(m_configDir.filePath(u"natterd.conf"_qs));
    QVERIFY(config.open(QIODevice::WriteOnly));
    // Seeding 600 messages at once: lift the per-connection and per-user rates.
    config.write("[server]\nrate_limit_per_second = 5000\nrate_limit_burst = 5000\n"
                 "user_rate_limit_per_second = 5000\nuser_rate_limit_burst = 5000\n");
    config.close();
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start({u"--config"_qs, config.fileName()}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    for (int i = 1; i <= 600; ++i)
        alice->sendJson({{u"type"_qs, u"send"_qs},
                         {u"channel"_qs, m_general},
                         {u"client_msg_id"_qs, QString::number(i)},
                         {u"text"_qs, QString::number(i)}});
    for (int i = 1; i <= 600; ++i) {
        const QJsonObject ack = alice->take(u"ack"_qs);
        QVERIFY2(!ack.isEmpty(), qPrintable(QString::number(i)));
        m_lastSeq = ack[u"message"][u"seq"].toInteger();
    }
    QCOMPARE(m_lastSeq, 601); // seq 1 is the channel's `created` system message (§7)
}

std::unique_ptr<WsTestClient>
tst_ChatFrameHandler::connectAs(const QString &user, const QJsonObject &resume, bool withResume)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected =
        client->authenticate(m_http->accessToken(user, user + u"-pw"_qs), resume, withResume);
    if (connected.isEmpty())
        return nullptr;
    m_general = connected[u"channels"][0][u"id"].toString();
    return client;
}

void tst_ChatFrameHandler::historyDefaultsAndCap_data()
{
    QTest::addColumn<QJsonValue>("limit");
    QTest::addColumn<QJsonValue>("before");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<bool>("hasMore");
    // 601 messages: the `created` system message (seq 1), then 600 sends.
    QTest::newRow("default 50") << QJsonValue() << QJsonValue() << 50 << qint64(552) << true;
    QTest::newRow("cap 200") << QJsonValue(1000) << QJsonValue() << 200 << qint64(402) << true;
    QTest::newRow("exactly 200") << QJsonValue(200) << QJsonValue() << 200 << qint64(402) << true;
    QTest::newRow("before 101, 200")
        << QJsonValue(200) << QJsonValue(101) << 100 << qint64(1) << false;
    QTest::newRow("before 1") << QJsonValue(10) << QJsonValue(1) << 0 << qint64(0) << false;
}

void tst_ChatFrameHandler::historyDefaultsAndCap()
{
    QFETCH(QJsonValue, limit);
    QFETCH(QJsonValue, before);
    QFETCH(int, count);
    QFETCH(qint64, first);
    QFETCH(bool, hasMore);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    QJsonObject frame{
        {u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, m_general}};
    if (!limit.isNull())
        frame.insert(u"limit"_qs, limit);
    if (!before.isNull())
        frame.insert(u"before_seq"_qs, before);
    bob->sendJson(frame);
    const QJsonObject h = bob->take(u"history"_qs);
    const QJsonArray messages = h[u"messages"].toArray();
    QCOMPARE(messages.size(), count);
    QCOMPARE(h[u"has_more"].toBool(), hasMore);
    if (count > 0) {
        QCOMPARE(messages.first()[u"seq"].toInteger(), first);
        for (int i = 1; i < messages.size(); ++i) // oldest first, no gaps
            QCOMPARE(messages[i][u"seq"].toInteger(), messages[i - 1][u"seq"].toInteger() + 1);
    }
}

void tst_ChatFrameHandler::resumeReplaysAtMost500()
{
    auto bob = connectAs(u"bob"_qs, QJsonObject{{m_general, 3}}, true);
    QVERIFY(bob);
    QTRY_VERIFY_WITH_TIMEOUT(bob->has(u"resumed"_qs), 10000);
    QList<qint64> seqs;
    qsizetype resumedAt = -1;
    const QList<QJsonObject> frames = bob->frames();
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const QString type = frames[i][u"type"].toString();
        if (type == u"message") {
            QCOMPARE(resumedAt, -1); // every replayed message comes before `resumed`
            seqs << frames[i][u"message"][u"seq"].toInteger();
        } else if (type == u"resumed") {
            resumedAt = i;
        }
    }
    // 597 were missed; the newest 500 come, in order; the client sees the gap 4..100.
    QCOMPARE(seqs.size(), 500);
    QCOMPARE(seqs.first(), m_lastSeq - 499);
    QCOMPARE(seqs.last(), m_lastSeq);
    for (int i = 1; i < seqs.size(); ++i)
        QCOMPARE(seqs[i], seqs[i - 1] + 1);
}

QTEST_GUILESS_MAIN(tst_ChatFrameHandler)
#include "tst_chatframehandler.moc"
