// What a client notices when natterd's storage cannot answer a read: an error,
// a retryable close or a 503, never an answer that claims there is nothing
// (an empty history page, a `connected` without channels, a 401 that throws
// good tokens away). The real natterd runs on a real SQLite file; the test
// makes one table unreadable from a second connection (renames it away) and
// back, the way a damaged or locked database fails a read while the server
// runs, and checks the same request succeeds once the table is back.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

class tst_StorageFailure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void historyFailureIsAnErrorNotAnEmptyPage();
    void channelsFailureClosesWithoutConnected();
    void familyUnknownIsNeitherAcceptedNorRevoked();

private:
    // Renames `from` to `to` in natterd's database, from a connection of the test's own.
    bool renameTable(const QString &from, const QString &to);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
};

void tst_StorageFailure::initTestCase()
{
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
}

bool tst_StorageFailure::renameTable(const QString &from, const QString &to)
{
    const QString name = u"storage-failure-raw"_qs;
    bool done = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, name);
        db.setDatabaseName(m_server.dataDir() + u"/natterd.sqlite"_qs);
        if (db.open()) {
            QSqlQuery q(db);
            done = q.exec(u"PRAGMA busy_timeout=5000"_qs)
                && q.exec(u"ALTER TABLE %1 RENAME TO %2"_qs.arg(from, to));
            if (!done)
                qWarning() << q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return done;
}

void tst_StorageFailure::historyFailureIsAnErrorNotAnEmptyPage()
{
    WsTestClient alice;
    QVERIFY(alice.open(m_server.wsUrl(), m_server.origin()));
    const QJsonObject connected =
        alice.authenticate(m_http->accessToken(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(!connected.isEmpty());
    const QString general = connected[u"channels"][0][u"id"].toString();
    alice.sendJson({{u"type"_qs, u"send"_qs},
                    {u"channel"_qs, general},
                    {u"client_msg_id"_qs, u"h1"_qs},
                    {u"text"_qs, u"hello"_qs}});
    QVERIFY(!alice.take(u"ack"_qs).isEmpty());

    QVERIFY(renameTable(u"messages"_qs, u"messages_away"_qs));
    alice.sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 7}, {u"channel"_qs, general}});
    const QJsonObject error = alice.take(u"error"_qs);
    QCOMPARE(error[u"ref"].toInt(), 7);
    QCOMPARE(error[u"code"].toString(), u"bad_request"_qs);
    QVERIFY(!alice.has(u"history"_qs)); // no empty page claiming the channel has none
    QVERIFY(alice.isOpen());

    QVERIFY(renameTable(u"messages_away"_qs, u"messages"_qs));
    alice.sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 8}, {u"channel"_qs, general}});
    const QJsonObject history = alice.take(u"history"_qs);
    QCOMPARE(history[u"ref"].toInt(), 8);
    // The channel's `created` system message (§7), then alice's.
    QCOMPARE(history[u"messages"].toArray().size(), 2);
    QCOMPARE(history[u"messages"][1][u"text"].toString(), u"hello"_qs);
}

void tst_StorageFailure::channelsFailureClosesWithoutConnected()
{
    const QString token = m_http->accessToken(u"bob"_qs, u"bob-pw"_qs);
    QVERIFY(!token.isEmpty());
    QVERIFY(renameTable(u"memberships"_qs, u"memberships_away"_qs));
    WsTestClient bob;
    QVERIFY(bob.open(m_server.wsUrl(), m_server.origin()));
    bob.sendJson({{u"type"_qs, u"authenticate"_qs},
                  {u"token"_qs, token},
                  {u"client"_qs, QJsonObject{{u"name"_qs, u"natter-test"_qs}}}});
    QVERIFY(bob.waitClosed());
    // 1001 (§4): reconnect with backoff, keeping the token; not 4401, and no
    // `connected` that says bob has no channels.
    QCOMPARE(bob.closeCode(), 1001);
    QVERIFY(!bob.has(u"connected"_qs));
    QVERIFY(!bob.has(u"auth_failed"_qs));

    QVERIFY(renameTable(u"memberships_away"_qs, u"memberships"_qs));
    WsTestClient again;
    QVERIFY(again.open(m_server.wsUrl(), m_server.origin()));
    const QJsonObject connected = again.authenticate(token); // the same token still works
    QVERIFY(!connected.isEmpty());
    QCOMPARE(connected[u"channels"].toArray().size(), 1);
}

void tst_StorageFailure::familyUnknownIsNeitherAcceptedNorRevoked()
{
    const HttpResult login = m_http->login(u"alice"_qs, u"alice-pw"_qs);
    QCOMPARE(login.status, 200);
    const QByteArray access = login.json[u"access_token"].toString().toUtf8();
    const QString refresh = login.json[u"refresh_token"].toString();

    QVERIFY(renameTable(u"token_families"_qs, u"token_families_away"_qs));
    // Not 401: the tokens are fine as far as anyone knows.
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, access).status, 503);
    QCOMPARE(m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             503);
    // Not accepted either: a WebSocket session does not start on an unknown family.
    WsTestClient ws;
    QVERIFY(ws.open(m_server.wsUrl(), m_server.origin()));
    ws.sendJson({{u"type"_qs, u"authenticate"_qs},
                 {u"token"_qs, QString::fromUtf8(access)},
                 {u"client"_qs, QJsonObject{{u"name"_qs, u"natter-test"_qs}}}});
    QVERIFY(ws.waitClosed());
    QCOMPARE(ws.closeCode(), 1001);
    QVERIFY(!ws.has(u"connected"_qs));

    QVERIFY(renameTable(u"token_families_away"_qs, u"token_families"_qs));
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, access).status, 200);
    // The refresh token was not spent by the failed attempt.
    QCOMPARE(m_http->postJson(u"/api/v1/auth/refresh"_qs, {{u"refresh_token"_qs, refresh}}).status,
             200);
}

QTEST_GUILESS_MAIN(tst_StorageFailure)
#include "tst_storagefailure.moc"
