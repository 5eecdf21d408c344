// natterd's write path against the real server (docs/server.md, "Write path"):
// frames are framed once per fan-out and written as raw bytes to each
// receiver's TCP socket, beside QWebSocket's own pongs and close frame. What a
// plain (v1-style) QWebSocket client must see: every message once, in seq
// order, with its exact UTF-8 text, whatever the frame's length form; every
// WebSocket ping answered while frames fan out; a `history` answer larger than
// one 64 KiB frame intact; and a close that comes after the frames before it.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

class tst_WritePath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fanOutKeepsOrderTextAndPongs();
    void historyLargerThanOneFrame();
    void closeFollowsTheFramesBeforeIt();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user, const QString &token = {});
    QList<QString> texts() const;

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_general;
};

void tst_WritePath::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
}

std::unique_ptr<WsTestClient> tst_WritePath::connectAs(const QString &user, const QString &token)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected =
        client->authenticate(token.isEmpty() ? m_http->accessToken(user, user + u"-pw"_qs) : token);
    if (connected.isEmpty() || client->take(u"resumed"_qs).isEmpty())
        return nullptr;
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            m_general = c[u"id"].toString();
    }
    return client;
}

// Texts of every length form once the server has wrapped them in a `message`
// frame (about 300 bytes of JSON around the text): short (7-bit length after
// framing is impossible with the envelope, so the shortest is 16-bit), up to
// 4,000 code points of 4-byte UTF-8 (16,000 bytes), escapes, mixed scripts.
QList<QString> tst_WritePath::texts() const
{
    const QString emoji = QStringLiteral("😀");
    return {
        QStringLiteral("hi"),
        QStringLiteral("grüße, 你好, Привет, 😀 \"quoted\" back\\slash\ttab"),
        QString(200, u'a'),
        emoji.repeated(4000),
        QStringLiteral("é").repeated(4000),
        QStringLiteral("last"),
    };
}

void tst_WritePath::fanOutKeepsOrderTextAndPongs()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && bob && carol);
    QSignalSpy bobPongs(&bob->socket(), &QWebSocket::pong);
    QSignalSpy carolPongs(&carol->socket(), &QWebSocket::pong);

    QList<QString> sent;
    int pings = 0;
    for (int round = 0; round < 3; ++round) {
        for (const QString &text : texts()) {
            const QString id = u"w%1"_qs.arg(sent.size());
            alice->sendJson({{u"type"_qs, u"send"_qs},
                             {u"channel"_qs, m_general},
                             {u"client_msg_id"_qs, id},
                             {u"text"_qs, text}});
            sent << text;
            // WebSocket pings (control frames, answered inside QWebSocket) while
            // the fan-out writes frames to the same sockets.
            bob->socket().ping(QByteArray::number(pings));
            carol->socket().ping(QByteArray::number(pings));
            ++pings;
        }
        // Stay within the per-connection rate (20 frames/s, bursts of 40).
        for (int i = 0; i < texts().size(); ++i)
            QVERIFY(!alice->take(u"ack"_qs).isEmpty());
    }

    for (WsTestClient *receiver : {bob.get(), carol.get()}) {
        qint64 lastSeq = 0;
        for (const QString &text : std::as_const(sent)) {
            const QJsonObject frame = receiver->take(u"message"_qs);
            QVERIFY(!frame.isEmpty());
            const QJsonObject m = frame[u"message"].toObject();
            QCOMPARE(m[u"text"].toString(), text);
            QVERIFY(m[u"seq"].toInteger() > lastSeq);
            lastSeq = m[u"seq"].toInteger();
        }
        QVERIFY(!receiver->has(u"message"_qs)); // nothing twice
    }
    QTRY_COMPARE(bobPongs.size(), pings);
    QTRY_COMPARE(carolPongs.size(), pings);
    for (int i = 0; i < pings; ++i) {
        QCOMPARE(bobPongs[i][1].toByteArray(), QByteArray::number(i));
        QCOMPARE(carolPongs[i][1].toByteArray(), QByteArray::number(i));
    }
    // The frames were well-formed: the connections are still open and answer.
    for (WsTestClient *c : {alice.get(), bob.get(), carol.get()}) {
        c->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
        QVERIFY(!c->take(u"pong"_qs).isEmpty());
        QVERIFY(c->isOpen());
    }
}

void tst_WritePath::historyLargerThanOneFrame()
{
    // After the test above the channel holds six messages of 16,000 bytes of
    // text and more: the `history` answer is far over 64 KiB, so it goes out as
    // a text frame and continuation frames (fragment boundaries inside 4-byte
    // UTF-8 sequences), like QWebSocket itself fragments.
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(carol);
    carol->sendJson({{u"type"_qs, u"history"_qs},
                     {u"ref"_qs, u"h"_qs},
                     {u"channel"_qs, m_general},
                     {u"limit"_qs, 200}});
    const QJsonObject h = carol->take(u"history"_qs);
    QVERIFY(!h.isEmpty());
    // The channel's `created` system message (§7, seq 1) is not one of ours.
    QJsonArray messages;
    for (const QJsonValue &m : h[u"messages"].toArray()) {
        if (m[u"kind"].toString() != u"system")
            messages.append(m);
    }
    QList<QString> expected;
    for (int round = 0; round < 3; ++round)
        expected << texts();
    QCOMPARE(messages.size(), expected.size());
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QCOMPARE(messages[i][u"text"].toString(), expected[i]);
        bytes += messages[i][u"text"].toString().toUtf8().size();
    }
    QVERIFY(bytes > 65536);
}

void tst_WritePath::closeFollowsTheFramesBeforeIt()
{
    // A message fanned out to a device, then that device's login family is
    // logged out: the device reads the message, then the close (1000), not an
    // abort and not a message after the close.
    const HttpResult login = m_http->login(u"carol"_qs, u"carol-pw"_qs);
    auto device = connectAs(u"carol"_qs, login.json[u"access_token"].toString());
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(device && bob);
    bob->sendJson({{u"type"_qs, u"send"_qs},
                   {u"channel"_qs, m_general},
                   {u"client_msg_id"_qs, u"before-close"_qs},
                   {u"text"_qs, QString(300, u'z')}});
    QVERIFY(!bob->take(u"ack"_qs).isEmpty());
    QCOMPARE(m_http
                 ->postJson(u"/api/v1/auth/logout"_qs,
                            {{u"refresh_token"_qs, login.json[u"refresh_token"]}})
                 .status,
             204);
    QVERIFY(device->waitClosed());
    QCOMPARE(device->closeCode(), 1000);
    QCOMPARE(device->take(u"message"_qs, 0)[u"message"][u"text"].toString(), QString(300, u'z'));
}

QTEST_MAIN(tst_WritePath)
#include "tst_writepath.moc"
