// natterd on PostgreSQL (issue 16), end to end: `natterd --postgres CONNINFO
// migrate` and the admin CLI on the shared database, a node serving from it,
// its health (node id, PostgreSQL reachable, 503 while it is not), the
// password kept out of the command line and the log, and a PostgreSQL restart
// while a client sends, and a send waiting for PostgreSQL while the event loop
// answers other frames (the writer thread), and HTTP requests waiting for it
// while the node answers others. The PostgreSQL server is real (PostgresProcess: initdb
// and postgres in a temp dir), as is natterd.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "PgBackendFreeze.h"
#include "PgTableLock.h"
#include "PostgresProcess.h"
#include "SignedInClient.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QtTest>

class tst_PostgresNode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void migrateAndAdminCliWorkOnPostgres();
    void nodeServesFromPostgresAcrossARestart();
    void channelArchivedByTheCliReachesTheNode();
    void channelJoinByTheCliReachesTheNodeWithItsMessage();
    void channelLeaveByTheCliReachesTheNodeWithItsMessage();
    void channelAddByTheCliReachesTheNodeWithItsMessage();
    void healthSaysNodeAndWhetherPostgresAnswers();
    void passwordStaysOutOfTheCommandLineAndTheLog();
    void sendsDuringAPostgresRestartFailRetryably();
    void aSendWaitingForPostgresDoesNotHoldUpOtherFrames();
    void importMovesASqliteDataDirAndExportMovesItBack();
    void httpRequestsWaitingForPostgresDoNotHoldUpTheNode();
    void aSearchWaitingForPostgresHoldsUpNoSends();

private:
    void runHoldingItsMessage(const QStringList &args, const QString &channel,
                              const QStringList &members, WsTestClient *client, QJsonObject *frame);

    NatterdProcess m_server;
};

void tst_PostgresNode::initTestCase()
{
    QVERIFY2(m_server.usePostgres(), qPrintable(m_server.errorString()));
}

void tst_PostgresNode::migrateAndAdminCliWorkOnPostgres()
{
    QCOMPARE(m_server.admin({u"migrate"_qs}), 0);
    QVERIFY2(m_server.lastAdminOutput().contains("postgres schema is up to date"),
             m_server.lastAdminOutput().constData());
    QCOMPARE(m_server.admin({u"migrate"_qs}), 0); // again: nothing to do, still fine
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(!m_server.addUser(u"ALICE"_qs, u"x"_qs)); // unique case-insensitively
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QCOMPARE(m_server.admin({u"user"_qs, u"list"_qs}), 0);
    QVERIFY(m_server.lastAdminOutput().contains("alice"));
    QVERIFY(m_server.lastAdminOutput().contains("bob"));
    QCOMPARE(m_server.admin({u"channel"_qs, u"list"_qs}), 0);
    QVERIFY(m_server.lastAdminOutput().contains("general"));
    // Nothing of it is in the data directory: it all lives in PostgreSQL.
    QVERIFY(!QFile::exists(m_server.dataDir() + u"/natterd.sqlite"_qs));
}

void tst_PostgresNode::nodeServesFromPostgresAcrossARestart()
{
    QVERIFY2(m_server.start({u"--node-id"_qs, u"n1"_qs}), qPrintable(m_server.errorString()));
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    const QString general = alice->channelId(u"general"_qs);
    QVERIFY(!general.isEmpty());
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(bob);
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"pg-1"_qs},
                     {u"text"_qs, u"hello from postgres"_qs}});
    const QJsonObject ack = alice->take(u"ack"_qs);
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), 2); // seq 1: the created notice
    const QJsonObject message = bob->take(u"message"_qs);
    QCOMPARE(message[u"message"][u"text"].toString(), u"hello from postgres"_qs);
    // The same client_msg_id again: the same message, no second seq.
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"pg-1"_qs},
                     {u"text"_qs, u"hello from postgres"_qs}});
    QCOMPARE(alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), 2);

    // A restarted node reads everything back from the database; tokens it
    // signed before still work (the signing secret lives there too, §12).
    const QString token = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    QVERIFY(m_server.restart());
    WsTestClient again;
    QVERIFY(again.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!again.authenticate(token).isEmpty());
    again.sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 1}, {u"channel"_qs, general}});
    const QJsonArray messages = again.take(u"history"_qs)[u"messages"].toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[1][u"text"].toString(), u"hello from postgres"_qs);
    QCOMPARE(messages[1][u"seq"].toInteger(), 2);
}

void tst_PostgresNode::channelArchivedByTheCliReachesTheNode()
{
    // `natterd --postgres ... channel archive` beside a running node: the
    // node hears it through LISTEN/NOTIFY and tells the members (§8).
    QVERIFY(m_server.isRunning());
    QVERIFY(m_server.addChannel(u"ops"_qs, {u"alice"_qs, u"bob"_qs}));
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    QVERIFY(!alice->take(u"resumed"_qs).isEmpty());
    QCOMPARE(m_server.admin({u"channel"_qs, u"archive"_qs, u"ops"_qs}), 0);
    const QJsonObject frame = alice->take(u"channel"_qs, 10000);
    QCOMPARE(frame[u"channel"][u"name"].toString(), u"ops"_qs);
    QCOMPARE(frame[u"channel"][u"archived"].toBool(), true);
    const QJsonObject system = alice->take(u"message"_qs)[u"message"].toObject();
    QCOMPARE(system[u"system"][u"event"].toString(), u"archived"_qs);
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, 1},
                     {u"channel"_qs, frame[u"channel"][u"id"]},
                     {u"client_msg_id"_qs, u"pg-archived"_qs},
                     {u"text"_qs, u"anyone?"_qs}});
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"archived"_qs);
    QCOMPARE(m_server.admin({u"channel"_qs, u"list"_qs}), 0);
    QVERIFY2(m_server.lastAdminOutput().contains("\tarchived\n"),
             m_server.lastAdminOutput().constData());
}

void tst_PostgresNode::runHoldingItsMessage(const QStringList &args, const QString &channel,
                                            const QStringList &members, WsTestClient *client,
                                            QJsonObject *frame)
{
    // Runs `natterd ARGS` beside the node while nobody may write the messages
    // table (PgTableLock): the command waits right where it stores its system
    // message (§7), and what it committed before that is visible. If that
    // already holds the new membership (`channel` has `members`, usernames, in
    // the store), the node has been notified and tells `client` (a member):
    // wait for that `channel` frame before the command goes on, so the message
    // is stored after the node read the channel. A node must not lose it then.
    // `frame`: the channel frame `client` got with `members.size()` members.
    const auto inStore = [&] {
        QStringList names;
        const QString sql = u"SELECT u.username FROM memberships m "
                            "JOIN channels c ON c.id = m.channel_id "
                            "JOIN users u ON u.id = m.user_id "
                            "WHERE c.name = '%1' ORDER BY u.username"_qs.arg(channel);
        for (const QVariantList &row : m_server.postgres()->query(u"natter"_qs, sql))
            names << row.value(0).toString();
        return names;
    };
    const auto takeChannel = [&] {
        // Skips a frame of the channel as it was (an earlier change the node
        // told late): the one wanted has the new members.
        for (;;) {
            const QJsonObject f = client->take(u"channel"_qs, 10000);
            if (f.isEmpty()
                || (f[u"channel"][u"name"].toString() == channel
                    && f[u"channel"][u"members"].toArray().size() == members.size()))
                return f;
        }
    };
    QStringList after = members;
    after.sort();
    PgTableLock lock(m_server.postgres(), u"messages"_qs);
    QVERIFY2(lock.lock(), qPrintable(lock.errorString()));
    QProcess cli;
    cli.setProgram(NatterdProcess::binaryPath());
    cli.setArguments(args + QStringList{u"--data-dir"_qs, m_server.dataDir()}
                     + m_server.storageArgs());
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start();
    QVERIFY(cli.waitForStarted());
    cli.closeWriteChannel();
    QTRY_VERIFY_WITH_TIMEOUT(lock.waiters() > 0 || cli.state() == QProcess::NotRunning, 10000);
    QVERIFY2(cli.state() == QProcess::Running, cli.readAll().constData());
    if (inStore() == after) {
        *frame = takeChannel();
        QVERIFY(!frame->isEmpty());
    }
    QVERIFY(lock.release());
    QVERIFY(cli.waitForFinished(10000));
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
             cli.readAll().constData());
    if (frame->isEmpty())
        *frame = takeChannel();
    QVERIFY(!frame->isEmpty());
}

void tst_PostgresNode::channelJoinByTheCliReachesTheNodeWithItsMessage()
{
    // `natterd channel join` beside a running node: a member online sees the
    // channel with the newcomer, then, live, its `joined` message (§7, §8),
    // also when the node read the store between the command's writes.
    QVERIFY(m_server.isRunning());
    QVERIFY(m_server.addChannel(u"deck"_qs, {u"alice"_qs}));
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    QVERIFY(!alice->take(u"resumed"_qs).isEmpty());
    QJsonObject frame;
    runHoldingItsMessage({u"channel"_qs, u"join"_qs, u"deck"_qs, u"bob"_qs}, u"deck"_qs,
                         {u"alice"_qs, u"bob"_qs}, alice.get(), &frame);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frame[u"users"][0][u"username"].toString(), u"bob"_qs);
    const QJsonObject joined = alice->take(u"message"_qs)[u"message"].toObject();
    QCOMPARE(joined[u"channel"].toString(), frame[u"channel"][u"id"].toString());
    QCOMPARE(joined[u"system"][u"event"].toString(), u"joined"_qs);
    QCOMPARE(joined[u"system"][u"users"].toArray(),
             QJsonArray{frame[u"users"][0][u"id"].toString()});
}

void tst_PostgresNode::channelLeaveByTheCliReachesTheNodeWithItsMessage()
{
    // `natterd channel leave`: the members who stay see the channel without
    // the one who left, then, live, its `left` message.
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    QVERIFY(!alice->take(u"resumed"_qs).isEmpty());
    const QString deck = alice->channelId(u"deck"_qs);
    QVERIFY(!deck.isEmpty());
    QJsonObject frame;
    runHoldingItsMessage({u"channel"_qs, u"leave"_qs, u"deck"_qs, u"bob"_qs}, u"deck"_qs,
                         {u"alice"_qs}, alice.get(), &frame);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frame[u"channel"][u"id"].toString(), deck);
    const QJsonObject left = alice->take(u"message"_qs)[u"message"].toObject();
    QCOMPARE(left[u"channel"].toString(), deck);
    QCOMPARE(left[u"system"][u"event"].toString(), u"left"_qs);
}

void tst_PostgresNode::channelAddByTheCliReachesTheNodeWithItsMessage()
{
    // `natterd channel add --members`: a member online gets the new channel,
    // then, live, its `created` message.
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    QVERIFY(!alice->take(u"resumed"_qs).isEmpty());
    QJsonObject frame;
    runHoldingItsMessage({u"channel"_qs, u"add"_qs, u"hold"_qs, u"--members"_qs, u"alice,bob"_qs},
                         u"hold"_qs, {u"alice"_qs, u"bob"_qs}, alice.get(), &frame);
    if (QTest::currentTestFailed())
        return;
    const QJsonObject created = alice->take(u"message"_qs)[u"message"].toObject();
    QCOMPARE(created[u"channel"].toString(), frame[u"channel"][u"id"].toString());
    QCOMPARE(created[u"system"][u"event"].toString(), u"created"_qs);
}

void tst_PostgresNode::healthSaysNodeAndWhetherPostgresAnswers()
{
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    const HttpResult ok = http.request("GET", u"/api/v1/health"_qs);
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json[u"node"].toString(), u"n1"_qs);
    QCOMPARE(ok.json[u"storage"].toString(), u"postgres"_qs);
    QCOMPARE(ok.json[u"postgres"].toBool(), true);
    const QByteArray token = http.accessToken(u"alice"_qs, u"alice-pw"_qs).toUtf8();
    QVERIFY(!token.isEmpty());
    // PostgreSQL goes away: the node says it cannot serve...
    QVERIFY(m_server.postgres()->stop());
    QTRY_COMPARE_WITH_TIMEOUT(http.request("GET", u"/api/v1/health"_qs).status, 503, 10000);
    const HttpResult down = http.request("GET", u"/api/v1/health"_qs);
    QCOMPARE(down.json[u"status"].toString(), u"unavailable"_qs);
    QCOMPARE(down.json[u"postgres"].toBool(), false);
    QCOMPARE(down.json[u"node"].toString(), u"n1"_qs);
    // A login meanwhile is "try again" (503), not "wrong password" (401):
    // the user's password is fine, and nothing counts against the account.
    QCOMPARE(http.login(u"alice"_qs, u"alice-pw"_qs).status, 503);
    // So are the directories, not an empty page and not a 401 for a good token.
    for (const QString &route : {u"/api/v1/users"_qs, u"/api/v1/channels"_qs}) {
        const HttpResult page = http.request("GET", route, {}, token);
        QCOMPARE(page.status, 503);
        QCOMPARE(page.json, QJsonObject({{u"error"_qs, u"unavailable"_qs}}));
        QCOMPARE(page.header("Retry-After"), QByteArray("5"));
    }
    // ...and serves again once it is back, without a restart of its own.
    QVERIFY2(m_server.postgres()->start(), qPrintable(m_server.postgres()->errorString()));
    // Directory requests meanwhile find PostgreSQL still down (each connection
    // tries it at most once a second). Whichever of the node's connections
    // finds it back first (the health check's or the one serving requests),
    // the very next request is served: not refused by the other's wait
    // between attempts, which began just before (a health check saying 200
    // beside a login answered 503 was seen).
    QTRY_VERIFY_WITH_TIMEOUT(http.request("GET", u"/api/v1/users"_qs, {}, token).status == 200
                                 || http.request("GET", u"/api/v1/health"_qs).status == 200,
                             10000);
    QCOMPARE(http.request("GET", u"/api/v1/users"_qs, {}, token).status, 200);
    QCOMPARE(http.login(u"alice"_qs, u"alice-pw"_qs).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(http.request("GET", u"/api/v1/health"_qs).status, 200, 10000);
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    const QString general = alice->channelId(u"general"_qs);
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"pg-after-restart"_qs},
                     {u"text"_qs, u"back"_qs}});
    QCOMPARE(alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), 3);
}

void tst_PostgresNode::passwordStaysOutOfTheCommandLineAndTheLog()
{
    const QString password = u"pg-Secret-7d1f"_qs;
    QVERIFY(m_server.postgres()->createRole(u"natter_app"_qs, password));
    QVERIFY(m_server.postgres()->runSql(u"GRANT ALL ON DATABASE natter TO natter_app"_qs));
    const QString conninfo = m_server.postgres()->tcpConninfo(u"natter"_qs, u"natter_app"_qs);

    // In the connection string: refused before anything connects.
    NatterdProcess inline_;
    QVERIFY(!inline_.start({u"--postgres"_qs, conninfo + u" password="_qs + password}));
    QVERIFY(inline_.log().contains("must not contain the password"));
    QVERIFY(!inline_.log().contains(password.toUtf8()));
    NatterdProcess uri;
    QVERIFY(!uri.start({u"--postgres"_qs,
                        u"postgresql://natter_app:%1@127.0.0.1:%2/natter"_qs.arg(password).arg(
                            m_server.postgres()->port())}));
    QVERIFY(!uri.log().contains(password.toUtf8()));

    // A wrong password file: natterd does not start, and says so without the password.
    QTemporaryFile wrong;
    QVERIFY(wrong.open());
    wrong.write("not-the-password\n");
    wrong.flush();
    NatterdProcess refused;
    QVERIFY(!refused.start(
        {u"--postgres"_qs, conninfo, u"--postgres-password-file"_qs, wrong.fileName()}));
    QVERIFY(refused.log().contains("password authentication failed"));
    QVERIFY(!refused.log().contains("not-the-password"));

    // From the file: it serves the same data (alice logs in), and the
    // password is in neither its log nor its arguments.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(password.toUtf8() + '\n');
    file.flush();
    NatterdProcess node;
    QVERIFY2(
        node.start({u"--postgres"_qs, conninfo, u"--postgres-password-file"_qs, file.fileName(),
                    u"--node-id"_qs, u"n2"_qs, u"--log-level"_qs, u"debug"_qs}),
        qPrintable(node.errorString()));
    HttpTestClient http(node.httpUrl());
    QCOMPARE(http.login(u"alice"_qs, u"alice-pw"_qs).status, 200);
    QCOMPARE(http.request("GET", u"/api/v1/health"_qs).json[u"node"].toString(), u"n2"_qs);
    QFile cmdline(u"/proc/%1/cmdline"_qs.arg(node.pid()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    QVERIFY(!cmdline.readAll().contains(password.toUtf8()));
    QCOMPARE(node.stop(), 0);
    QVERIFY(!node.log().isEmpty());
    QVERIFY(!node.log().contains(password.toUtf8()));
}

void tst_PostgresNode::sendsDuringAPostgresRestartFailRetryably()
{
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    const QString general = alice->channelId(u"general"_qs);
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(bob);
    const auto send = [&](const QString &id, int ref) {
        alice->sendJson({{u"type"_qs, u"send"_qs},
                         {u"ref"_qs, ref},
                         {u"channel"_qs, general},
                         {u"client_msg_id"_qs, id},
                         {u"text"_qs, u"text of "_qs + id}});
    };
    send(u"before"_qs, 1);
    const qint64 before = alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger();
    QVERIFY(before > 0);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());

    // A fast shutdown cuts natterd's sessions: the next send cannot be
    // stored. The answer is the retryable one (the client keeps it pending).
    QVERIFY(m_server.postgres()->stop());
    send(u"during"_qs, 2);
    const QJsonObject refused = alice->take(u"error"_qs);
    QCOMPARE(refused[u"ref"].toInt(), 2);
    QCOMPARE(refused[u"code"].toString(), u"rate_limited"_qs);
    QVERIFY(alice->isOpen());

    // Back: the client's retry is stored once, with the next seq, and
    // delivered once; a second retry is answered with the same message.
    QVERIFY2(m_server.postgres()->start(), qPrintable(m_server.postgres()->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(http.request("GET", u"/api/v1/health"_qs).status, 200, 10000);
    QJsonObject ack;
    for (int ref = 3; ack.isEmpty(); ++ref) {
        // What the client's outbox does on rate_limited: send it again (it
        // waits a second; here the health answer already says it is back).
        send(u"during"_qs, ref);
        ack = alice->take(u"ack"_qs, 5000);
        QVERIFY2(!ack.isEmpty() || ref < 6, "the store did not come back");
    }
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), before + 1);
    send(u"during"_qs, 10);
    QCOMPARE(alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), before + 1);
    const QJsonObject delivered = bob->take(u"message"_qs);
    QCOMPARE(delivered[u"message"][u"seq"].toInteger(), before + 1);
    alice->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 11}, {u"channel"_qs, general}});
    const QJsonArray page = alice->take(u"history"_qs)[u"messages"].toArray();
    QList<qint64> seqs;
    for (const QJsonValue &m : page)
        seqs << m[u"seq"].toInteger();
    QCOMPARE(seqs.last(), before + 1);
    for (int i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs[i], qint64(i + 1)); // gapless, nothing twice
    bob->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!bob->take(u"pong"_qs).isEmpty());
    QVERIFY(!bob->has(u"message"_qs)); // delivered exactly once
}

void tst_PostgresNode::aSendWaitingForPostgresDoesNotHoldUpOtherFrames()
{
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    auto alice = SignedInClient::connect(m_server, http, u"alice"_qs);
    QVERIFY(alice);
    const QString general = alice->channelId(u"general"_qs);
    auto bob = SignedInClient::connect(m_server, http, u"bob"_qs);
    QVERIFY(bob);
    const auto send = [&](const QString &id, int ref) {
        alice->sendJson({{u"type"_qs, u"send"_qs},
                         {u"ref"_qs, ref},
                         {u"channel"_qs, general},
                         {u"client_msg_id"_qs, id},
                         {u"text"_qs, u"text of "_qs + id}});
    };
    // The first send starts natterd's writer thread and its session.
    send(u"first"_qs, 1);
    const qint64 first = alice->take(u"ack"_qs)[u"message"][u"seq"].toInteger();
    QVERIFY(first > 0);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());

    // Freeze the PostgreSQL backend serving the writer: the next send's
    // transaction waits for it as long as it stays stopped (nothing times
    // out on a stopped backend). Frames of one connection are handled in
    // order, so the pong says the event loop went on past the send.
    PgBackendFreeze writer(m_server.postgres());
    QVERIFY2(writer.freeze(), qPrintable(writer.errorString()));
    send(u"held"_qs, 2);
    alice->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, 3}});
    QCOMPARE(alice->take(u"pong"_qs)[u"ref"].toInt(), 3);
    // Another connection is served meanwhile too.
    bob->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, 4}});
    QCOMPARE(bob->take(u"pong"_qs)[u"ref"].toInt(), 4);
    QVERIFY(!alice->has(u"ack"_qs));
    QVERIFY(!alice->has(u"error"_qs));
    QVERIFY(!bob->has(u"message"_qs));

    // Thawed: the send commits and is acked and delivered once, next in seq.
    QVERIFY2(writer.thaw(), qPrintable(writer.errorString()));
    const QJsonObject ack = alice->take(u"ack"_qs);
    QCOMPARE(ack[u"ref"].toInt(), 2);
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), first + 1);
    QCOMPARE(bob->take(u"message"_qs)[u"message"][u"seq"].toInteger(), first + 1);
}

// Runs `natterd ARGS` and returns its exit code (output in *output).
static int runNatterd(const QStringList &args, QByteArray *output)
{
    QProcess p;
    p.setProgram(NatterdProcess::binaryPath());
    p.setArguments(args);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start();
    if (!p.waitForStarted(20000) || !p.waitForFinished(60000))
        return -1;
    *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void tst_PostgresNode::importMovesASqliteDataDirAndExportMovesItBack()
{
    // A single node on SQLite, with messages, a reaction and a read marker.
    NatterdProcess single; // SQLite: no usePostgres()
    QVERIFY(single.addUser(u"carol"_qs, u"carol-pw"_qs));
    QVERIFY(single.addUser(u"dan"_qs, u"dan-pw"_qs));
    QVERIFY(single.addChannel(u"general"_qs, {u"carol"_qs, u"dan"_qs}));
    QVERIFY(single.start());
    HttpTestClient http(single.httpUrl());
    auto carol = SignedInClient::connect(single, http, u"carol"_qs);
    QVERIFY(carol);
    const QString general = carol->channelId(u"general"_qs);
    for (int i = 1; i <= 3; ++i) {
        carol->sendJson({{u"type"_qs, u"send"_qs},
                         {u"channel"_qs, general},
                         {u"client_msg_id"_qs, u"m%1"_qs.arg(i)},
                         {u"text"_qs, u"message %1"_qs.arg(i)}});
        QCOMPARE(carol->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), i + 1);
    }
    carol->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 1}, {u"channel"_qs, general}});
    const QJsonArray original = carol->take(u"history"_qs)[u"messages"].toArray();
    QCOMPARE(original.size(), 4);
    carol->sendJson({{u"type"_qs, u"react"_qs},
                     {u"ref"_qs, 2},
                     {u"channel"_qs, general},
                     {u"id"_qs, original[2][u"id"].toString()},
                     {u"emoji"_qs, u"👍"_qs},
                     {u"on"_qs, true}});
    QVERIFY(!carol->take(u"message_updated"_qs).isEmpty());
    carol->sendJson({{u"type"_qs, u"read"_qs}, {u"channel"_qs, general}, {u"seq"_qs, 3}});
    carol->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!carol->take(u"pong"_qs).isEmpty());
    carol.reset();
    QCOMPARE(single.stop(), 0);

    // Into a fresh PostgreSQL database.
    QVERIFY(m_server.postgres()->createDatabase(u"imported"_qs));
    const QString conninfo = m_server.postgres()->conninfo(u"imported"_qs);
    QByteArray output;
    QCOMPARE(
        runNatterd({u"--data-dir"_qs, single.dataDir(), u"--postgres"_qs, conninfo, u"import"_qs},
                   &output),
        0);
    QVERIFY2(output.contains("messages 4"), output.constData());
    // A second import into the same database is refused: nothing doubles.
    QVERIFY(
        runNatterd({u"--data-dir"_qs, single.dataDir(), u"--postgres"_qs, conninfo, u"import"_qs},
                   &output)
        != 0);

    // A node on PostgreSQL: the same people (passwords), channel, messages
    // with their seq, the reaction and the read marker.
    const auto check = [&](NatterdProcess &node) {
        HttpTestClient h(node.httpUrl());
        auto client = SignedInClient::connect(node, h, u"carol"_qs);
        QVERIFY(client);
        const QString channel = client->channelId(u"general"_qs);
        QCOMPARE(channel, general);
        client->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, 1}, {u"channel"_qs, channel}});
        const QJsonArray moved = client->take(u"history"_qs)[u"messages"].toArray();
        QCOMPARE(moved.size(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(moved[i][u"id"], original[i][u"id"]);
            QCOMPARE(moved[i][u"seq"], original[i][u"seq"]);
            QCOMPARE(moved[i][u"text"], original[i][u"text"]);
        }
        QCOMPARE(moved[2][u"reactions"][0][u"emoji"].toString(), u"👍"_qs);
        // The next message carries on from the moved counters.
        client->sendJson({{u"type"_qs, u"send"_qs},
                          {u"channel"_qs, channel},
                          {u"client_msg_id"_qs, u"after-move-%1"_qs.arg(node.port())},
                          {u"text"_qs, u"after the move"_qs}});
        QCOMPARE(client->take(u"ack"_qs)[u"message"][u"seq"].toInteger(), 5);
    };
    NatterdProcess onPostgres;
    QVERIFY(onPostgres.start({u"--postgres"_qs, conninfo}));
    check(onPostgres);
    {
        HttpTestClient h(onPostgres.httpUrl());
        // carol's read marker moved with her (seq 3), dan's too (the created notice).
        WsTestClient carol2;
        QVERIFY(carol2.open(onPostgres.wsUrl(), onPostgres.origin()));
        QCOMPARE(carol2
                     .authenticate(h.accessToken(u"carol"_qs,
                                                 u"carol-pw"_qs))[u"channels"][0][u"last_read_seq"]
                     .toInteger(),
                 3);
        WsTestClient dan;
        QVERIFY(dan.open(onPostgres.wsUrl(), onPostgres.origin()));
        const QJsonObject connected = dan.authenticate(h.accessToken(u"dan"_qs, u"dan-pw"_qs));
        QCOMPARE(connected[u"channels"][0][u"last_read_seq"].toInteger(), 1);
    }
    QCOMPARE(onPostgres.stop(), 0);

    // And back out into a fresh SQLite data directory (seq 5 included).
    QTemporaryDir exported;
    QVERIFY(
        runNatterd({u"--data-dir"_qs, exported.path(), u"--postgres"_qs, conninfo, u"export"_qs},
                   &output)
        == 0);
    QVERIFY2(output.contains("messages 5"), output.constData());
}

// The answers on one connection, parsed as they arrive: status and body of each.
static QList<std::pair<int, QByteArray>> httpAnswers(QByteArray buffer)
{
    QList<std::pair<int, QByteArray>> answers;
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return answers;
        const QByteArray head = buffer.left(end);
        const qsizetype at = head.toLower().indexOf("content-length:");
        if (at < 0)
            return answers;
        const qsizetype eol = head.indexOf("\r\n", at);
        const int length = head.mid(at + 15, eol < 0 ? -1 : eol - at - 15).trimmed().toInt();
        if (buffer.size() < end + 4 + length)
            return answers;
        answers.append({head.mid(9, 3).toInt(), buffer.mid(end + 4, length)});
        buffer.remove(0, end + 4 + length);
    }
}

void tst_PostgresNode::httpRequestsWaitingForPostgresDoNotHoldUpTheNode()
{
    QVERIFY(m_server.isRunning());
    HttpTestClient http(m_server.httpUrl());
    // Two sessions of alice: one reads, the other's refresh token is rotated.
    const HttpResult reader = http.login(u"alice"_qs, u"alice-pw"_qs);
    QCOMPARE(reader.status, 200);
    const QByteArray access = reader.json[u"access_token"].toString().toUtf8();
    const HttpResult rotated = http.login(u"alice"_qs, u"alice-pw"_qs);
    QCOMPARE(rotated.status, 200);
    const QString refreshToken = rotated.json[u"refresh_token"].toString();
    WsTestClient ws;
    QVERIFY(ws.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!ws.authenticate(QString::fromLatin1(access)).isEmpty());
    // A request's store work runs on the writer thread (it starts it if need be).
    QCOMPARE(http.request("GET", u"/api/v1/channels"_qs, {}, access).status, 200);

    // Frozen: every request below waits for its store job, on its own connection.
    PgBackendFreeze writer(m_server.postgres());
    QVERIFY2(writer.freeze(), qPrintable(writer.errorString()));
    QNetworkAccessManager nam;
    const auto send = [&](const QByteArray &method, const QString &path,
                          const QJsonObject &body = {}) {
        QUrl url = m_server.httpUrl();
        const qsizetype q = path.indexOf(u'?');
        url.setPath(q < 0 ? path : path.left(q));
        if (q >= 0)
            url.setQuery(path.mid(q + 1));
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        if (body.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + access);
        return nam.sendCustomRequest(
            request, method,
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact));
    };
    const QJsonObject refreshBody{{u"refresh_token"_qs, refreshToken}};
    QNetworkReply *login = send("POST", u"/api/v1/auth/login"_qs,
                                {{u"username"_qs, u"bob"_qs}, {u"password"_qs, u"bob-pw"_qs}});
    // The same refresh token twice (a client and a thief): one rotation only.
    QNetworkReply *refresh1 = send("POST", u"/api/v1/auth/refresh"_qs, refreshBody);
    QNetworkReply *refresh2 = send("POST", u"/api/v1/auth/refresh"_qs, refreshBody);
    QNetworkReply *channels = send("GET", u"/api/v1/channels"_qs);
    QNetworkReply *search = send("GET", u"/api/v1/search?q=postgres"_qs);
    const QList<QNetworkReply *> waiting{login, refresh1, refresh2, channels, search};
    // Pipelined on one connection: the health answer waits behind the
    // directory's, in request order.
    QTcpSocket pipelined;
    pipelined.connectToHost(m_server.httpUrl().host(), quint16(m_server.httpUrl().port()));
    QVERIFY(pipelined.waitForConnected(5000));
    pipelined.write("GET /api/v1/channels HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + access
                    + "\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(pipelined.waitForBytesWritten(5000));
    // A client that asks and goes before the answer.
    QTcpSocket gone;
    gone.connectToHost(m_server.httpUrl().host(), quint16(m_server.httpUrl().port()));
    QVERIFY(gone.waitForConnected(5000));
    gone.write("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + access
               + "\r\n\r\n");
    QVERIFY(gone.waitForBytesWritten(5000));

    // Meanwhile the event loop answers what needs no store.
    ws.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, 1}});
    QCOMPARE(ws.take(u"pong"_qs)[u"ref"].toInt(), 1);
    QCOMPARE(http.request("GET", u"/api/v1/health"_qs).status, 200);
    ws.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, 2}});
    QCOMPARE(ws.take(u"pong"_qs)[u"ref"].toInt(), 2);
    for (QNetworkReply *reply : waiting)
        QVERIFY2(!reply->isFinished(), qPrintable(reply->url().path()));
    QCOMPARE(pipelined.bytesAvailable(), 0);
    gone.abort();

    // Thawed: every waiting request is answered once, correctly.
    QVERIFY2(writer.thaw(), qPrintable(writer.errorString()));
    for (QNetworkReply *reply : waiting)
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
    const auto status = [](QNetworkReply *reply) {
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    const auto json = [](QNetworkReply *reply) {
        return QJsonDocument::fromJson(reply->readAll()).object();
    };
    QCOMPARE(status(login), 200);
    QCOMPARE(json(login)[u"user"][u"username"].toString(), u"bob"_qs);
    QList<int> refreshed{status(refresh1), status(refresh2)};
    std::sort(refreshed.begin(), refreshed.end());
    QCOMPARE(refreshed, (QList<int>{200, 401})); // rotated once; the second is a reuse
    QCOMPARE(status(channels), 200);
    QStringList names;
    for (const QJsonValue &c : json(channels)[u"channels"].toArray())
        names << c[u"name"].toString();
    QVERIFY(names.contains(u"general"_qs));
    QCOMPARE(status(search), 200);
    QStringList found;
    for (const QJsonValue &r : json(search)[u"results"].toArray())
        found << r[u"message"][u"text"].toString();
    QVERIFY(found.contains(u"hello from postgres"_qs));
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += pipelined.readAll(), httpAnswers(received).size() == 2),
                             10000);
    const auto answers = httpAnswers(received);
    QCOMPARE(answers[0].first, 200);
    QVERIFY(QJsonDocument::fromJson(answers[0].second).object().contains(u"channels"_qs));
    QCOMPARE(answers[1].first, 200);
    QCOMPARE(QJsonDocument::fromJson(answers[1].second).object()[u"node"].toString(), u"n1"_qs);
    // The node is still there, and so is the reading session.
    QCOMPARE(http.request("GET", u"/api/v1/me"_qs, {}, access).status, 200);
    QVERIFY(m_server.isRunning());
    qDeleteAll(waiting);
}

void tst_PostgresNode::aSearchWaitingForPostgresHoldsUpNoSends()
{
    // Searches ran on the writer thread, in the one queue of every send: a
    // costly search held up every send of the node. They have a thread and a
    // connection of their own now (natterd-search); frozen, it holds up no send.
    QVERIFY(m_server.isRunning());
    const qsizetype logBefore = m_server.log().size();
    HttpTestClient http(m_server.httpUrl());
    const QByteArray access = http.accessToken(u"alice"_qs, u"alice-pw"_qs).toUtf8();
    QCOMPARE(http.request("GET", u"/api/v1/search?q=postgres"_qs, {}, access).status, 200);
    WsTestClient ws;
    QVERIFY(ws.open(m_server.wsUrl(), m_server.origin()));
    const QJsonObject connected = ws.authenticate(QString::fromLatin1(access));
    QVERIFY(!connected.isEmpty());
    QString general;
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            general = c[u"id"].toString();
    }
    QVERIFY(!general.isEmpty());

    PgBackendFreeze searcher(m_server.postgres(), u"natter"_qs, u"natterd-search"_qs);
    QVERIFY2(searcher.freeze(), qPrintable(searcher.errorString()));
    QNetworkAccessManager nam;
    QUrl url = m_server.httpUrl();
    url.setPath(u"/api/v1/search"_qs);
    url.setQuery(u"q=frozen"_qs);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + access);
    std::unique_ptr<QNetworkReply> search(nam.get(request));
    // Sent, and read by natterd before the health request behind it is answered.
    QSignalSpy sent(search.get(), &QNetworkReply::requestSent);
    QTRY_VERIFY(sent.count() == 1 || search->isFinished());
    QCOMPARE(http.request("GET", u"/api/v1/health"_qs).status, 200);
    // The search waits; alice's sends are stored, acknowledged and found later.
    for (int i = 1; i <= 3; ++i) {
        ws.sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"frozen-search-%1"_qs.arg(i)},
                     {u"text"_qs, u"sent while a search waits %1"_qs.arg(i)}});
        QCOMPARE(ws.take(u"ack"_qs)[u"message"][u"client_msg_id"].toString(),
                 u"frozen-search-%1"_qs.arg(i));
    }
    QVERIFY(!search->isFinished());

    QVERIFY2(searcher.thaw(), qPrintable(searcher.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(search->isFinished(), 10000);
    QCOMPARE(search->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const HttpResult after = http.request("GET", u"/api/v1/search?q=waits"_qs, {}, access);
    QCOMPARE(after.status, 200);
    QCOMPARE(after.json[u"results"].toArray().size(), 3);
    // Each search ran in its read-only snapshot: no statement of it failed.
    QByteArrayList failed;
    for (const QByteArray &line : m_server.log().mid(logBefore).split('\n')) {
        if (line.contains("event=query_failed"))
            failed << line;
    }
    QVERIFY2(failed.isEmpty(), failed.join('\n').constData());
}

QTEST_GUILESS_MAIN(tst_PostgresNode)
#include "tst_postgresnode.moc"
