// The security rows of the contract against the real natterd: Origin checks
// (real 403), token in the URL, first-frame authentication and its timeout,
// expired / tampered / alg:none tokens, refresh-token reuse revoking the family
// (and closing its sockets with 4401), logout closing with 1000, throttling
// (also of logins arriving all at once, and the bounded password-check queue).
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"
#include "auth/TokenSigner.h"

#include <QFile>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <vector>

using Natter::Server::TokenSigner;

namespace {

// One login answer read off a raw socket.
struct RawAnswer
{
    int status = 0;
    QJsonObject json;
    QByteArray retryAfter;
};

// Fills `answer` once `buffer` holds a whole response (status stays 0 until then).
void parseAnswer(const QByteArray &buffer, RawAnswer &answer)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    qsizetype length = 0;
    QByteArray retryAfter;
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "retry-after")
            retryAfter = value;
    }
    if (buffer.size() < headEnd + 4 + length)
        return;
    answer.json = QJsonDocument::fromJson(buffer.mid(headEnd + 4, length)).object();
    answer.retryAfter = retryAfter;
    answer.status = lines.value(0).split(' ').value(1).toInt();
}

// Logins sent all at once, each on its own connection (QNetworkAccessManager
// would queue them six at a time), answers collected as they come.
class LoginBurst
{
public:
    explicit LoginBurst(quint16 port)
        : m_port(port)
    { }

    // Sends a login and returns its index in answers().
    int send(const QString &username, const QString &password, const QByteArray &forwardedFor = {})
    {
        const QByteArray body =
            QJsonDocument(QJsonObject{{u"username"_qs, username}, {u"password"_qs, password}})
                .toJson(QJsonDocument::Compact);
        const int index = int(m_sockets.size());
        m_sockets.push_back(std::make_unique<QTcpSocket>());
        m_buffers.append(QByteArray());
        m_answers.append(RawAnswer());
        QTcpSocket *socket = m_sockets.back().get();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, index] {
            m_buffers[index] += socket->readAll();
            if (m_answers[index].status != 0)
                return;
            parseAnswer(m_buffers[index], m_answers[index]);
            if (m_answers[index].status != 0)
                ++m_answered;
        });
        socket->connectToHost(QHostAddress::LocalHost, m_port);
        socket->write(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
            + (forwardedFor.isEmpty() ? QByteArray() : "\r\nX-Forwarded-For: " + forwardedFor)
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        return index;
    }
    int answered() const { return m_answered; }
    int sent() const { return int(m_sockets.size()); }
    RawAnswer answer(int index) const { return m_answers.value(index); }
    int count(int status) const
    {
        return int(std::count_if(m_answers.begin(), m_answers.end(),
                                 [status](const RawAnswer &a) { return a.status == status; }));
    }

private:
    quint16 m_port;
    std::vector<std::unique_ptr<QTcpSocket>> m_sockets;
    QList<QByteArray> m_buffers;
    QList<RawAnswer> m_answers;
    int m_answered = 0;
};

// A refusal as contract §1 words it: 429 rate_limited with retry_after and Retry-After.
bool isRateLimited(const RawAnswer &a)
{
    return a.status == 429 && a.json[u"error"].toString() == u"rate_limited"
        && a.json[u"retry_after"].toInt() > 0
        && a.retryAfter.toInt() == a.json[u"retry_after"].toInt();
}

} // namespace

class tst_ServerSecurity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void originHandshake_data();
    void originHandshake();
    void qtClientWithoutOriginIsRefused();
    void tokenInUrlIsNotAuthentication();
    void firstFrameMustAuthenticate_data();
    void firstFrameMustAuthenticate();
    void authTimeout();
    void badTokens_data();
    void badTokens();
    void refreshReuseRevokesFamilyAndClosesSockets();
    void logoutClosesSocketsWith1000();
    void throttlingPerUsername();
    void successResetsUsernameCount();
    void throttlingPerPeer();
    void sameAnswerForUnknownUserAndWrongPassword();
    void simultaneousWrongLoginsVerifyAtMostTheLimit();
    void loginFloodIsRefusedAndDoesNotStarveARealLogin();
    void peerBehindTrustedProxyIsTheForwardedClient();
    void forwardedForIgnoredWithoutTrustedProxies();

private:
    QByteArray handshake(const QByteArray &origin, bool withOrigin);
    QByteArray forge(const QString &sub, const QString &sid, qint64 iat, qint64 exp) const;

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_aliceId;
    QString m_aliceSid;
};

void tst_ServerSecurity::initTestCase()
{
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_server.addUser(u"carol"_qs, u"carol-pw"_qs));
    QVERIFY2(m_server.start({u"--auth-timeout"_qs, u"0.5"_qs, u"--allow-origin"_qs,
                             u"https://chat.example.org"_qs, u"--public-url"_qs,
                             u"https://natter.example.net/"_qs}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    const HttpResult r = m_http->login(u"alice"_qs, u"alice-pw"_qs);
    QCOMPARE(r.status, 200);
    m_aliceId = r.json[u"user"][u"id"].toString();
    // The family id is the token's sid.
    const auto parts = r.json[u"access_token"].toString().toUtf8().split('.');
    const QJsonObject payload =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
            .object();
    m_aliceSid = payload[u"sid"].toString();
    QVERIFY(!m_aliceSid.isEmpty());
}

QByteArray tst_ServerSecurity::handshake(const QByteArray &origin, bool withOrigin)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    if (!socket.waitForConnected(5000))
        return {};
    QByteArray request =
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_server.port())
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (withOrigin)
        request += "Origin: " + origin + "\r\n";
    request += "\r\n";
    socket.write(request);
    QByteArray response;
    while (!response.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        response += socket.readAll();
    return response.left(response.indexOf("\r\n"));
}

void tst_ServerSecurity::originHandshake_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("withOrigin");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("missing") << QByteArray() << false << QByteArray("403");
    QTest::newRow("empty") << QByteArray() << true << QByteArray("403");
    QTest::newRow("foreign") << QByteArray("http://evil.example") << true << QByteArray("403");
    QTest::newRow("other port") << QByteArray("http://127.0.0.1:1") << true << QByteArray("403");
    QTest::newRow("own") << QByteArray("OWN") << true << QByteArray("101");
    QTest::newRow("localhost") << QByteArray("LOCALHOST") << true << QByteArray("101");
    QTest::newRow("allow-origin") << QByteArray("https://chat.example.org") << true
                                  << QByteArray("101");
    QTest::newRow("public-url") << QByteArray("https://natter.example.net") << true
                                << QByteArray("101");
    QTest::newRow("public-url, other scheme")
        << QByteArray("http://natter.example.net") << true << QByteArray("403");
    QTest::newRow("token-like query does not help")
        << QByteArray("null") << true << QByteArray("403");
}

void tst_ServerSecurity::originHandshake()
{
    QFETCH(QByteArray, origin);
    QFETCH(bool, withOrigin);
    QFETCH(QByteArray, status);
    if (origin == "OWN")
        origin = m_server.origin();
    else if (origin == "LOCALHOST")
        origin = "http://localhost:" + QByteArray::number(m_server.port());
    const QByteArray statusLine = handshake(origin, withOrigin);
    QVERIFY2(statusLine.startsWith("HTTP/1.1 " + status), statusLine.constData());
}

void tst_ServerSecurity::qtClientWithoutOriginIsRefused()
{
    WsTestClient client;
    QVERIFY(!client.open(m_server.wsUrl(), QByteArray()));
}

void tst_ServerSecurity::tokenInUrlIsNotAuthentication()
{
    const QString token = m_http->accessToken(u"alice"_qs, u"alice-pw"_qs);
    QUrl url = m_server.wsUrl();
    url.setQuery(u"token="_qs + token);
    WsTestClient client;
    QVERIFY(client.open(url, m_server.origin()));
    // The URL token counts for nothing: no `connected`, the auth deadline closes it.
    QVERIFY(client.waitClosed(5000));
    QCOMPARE(client.closeCode(), 1008);
    QCOMPARE(client.closeReason(), u"authentication timeout"_qs);
    QVERIFY(!client.has(u"connected"_qs));
    // And the token never reaches the log.
    QVERIFY(!m_server.log().contains(token.toUtf8()));
}

void tst_ServerSecurity::firstFrameMustAuthenticate_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("binary");
    QTest::newRow("ping first") << QByteArray(R"({"type":"ping","ref":"1"})") << false;
    QTest::newRow("not json") << QByteArray("hello") << false;
    QTest::newRow("binary") << QByteArray(R"({"type":"authenticate"})") << true;
}

void tst_ServerSecurity::firstFrameMustAuthenticate()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, binary);
    WsTestClient client;
    QVERIFY(client.open(m_server.wsUrl(), m_server.origin()));
    if (binary)
        client.sendBinary(frame);
    else
        client.sendText(QString::fromUtf8(frame));
    const QJsonObject failed = client.take(u"auth_failed"_qs);
    QCOMPARE(failed[u"reason"].toString(), u"authentication_required"_qs);
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), 1008);
}

void tst_ServerSecurity::authTimeout()
{
    WsTestClient client;
    QVERIFY(client.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(client.waitClosed(5000));
    QCOMPARE(client.closeCode(), 1008);
    QCOMPARE(client.closeReason(), u"authentication timeout"_qs);
    QVERIFY(client.frames().isEmpty());
}

QByteArray tst_ServerSecurity::forge(const QString &sub, const QString &sid, qint64 iat,
                                     qint64 exp) const
{
    QFile secretFile(m_server.dataDir() + u"/signing-secret"_qs);
    if (!secretFile.open(QIODevice::ReadOnly))
        return {};
    return TokenSigner(secretFile.readAll()).sign({sub, sid, iat, exp});
}

void tst_ServerSecurity::badTokens_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("expired") << u"expired"_qs << u"token_expired"_qs;
    QTest::newRow("tampered payload") << u"tampered"_qs << u"invalid_token"_qs;
    QTest::newRow("alg none") << u"none"_qs << u"invalid_token"_qs;
    QTest::newRow("alg HS512 header") << u"hs512"_qs << u"invalid_token"_qs;
    QTest::newRow("foreign secret") << u"foreign"_qs << u"invalid_token"_qs;
    QTest::newRow("garbage") << u"garbage"_qs << u"invalid_token"_qs;
    QTest::newRow("empty") << u"empty"_qs << u"invalid_token"_qs;
    QTest::newRow("missing") << u"missing"_qs << u"invalid_token"_qs;
    QTest::newRow("number") << u"number"_qs << u"invalid_token"_qs;
}

void tst_ServerSecurity::badTokens()
{
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto b64 = [](const QByteArray &b) {
        return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray valid = forge(m_aliceId, m_aliceSid, now, now + 600);
    QVERIFY(!valid.isEmpty());
    const QList<QByteArray> parts = valid.split('.');
    QJsonValue token;
    if (kind == u"expired") {
        token = QString::fromLatin1(forge(m_aliceId, m_aliceSid, now - 1000, now - 100));
    } else if (kind == u"tampered") {
        const QByteArray payload =
            b64(QByteArray(R"({"sub":")") + m_aliceId.toUtf8() + R"(","sid":")"
                + m_aliceSid.toUtf8() + R"(","iat":1,"exp":99999999999})");
        token = QString::fromLatin1(parts[0] + '.' + payload + '.' + parts[2]);
    } else if (kind == u"none") {
        token = QString::fromLatin1(b64(R"({"alg":"none","typ":"JWT"})") + '.' + parts[1] + '.');
    } else if (kind == u"hs512") {
        token = QString::fromLatin1(b64(R"({"alg":"HS512","typ":"JWT"})") + '.' + parts[1] + '.'
                                    + parts[2]);
    } else if (kind == u"foreign") {
        token = QString::fromLatin1(
            TokenSigner(QByteArray(32, 'x')).sign({m_aliceId, m_aliceSid, now, now + 600}));
    } else if (kind == u"garbage") {
        token = u"not.a.token"_qs;
    } else if (kind == u"empty") {
        token = QString();
    } else if (kind == u"number") {
        token = 42;
    }
    // Sanity: the untouched token authenticates.
    {
        WsTestClient ok;
        QVERIFY(ok.open(m_server.wsUrl(), m_server.origin()));
        QVERIFY(!ok.authenticate(QString::fromLatin1(valid)).isEmpty());
    }
    WsTestClient client;
    QVERIFY(client.open(m_server.wsUrl(), m_server.origin()));
    QJsonObject frame{{u"type"_qs, u"authenticate"_qs}};
    if (kind != u"missing")
        frame.insert(u"token"_qs, token);
    client.sendJson(frame);
    QCOMPARE(client.take(u"auth_failed"_qs)[u"reason"].toString(), reason);
    QVERIFY(client.waitClosed());
    QCOMPARE(client.closeCode(), 4401);
    QVERIFY(!client.has(u"connected"_qs));
}

void tst_ServerSecurity::refreshReuseRevokesFamilyAndClosesSockets()
{
    const HttpResult login = m_http->login(u"bob"_qs, u"bob-pw"_qs);
    QCOMPARE(login.status, 200);
    const QString first = login.json[u"refresh_token"].toString();
    WsTestClient socket;
    QVERIFY(socket.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!socket.authenticate(login.json[u"access_token"].toString()).isEmpty());
    // A second, independent login of the same user must survive.
    const HttpResult other = m_http->login(u"bob"_qs, u"bob-pw"_qs);
    WsTestClient bystander;
    QVERIFY(bystander.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!bystander.authenticate(other.json[u"access_token"].toString()).isEmpty());

    const HttpResult rotated =
        m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, first}});
    QCOMPARE(rotated.status, 200);
    const QString second = rotated.json[u"refresh_token"].toString();

    // Reuse of the spent token: refused, family revoked, sockets closed 4401.
    const HttpResult reuse =
        m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, first}});
    QCOMPARE(reuse.status, 401);
    QCOMPARE(reuse.json[u"error"].toString(), u"invalid_grant"_qs);
    QVERIFY(socket.waitClosed());
    QCOMPARE(socket.closeCode(), 4401);
    // Every token of the family is dead, including the newest one and its access token.
    QCOMPARE(m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, second}}).status,
             401);
    WsTestClient again;
    QVERIFY(again.open(m_server.wsUrl(), m_server.origin()));
    again.sendJson(
        {{u"type"_qs, u"authenticate"_qs}, {u"token"_qs, rotated.json[u"access_token"]}});
    QCOMPARE(again.take(u"auth_failed"_qs)[u"reason"].toString(), u"invalid_token"_qs);
    QVERIFY(again.waitClosed());
    QCOMPARE(again.closeCode(), 4401);
    // The other family is untouched.
    bystander.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"still"_qs}});
    QCOMPARE(bystander.take(u"pong"_qs)[u"ref"].toString(), u"still"_qs);
    QCOMPARE(m_http
                 ->postJson(u"/api/v1/auth/refresh"_qs,
                            {{u"refresh_token"_qs, other.json[u"refresh_token"]}})
                 .status,
             200);
}

void tst_ServerSecurity::logoutClosesSocketsWith1000()
{
    const HttpResult login = m_http->login(u"carol"_qs, u"carol-pw"_qs);
    WsTestClient socket;
    QVERIFY(socket.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!socket.authenticate(login.json[u"access_token"].toString()).isEmpty());
    QCOMPARE(m_http
                 ->postJson(u"/api/v1/auth/logout"_qs,
                            {{u"refresh_token"_qs, login.json[u"refresh_token"]}})
                 .status,
             204);
    QVERIFY(socket.waitClosed());
    QCOMPARE(socket.closeCode(), 1000);
}

void tst_ServerSecurity::throttlingPerUsername()
{
    // Contract: after 10 failures for one username within 15 minutes → 429.
    for (int i = 0; i < 10; ++i)
        QCOMPARE(m_http->login(u"alice"_qs, u"wrong"_qs).status, 401);
    const HttpResult limited = m_http->login(u"alice"_qs, u"alice-pw"_qs);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json[u"error"].toString(), u"rate_limited"_qs);
    const int retry = limited.json[u"retry_after"].toInt();
    QVERIFY(retry > 0 && retry <= 15 * 60);
    QCOMPARE(limited.header("Retry-After").toInt(), retry);
    // Other usernames from the same address still get in.
    QCOMPARE(m_http->login(u"bob"_qs, u"bob-pw"_qs).status, 200);
}

void tst_ServerSecurity::successResetsUsernameCount()
{
    for (int i = 0; i < 9; ++i)
        QCOMPARE(m_http->login(u"carol"_qs, u"wrong"_qs).status, 401);
    QCOMPARE(m_http->login(u"carol"_qs, u"carol-pw"_qs).status, 200);
    for (int i = 0; i < 9; ++i)
        QCOMPARE(m_http->login(u"carol"_qs, u"wrong"_qs).status, 401);
    QCOMPARE(m_http->login(u"carol"_qs, u"carol-pw"_qs).status, 200);
}

void tst_ServerSecurity::throttlingPerPeer()
{
    // A separate server whose peer limit is small; usernames all differ, so only
    // the per-address count can trigger.
    NatterdProcess server;
    QVERIFY(server.addUser(u"dave"_qs, u"dave-pw"_qs));
    QVERIFY2(server.start({u"--login-max-failures-peer"_qs, u"5"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    for (int i = 0; i < 5; ++i)
        QCOMPARE(http.login(QStringLiteral("user%1").arg(i), u"x"_qs).status, 401);
    const HttpResult limited = http.login(u"dave"_qs, u"dave-pw"_qs);
    QCOMPARE(limited.status, 429);
    QVERIFY(!limited.header("Retry-After").isEmpty());
}

void tst_ServerSecurity::sameAnswerForUnknownUserAndWrongPassword()
{
    const HttpResult unknown = m_http->login(u"nobody-here"_qs, u"pw"_qs);
    const HttpResult wrong = m_http->login(u"bob"_qs, u"not-bobs"_qs);
    QCOMPARE(unknown.status, 401);
    QCOMPARE(wrong.status, unknown.status);
    QCOMPARE(wrong.body, unknown.body);
}

void tst_ServerSecurity::simultaneousWrongLoginsVerifyAtMostTheLimit()
{
    // 100 wrong passwords for one user at once: each attempt is reserved before its
    // password is hashed, so only the contract's 10 are checked (401); the rest
    // are refused. Before the fix all 100 were checked and answered 401.
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    LoginBurst burst(server.port());
    for (int i = 0; i < 100; ++i)
        burst.send(u"erin"_qs, u"wrong"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), 100, 60000);
    QCOMPARE(burst.count(401), 10);
    for (int i = 0; i < burst.sent(); ++i) {
        const RawAnswer a = burst.answer(i);
        QVERIFY2(a.status == 401 || isRateLimited(a), qPrintable(QString::number(a.status)));
    }
    // The window lasts 15 minutes: even the right password is refused now.
    HttpTestClient http(server.httpUrl());
    const HttpResult refused = http.login(u"erin"_qs, u"erin-pw"_qs);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.json[u"error"].toString(), u"rate_limited"_qs);
    QVERIFY(refused.header("Retry-After").toInt() > 1);
    // Another user from the same address is not affected.
    QCOMPARE(http.login(u"bob"_qs, u"bob-pw"_qs).status, 200);
}

void tst_ServerSecurity::loginFloodIsRefusedAndDoesNotStarveARealLogin()
{
    // 300 logins for unknown users at once (the peer limit is raised so only the
    // queue bound is in play): the password-check queue is bounded, so the excess
    // is refused with 429 + Retry-After instead of queueing 300 Argon2 checks.
    NatterdProcess server;
    QVERIFY(server.addUser(u"frank"_qs, u"frank-pw"_qs));
    QVERIFY2(server.start({u"--login-max-failures-peer"_qs, u"100000"_qs}),
             qPrintable(server.errorString()));
    LoginBurst burst(server.port());
    for (int i = 0; i < 300; ++i)
        burst.send(QStringLiteral("ghost%1").arg(i), u"guess"_qs);
    const int real = burst.send(u"frank"_qs, u"frank-pw"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 60000);
    const int refused = burst.count(429);
    QVERIFY2(refused > 0, "the flood was queued in full");
    QCOMPARE(burst.count(401) + refused + burst.count(200), burst.sent());
    for (int i = 0; i < burst.sent(); ++i) {
        const RawAnswer a = burst.answer(i);
        if (a.status == 429)
            QVERIFY(isRateLimited(a));
    }
    // The real login made during the flood got in, or was told to come back
    // shortly; once the flood is answered, coming back works.
    const RawAnswer first = burst.answer(real);
    if (first.status != 200) {
        QVERIFY(isRateLimited(first));
        QVERIFY(first.retryAfter.toInt() <= 5);
        HttpTestClient http(server.httpUrl());
        QCOMPARE(http.login(u"frank"_qs, u"frank-pw"_qs).status, 200);
    }
}

void tst_ServerSecurity::peerBehindTrustedProxyIsTheForwardedClient()
{
    // natterd behind a proxy on 127.0.0.1: the per-peer login limit (3 here)
    // applies to the client X-Forwarded-For names, not to the proxy.
    NatterdProcess server;
    QVERIFY(server.addUser(u"dave"_qs, u"dave-pw"_qs));
    QVERIFY2(server.start({u"--login-max-failures-peer"_qs, u"3"_qs, u"--trusted-proxies"_qs,
                           u"10.0.0.0/8, 127.0.0.1"_qs}),
             qPrintable(server.errorString()));
    LoginBurst burst(server.port());
    for (int i = 0; i < 3; ++i) {
        burst.send(QStringLiteral("ghost%1").arg(i), u"guess"_qs, "198.51.100.1");
        QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 30000);
        QCOMPARE(burst.answer(burst.sent() - 1).status, 401);
    }
    // That client is throttled, even when it prepends a forged hop...
    burst.send(u"dave"_qs, u"dave-pw"_qs, "198.51.100.1");
    burst.send(u"dave"_qs, u"dave-pw"_qs, "203.0.113.5, 198.51.100.1");
    QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 30000);
    QVERIFY(isRateLimited(burst.answer(3)));
    QVERIFY(isRateLimited(burst.answer(4)));
    // ...while other clients behind the same proxy log in.
    burst.send(u"dave"_qs, u"dave-pw"_qs, "203.0.113.5");
    QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 30000);
    QCOMPARE(burst.answer(5).status, 200);
}

void tst_ServerSecurity::forwardedForIgnoredWithoutTrustedProxies()
{
    // Without trusted_proxies a client cannot pick its own address.
    NatterdProcess server;
    QVERIFY(server.addUser(u"dave"_qs, u"dave-pw"_qs));
    QVERIFY2(server.start({u"--login-max-failures-peer"_qs, u"3"_qs}),
             qPrintable(server.errorString()));
    LoginBurst burst(server.port());
    for (int i = 0; i < 3; ++i) {
        burst.send(QStringLiteral("ghost%1").arg(i), u"guess"_qs, QByteArray::number(i) + ".2.3.4");
        QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 30000);
        QCOMPARE(burst.answer(burst.sent() - 1).status, 401);
    }
    burst.send(u"dave"_qs, u"dave-pw"_qs, "203.0.113.5");
    QTRY_COMPARE_WITH_TIMEOUT(burst.answered(), burst.sent(), 30000);
    QVERIFY(isRateLimited(burst.answer(3)));
}

QTEST_GUILESS_MAIN(tst_ServerSecurity)
#include "tst_serversecurity.moc"
