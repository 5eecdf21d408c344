// Typing and presence through the real natterd (ChatHub): relay rules, the
// server's own typing expiry, stop on message and on disconnect, presence
// aggregated over two devices, away, the offline grace period, and a client that
// goes without a close frame.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RawWsClient.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QtTest>

#include <sys/socket.h>

class tst_ChatHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void typingRelayedToOthersOnly();
    void typingExpiresOnServer();
    void typingStopsWhenMessageArrives();
    void typingStopsWhenTypistDisconnects();
    void typingNotMember();
    void presenceAcrossTwoDevices();
    void reconnectWithinGraceDoesNotFlap();
    // natterd's sockets are Unbuffered (http/TcpListener): a peer's end is found
    // by natterd's own reads, not by Qt's buffering.
    void clientGoneWithoutCloseFrameGoesOffline_data();
    void clientGoneWithoutCloseFrameGoesOffline();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user);
    QJsonObject typing(const QString &state) const;
    void ping(WsTestClient &c);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_ids;
    QString m_general;
};

void tst_ChatHub::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY(m_server.addChannel(u"daves"_qs, {u"dave"_qs}));
    // A short grace keeps the test fast. Typing expiry is long here, so a `stop`
    // seen in these tests can only come from the rule under test; the expiry
    // itself is tested on its own server.
    QVERIFY2(m_server.start({u"--typing-expiry"_qs, u"30"_qs, u"--presence-grace"_qs, u"0.5"_qs}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        m_ids[name] = m_http->login(name, name + u"-pw"_qs).json[u"user"][u"id"].toString();
}

std::unique_ptr<WsTestClient> tst_ChatHub::connectAs(const QString &user)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(m_http->accessToken(user, user + u"-pw"_qs));
    if (connected.isEmpty() || client->take(u"resumed"_qs).isEmpty())
        return nullptr;
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            m_general = c[u"id"].toString();
    }
    return client;
}

QJsonObject tst_ChatHub::typing(const QString &state) const
{
    return {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, m_general}, {u"state"_qs, state}};
}

void tst_ChatHub::ping(WsTestClient &c)
{
    // A round trip: everything the server sent before the pong has arrived.
    c.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!c.take(u"pong"_qs).isEmpty());
}

void tst_ChatHub::typingRelayedToOthersOnly()
{
    auto alice = connectAs(u"alice"_qs);
    auto alice2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && alice2 && bob);
    alice->sendJson(typing(u"start"_qs));
    const QJsonObject start = bob->take(u"typing"_qs);
    QCOMPARE(start[u"state"].toString(), u"start"_qs);
    QCOMPARE(start[u"user"].toString(), m_ids[u"alice"_qs]);
    QCOMPARE(start[u"channel"].toString(), m_general);
    QCOMPARE(start[u"expires_in_ms"].toInt(), 30000);
    alice->sendJson(typing(u"stop"_qs));
    const QJsonObject stop = bob->take(u"typing"_qs);
    QCOMPARE(stop[u"state"].toString(), u"stop"_qs);
    QVERIFY(!stop.contains(u"expires_in_ms"_qs));
    // Not to the typist's own devices.
    ping(*alice2);
    ping(*alice);
    QVERIFY(!alice2->has(u"typing"_qs));
    QVERIFY(!alice->has(u"typing"_qs));
}

void tst_ChatHub::typingExpiresOnServer()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(server.addUser(u"finn"_qs, u"finn-pw"_qs));
    QVERIFY(server.addChannel(u"pair"_qs, {u"erin"_qs, u"finn"_qs}));
    QVERIFY(server.start({u"--typing-expiry"_qs, u"0.5"_qs}));
    HttpTestClient http(server.httpUrl());
    WsTestClient erin;
    WsTestClient finn;
    QVERIFY(erin.open(server.wsUrl(), server.origin()));
    QVERIFY(finn.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = erin.authenticate(http.accessToken(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(!finn.authenticate(http.accessToken(u"finn"_qs, u"finn-pw"_qs)).isEmpty());
    const QString pair = connected[u"channels"][0][u"id"].toString();
    erin.sendJson({{u"type"_qs, u"typing"_qs}, {u"channel"_qs, pair}, {u"state"_qs, u"start"_qs}});
    const QJsonObject start = finn.take(u"typing"_qs);
    QCOMPARE(start[u"state"].toString(), u"start"_qs);
    QCOMPARE(start[u"expires_in_ms"].toInt(), 500);
    // No further start: the server itself says stop once the expiry passed.
    const QJsonObject stop = finn.take(u"typing"_qs, 5000);
    QCOMPARE(stop[u"state"].toString(), u"stop"_qs);
    QCOMPARE(stop[u"user"].toString(), start[u"user"].toString());
    QVERIFY(erin.isOpen());
}

void tst_ChatHub::typingStopsWhenMessageArrives()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    alice->sendJson(typing(u"start"_qs));
    QCOMPARE(bob->take(u"typing"_qs)[u"state"].toString(), u"start"_qs);
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, m_general},
                     {u"client_msg_id"_qs, u"typed-1"_qs},
                     {u"text"_qs, u"done typing"_qs}});
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    QCOMPARE(bob->take(u"typing"_qs)[u"state"].toString(), u"stop"_qs);
}

void tst_ChatHub::typingStopsWhenTypistDisconnects()
{
    auto alice = connectAs(u"alice"_qs);
    auto alice2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && alice2 && bob);
    alice->sendJson(typing(u"start"_qs));
    QCOMPARE(bob->take(u"typing"_qs)[u"state"].toString(), u"start"_qs);
    // Another device of the typist closing does not end it...
    alice2.reset();
    ping(*bob);
    QVERIFY(!bob->has(u"typing"_qs));
    // ...the typing connection closing does.
    alice->socket().close();
    QCOMPARE(bob->take(u"typing"_qs)[u"state"].toString(), u"stop"_qs);
}

void tst_ChatHub::typingNotMember()
{
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(dave);
    dave->sendJson(typing(u"start"_qs));
    QCOMPARE(dave->take(u"error"_qs)[u"code"].toString(), u"not_member"_qs);
}

void tst_ChatHub::presenceAcrossTwoDevices()
{
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    const QString carolId = m_ids[u"carol"_qs];
    const auto nextCarolPresence = [&](int timeout = 5000) {
        for (;;) {
            const QJsonObject p = bob->take(u"presence"_qs, timeout);
            if (p.isEmpty() || p[u"user"].toString() == carolId)
                return p;
        }
    };
    auto phone = connectAs(u"carol"_qs);
    QVERIFY(phone);
    QJsonObject p = nextCarolPresence();
    QCOMPARE(p[u"status"].toString(), u"online"_qs);
    QVERIFY(QDateTime::fromString(p[u"last_seen"].toString(), Qt::ISODateWithMs).isValid());
    auto laptop = connectAs(u"carol"_qs);
    QVERIFY(laptop);

    // One device away, the other online: still online, no change announced.
    phone->sendJson({{u"type"_qs, u"presence"_qs}, {u"status"_qs, u"away"_qs}});
    ping(*phone);
    ping(*bob);
    QVERIFY(nextCarolPresence(0).isEmpty());
    // Both away: away.
    laptop->sendJson({{u"type"_qs, u"presence"_qs}, {u"status"_qs, u"away"_qs}});
    QCOMPARE(nextCarolPresence()[u"status"].toString(), u"away"_qs);
    laptop->sendJson({{u"type"_qs, u"presence"_qs}, {u"status"_qs, u"online"_qs}});
    QCOMPARE(nextCarolPresence()[u"status"].toString(), u"online"_qs);

    // Closing one device changes nothing; closing the last → offline after the grace.
    phone.reset();
    ping(*bob);
    QVERIFY(nextCarolPresence(0).isEmpty());
    laptop.reset();
    p = nextCarolPresence();
    QCOMPARE(p[u"status"].toString(), u"offline"_qs);
    QVERIFY(QDateTime::fromString(p[u"last_seen"].toString(), Qt::ISODateWithMs).isValid());

    // A new snapshot shows carol offline with her last_seen.
    auto alice = std::make_unique<WsTestClient>();
    QVERIFY(alice->open(m_server.wsUrl(), m_server.origin()));
    const QJsonObject connected =
        alice->authenticate(m_http->accessToken(u"alice"_qs, u"alice-pw"_qs));
    bool found = false;
    for (const QJsonValue &u : connected[u"users"].toArray()) {
        if (u[u"id"].toString() == carolId) {
            found = true;
            QCOMPARE(u[u"status"].toString(), u"offline"_qs);
            QCOMPARE(u[u"last_seen"].toString(), p[u"last_seen"].toString());
        }
    }
    QVERIFY(found);
}

void tst_ChatHub::reconnectWithinGraceDoesNotFlap()
{
    // With a long grace, a reconnect never shows the user offline.
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(server.addUser(u"finn"_qs, u"finn-pw"_qs));
    QVERIFY(server.addChannel(u"pair"_qs, {u"erin"_qs, u"finn"_qs}));
    QVERIFY(server.start({u"--presence-grace"_qs, u"30"_qs}));
    HttpTestClient http(server.httpUrl());
    const auto open = [&](const QString &user) {
        auto c = std::make_unique<WsTestClient>();
        if (!c->open(server.wsUrl(), server.origin())
            || c->authenticate(http.accessToken(user, user + u"-pw"_qs)).isEmpty())
            return std::unique_ptr<WsTestClient>();
        return c;
    };
    const QString erinId = http.login(u"erin"_qs, u"erin-pw"_qs).json[u"user"][u"id"].toString();
    auto finn = open(u"finn"_qs);
    auto erin = open(u"erin"_qs);
    QVERIFY(finn && erin);
    QJsonObject p;
    do {
        p = finn->take(u"presence"_qs);
    } while (!p.isEmpty() && p[u"user"].toString() != erinId);
    QCOMPARE(p[u"status"].toString(), u"online"_qs);
    finn->clearFrames();
    erin.reset();
    erin = open(u"erin"_qs);
    QVERIFY(erin);
    ping(*finn);
    QVERIFY(!finn->has(u"presence"_qs));
}

void tst_ChatHub::clientGoneWithoutCloseFrameGoesOffline_data()
{
    QTest::addColumn<bool>("reset");
    QTest::newRow("FIN") << false;
    QTest::newRow("RST") << true;
}

void tst_ChatHub::clientGoneWithoutCloseFrameGoesOffline()
{
    QFETCH(bool, reset);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    const QString carolId = m_ids[u"carol"_qs];
    const auto nextCarolPresence = [&] {
        for (;;) {
            const QJsonObject p = bob->take(u"presence"_qs);
            if (p.isEmpty() || p[u"user"].toString() == carolId)
                return p;
        }
    };
    RawWsClient carol;
    QVERIFY(carol.open(m_server.port(), m_server.origin()));
    QVERIFY(!carol.authenticate(m_http->accessToken(u"carol"_qs, u"carol-pw"_qs)).isEmpty());
    QCOMPARE(nextCarolPresence()[u"status"].toString(), u"online"_qs);
    // The TCP connection ends with no WebSocket close frame: natterd must notice
    // (its socket reports nothing more until it reads) and close the session.
    if (reset) {
        // SO_LINGER 0: the kernel answers the close with RST instead of FIN.
        const linger hard{1, 0};
        QCOMPARE(::setsockopt(int(carol.socket().socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard,
                              sizeof hard),
                 0);
        carol.socket().abort();
    } else {
        carol.socket().disconnectFromHost();
    }
    QCOMPARE(nextCarolPresence()[u"status"].toString(), u"offline"_qs);
    // And it still serves the others.
    ping(*bob);
}

QTEST_GUILESS_MAIN(tst_ChatHub)
#include "tst_chathub.moc"
