// Issue 16 on PostgreSQL: channel frames (channel_create, join, leave,
// channel_update) and a session's start (authenticate → `connected`, the
// resume replay) run their store work off natterd's event loop. With the
// writer's PostgreSQL backend frozen they wait, while the node keeps answering
// what needs no store (another connection's pings, typing relayed); once it
// thaws each is answered exactly once, and a connection's frames sent right
// behind a join or a leave are judged by the membership it made (FrameHold).
// The PostgreSQL server and natterd are real (PostgresProcess, NatterdProcess).
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "PgBackendFreeze.h"
#include "PgTableLock.h"
#include "SignedInClient.h"

#include <QSignalSpy>
#include <QtTest>

class tst_PostgresChannels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void channelFramesAndSessionStartsWaitForPostgresNotTheNode();
    void anEventWhoseTellingCannotBeReadIsToldLater();

private:
    NatterdProcess m_server;
};

namespace {
// How many frames of `type` with `ref` the client has received.
int countRef(const WsTestClient &client, const QString &type, const QString &ref)
{
    int n = 0;
    for (const QJsonObject &f : client.frames()) {
        if (f[u"type"].toString() == type && f[u"ref"].toString() == ref)
            ++n;
    }
    return n;
}

// The first frame of `type` with `ref` (frames of that type without it, live
// ones about other changes, are passed over); empty on timeout.
QJsonObject takeRef(WsTestClient &client, const QString &type, const QString &ref)
{
    for (QJsonObject f = client.take(type, 10000); !f.isEmpty(); f = client.take(type, 10000)) {
        if (f[u"ref"].toString() == ref)
            return f;
    }
    return {};
}
} // namespace

void tst_PostgresChannels::initTestCase()
{
    QVERIFY2(m_server.usePostgres(), qPrintable(m_server.errorString()));
    QCOMPARE(m_server.admin({u"migrate"_qs}), 0);
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY(m_server.addChannel(u"random"_qs, {u"alice"_qs, u"carol"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_PostgresChannels::channelFramesAndSessionStartsWaitForPostgresNotTheNode()
{
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    const QString general = alice->channelId(u"general"_qs);
    const QString random = alice->channelId(u"random"_qs);
    QVERIFY(!general.isEmpty() && !random.isEmpty());
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(bob);
    // bob's second device: never waits on its own frames.
    auto bob2 = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(bob2);
    // Before the freeze (a login writes on the node's main connection).
    const QString carolToken = http.accessToken(u"carol"_qs, u"carol-pw"_qs);

    // alice owns a channel of her own; a message for carol to resume.
    alice->sendJson({{u"type"_qs, u"channel_create"_qs},
                     {u"ref"_qs, u"c0"_qs},
                     {u"name"_qs, u"plans"_qs},
                     {u"visibility"_qs, u"public"_qs}});
    const QString plans = alice->take(u"channel"_qs)[u"channel"][u"id"].toString();
    QVERIFY(!plans.isEmpty());
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"m0"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"m0"_qs},
                     {u"text"_qs, u"hello carol"_qs}});
    const qint64 seqHello = alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger();
    QVERIFY(seqHello > 1);

    PgBackendFreeze writer(m_server.postgres());
    QVERIFY2(writer.freeze(), qPrintable(writer.errorString()));

    // A send first, so the writer is busy: a store write made on the event
    // loop would now wait for it, and hold up everything below.
    bob2->sendJson({{u"type"_qs, u"send"_qs},
                    {u"ref"_qs, u"b0"_qs},
                    {u"channel"_qs, general},
                    {u"client_msg_id"_qs, u"b0"_qs},
                    {u"text"_qs, u"while frozen"_qs}});
    // alice: a topic, then a leave and a send pipelined behind it.
    alice->sendJson({{u"type"_qs, u"channel_update"_qs},
                     {u"ref"_qs, u"t1"_qs},
                     {u"channel"_qs, plans},
                     {u"topic"_qs, u"the new topic"_qs}});
    alice->sendJson({{u"type"_qs, u"leave"_qs}, {u"ref"_qs, u"l1"_qs}, {u"channel"_qs, random}});
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"s1"_qs},
                     {u"channel"_qs, random},
                     {u"client_msg_id"_qs, u"s1"_qs},
                     {u"text"_qs, u"after leaving"_qs}});
    // bob: a join and a send pipelined behind it, without waiting.
    bob->sendJson({{u"type"_qs, u"join"_qs}, {u"ref"_qs, u"j1"_qs}, {u"channel"_qs, random}});
    bob->sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, u"s2"_qs},
                   {u"channel"_qs, random},
                   {u"client_msg_id"_qs, u"s2"_qs},
                   {u"text"_qs, u"after joining"_qs}});
    // carol: a new connection resuming general from before alice's message.
    WsTestClient carol;
    QVERIFY(carol.open(m_server.wsUrl(), m_server.origin()));
    carol.sendJson({{u"type"_qs, u"authenticate"_qs},
                    {u"token"_qs, carolToken},
                    {u"resume"_qs, QJsonObject{{general, seqHello - 1}}}});

    // Meanwhile the node answers what needs no store: bob2's pings (a
    // WebSocket ping and a `ping` frame) and its typing, relayed to alice.
    QSignalSpy pong(&bob2->socket(), &QWebSocket::pong);
    bob2->socket().ping("p");
    QVERIFY(pong.wait(5000));
    bob2->sendJson(
        {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, general}, {u"state"_qs, u"start"_qs}});
    bob2->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p1"_qs}});
    QCOMPARE(bob2->take(u"pong"_qs)[u"ref"].toString(), u"p1"_qs);
    QCOMPARE(alice->take(u"typing"_qs)[u"channel"].toString(), general);
    QVERIFY(!alice->has(u"channel"_qs));
    QVERIFY(!alice->has(u"channel_removed"_qs));
    QVERIFY(!alice->has(u"error"_qs));
    QVERIFY(!bob->has(u"channel"_qs));
    QVERIFY(!bob->has(u"ack"_qs));
    QVERIFY(!bob->has(u"error"_qs));
    QVERIFY(!carol.has(u"connected"_qs));
    QVERIFY(carol.isOpen());

    // Thawed: every held frame is answered, once, in each connection's order.
    QVERIFY2(writer.thaw(), qPrintable(writer.errorString()));
    const QJsonObject topic = takeRef(*alice, u"channel"_qs, u"t1"_qs);
    QCOMPARE(topic[u"channel"][u"topic"].toString(), u"the new topic"_qs);
    QCOMPARE(takeRef(*alice, u"channel_removed"_qs, u"l1"_qs)[u"channel"].toString(), random);
    QCOMPARE(takeRef(*alice, u"error"_qs, u"s1"_qs)[u"code"].toString(), u"not_member"_qs);
    QCOMPARE(takeRef(*bob, u"channel"_qs, u"j1"_qs)[u"channel"][u"id"].toString(), random);
    const QJsonObject accepted = takeRef(*bob, u"ack"_qs, u"s2"_qs);
    QCOMPARE(accepted[u"message"][u"channel"].toString(), random);
    QVERIFY(accepted[u"message"][u"seq"].toInteger() > 0);

    const QJsonObject connected = carol.take(u"connected"_qs, 10000);
    QVERIFY(!connected.isEmpty());
    QCOMPARE(SignedInClient::channelId(connected, u"general"_qs), general);
    QCOMPARE(SignedInClient::channelId(connected, u"random"_qs), random);
    const QJsonObject replayed = carol.take(u"message"_qs);
    QCOMPARE(replayed[u"message"][u"seq"].toInteger(), seqHello);
    QCOMPARE(replayed[u"message"][u"text"].toString(), u"hello carol"_qs);
    QVERIFY(!carol.take(u"resumed"_qs).isEmpty());
    // bob's message in random reaches carol (replayed or live), once.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonObject &f : carol.frames()) {
                if (f[u"type"].toString() == u"message"
                    && f[u"message"][u"text"].toString() == u"after joining")
                    return true;
            }
            return false;
        }(),
        10000);
    QVERIFY(!takeRef(*bob2, u"ack"_qs, u"b0"_qs).isEmpty());

    // Nothing answered twice: a ping on each connection goes behind it all.
    for (WsTestClient *c : QList<WsTestClient *>{alice.get(), bob.get(), &carol}) {
        c->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"end"_qs}});
        QCOMPARE(c->take(u"pong"_qs)[u"ref"].toString(), u"end"_qs);
    }
    QCOMPARE(countRef(*alice, u"channel"_qs, u"t1"_qs), 0); // taken above: no second one
    QCOMPARE(countRef(*alice, u"channel_removed"_qs, u"l1"_qs), 0);
    QCOMPARE(countRef(*alice, u"error"_qs, u"s1"_qs), 0);
    QCOMPARE(countRef(*bob, u"channel"_qs, u"j1"_qs), 0);
    QCOMPARE(countRef(*bob, u"ack"_qs, u"s2"_qs), 0);
    QVERIFY(!carol.has(u"connected"_qs));
    QVERIFY(!carol.has(u"resumed"_qs));
    int afterJoining = 0;
    for (const QJsonObject &f : carol.frames()) {
        if (f[u"type"].toString() == u"message"
            && f[u"message"][u"text"].toString() == u"after joining")
            ++afterJoining;
    }
    QCOMPARE(afterJoining, 1);
}

void tst_PostgresChannels::anEventWhoseTellingCannotBeReadIsToldLater()
{
    // A leave is stored, and then what telling it needs (the members' user
    // records) cannot be read: `users` is locked against readers, so that
    // read fails after lock_timeout (the leave itself reads and writes no
    // user). natterd neither answers "try again" for a leave it made (the
    // retry would find bob out already, and nobody would be told) nor tells
    // it without the records: it reads again a second later, and tells
    // everyone once the lock is gone.
    QVERIFY(m_server.addChannel(u"readers"_qs, {u"alice"_qs, u"bob"_qs}));
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(alice && bob);
    const QString readers = bob->channelId(u"readers"_qs);
    QVERIFY(!readers.isEmpty());
    const QJsonValue bobId = bob->connected()[u"user"][u"id"];

    PgTableLock users(m_server.postgres(), u"users"_qs, u"natter"_qs,
                      PgTableLock::Mode::AccessExclusive);
    QVERIFY2(users.lock(), qPrintable(users.errorString()));
    const qsizetype leavesBefore = m_server.log().count("event=channel_left");
    bob->sendJson({{u"type"_qs, u"leave"_qs}, {u"ref"_qs, u"l9"_qs}, {u"channel"_qs, readers}});
    QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("event=channel_event_read_again"), 15000);
    QCOMPARE(m_server.log().count("event=channel_left"), leavesBefore); // not told yet
    QVERIFY(users.release());

    QVERIFY(!takeRef(*bob, u"channel_removed"_qs, u"l9"_qs).isEmpty());
    QCOMPARE(countRef(*bob, u"error"_qs, u"l9"_qs), 0);
    QJsonObject told;
    for (QJsonObject f = alice->take(u"channel"_qs, 10000); !f.isEmpty();
         f = alice->take(u"channel"_qs, 10000)) {
        if (f[u"channel"][u"id"].toString() == readers
            && !f[u"channel"][u"members"].toArray().contains(bobId)) {
            told = f;
            break;
        }
    }
    QVERIFY(!told.isEmpty());
    QJsonObject left;
    for (QJsonObject m = alice->take(u"message"_qs, 10000); !m.isEmpty();
         m = alice->take(u"message"_qs, 10000)) {
        if (m[u"message"][u"channel"].toString() == readers) {
            left = m;
            break;
        }
    }
    QCOMPARE(left[u"message"][u"system"][u"event"].toString(), u"left"_qs);
    QTRY_COMPARE(m_server.log().count("event=channel_left"), leavesBefore + 1);
}

QTEST_GUILESS_MAIN(tst_PostgresChannels)
#include "tst_postgreschannels.moc"
