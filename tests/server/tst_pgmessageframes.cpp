// The message frames on PostgreSQL wait for the store off the event loop
// (issue 16): with the PostgreSQL backend of natterd's writer stopped
// (SIGSTOP), an edit, a reaction, a history request and a read marker wait,
// while the node keeps answering what needs no store (WebSocket ping/pong,
// JSON ping, typing relayed between members); after SIGCONT each is answered
// exactly once, with the right result, in the order they were sent. Real
// natterd, real PostgreSQL (PostgresProcess).
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "PgBackendFreeze.h"
#include "SignedInClient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

class tst_PgMessageFrames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void heldFramesAreAnsweredOnceAfterPostgresResumes();

private:
    NatterdProcess m_server;
};

void tst_PgMessageFrames::initTestCase()
{
    QVERIFY2(m_server.usePostgres(), qPrintable(m_server.errorString()));
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_PgMessageFrames::heldFramesAreAnsweredOnceAfterPostgresResumes()
{
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    auto alice2 = SignedInClient::connect(m_server, http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(alice && alice2 && bob);
    const QString general = alice->channelId(u"general"_qs);
    QVERIFY(!general.isEmpty());
    // A send starts natterd's writer thread and its session.
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"s"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"m1"_qs},
                     {u"text"_qs, u"draft"_qs}});
    const QJsonObject sent = alice->take(u"ack"_qs)[u"message"].toObject();
    const QString id = sent[u"id"].toString();
    const qint64 seq = sent[u"seq"].toInteger();
    QVERIFY(!id.isEmpty());
    QVERIFY(!alice2->take(u"message"_qs).isEmpty());
    QVERIFY(!bob->take(u"message"_qs).isEmpty());

    // Frozen: nothing times out on a stopped backend, so the frames' store
    // work waits as long as it stays stopped.
    PgBackendFreeze writer(m_server.postgres());
    QVERIFY2(writer.freeze(), qPrintable(writer.errorString()));
    alice->sendJson({{u"type"_qs, u"edit"_qs},
                     {u"ref"_qs, u"e"_qs},
                     {u"channel"_qs, general},
                     {u"id"_qs, id},
                     {u"text"_qs, u"final"_qs}});
    alice->sendJson({{u"type"_qs, u"react"_qs},
                     {u"ref"_qs, u"r"_qs},
                     {u"channel"_qs, general},
                     {u"id"_qs, id},
                     {u"emoji"_qs, u"👍"_qs},
                     {u"on"_qs, true}});
    alice->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, general}});
    alice->sendJson({{u"type"_qs, u"read"_qs},
                     {u"ref"_qs, u"d"_qs},
                     {u"channel"_qs, general},
                     {u"seq"_qs, seq}});
    // The event loop went on past them: alice's own ping (handled after her
    // four frames), bob's WebSocket ping and JSON ping, bob's typing relayed.
    alice->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QCOMPARE(alice->take(u"pong"_qs)[u"ref"].toString(), u"p"_qs);
    QSignalSpy pong(&bob->socket(), &QWebSocket::pong);
    bob->socket().ping("held?");
    QVERIFY(pong.wait(5000));
    QCOMPARE(pong.first().at(1).toByteArray(), QByteArray("held?"));
    bob->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"bp"_qs}});
    QCOMPARE(bob->take(u"pong"_qs)[u"ref"].toString(), u"bp"_qs);
    bob->sendJson(
        {{u"type"_qs, u"typing"_qs}, {u"channel"_qs, general}, {u"state"_qs, u"start"_qs}});
    const QJsonObject typing = alice->take(u"typing"_qs);
    QCOMPARE(typing[u"state"].toString(), u"start"_qs);
    QCOMPARE(typing[u"channel"].toString(), general);
    // None of the held frames is answered yet.
    for (const QString &type : {u"message_updated"_qs, u"history"_qs, u"error"_qs})
        QVERIFY2(!alice->has(type), qPrintable(type));
    QVERIFY(!alice2->has(u"read"_qs));
    QVERIFY(!alice2->has(u"message_updated"_qs));
    QVERIFY(!bob->has(u"message_updated"_qs));

    // Thawed: each is answered, in the order sent, with what it did.
    QVERIFY2(writer.thaw(), qPrintable(writer.errorString()));
    const QJsonObject edited = alice->take(u"message_updated"_qs);
    QCOMPARE(edited[u"ref"].toString(), u"e"_qs);
    QCOMPARE(edited[u"change"].toString(), u"edit"_qs);
    QCOMPARE(edited[u"message"][u"text"].toString(), u"final"_qs);
    QCOMPARE(edited[u"message"][u"rev"].toInteger(), 2);
    const QJsonObject reacted = alice->take(u"message_updated"_qs);
    QCOMPARE(reacted[u"ref"].toString(), u"r"_qs);
    QCOMPARE(reacted[u"change"].toString(), u"reaction"_qs);
    QCOMPARE(reacted[u"message"][u"rev"].toInteger(), 3);
    QCOMPARE(reacted[u"message"][u"reactions"][0][u"emoji"].toString(), u"👍"_qs);
    // The history read after the two changes (one queue): it shows both.
    const QJsonObject history = alice->take(u"history"_qs);
    QCOMPARE(history[u"ref"].toString(), u"h"_qs);
    const QJsonObject last = history[u"messages"].toArray().last().toObject();
    QCOMPARE(last[u"id"].toString(), id);
    QCOMPARE(last[u"text"].toString(), u"final"_qs);
    QCOMPARE(last[u"rev"].toInteger(), 3);
    // The read marker moved: alice's other connection hears of it.
    const QJsonObject read = alice2->take(u"read"_qs);
    QCOMPARE(read[u"seq"].toInteger(), seq);
    QCOMPARE(read[u"channel"].toString(), general);
    // The other connections got each change once, without the ref.
    for (WsTestClient *other : {alice2.get(), bob.get()}) {
        QCOMPARE(other->take(u"message_updated"_qs)[u"change"].toString(), u"edit"_qs);
        QCOMPARE(other->take(u"message_updated"_qs)[u"change"].toString(), u"reaction"_qs);
    }

    // Exactly once: a history request queued behind them all is answered
    // after every held answer, and nothing else came.
    alice->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h2"_qs}, {u"channel"_qs, general}});
    QCOMPARE(alice->take(u"history"_qs)[u"ref"].toString(), u"h2"_qs);
    bob->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h3"_qs}, {u"channel"_qs, general}});
    QCOMPARE(bob->take(u"history"_qs)[u"ref"].toString(), u"h3"_qs);
    for (const QString &type : {u"message_updated"_qs, u"history"_qs, u"error"_qs})
        QVERIFY2(!alice->has(type), qPrintable(type));
    QVERIFY(!alice2->has(u"read"_qs));
    QVERIFY(!alice2->has(u"message_updated"_qs));
    QVERIFY(!bob->has(u"message_updated"_qs));

    // Sends go on from the next seq, with no gap (the edit and the reaction
    // took evs, not seqs).
    for (int i = 1; i <= 3; ++i) {
        bob->sendJson({{u"type"_qs, u"send"_qs},
                       {u"channel"_qs, general},
                       {u"client_msg_id"_qs, u"b%1"_qs.arg(i)},
                       {u"text"_qs, u"after %1"_qs.arg(i)}});
        QCOMPARE(bob->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), seq + i);
        QCOMPARE(alice->take(u"message"_qs)[u"message"][u"seq"].toInteger(), seq + i);
    }
}

QTEST_GUILESS_MAIN(tst_PgMessageFrames)
#include "tst_pgmessageframes.moc"
