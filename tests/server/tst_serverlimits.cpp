// Limits of the contract against the real natterd: HTTP body/header caps, the
// 64 KiB WebSocket message limit (1009), the 4000 code point text limit
// (too_large), the per-connection token bucket (rate_limited, then 4429), and
// the idle close after three silent heartbeat intervals (4408).
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

class tst_ServerLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void httpBodyLimit_data();
    void httpBodyLimit();
    void rawHttpErrors_data();
    void rawHttpErrors();
    void keepAliveServesSeveralRequests();
    void expectContinue();
    void clientGoneBeforeAsyncAnswer();
    void messageSize_data();
    void messageSize();
    void textLength_data();
    void textLength();
    void rateLimitedThenFloodClose();
    void repeatedProtocolAbuseClosedWith1008();
    void idleConnectionClosedWith4408();
    void pingingConnectionStaysOpen();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user);
    QByteArray rawRequest(const QByteArray &request);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_general;
};

void tst_ServerLimits::initTestCase()
{
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs}));
    QVERIFY2(m_server.start({u"--heartbeat-interval"_qs, u"0.3"_qs}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
}

std::unique_ptr<WsTestClient> tst_ServerLimits::connectAs(const QString &user)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(m_http->accessToken(user, user + u"-pw"_qs));
    if (connected.isEmpty())
        return nullptr;
    m_general = connected[u"channels"][0][u"id"].toString();
    return client;
}

void tst_ServerLimits::httpBodyLimit_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("64 KiB") << 64 * 1024 << 401;
    QTest::newRow("64 KiB + 1") << 64 * 1024 + 1 << 413;
    QTest::newRow("1 MiB") << 1024 * 1024 << 413;
}

void tst_ServerLimits::httpBodyLimit()
{
    QFETCH(int, size);
    QFETCH(int, status);
    // A valid JSON login padded to `size` bytes.
    QByteArray body = R"({"username":"alice","password":"wrong","pad":")";
    body += QByteArray(size - body.size() - 2, 'x') + "\"}";
    QCOMPARE(body.size(), size);
    const HttpResult r = m_http->request("POST", u"/api/v1/auth/login"_qs, body);
    QCOMPARE(r.status, status);
    if (status == 413)
        QCOMPARE(r.json[u"error"].toString(), u"payload_too_large"_qs);
}

QByteArray tst_ServerLimits::rawRequest(const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray response;
    while (socket.waitForReadyRead(5000))
        response += socket.readAll();
    return response;
}

void tst_ServerLimits::rawHttpErrors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("chunked body") << QByteArray(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                                  << QByteArray("411");
    QTest::newRow("huge headers") << (QByteArray("GET /api/v1/health HTTP/1.1\r\nX-Big: ")
                                      + QByteArray(20000, 'a') + "\r\n\r\n")
                                  << QByteArray("431");
    QTest::newRow("garbage request line") << QByteArray("HELLO\r\n\r\n") << QByteArray("400");
    QTest::newRow("ws without upgrade")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        << QByteArray("426");
}

void tst_ServerLimits::rawHttpErrors()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    const QByteArray response = rawRequest(request);
    QVERIFY2(response.startsWith("HTTP/1.1 " + status), response.left(200).constData());
    QVERIFY(response.contains("Content-Type: application/json"));
}

void tst_ServerLimits::keepAliveServesSeveralRequests()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray one = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
    socket.write(one + one + "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray response;
    while (socket.waitForReadyRead(5000))
        response += socket.readAll();
    QCOMPARE(response.count("HTTP/1.1 200 OK"), 3);
}

void tst_ServerLimits::expectContinue()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"username":"alice","password":"wrong"})";
    socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 "Expect: 100-continue\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n");
    QByteArray response;
    while (!response.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        response += socket.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), response.constData());
    socket.write(body);
    while (socket.waitForReadyRead(5000))
        response += socket.readAll();
    QVERIFY2(response.contains("HTTP/1.1 401"), response.constData());
}

void tst_ServerLimits::clientGoneBeforeAsyncAnswer()
{
    // Logins are answered later (the hash runs on a pool); clients that vanish
    // meanwhile must not hurt the server.
    const QByteArray body = R"({"username":"alice","password":"alice-pw"})";
    for (int i = 0; i < 5; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
                     + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(socket.waitForBytesWritten(5000));
        socket.abort();
    }
    // Still serving, and the abandoned logins completed without harm.
    QCOMPARE(m_http->request("GET", u"/api/v1/health"_qs).status, 200);
    QCOMPARE(m_http->login(u"alice"_qs, u"alice-pw"_qs).status, 200);
    QVERIFY(m_server.isRunning());
}

void tst_ServerLimits::messageSize_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("closes");
    QTest::newRow("exactly 65536") << 65536 << false;
    QTest::newRow("65537") << 65537 << true;
}

void tst_ServerLimits::messageSize()
{
    QFETCH(int, size);
    QFETCH(bool, closes);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    // A send whose text is far over 4000 characters, padded to exactly `size` bytes.
    QByteArray frame = R"({"type":"send","ref":"big","channel":")" + m_general.toUtf8()
        + R"(","client_msg_id":"big-1","text":")";
    frame += QByteArray(size - frame.size() - 2, 'y') + "\"}";
    QCOMPARE(frame.size(), size);
    alice->sendText(QString::fromUtf8(frame));
    if (closes) {
        QVERIFY(alice->waitClosed());
        QCOMPARE(alice->closeCode(), 1009);
    } else {
        QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"too_large"_qs);
        QVERIFY(alice->isOpen());
    }
}

void tst_ServerLimits::textLength_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("4000 ascii") << QString(4000, u'a') << true;
    QTest::newRow("4001 ascii") << QString(4001, u'a') << false;
    // Emoji are two UTF-16 units but one code point each.
    QTest::newRow("4000 emoji") << u"😀"_qs.repeated(4000) << true;
    QTest::newRow("4001 emoji") << u"😀"_qs.repeated(4001) << false;
}

void tst_ServerLimits::textLength()
{
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    static int n = 0;
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"t"_qs},
                     {u"channel"_qs, m_general},
                     {u"client_msg_id"_qs, QStringLiteral("len-%1").arg(++n)},
                     {u"text"_qs, text}});
    if (accepted) {
        QCOMPARE(alice->take(u"ack"_qs)[u"message"][u"text"].toString(), text);
    } else {
        const QJsonObject error = alice->take(u"error"_qs);
        QCOMPARE(error[u"code"].toString(), u"too_large"_qs);
        QCOMPARE(error[u"ref"].toString(), u"t"_qs);
    }
}

void tst_ServerLimits::rateLimitedThenFloodClose()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    // A burst well over 40 frames: the excess gets one rate_limited error each.
    for (int i = 0; i < 60; ++i)
        alice->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, QString::number(i)}});
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"rate_limited"_qs);
    QVERIFY(alice->isOpen());
    // Sustained flooding: 100 refusals within 10 s close the connection with 4429.
    for (int i = 0; i < 200 && alice->isOpen(); ++i)
        alice->sendJson({{u"type"_qs, u"ping"_qs}});
    QVERIFY(alice->waitClosed(10000));
    QCOMPARE(alice->closeCode(), 4429);
    int pongs = 0;
    for (const QJsonObject &f : alice->frames())
        pongs += f[u"type"].toString() == u"pong";
    QVERIFY(pongs >= 40); // the burst itself was served
}

void tst_ServerLimits::repeatedProtocolAbuseClosedWith1008()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    // A few broken frames only get errors (a client bug should be survivable).
    for (int i = 0; i < 5; ++i)
        alice->sendText(u"{not json"_qs);
    alice->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"still-here"_qs}});
    QCOMPARE(alice->take(u"pong"_qs)[u"ref"].toString(), u"still-here"_qs);
    QVERIFY(alice->isOpen());
    // Twenty within ten seconds (well under the rate limit) is abuse: 1008.
    for (int i = 0; i < 30 && alice->isOpen(); ++i)
        alice->sendJson({{u"type"_qs, u"no_such_type"_qs}});
    QVERIFY(alice->waitClosed(10000));
    QCOMPARE(alice->closeCode(), 1008);
    QCOMPARE(alice->closeReason(), u"protocol abuse"_qs);
}

void tst_ServerLimits::idleConnectionClosedWith4408()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    // Heartbeat interval 0.3 s: silence for 0.9 s closes the connection.
    QVERIFY(alice->waitClosed(10000));
    QCOMPARE(alice->closeCode(), 4408);
}

void tst_ServerLimits::pingingConnectionStaysOpen()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    // WebSocket pings every 100 ms (well inside the 0.9 s limit) keep it alive.
    QTimer pinger;
    connect(&pinger, &QTimer::timeout, alice.get(), [&] { alice->socket().ping(); });
    pinger.start(100);
    QSignalSpy pongs(&alice->socket(), &QWebSocket::pong);
    // Wait for 20 pongs: about 2 s, more than twice the idle limit.
    QTRY_VERIFY_WITH_TIMEOUT(pongs.size() >= 20, 20000);
    QVERIFY(alice->isOpen());
}

QTEST_GUILESS_MAIN(tst_ServerLimits)
#include "tst_serverlimits.moc"
