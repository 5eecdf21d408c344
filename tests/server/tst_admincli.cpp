// The admin commands of the natterd binary (AdminCli) and --demo, run as real
// processes against a temporary data directory.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <map>

#include <csignal>
#include <sys/resource.h>

class tst_AdminCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void userAddAndList();
    void userAddRejects_data();
    void userAddRejects();
    void passwdAndDisable();
    void aChangeTheDiskRefusesIsNotReportedDone();
    void disableWhileRunningClosesSockets();
    void disabledUserIsCutOffAndStaysOut();
    void channels();
    void membershipChangesReachLiveClients();
    void channelAddedJustBeforeSignInTakesMessages();
    void archiveAndUnarchiveReachLiveClients();
    void unknownCommand();
    void demoSeedsAndPrintsFreshPasswords();
    void demoRefusesNonLoopback_data();
    void demoRefusesNonLoopback();
};

void tst_AdminCli::userAddAndList()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"pw-a"_qs, u"Alice Liddell"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"pw-b"_qs));
    QCOMPARE(server.admin({u"user"_qs, u"list"_qs}), 0);
    const QString out = QString::fromUtf8(server.lastAdminOutput());
    QVERIFY2(out.contains(u"alice"_qs) && out.contains(u"Alice Liddell"_qs), qPrintable(out));
    QVERIFY(out.contains(u"bob"_qs));
    QVERIFY(!out.contains(u"pw-a"_qs));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    const HttpResult r = http.login(u"alice"_qs, u"pw-a"_qs);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json[u"user"][u"display_name"].toString(), u"Alice Liddell"_qs);
}

void tst_AdminCli::userAddRejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");
    QTest::newRow("mismatch") << u"carol"_qs << QByteArray("one\ntwo\n") << u"do not match"_qs;
    QTest::newRow("empty") << u"carol"_qs << QByteArray("\n\n") << u"empty"_qs;
    QTest::newRow("no input") << u"carol"_qs << QByteArray() << u"empty"_qs;
    QTest::newRow("bad name") << u"no spaces"_qs << QByteArray("pw\npw\n") << u"invalid"_qs;
    QTest::newRow("duplicate") << u"alice"_qs << QByteArray("pw\npw\n") << u"exists"_qs;
}

void tst_AdminCli::userAddRejects()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"pw"_qs));
    QVERIFY(server.admin({u"user"_qs, u"add"_qs, name}, input) != 0);
    QVERIFY2(server.lastAdminOutput().contains(message.toUtf8()),
             server.lastAdminOutput().constData());
    QCOMPARE(server.admin({u"user"_qs, u"list"_qs}), 0);
    QCOMPARE(server.lastAdminOutput().count('\n'), 1); // only alice
}

void tst_AdminCli::passwdAndDisable()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"old-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QCOMPARE(server.admin({u"user"_qs, u"passwd"_qs, u"alice"_qs}, "new-pw\nnew-pw\n"), 0);
    QVERIFY(server.admin({u"user"_qs, u"passwd"_qs, u"nobody"_qs}, "x\nx\n") != 0);
    QCOMPARE(server.admin({u"user"_qs, u"disable"_qs, u"bob"_qs}), 0);
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    QCOMPARE(http.login(u"alice"_qs, u"old-pw"_qs).status, 401);
    QCOMPARE(http.login(u"alice"_qs, u"new-pw"_qs).status, 200);
    // Disabled: cannot log in, and is gone from the directory.
    const HttpResult bob = http.login(u"bob"_qs, u"bob-pw"_qs);
    QCOMPARE(bob.status, 401);
    QCOMPARE(bob.json[u"error"].toString(), u"invalid_credentials"_qs);
    const QByteArray token = http.accessToken(u"alice"_qs, u"new-pw"_qs).toUtf8();
    const HttpResult users = http.request("GET", u"/api/v1/users"_qs, {}, token);
    QCOMPARE(users.json[u"users"].toArray().size(), 1);
}

void tst_AdminCli::aChangeTheDiskRefusesIsNotReportedDone()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    // The server runs (its WAL index is sized), so the admin command can read;
    // its files may grow no more, so its commit fails, as on a full disk.
    QVERIFY(server.start());
    const auto onAFullDisk = [&](const QStringList &args, const QByteArray &input) {
        QProcess p;
        p.setProgram(NatterdProcess::binaryPath());
        p.setArguments(args + QStringList{u"--data-dir"_qs, server.dataDir()});
        p.setChildProcessModifier([] {
            rlimit limit{};
            ::getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = 0;
            ::setrlimit(RLIMIT_FSIZE, &limit);
            ::signal(SIGXFSZ, SIG_IGN);
        });
        p.start();
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return std::pair{p.exitCode(), p.readAllStandardOutput() + p.readAllStandardError()};
    };
    // Nothing is said to be done that was not stored.
    const auto [disableCode, disableOutput] =
        onAFullDisk({u"user"_qs, u"disable"_qs, u"bob"_qs}, {});
    QCOMPARE(disableCode, 1);
    QVERIFY2(!disableOutput.contains("disabled"), disableOutput.constData());
    QVERIFY2(disableOutput.contains("could not write the database"), disableOutput.constData());
    const auto [passwdCode, passwdOutput] =
        onAFullDisk({u"user"_qs, u"passwd"_qs, u"alice"_qs}, "new-pw\nnew-pw\n");
    QCOMPARE(passwdCode, 1);
    QVERIFY2(!passwdOutput.contains("changed"), passwdOutput.constData());

    // And indeed nothing changed: bob still signs in, alice with her old password.
    HttpTestClient http(server.httpUrl());
    QCOMPARE(http.login(u"bob"_qs, u"bob-pw"_qs).status, 200);
    QCOMPARE(http.login(u"alice"_qs, u"alice-pw"_qs).status, 200);
}

void tst_AdminCli::disableWhileRunningClosesSockets()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"mallory"_qs, u"pw"_qs));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    const HttpResult login = http.login(u"mallory"_qs, u"pw"_qs);
    WsTestClient socket;
    QVERIFY(socket.open(server.wsUrl(), server.origin()));
    QVERIFY(!socket.authenticate(login.json[u"access_token"].toString()).isEmpty());
    QCOMPARE(server.admin({u"user"_qs, u"disable"_qs, u"mallory"_qs}), 0);
    QVERIFY(socket.waitClosed(10000));
    QCOMPARE(socket.closeCode(), 4401);
    QCOMPARE(http.postJson(u"/api/v1/auth/refresh"_qs,
                           {{u"refresh_token"_qs, login.json[u"refresh_token"]}})
                 .status,
             401);
    QCOMPARE(http.login(u"mallory"_qs, u"pw"_qs).status, 401);
}

void tst_AdminCli::disabledUserIsCutOffAndStaysOut()
{
    // natterd learns of `natterd user disable` through the store's change feed
    // (within §12's bound, not per frame): her socket closes with 4401, her
    // still-unexpired access token does not get her back in, and bob, who
    // shares her channel, is not disturbed.
    NatterdProcess server;
    QVERIFY(server.addUser(u"mallory"_qs, u"pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"mallory"_qs, u"bob"_qs}));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    WsTestClient mallory;
    WsTestClient bob;
    for (auto [client, name] : {std::pair{&mallory, u"mallory"_qs}, std::pair{&bob, u"bob"_qs}}) {
        const HttpResult login = http.login(name, u"pw"_qs);
        QVERIFY(client->open(server.wsUrl(), server.origin()));
        QVERIFY(!client->authenticate(login.json[u"access_token"].toString()).isEmpty());
        QVERIFY(!client->take(u"resumed"_qs).isEmpty());
    }
    const QString access = http.login(u"mallory"_qs, u"pw"_qs).json[u"access_token"].toString();
    QCOMPARE(server.admin({u"user"_qs, u"disable"_qs, u"mallory"_qs}), 0);
    QVERIFY(mallory.waitClosed(10000));
    QCOMPARE(mallory.closeCode(), 4401);
    // A new socket with her access token (signed, not yet expired) is refused.
    WsTestClient again;
    QVERIFY(again.open(server.wsUrl(), server.origin()));
    QVERIFY(again.authenticate(access).isEmpty());
    QVERIFY(again.waitClosed(10000));
    QCOMPARE(again.closeCode(), 4401);
    bob.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QVERIFY(!bob.take(u"pong"_qs).isEmpty());
    QVERIFY(bob.isOpen());
}

void tst_AdminCli::channels()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"pw"_qs));
    QVERIFY(server.addChannel(u"ops"_qs, {u"alice"_qs}));
    QVERIFY(!server.addChannel(u"ops"_qs, {u"alice"_qs})); // exists
    QVERIFY(!server.addChannel(u"bad"_qs, {u"alice"_qs, u"zed"_qs})); // unknown member
    QVERIFY2(server.addChannel(u"empty"_qs, {}), server.lastAdminOutput().constData());
    QCOMPARE(server.admin({u"channel"_qs, u"join"_qs, u"ops"_qs, u"bob"_qs}), 0);
    QVERIFY(server.admin({u"channel"_qs, u"join"_qs, u"ops"_qs, u"bob"_qs}) != 0);
    QCOMPARE(server.admin({u"channel"_qs, u"list"_qs}), 0);
    QString out = QString::fromUtf8(server.lastAdminOutput());
    QVERIFY2(out.contains(u"ops"_qs) && out.contains(u"alice,bob"_qs), qPrintable(out));
    // Compare names, not the whole text: channel ids are random hex, and one
    // may well contain "bad".
    QStringList names;
    for (const QString &line : out.split(u'\n', Qt::SkipEmptyParts))
        names << line.section(u'\t', 0, 0);
    QVERIFY2(!names.contains(u"bad"_qs), qPrintable(out));
    QCOMPARE(server.admin({u"channel"_qs, u"leave"_qs, u"ops"_qs, u"alice"_qs}), 0);
    QVERIFY(server.admin({u"channel"_qs, u"leave"_qs, u"ops"_qs, u"alice"_qs}) != 0);
    QCOMPARE(server.admin({u"channel"_qs, u"list"_qs}), 0);
    out = QString::fromUtf8(server.lastAdminOutput());
    QVERIFY2(out.contains(u"\tbob"_qs) && !out.contains(u"alice"_qs), qPrintable(out));
    QVERIFY(server.admin({u"channel"_qs, u"join"_qs, u"nope"_qs, u"bob"_qs}) != 0);
}

void tst_AdminCli::membershipChangesReachLiveClients()
{
    // An operator runs `natterd channel add/join/leave` while people are signed
    // in: their open windows learn of it without reconnecting, and who receives
    // the channel's messages follows at once.
    NatterdProcess server;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(server.addUser(name, u"pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    QHash<QString, QString> ids;
    std::map<QString, std::unique_ptr<WsTestClient>> ws;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs}) {
        const HttpResult login = http.login(name, u"pw"_qs);
        ids.insert(name, login.json[u"user"][u"id"].toString());
        auto client = std::make_unique<WsTestClient>();
        QVERIFY(client->open(server.wsUrl(), server.origin()));
        QVERIFY(!client->authenticate(login.json[u"access_token"].toString()).isEmpty());
        QVERIFY(!client->take(u"resumed"_qs).isEmpty());
        ws[name] = std::move(client);
    }
    const auto memberIds = [](const QJsonObject &channel) {
        QStringList members;
        for (const QJsonValue &v : channel[u"members"].toArray())
            members << v.toString();
        members.sort();
        return members;
    };
    const auto userNames = [](const QJsonObject &frame) {
        QStringList names;
        for (const QJsonValue &v : frame[u"users"].toArray())
            names << v[u"username"].toString();
        names.sort();
        return names;
    };

    // A new channel with two people who are online.
    QVERIFY(server.addChannel(u"ops"_qs, {u"alice"_qs, u"carol"_qs}));
    QJsonObject frame = ws[u"carol"_qs]->take(u"channel"_qs, 10000);
    QCOMPARE(frame[u"channel"][u"name"].toString(), u"ops"_qs);
    const QString ops = frame[u"channel"][u"id"].toString();
    QStringList aliceAndCarol{ids[u"alice"_qs], ids[u"carol"_qs]};
    aliceAndCarol.sort();
    QCOMPARE(memberIds(frame[u"channel"].toObject()), aliceAndCarol);
    QCOMPARE(userNames(frame), (QStringList{u"alice"_qs, u"carol"_qs}));
    QCOMPARE(frame[u"users"][0][u"status"].toString(), u"online"_qs);
    QCOMPARE(ws[u"alice"_qs]->take(u"channel"_qs, 10000)[u"channel"][u"id"].toString(), ops);
    // bob is not concerned: whatever natterd sent him came before this pong.
    ws[u"bob"_qs]->sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QVERIFY(!ws[u"bob"_qs]->take(u"pong"_qs).isEmpty());
    QVERIFY(!ws[u"bob"_qs]->has(u"channel"_qs));

    // bob joins: he gets the channel and everyone in it, the others get bob.
    QCOMPARE(server.admin({u"channel"_qs, u"join"_qs, u"ops"_qs, u"bob"_qs}), 0);
    frame = ws[u"bob"_qs]->take(u"channel"_qs, 10000);
    QCOMPARE(frame[u"channel"][u"id"].toString(), ops);
    QCOMPARE(userNames(frame), (QStringList{u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    frame = ws[u"alice"_qs]->take(u"channel"_qs, 10000);
    QCOMPARE(memberIds(frame[u"channel"].toObject()).size(), 3);
    QCOMPARE(userNames(frame), QStringList{u"bob"_qs});
    QVERIFY(!ws[u"carol"_qs]->take(u"channel"_qs, 10000).isEmpty());
    ws[u"bob"_qs]->sendJson({{u"type"_qs, u"send"_qs},
                             {u"channel"_qs, ops},
                             {u"client_msg_id"_qs, u"b1"_qs},
                             {u"text"_qs, u"hi ops"_qs}});
    QVERIFY(!ws[u"bob"_qs]->take(u"ack"_qs).isEmpty());
    // The CLI's join is recorded as a system message (§7, ChannelEvents), which
    // reaches the members live before bob's message.
    // (carol first has the channel's `created`, which came with `channel add`.)
    QCOMPARE(ws[u"carol"_qs]->take(u"message"_qs)[u"message"][u"system"][u"event"].toString(),
             u"created"_qs);
    const QJsonObject joined = ws[u"carol"_qs]->take(u"message"_qs)[u"message"].toObject();
    QCOMPARE(joined[u"kind"].toString(), u"system"_qs);
    QCOMPARE(joined[u"system"][u"event"].toString(), u"joined"_qs);
    QCOMPARE(joined[u"system"][u"users"].toArray(), QJsonArray{ids[u"bob"_qs]});
    QCOMPARE(ws[u"carol"_qs]->take(u"message"_qs)[u"message"][u"text"].toString(), u"hi ops"_qs);

    // carol leaves: she sees the channel without herself, and hears no more of it.
    QCOMPARE(server.admin({u"channel"_qs, u"leave"_qs, u"ops"_qs, u"carol"_qs}), 0);
    frame = ws[u"carol"_qs]->take(u"channel"_qs, 10000);
    QCOMPARE(frame[u"channel"][u"id"].toString(), ops);
    QVERIFY(!memberIds(frame[u"channel"].toObject()).contains(ids[u"carol"_qs]));
    QVERIFY(!ws[u"bob"_qs]->take(u"channel"_qs, 10000).isEmpty());
    ws[u"bob"_qs]->sendJson({{u"type"_qs, u"send"_qs},
                             {u"channel"_qs, ops},
                             {u"client_msg_id"_qs, u"b2"_qs},
                             {u"text"_qs, u"after carol left"_qs}});
    QVERIFY(!ws[u"bob"_qs]->take(u"ack"_qs).isEmpty());
    QVERIFY(!ws[u"alice"_qs]->take(u"message"_qs).isEmpty());
    ws[u"carol"_qs]->sendJson({{u"type"_qs, u"send"_qs},
                               {u"ref"_qs, u"r1"_qs},
                               {u"channel"_qs, ops},
                               {u"client_msg_id"_qs, u"c1"_qs},
                               {u"text"_qs, u"still here?"_qs}});
    QCOMPARE(ws[u"carol"_qs]->take(u"error"_qs)[u"code"].toString(), u"not_member"_qs);
    QVERIFY(!ws[u"carol"_qs]->has(u"message"_qs)); // bob's second message never came
}

void tst_AdminCli::channelAddedJustBeforeSignInTakesMessages()
{
    // An operator adds a channel and its member signs in right away: the
    // channel is in `connected`, so the first message to it must be taken, even
    // though natterd learns of the admin CLI's change only through its change
    // feed (up to 250 ms later). Three rounds, each sending within a few
    // milliseconds of the command: without the catch-up at sign-in, at least
    // one falls inside that window and is refused with not_member.
    NatterdProcess server;
    QVERIFY(server.addUser(u"dave"_qs, u"pw"_qs));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    const QString access = http.login(u"dave"_qs, u"pw"_qs).json[u"access_token"].toString();
    for (int round = 0; round < 3; ++round) {
        const QString name = u"fresh-%1"_qs.arg(round);
        QVERIFY(server.addChannel(name, {u"dave"_qs}));
        WsTestClient dave;
        QVERIFY(dave.open(server.wsUrl(), server.origin()));
        const QJsonObject connected = dave.authenticate(access);
        QString id;
        for (const QJsonValue &c : connected[u"channels"].toArray()) {
            if (c[u"name"].toString() == name)
                id = c[u"id"].toString();
        }
        QVERIFY2(!id.isEmpty(), "the new channel is in the snapshot");
        dave.sendJson({{u"type"_qs, u"send"_qs},
                       {u"ref"_qs, u"r"_qs},
                       {u"channel"_qs, id},
                       {u"client_msg_id"_qs, name},
                       {u"text"_qs, u"first!"_qs}});
        const QJsonObject ack = dave.take(u"ack"_qs);
        const QByteArray error =
            QJsonDocument(dave.take(u"error"_qs, 0)).toJson(QJsonDocument::Compact);
        QVERIFY2(!ack.isEmpty(), error.constData());
    }
}

void tst_AdminCli::archiveAndUnarchiveReachLiveClients()
{
    // `natterd channel archive/unarchive` while people are signed in: the
    // members' open windows learn of it without reconnecting (`channel` with
    // the new `archived`, then the system message, §8), and sends follow the
    // new state at once (§13).
    NatterdProcess server;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(server.addUser(name, u"pw"_qs));
    QVERIFY(server.addChannel(u"ops"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY(server.start());
    HttpTestClient http(server.httpUrl());
    QHash<QString, QString> ids;
    std::map<QString, std::unique_ptr<WsTestClient>> ws;
    for (const QString &name : {u"alice"_qs, u"bob"_qs}) {
        const HttpResult login = http.login(name, u"pw"_qs);
        ids.insert(name, login.json[u"user"][u"id"].toString());
        auto client = std::make_unique<WsTestClient>();
        QVERIFY(client->open(server.wsUrl(), server.origin()));
        QVERIFY(!client->authenticate(login.json[u"access_token"].toString()).isEmpty());
        QVERIFY(!client->take(u"resumed"_qs).isEmpty());
        ws[name] = std::move(client);
    }
    ids.insert(u"carol"_qs, http.login(u"carol"_qs, u"pw"_qs).json[u"user"][u"id"].toString());
    QString ops;
    const auto send = [&](const QString &who, const QString &channel, const QString &id) {
        ws[who]->sendJson({{u"type"_qs, u"send"_qs},
                           {u"ref"_qs, id},
                           {u"channel"_qs, channel},
                           {u"client_msg_id"_qs, id},
                           {u"text"_qs, u"hello"_qs}});
    };
    // The channel and its system message, as each member's window hears them.
    const auto expectLive = [&](const QString &who, bool archived, const QString &event) {
        const QJsonObject frame = ws[who]->take(u"channel"_qs, 10000);
        QCOMPARE(frame[u"channel"][u"name"].toString(), u"ops"_qs);
        ops = frame[u"channel"][u"id"].toString();
        QCOMPARE(frame[u"channel"][u"archived"].toBool(!archived), archived);
        const QJsonObject m = ws[who]->take(u"message"_qs)[u"message"].toObject();
        QCOMPARE(m[u"kind"].toString(), u"system"_qs);
        QCOMPARE(m[u"system"][u"event"].toString(), event);
    };

    QCOMPARE(server.admin({u"channel"_qs, u"archive"_qs, u"ops"_qs}), 0);
    expectLive(u"alice"_qs, true, u"archived"_qs);
    if (QTest::currentTestFailed())
        return;
    expectLive(u"bob"_qs, true, u"archived"_qs);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(server.admin({u"channel"_qs, u"list"_qs}), 0);
    QVERIFY2(server.lastAdminOutput().contains("\tarchived\n"),
             server.lastAdminOutput().constData());
    send(u"bob"_qs, ops, u"b1"_qs);
    QCOMPARE(ws[u"bob"_qs]->take(u"error"_qs)[u"code"].toString(), u"archived"_qs);

    // Refusals: a plain message and a non-zero exit.
    QVERIFY(server.admin({u"channel"_qs, u"archive"_qs, u"ops"_qs}) != 0);
    QVERIFY2(server.lastAdminOutput().contains("already archived"),
             server.lastAdminOutput().constData());
    QVERIFY(server.admin({u"channel"_qs, u"archive"_qs, u"nope"_qs}) != 0);
    QVERIFY2(server.lastAdminOutput().contains("no channel nope"),
             server.lastAdminOutput().constData());
    // A direct conversation (alice's `dm` to carol) is listed by its name but
    // cannot be archived (§13).
    ws[u"alice"_qs]->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d"_qs}, {u"user"_qs, ids.value(u"carol"_qs)}});
    const QJsonObject dm = ws[u"alice"_qs]->take(u"channel"_qs);
    QCOMPARE(dm[u"channel"][u"kind"].toString(), u"direct"_qs);
    const QString direct = dm[u"channel"][u"name"].toString();
    QVERIFY(server.admin({u"channel"_qs, u"archive"_qs, direct}) != 0);
    QVERIFY2(server.lastAdminOutput().contains("direct conversation"),
             server.lastAdminOutput().constData());

    QCOMPARE(server.admin({u"channel"_qs, u"unarchive"_qs, u"ops"_qs}), 0);
    expectLive(u"bob"_qs, false, u"unarchived"_qs);
    if (QTest::currentTestFailed())
        return;
    expectLive(u"alice"_qs, false, u"unarchived"_qs);
    if (QTest::currentTestFailed())
        return;
    send(u"bob"_qs, ops, u"b2"_qs);
    QVERIFY(!ws[u"bob"_qs]->take(u"ack"_qs).isEmpty());
    QVERIFY(server.admin({u"channel"_qs, u"unarchive"_qs, u"ops"_qs}) != 0);
    QVERIFY2(server.lastAdminOutput().contains("not archived"),
             server.lastAdminOutput().constData());
}

void tst_AdminCli::unknownCommand()
{
    NatterdProcess server;
    QVERIFY(server.admin({u"user"_qs, u"explode"_qs}) != 0);
    QVERIFY(server.lastAdminOutput().contains("unknown command"));
    QVERIFY(server.admin({u"frobnicate"_qs}) != 0);
}

void tst_AdminCli::demoSeedsAndPrintsFreshPasswords()
{
    NatterdProcess server;
    QVERIFY2(server.start({u"--demo"_qs}), qPrintable(server.errorString()));
    static const QRegularExpression line(uR"(demo-user (alice|bob|carol) (\S+))"_qs);
    const auto passwords = [&] {
        QHash<QString, QString> result;
        auto it = line.globalMatch(QString::fromUtf8(server.log()));
        while (it.hasNext()) {
            const auto m = it.next();
            result[m.captured(1)] = m.captured(2); // the last start wins
        }
        return result;
    };
    QHash<QString, QString> first = passwords();
    QCOMPARE(first.size(), 3);
    HttpTestClient http(server.httpUrl());
    const HttpResult alice = http.login(u"alice"_qs, first[u"alice"_qs]);
    QCOMPARE(alice.status, 200);
    QCOMPARE(alice.json[u"user"][u"display_name"].toString(), u"Alice"_qs);
    const QByteArray token = alice.json[u"access_token"].toString().toUtf8();
    QCOMPARE(http.request("GET", u"/api/v1/users"_qs, {}, token).json[u"users"].toArray().size(),
             3);

    // Every demo start sets fresh passwords; the old ones stop working.
    QCOMPARE(server.stop(), 0);
    QVERIFY(server.restart());
    const QHash<QString, QString> second = passwords();
    QVERIFY(second[u"bob"_qs] != first[u"bob"_qs]);
    HttpTestClient http2(server.httpUrl());
    QCOMPARE(http2.login(u"bob"_qs, first[u"bob"_qs]).status, 401);
    QCOMPARE(http2.login(u"bob"_qs, second[u"bob"_qs]).status, 200);
    // Channels general and random exist once each, with all three members.
    QCOMPARE(server.admin({u"channel"_qs, u"list"_qs}), 0);
    const QString out = QString::fromUtf8(server.lastAdminOutput());
    QCOMPARE(out.count(u"general"_qs), 1);
    QCOMPARE(out.count(u"random"_qs), 1);
    QVERIFY(out.contains(u"alice,bob,carol"_qs));
}

void tst_AdminCli::demoRefusesNonLoopback_data()
{
    QTest::addColumn<QString>("listen");
    QTest::newRow("any ipv4") << u"0.0.0.0:0"_qs;
    QTest::newRow("any ipv6") << u"[::]:0"_qs;
}

void tst_AdminCli::demoRefusesNonLoopback()
{
    QFETCH(QString, listen);
    QTemporaryDir dir;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(NatterdProcess::binaryPath(),
            {u"--demo"_qs, u"--data-dir"_qs, dir.path(), u"--listen"_qs, listen});
    QVERIFY(p.waitForFinished(20000));
    QVERIFY(p.exitCode() != 0);
    const QByteArray out = p.readAll();
    QVERIFY2(out.contains("loopback"), out.constData());
    QVERIFY(!out.contains("demo-user"));
    QVERIFY(!out.contains("event=listening"));
}

QTEST_GUILESS_MAIN(tst_AdminCli)
#include "tst_admincli.moc"
