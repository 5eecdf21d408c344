// End-to-end protocol v1 against the real natterd: HTTP API, authenticate,
// connected snapshot, send/ack/message fan-out, idempotency, history, read
// markers, direct channels, ping, resume.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QtTest>

class tst_NatterServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void health();
    void unknownRouteAndWrongMethod_data();
    void unknownRouteAndWrongMethod();
    void loginRefreshLogout();
    void loginWithoutDeviceName();
    void loginFailures_data();
    void loginFailures();
    void me();
    void userDirectory();
    void directoryRefusals_data();
    void directoryRefusals();
    void connectedSnapshot();
    void sendAckAndFanOut();
    void duplicateClientMsgId();
    void history();
    void readMarkers();
    void directChannel();
    void pingPong();
    void frameErrors_data();
    void frameErrors();
    void resumeWithoutGapOrDuplicate();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user, QJsonObject *connected = nullptr);
    QString channelId(const QJsonObject &connected, const QString &name) const;
    QJsonObject send(WsTestClient &c, const QString &channel, const QString &text,
                     const QString &clientMsgId = {});

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_ids;
    int m_counter = 0;
};

void tst_NatterServer::initTestCase()
{
    QVERIFY2(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw"),
                              QStringLiteral("Alice")),
             m_server.lastAdminOutput().constData());
    QVERIFY(
        m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw"), QStringLiteral("Bob")));
    QVERIFY(m_server.addUser(QStringLiteral("carol"), QStringLiteral("carol-pw")));
    QVERIFY(m_server.addUser(QStringLiteral("dave"), QStringLiteral("dave-pw")));
    QVERIFY(m_server.addChannel(
        QStringLiteral("general"),
        {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
    QVERIFY(m_server.addChannel(QStringLiteral("secret"), {QStringLiteral("bob")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs}) {
        const HttpResult r = m_http->login(name, name + QStringLiteral("-pw"));
        QCOMPARE(r.status, 200);
        m_ids[name] = r.json[u"user"][u"id"].toString();
    }
}

std::unique_ptr<WsTestClient> tst_NatterServer::connectAs(const QString &user,
                                                          QJsonObject *connected)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject c =
        client->authenticate(m_http->accessToken(user, user + QStringLiteral("-pw")));
    if (c.isEmpty() || client->take(QStringLiteral("resumed")).isEmpty())
        return nullptr;
    if (connected)
        *connected = c;
    return client;
}

QString tst_NatterServer::channelId(const QJsonObject &connected, const QString &name) const
{
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == name)
            return c[u"id"].toString();
    }
    return {};
}

QJsonObject tst_NatterServer::send(WsTestClient &c, const QString &channel, const QString &text,
                                   const QString &clientMsgId)
{
    const QString id =
        clientMsgId.isEmpty() ? QStringLiteral("cm-%1").arg(++m_counter) : clientMsgId;
    c.sendJson({{u"type"_qs, u"send"_qs},
                {u"ref"_qs, u"r-"_qs + id},
                {u"channel"_qs, channel},
                {u"client_msg_id"_qs, id},
                {u"text"_qs, text}});
    return c.take(QStringLiteral("ack"));
}

void tst_NatterServer::health()
{
    const HttpResult r = m_http->request("GET", QStringLiteral("/api/v1/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json[u"status"].toString(), QStringLiteral("ok"));
    QCOMPARE(r.json[u"version"].toString(), QStringLiteral("0.1.0"));
}

void tst_NatterServer::unknownRouteAndWrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown") << QByteArray("GET") << u"/api/v1/nope"_qs << 404 << u"not_found"_qs;
    QTest::newRow("root") << QByteArray("GET") << u"/"_qs << 404 << u"not_found"_qs;
    QTest::newRow("get login") << QByteArray("GET") << u"/api/v1/auth/login"_qs << 405
                               << u"method_not_allowed"_qs;
    QTest::newRow("post health") << QByteArray("POST") << u"/api/v1/health"_qs << 405
                                 << u"method_not_allowed"_qs;
    QTest::newRow("delete users") << QByteArray("DELETE") << u"/api/v1/users"_qs << 405
                                  << u"method_not_allowed"_qs;
}

void tst_NatterServer::unknownRouteAndWrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpResult r = m_http->request(method, path, method == "GET" ? QByteArray() : "{}");
    QCOMPARE(r.status, status);
    QCOMPARE(r.json[u"error"].toString(), error);
}

void tst_NatterServer::loginRefreshLogout()
{
    const HttpResult login = m_http->login(QStringLiteral("alice"), QStringLiteral("alice-pw"));
    QCOMPARE(login.status, 200);
    QCOMPARE(login.json[u"token_type"].toString(), QStringLiteral("Bearer"));
    QCOMPARE(login.json[u"expires_in"].toInt(), 900);
    QVERIFY(login.json[u"refresh_expires_in"].toInt() > 0);
    QCOMPARE(login.json[u"user"][u"username"].toString(), QStringLiteral("alice"));
    QCOMPARE(login.json[u"user"][u"display_name"].toString(), QStringLiteral("Alice"));
    const QString refresh = login.json[u"refresh_token"].toString();
    QVERIFY(!refresh.isEmpty());

    const HttpResult rotated =
        m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}});
    QCOMPARE(rotated.status, 200);
    const QString next = rotated.json[u"refresh_token"].toString();
    QVERIFY(next != refresh);
    QVERIFY(!rotated.json[u"access_token"].toString().isEmpty());

    const HttpResult logout =
        m_http->postJson(u"/api/v1/auth/logout"_qs, {{u"refresh_token"_qs, next}});
    QCOMPARE(logout.status, 204);
    // The family is revoked: its newest refresh token no longer works.
    const HttpResult after =
        m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, next}});
    QCOMPARE(after.status, 401);
    QCOMPARE(after.json[u"error"].toString(), QStringLiteral("invalid_grant"));
    // Logout with an unknown token still answers 204; without one, 400.
    QCOMPARE(
        m_http->postJson(u"/api/v1/auth/logout"_qs, {{u"refresh_token"_qs, u"nope"_qs}}).status,
        204);
    QCOMPARE(m_http->postJson(u"/api/v1/auth/logout"_qs, {}).status, 400);
    QCOMPARE(m_http->postJson(u"/api/v1/auth/refresh"_qs, {}).status, 400);
    QCOMPARE(
        m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, u"unknown"_qs}}).status,
        401);
}

void tst_NatterServer::loginWithoutDeviceName()
{
    // device_name is optional: the session must work without it.
    const HttpResult r = m_http->request("POST", u"/api/v1/auth/login"_qs,
                                         R"({"username":"dave","password":"dave-pw"})");
    QCOMPARE(r.status, 200);
    const QByteArray token = r.json[u"access_token"].toString().toUtf8();
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, token).status, 200);
    QCOMPARE(m_http
                 ->postJson(u"/api/v1/auth/refresh"_qs,
                            {{u"refresh_token"_qs, r.json[u"refresh_token"]}})
                 .status,
             200);
}

void tst_NatterServer::loginFailures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("wrong password")
        << QByteArray(R"({"username":"carol","password":"x"})") << 401 << u"invalid_credentials"_qs;
    QTest::newRow("unknown user") << QByteArray(R"({"username":"zed","password":"x"})") << 401
                                  << u"invalid_credentials"_qs;
    QTest::newRow("malformed json") << QByteArray("{not json") << 400 << u"bad_request"_qs;
    QTest::newRow("missing password")
        << QByteArray(R"({"username":"carol"})") << 400 << u"bad_request"_qs;
    QTest::newRow("array body") << QByteArray("[]") << 400 << u"bad_request"_qs;
}

void tst_NatterServer::loginFailures()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpResult r = m_http->request("POST", u"/api/v1/auth/login"_qs, body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.json[u"error"].toString(), error);
}

void tst_NatterServer::me()
{
    const QString token = m_http->accessToken(u"bob"_qs, u"bob-pw"_qs);
    const HttpResult r = m_http->request("GET", u"/api/v1/me"_qs, {}, token.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json[u"user"][u"username"].toString(), u"bob"_qs);
    QCOMPARE(r.json[u"user"][u"id"].toString(), m_ids[u"bob"_qs]);
    const HttpResult none = m_http->request("GET", u"/api/v1/me"_qs);
    QCOMPARE(none.status, 401);
    QCOMPARE(none.json[u"error"].toString(), u"invalid_token"_qs);
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, "garbage").status, 401);
}

void tst_NatterServer::userDirectory()
{
    const QByteArray token = m_http->accessToken(u"bob"_qs, u"bob-pw"_qs).toUtf8();
    QCOMPARE(m_http->request("GET", u"/api/v1/users"_qs).status, 401);
    HttpResult page = m_http->request("GET", u"/api/v1/users?limit=2"_qs, {}, token);
    QCOMPARE(page.status, 200);
    QJsonArray users = page.json[u"users"].toArray();
    QCOMPARE(users.size(), 2);
    QCOMPARE(users[0][u"username"].toString(), u"alice"_qs);
    QCOMPARE(users[1][u"username"].toString(), u"bob"_qs);
    const QString next = page.json[u"next"].toString();
    QVERIFY(!next.isEmpty());
    page = m_http->request("GET", u"/api/v1/users?limit=2&after="_qs + next, {}, token);
    users = page.json[u"users"].toArray();
    QCOMPARE(users.size(), 2);
    QCOMPARE(users[0][u"username"].toString(), u"carol"_qs);
    QCOMPARE(users[1][u"username"].toString(), u"dave"_qs);
    QVERIFY(page.json[u"next"].isNull());
    // query matches username or display name, case-insensitively
    page = m_http->request("GET", u"/api/v1/users?query=ALI"_qs, {}, token);
    QCOMPARE(page.json[u"users"].toArray().size(), 1);
    QCOMPARE(page.json[u"users"][0][u"display_name"].toString(), u"Alice"_qs);
    QVERIFY(page.json[u"next"].isNull());
}

void tst_NatterServer::directoryRefusals_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    // /users (§1) and /channels (§8) page alike: the same refusals, word for word.
    for (const QString &route : {u"/api/v1/users"_qs, u"/api/v1/channels"_qs}) {
        const QByteArray name = route.toUtf8();
        QTest::newRow(name + " no token") << route << false << 401 << u"invalid_token"_qs;
        QTest::newRow(name + " limit 0")
            << route + u"?limit=0"_qs << true << 400 << u"bad_request"_qs;
        QTest::newRow(name + " limit not a number")
            << route + u"?limit=ten"_qs << true << 400 << u"bad_request"_qs;
        QTest::newRow(name + " cursor not base64url")
            << route + u"?after=%25%25"_qs << true << 400 << u"bad_request"_qs;
    }
}

void tst_NatterServer::directoryRefusals()
{
    QFETCH(QString, path);
    QFETCH(bool, withToken);
    QFETCH(int, status);
    QFETCH(QString, error);
    const QByteArray token =
        withToken ? m_http->accessToken(u"bob"_qs, u"bob-pw"_qs).toUtf8() : QByteArray();
    const HttpResult r = m_http->request("GET", path, {}, token);
    QCOMPARE(r.status, status);
    QCOMPARE(r.json, QJsonObject({{u"error"_qs, error}}));
    QCOMPARE(r.header("WWW-Authenticate"), status == 401 ? QByteArray("Bearer") : QByteArray());
}

void tst_NatterServer::connectedSnapshot()
{
    QJsonObject connected;
    auto alice = connectAs(u"alice"_qs, &connected);
    QVERIFY(alice);
    QCOMPARE(connected[u"user"][u"id"].toString(), m_ids[u"alice"_qs]);
    QVERIFY(!connected[u"connection_id"].toString().isEmpty());
    QCOMPARE(connected[u"heartbeat_interval"].toInt(), 20);
    QVERIFY(
        QDateTime::fromString(connected[u"server_time"].toString(), Qt::ISODateWithMs).isValid());
    const QJsonArray channels = connected[u"channels"].toArray();
    QCOMPARE(channels.size(), 1); // not "secret"
    const QJsonObject general = channels[0].toObject();
    QCOMPARE(general[u"name"].toString(), u"general"_qs);
    QCOMPARE(general[u"kind"].toString(), u"channel"_qs);
    QCOMPARE(general[u"members"].toArray().size(), 3);
    QVERIFY(general.contains(u"last_seq"_qs));
    QVERIFY(general.contains(u"last_read_seq"_qs));
    // users: those sharing a channel; dave shares none.
    QStringList names;
    for (const QJsonValue &u : connected[u"users"].toArray()) {
        names << u[u"username"].toString();
        QVERIFY(u.toObject().contains(u"status"_qs));
        QVERIFY(u.toObject().contains(u"last_seen"_qs));
    }
    names.sort();
    QCOMPARE(names, (QStringList{u"alice"_qs, u"bob"_qs, u"carol"_qs}));
}

void tst_NatterServer::sendAckAndFanOut()
{
    QJsonObject connected;
    auto alice = connectAs(u"alice"_qs, &connected);
    auto alice2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(alice && alice2 && bob && dave);
    const QString general = channelId(connected, u"general"_qs);
    const qint64 before = connected[u"channels"][0][u"last_seq"].toInteger();

    const QJsonObject ack = send(*alice, general, u"hello 👋"_qs, u"cm-fan"_qs);
    QCOMPARE(ack[u"ref"].toString(), u"r-cm-fan"_qs);
    QCOMPARE(ack[u"client_msg_id"].toString(), u"cm-fan"_qs);
    const QJsonObject m = ack[u"message"].toObject();
    QCOMPARE(m[u"seq"].toInteger(), before + 1);
    QCOMPARE(m[u"author"].toString(), m_ids[u"alice"_qs]);
    QCOMPARE(m[u"text"].toString(), u"hello 👋"_qs);
    QCOMPARE(m[u"channel"].toString(), general);
    QVERIFY(!m[u"id"].toString().isEmpty());
    QVERIFY(QDateTime::fromString(m[u"ts"].toString(), Qt::ISODateWithMs).isValid());

    // Every other connection of every member, the sender's other device included.
    QCOMPARE(bob->take(u"message"_qs)[u"message"].toObject(), m);
    QCOMPARE(alice2->take(u"message"_qs)[u"message"].toObject(), m);
    // Ping both to prove nothing more is queued for them: the sender got no `message`,
    // dave (not a member) got nothing.
    alice->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QVERIFY(!alice->take(u"pong"_qs).isEmpty());
    QVERIFY(!alice->has(u"message"_qs));
    dave->sendJson({{u"type"_qs, u"ping"_qs}});
    QVERIFY(!dave->take(u"pong"_qs).isEmpty());
    QVERIFY(!dave->has(u"message"_qs));

    // seq is gapless
    const QJsonObject ack2 = send(*bob, general, u"second"_qs);
    QCOMPARE(ack2[u"message"][u"seq"].toInteger(), before + 2);
}

void tst_NatterServer::duplicateClientMsgId()
{
    QJsonObject connected;
    auto alice = connectAs(u"alice"_qs, &connected);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QString general = channelId(connected, u"general"_qs);
    const QJsonObject first = send(*alice, general, u"once"_qs, u"dup-1"_qs);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"again"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"dup-1"_qs},
                     {u"text"_qs, u"once"_qs}});
    const QJsonObject second = alice->take(u"ack"_qs);
    QCOMPARE(second[u"ref"].toString(), u"again"_qs);
    QCOMPARE(second[u"message"].toObject(), first[u"message"].toObject());
    bob->sendJson({{u"type"_qs, u"ping"_qs}});
    QVERIFY(!bob->take(u"pong"_qs).isEmpty());
    QVERIFY(!bob->has(u"message"_qs));
    // The resend used up no seq: the next message follows the first directly.
    const QJsonObject next = send(*alice, general, u"next"_qs, u"dup-2"_qs);
    QCOMPARE(next[u"message"][u"seq"].toInteger(), first[u"message"][u"seq"].toInteger() + 1);
}

void tst_NatterServer::history()
{
    QJsonObject connected;
    auto carol = connectAs(u"carol"_qs, &connected);
    QVERIFY(carol);
    const QString general = channelId(connected, u"general"_qs);
    for (int i = 0; i < 5; ++i)
        QVERIFY(!send(*carol, general, QStringLiteral("h%1").arg(i)).isEmpty());
    const qint64 last = connected[u"channels"][0][u"last_seq"].toInteger() + 5;

    carol->sendJson({{u"type"_qs, u"history"_qs},
                     {u"ref"_qs, u"h1"_qs},
                     {u"channel"_qs, general},
                     {u"limit"_qs, 3}});
    QJsonObject h = carol->take(u"history"_qs);
    QCOMPARE(h[u"ref"].toString(), u"h1"_qs);
    QCOMPARE(h[u"channel"].toString(), general);
    QJsonArray msgs = h[u"messages"].toArray();
    QCOMPARE(msgs.size(), 3);
    QCOMPARE(msgs[0][u"seq"].toInteger(), last - 2); // oldest first
    QCOMPARE(msgs[2][u"seq"].toInteger(), last);
    QCOMPARE(msgs[2][u"text"].toString(), u"h4"_qs);
    QCOMPARE(h[u"has_more"].toBool(), last > 3);

    carol->sendJson({{u"type"_qs, u"history"_qs},
                     {u"ref"_qs, u"h2"_qs},
                     {u"channel"_qs, general},
                     {u"before_seq"_qs, 3},
                     {u"limit"_qs, 500}});
    h = carol->take(u"history"_qs);
    msgs = h[u"messages"].toArray();
    QCOMPARE(msgs.size(), 2);
    QCOMPARE(msgs[0][u"seq"].toInteger(), 1);
    QCOMPARE(h[u"has_more"].toBool(), false);
}

void tst_NatterServer::readMarkers()
{
    QJsonObject connected;
    auto bob = connectAs(u"bob"_qs, &connected);
    auto bob2 = connectAs(u"bob"_qs);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(bob && bob2 && alice);
    const QString general = channelId(connected, u"general"_qs);
    const qint64 seq = send(*alice, general, u"read me"_qs)[u"message"][u"seq"].toInteger();
    QVERIFY(seq > 1);

    bob->sendJson({{u"type"_qs, u"read"_qs}, {u"channel"_qs, general}, {u"seq"_qs, seq - 1}});
    QJsonObject relay = bob2->take(u"read"_qs);
    QCOMPARE(relay[u"seq"].toInteger(), seq - 1);
    QCOMPARE(relay[u"user"].toString(), m_ids[u"bob"_qs]);
    QCOMPARE(relay[u"channel"].toString(), general);
    // Backwards: ignored, nothing relayed. Past the end: clamped to last_seq.
    bob->sendJson({{u"type"_qs, u"read"_qs}, {u"channel"_qs, general}, {u"seq"_qs, 1}});
    bob->sendJson({{u"type"_qs, u"read"_qs}, {u"channel"_qs, general}, {u"seq"_qs, seq + 1000}});
    relay = bob2->take(u"read"_qs);
    QCOMPARE(relay[u"seq"].toInteger(), seq);
    QVERIFY(!bob->has(u"read"_qs)); // not to the reader's own connection
    QVERIFY(!alice->has(u"read"_qs));
    // The marker is stored: a new connection sees it.
    QJsonObject again;
    auto bob3 = connectAs(u"bob"_qs, &again);
    QVERIFY(bob3);
    for (const QJsonValue &c : again[u"channels"].toArray()) {
        if (c[u"id"].toString() == general)
            QCOMPARE(c[u"last_read_seq"].toInteger(), seq);
    }
}

void tst_NatterServer::directChannel()
{
    auto alice = connectAs(u"alice"_qs);
    auto alice2 = connectAs(u"alice"_qs);
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(alice && alice2 && dave);
    alice->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d1"_qs}, {u"user"_qs, m_ids[u"dave"_qs]}});
    const QJsonObject mine = alice->take(u"channel"_qs);
    QCOMPARE(mine[u"ref"].toString(), u"d1"_qs);
    const QJsonObject channel = mine[u"channel"].toObject();
    QCOMPARE(channel[u"kind"].toString(), u"direct"_qs);
    QCOMPARE(channel[u"members"].toArray().size(), 2);
    const QJsonObject peers = dave->take(u"channel"_qs);
    QVERIFY(!peers.contains(u"ref"_qs));
    QCOMPARE(peers[u"channel"][u"id"].toString(), channel[u"id"].toString());
    QVERIFY(!alice2->take(u"channel"_qs).isEmpty());

    // Asking again returns the same channel, to the requester only.
    alice->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d2"_qs}, {u"user"_qs, m_ids[u"dave"_qs]}});
    const QJsonObject again = alice->take(u"channel"_qs);
    QCOMPARE(again[u"ref"].toString(), u"d2"_qs);
    QCOMPARE(again[u"channel"][u"id"].toString(), channel[u"id"].toString());
    dave->sendJson({{u"type"_qs, u"ping"_qs}});
    QVERIFY(!dave->take(u"pong"_qs).isEmpty());
    QVERIFY(!dave->has(u"channel"_qs));

    // Messages flow in it.
    QVERIFY(!send(*alice, channel[u"id"].toString(), u"psst"_qs).isEmpty());
    QCOMPARE(dave->take(u"message"_qs)[u"message"][u"text"].toString(), u"psst"_qs);

    // With oneself: bad_request; with nobody: not_found.
    alice->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d3"_qs}, {u"user"_qs, m_ids[u"alice"_qs]}});
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"bad_request"_qs);
    alice->sendJson({{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d4"_qs}, {u"user"_qs, u"nobody"_qs}});
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"not_found"_qs);
}

void tst_NatterServer::pingPong()
{
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    bob->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"xyz"_qs}});
    const QJsonObject pong = bob->take(u"pong"_qs);
    QCOMPARE(pong[u"ref"].toString(), u"xyz"_qs);
}

void tst_NatterServer::frameErrors_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("ref");
    QTest::newRow("malformed json") << u"{nope"_qs << u"bad_request"_qs << QString();
    QTest::newRow("not an object") << u"[1,2]"_qs << u"bad_request"_qs << QString();
    QTest::newRow("unknown type") << uR"({"type":"launch","ref":"u1"})"_qs << u"unknown_type"_qs
                                  << u"u1"_qs;
    QTest::newRow("not member")
        << uR"({"type":"send","ref":"n1","channel":"SECRET","client_msg_id":"x1","text":"hi"})"_qs
        << u"not_member"_qs << u"n1"_qs;
    QTest::newRow("no such channel")
        << uR"({"type":"send","ref":"n2","channel":"zzz","client_msg_id":"x2","text":"hi"})"_qs
        << u"not_found"_qs << u"n2"_qs;
    QTest::newRow("send without text")
        << uR"({"type":"send","ref":"b1","channel":"GENERAL","client_msg_id":"x3"})"_qs
        << u"bad_request"_qs << u"b1"_qs;
    QTest::newRow("history not member")
        << uR"({"type":"history","ref":"h","channel":"SECRET"})"_qs << u"not_member"_qs << u"h"_qs;
    QTest::newRow("typing bad state")
        << uR"({"type":"typing","channel":"GENERAL","state":"maybe"})"_qs << u"bad_request"_qs
        << QString();
    QTest::newRow("presence bad status")
        << uR"({"type":"presence","status":"busy"})"_qs << u"bad_request"_qs << QString();
}

void tst_NatterServer::frameErrors()
{
    QFETCH(QString, frame);
    QFETCH(QString, code);
    QFETCH(QString, ref);
    QJsonObject connected;
    auto alice = connectAs(u"alice"_qs, &connected);
    QVERIFY(alice);
    // Find the id of "secret" (alice is not a member) through bob.
    QJsonObject bobConnected;
    auto bob = connectAs(u"bob"_qs, &bobConnected);
    QVERIFY(bob);
    frame.replace(u"SECRET"_qs, channelId(bobConnected, u"secret"_qs));
    frame.replace(u"GENERAL"_qs, channelId(connected, u"general"_qs));
    alice->sendText(frame);
    const QJsonObject error = alice->take(u"error"_qs);
    QCOMPARE(error[u"code"].toString(), code);
    QVERIFY(!error[u"message"].toString().isEmpty());
    QCOMPARE(error[u"ref"].toString(), ref);
    QVERIFY(alice->isOpen()); // errors keep the connection open
}

void tst_NatterServer::resumeWithoutGapOrDuplicate()
{
    QJsonObject connected;
    auto alice = connectAs(u"alice"_qs, &connected);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QString general = channelId(connected, u"general"_qs);
    const qint64 seen = send(*alice, general, u"before drop"_qs)[u"message"][u"seq"].toInteger();
    bob->take(u"message"_qs);
    bob.reset(); // disconnect

    for (int i = 0; i < 3; ++i)
        QVERIFY(!send(*alice, general, QStringLiteral("missed %1").arg(i)).isEmpty());

    auto back = std::make_unique<WsTestClient>();
    QVERIFY(back->open(m_server.wsUrl(), m_server.origin()));
    QJsonObject resume{{general, seen}, {u"not-a-channel"_qs, 0}};
    QVERIFY(!back->authenticate(m_http->accessToken(u"bob"_qs, u"bob-pw"_qs), resume).isEmpty());
    // A live message during/after the replay must come after it, once.
    QVERIFY(!send(*alice, general, u"live"_qs).isEmpty());
    QVERIFY(!back->take(u"resumed"_qs).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            int n = 0;
            for (const QJsonObject &f : back->frames())
                n += f[u"type"].toString() == u"message";
            return n >= 4;
        }(),
        5000);
    QList<qint64> seqs;
    for (const QJsonObject &f : back->frames()) {
        if (f[u"type"].toString() == u"message")
            seqs << f[u"message"][u"seq"].toInteger();
    }
    QCOMPARE(seqs, (QList<qint64>{seen + 1, seen + 2, seen + 3, seen + 4}));
}

QTEST_GUILESS_MAIN(tst_NatterServer)
#include "tst_natterserver.moc"
