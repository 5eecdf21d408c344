// Channels people create themselves (§7 system messages, §8, §13) against the
// real natterd: channel_create and its answers, the name rules and name_taken
// (case-insensitive, against channels an older natterd made), the directory
// (private channels never listed to non-members, query, paging), join (private:
// not_found), leave (channel_removed on every connection of the leaver),
// invite, owner-only channel_update and archive with the admin override, the
// archived refusals, notify (echoed to the user's other connection, present
// in the next `connected`), system messages (live to every member, the
// actor's connections included; never editable, deletable), the
// `channel_creation = admins` setting, and the admin CLI's join/leave making
// the same frames and system messages.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace Natter::Server;

class tst_Channels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void createAnswersEveryMemberWithSystemMessage();
    void nameRules_data();
    void nameRules();
    void directoryListsPrivateOnlyToMembers();
    void joinPrivateIsNotFoundJoinPublicAnnounced();
    void leaveRemovesOnEveryConnection();
    void inviteAddsWithUsers();
    void updateAndArchiveOwnerOrAdminOnly();
    void topicIsOneLineWithoutControls();
    void archivedRefusals();
    void notifyEchoedAndInNextConnected();
    void systemMessagesCannotBeEditedOrDeleted();
    void channelCreationAdminsOnly();
    void adminCliJoinLeaveMakeSameFramesAndSystemMessages();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user);
    // The next frame of `type` whose ref is `ref` (frames of that type without it are dropped).
    QJsonObject answer(WsTestClient &client, const QString &type, const QString &ref);
    QString errorFor(WsTestClient &client, QJsonObject frame);
    // The next `message` frame of a system message with S.event `event`.
    QJsonObject systemMessage(WsTestClient &client, const QString &event);
    QJsonObject create(WsTestClient &client, const QString &name, const QString &visibility,
                       const QStringList &members = {}, const QString &topic = {});
    QJsonArray directory(const QString &user, const QString &query = {}, int limit = 100,
                         QJsonValue *next = nullptr, const QString &after = {});
    QStringList namesIn(const QJsonArray &entries);
    void sync(WsTestClient &client);

    QTemporaryDir m_configDir;
    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_ids; // name -> id
    QJsonObject m_connected;
    QString m_general; // alice, bob, carol (made by the admin CLI)
    int m_counter = 0;
};

void tst_Channels::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QCOMPARE(
        m_server.admin({u"user"_qs, u"add"_qs, u"dave"_qs, u"--admin"_qs}, "dave-pw\ndave-pw\n"),
        0);
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    {
        // A channel an older natterd let in with capitals: §13 compares names
        // case-insensitively, whoever made them.
        SqliteChatStore store(m_server.dataDir() + u"/natterd.sqlite"_qs);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        StoredChannel legacy;
        legacy.id = u"legacy0001"_qs;
        legacy.name = u"Ops"_qs;
        // ... and with a topic older natterds stored as sent.
        legacy.topic = u"old\u001b]0;owned\u0007\ntopic\u202e"_qs;
        QVERIFY(store.addChannel(legacy, &error));
        // ... and the system message that told of it.
        StoredMessage told;
        told.channel = legacy.id;
        told.author = u"legacy"_qs;
        told.kind = u"system"_qs;
        told.clientMsgId = u"legacy-topic"_qs;
        told.system =
            QJsonDocument(QJsonObject{{u"event"_qs, u"topic"_qs}, {u"topic"_qs, legacy.topic}})
                .toJson(QJsonDocument::Compact);
        QVERIFY(store.appendMessage(&told));
        QVERIFY(store.flush());
        store.close();
    }
    // These tests create dozens of channels in a row: lift the per-user channel
    // budget (issue 12; tst_servercaps shows it) so that it never answers first.
    QFile config(m_configDir.filePath(u"natterd.conf"_qs));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[server]\nuser_channel_per_second = 5000\nuser_channel_burst = 5000\n");
    config.close();
    QVERIFY2(m_server.start({u"--config"_qs, config.fileName()}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        m_ids[name] = m_http->login(name, name + u"-pw"_qs).json[u"user"][u"id"].toString();
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general") {
            m_general = c[u"id"].toString();
            // §8 fields; a channel the admin CLI made is public with no owner.
            QCOMPARE(c[u"visibility"].toString(), u"public"_qs);
            QVERIFY(c[u"owner"].isNull());
            QCOMPARE(c[u"archived"].toBool(true), false);
            QCOMPARE(c[u"notify"].toString(), u"all"_qs);
            QCOMPARE(c[u"topic"].toString(u"?"_qs), QString());
        }
    }
    QVERIFY(!m_general.isEmpty());
    QCOMPARE(m_connected[u"user"][u"admin"].toBool(true), false);
}

std::unique_ptr<WsTestClient> tst_Channels::connectAs(const QString &user)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    m_connected = client->authenticate(m_http->accessToken(user, user + u"-pw"_qs));
    if (m_connected.isEmpty() || client->take(u"resumed"_qs).isEmpty())
        return nullptr;
    return client;
}

QJsonObject tst_Channels::answer(WsTestClient &client, const QString &type, const QString &ref)
{
    for (int i = 0; i < 100; ++i) {
        const QJsonObject frame = client.take(type);
        if (frame.isEmpty() || frame[u"ref"].toString() == ref)
            return frame;
    }
    return {};
}

QString tst_Channels::errorFor(WsTestClient &client, QJsonObject frame)
{
    const QString ref = u"e%1"_qs.arg(++m_counter);
    frame.insert(u"ref"_qs, ref);
    client.sendJson(frame);
    return answer(client, u"error"_qs, ref)[u"code"].toString();
}

QJsonObject tst_Channels::systemMessage(WsTestClient &client, const QString &event)
{
    for (int i = 0; i < 100; ++i) {
        const QJsonObject m = client.take(u"message"_qs)[u"message"].toObject();
        if (m.isEmpty())
            return {};
        if (m[u"kind"].toString() == u"system" && m[u"system"][u"event"].toString() == event)
            return m;
    }
    return {};
}

QJsonObject tst_Channels::create(WsTestClient &client, const QString &name,
                                 const QString &visibility, const QStringList &members,
                                 const QString &topic)
{
    const QString ref = u"c%1"_qs.arg(++m_counter);
    QJsonObject frame{{u"type"_qs, u"channel_create"_qs},
                      {u"ref"_qs, ref},
                      {u"name"_qs, name},
                      {u"visibility"_qs, visibility}};
    QJsonArray ids;
    for (const QString &m : members)
        ids.append(m_ids.value(m));
    if (!members.isEmpty())
        frame.insert(u"members"_qs, ids);
    if (!topic.isEmpty())
        frame.insert(u"topic"_qs, topic);
    client.sendJson(frame);
    return answer(client, u"channel"_qs, ref);
}

QJsonArray tst_Channels::directory(const QString &user, const QString &query, int limit,
                                   QJsonValue *next, const QString &after)
{
    QUrlQuery q;
    if (!query.isEmpty())
        q.addQueryItem(u"query"_qs, query);
    q.addQueryItem(u"limit"_qs, QString::number(limit));
    if (!after.isEmpty())
        q.addQueryItem(u"after"_qs, after);
    const HttpResult r =
        m_http->request("GET", u"/api/v1/channels?"_qs + q.toString(QUrl::FullyEncoded), {},
                        m_http->accessToken(user, user + u"-pw"_qs).toUtf8());
    if (r.status != 200)
        return QJsonArray{u"status %1"_qs.arg(r.status)};
    if (next)
        *next = r.json[u"next"];
    return r.json[u"channels"].toArray();
}

QStringList tst_Channels::namesIn(const QJsonArray &entries)
{
    QStringList names;
    for (const QJsonValue &e : entries)
        names << e[u"name"].toString();
    return names;
}

void tst_Channels::sync(WsTestClient &client)
{
    client.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!answer(client, u"pong"_qs, u"sync"_qs).isEmpty());
}

void tst_Channels::createAnswersEveryMemberWithSystemMessage()
{
    auto a1 = connectAs(u"alice"_qs);
    auto a2 = connectAs(u"alice"_qs);
    auto b1 = connectAs(u"bob"_qs);
    auto c1 = connectAs(u"carol"_qs);
    QVERIFY(a1 && a2 && b1 && c1);
    const QJsonObject answered = create(*a1, u"proj"_qs, u"private"_qs, {u"bob"_qs}, u"Plans"_qs);
    QVERIFY(!answered.isEmpty());
    const QJsonObject channel = answered[u"channel"].toObject();
    QCOMPARE(channel[u"name"].toString(), u"proj"_qs);
    QCOMPARE(channel[u"kind"].toString(), u"channel"_qs);
    QCOMPARE(channel[u"visibility"].toString(), u"private"_qs);
    QCOMPARE(channel[u"topic"].toString(), u"Plans"_qs);
    QCOMPARE(channel[u"owner"].toString(), m_ids[u"alice"_qs]);
    QCOMPARE(channel[u"archived"].toBool(true), false);
    QCOMPARE(channel[u"notify"].toString(), u"all"_qs);
    QStringList members{m_ids[u"alice"_qs], m_ids[u"bob"_qs]};
    members.sort();
    QCOMPARE(channel[u"members"].toArray().toVariantList().size(), 2);
    QCOMPARE(channel[u"members"][0].toString(), members[0]);
    QCOMPARE(answered[u"users"].toArray().size(), 2);
    const QString id = channel[u"id"].toString();
    // bob (with alice introduced) and alice's other connection.
    const QJsonObject toBob = b1->take(u"channel"_qs);
    QCOMPARE(toBob[u"channel"][u"id"].toString(), id);
    QVERIFY(!toBob.contains(u"ref"_qs));
    QCOMPARE(toBob[u"users"].toArray().size(), 2);
    QCOMPARE(a2->take(u"channel"_qs)[u"channel"][u"id"].toString(), id);
    // The system message `created` reaches every member's connections, the actor's too.
    for (WsTestClient *c : {a1.get(), a2.get(), b1.get()}) {
        const QJsonObject m = systemMessage(*c, u"created"_qs);
        QCOMPARE(m[u"channel"].toString(), id);
        QCOMPARE(m[u"seq"].toInteger(), 1);
        QCOMPARE(m[u"author"].toString(), m_ids[u"alice"_qs]);
        QCOMPARE(m[u"text"].toString(u"?"_qs), QString());
        QCOMPARE(m[u"system"][u"users"].toArray(), QJsonArray{m_ids[u"bob"_qs]});
    }
    QVERIFY(!a1->has(u"ack"_qs)); // never an ack (§13)
    // carol is not in it and hears nothing of it.
    sync(*c1);
    QVERIFY(!c1->has(u"channel"_qs));
    QVERIFY(!c1->has(u"message"_qs));
    // It is in bob's `connected` too, and in history.
    auto b2 = connectAs(u"bob"_qs);
    QVERIFY(b2);
    bool found = false;
    for (const QJsonValue &c : m_connected[u"channels"].toArray())
        found = found || c[u"id"].toString() == id;
    QVERIFY(found);
}

void tst_Channels::nameRules_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("visibility");
    QTest::addColumn<int>("topicLength");
    QTest::addColumn<QString>("expected"); // error code, or "" when created

    QTest::newRow("capitals") << u"Proj"_qs << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("leading dash") << u"-x"_qs << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("space") << u"a b"_qs << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("dot") << u"a.b"_qs << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("empty") << QString() << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("65 chars") << QString(65, u'a') << u"public"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("64 chars") << QString(64, u'a') << u"public"_qs << 0 << QString();
    QTest::newRow("digits, - and _") << u"0team_a-b"_qs << u"private"_qs << 0 << QString();
    QTest::newRow("bad visibility") << u"vis"_qs << u"direct"_qs << 0 << u"bad_request"_qs;
    QTest::newRow("taken") << u"general"_qs << u"public"_qs << 0 << u"name_taken"_qs;
    QTest::newRow("taken, other case") << u"ops"_qs << u"private"_qs << 0 << u"name_taken"_qs;
    QTest::newRow("topic 251") << u"topical"_qs << u"public"_qs << 251 << u"too_large"_qs;
    QTest::newRow("topic 250") << u"topical"_qs << u"public"_qs << 250 << QString();
}

void tst_Channels::nameRules()
{
    QFETCH(QString, name);
    QFETCH(QString, visibility);
    QFETCH(int, topicLength);
    QFETCH(QString, expected);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    QJsonObject frame{
        {u"type"_qs, u"channel_create"_qs}, {u"name"_qs, name}, {u"visibility"_qs, visibility}};
    if (topicLength)
        frame.insert(u"topic"_qs, QString(topicLength, u'\u00e9'));
    if (expected.isEmpty()) {
        frame.insert(u"ref"_qs, u"ok"_qs);
        alice->sendJson(frame);
        QCOMPARE(answer(*alice, u"channel"_qs, u"ok"_qs)[u"channel"][u"name"].toString(), name);
        // The same name again, now taken.
        QCOMPARE(errorFor(*alice, frame), u"name_taken"_qs);
    } else {
        QCOMPARE(errorFor(*alice, frame), expected);
    }
}

void tst_Channels::directoryListsPrivateOnlyToMembers()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    QVERIFY(!create(*alice, u"dir-pub"_qs, u"public"_qs, {u"bob"_qs}, u"Coffee Talk"_qs).isEmpty());
    QVERIFY(!create(*alice, u"dir-priv"_qs, u"private"_qs, {}, u"coffee secrets"_qs).isEmpty());
    // carol: the public one only, matched on the topic case-insensitively.
    QJsonArray found = directory(u"carol"_qs, u"COFFEE"_qs);
    QCOMPARE(namesIn(found), QStringList{u"dir-pub"_qs});
    const QJsonObject entry = found[0].toObject();
    QCOMPARE(entry[u"member_count"].toInteger(), 2);
    QCOMPARE(entry[u"member"].toBool(true), false);
    QCOMPARE(entry[u"archived"].toBool(true), false);
    QCOMPARE(entry[u"topic"].toString(), u"Coffee Talk"_qs);
    QVERIFY(!entry[u"id"].toString().isEmpty());
    QVERIFY(directory(u"carol"_qs, u"priv"_qs).isEmpty());
    // alice is in the private one: listed to her, as a member.
    found = directory(u"alice"_qs, u"dir-"_qs);
    QCOMPARE(namesIn(found), (QStringList{u"dir-priv"_qs, u"dir-pub"_qs}));
    QCOMPARE(found[0][u"member"].toBool(), true);
    // No private channel at all in carol's whole directory; paged by name.
    QStringList all;
    QJsonValue next;
    QString after;
    for (int page = 0; page < 50; ++page) {
        const QJsonArray chunk = directory(u"carol"_qs, {}, 2, &next, after);
        QVERIFY(chunk.size() <= 2);
        all << namesIn(chunk);
        if (next.isNull())
            break;
        after = next.toString();
    }
    QVERIFY(next.isNull());
    QVERIFY(all.contains(u"general"_qs));
    QVERIFY(all.contains(u"dir-pub"_qs));
    QVERIFY(!all.contains(u"dir-priv"_qs));
    QVERIFY(!all.contains(u"proj"_qs));
    QStringList sorted = all;
    sorted.sort();
    QCOMPARE(all, sorted);
    QCOMPARE(all.size(), QSet<QString>(all.cbegin(), all.cend()).size());
    // Without a token: 401.
    QCOMPARE(m_http->request("GET", u"/api/v1/channels"_qs).status, 401);
}

void tst_Channels::joinPrivateIsNotFoundJoinPublicAnnounced()
{
    auto alice = connectAs(u"alice"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && carol);
    const QString priv =
        create(*alice, u"join-priv"_qs, u"private"_qs)[u"channel"][u"id"].toString();
    const QString pub = create(*alice, u"join-pub"_qs, u"public"_qs)[u"channel"][u"id"].toString();
    QVERIFY(!priv.isEmpty() && !pub.isEmpty());
    QCOMPARE(errorFor(*carol, {{u"type"_qs, u"join"_qs}, {u"channel"_qs, priv}}), u"not_found"_qs);
    QCOMPARE(errorFor(*carol, {{u"type"_qs, u"join"_qs}, {u"channel"_qs, u"nope"_qs}}),
             u"not_found"_qs);
    carol->sendJson({{u"type"_qs, u"join"_qs}, {u"ref"_qs, u"j"_qs}, {u"channel"_qs, pub}});
    const QJsonObject joined = answer(*carol, u"channel"_qs, u"j"_qs);
    QCOMPARE(joined[u"channel"][u"id"].toString(), pub);
    QCOMPARE(joined[u"users"].toArray().size(), 2); // alice and carol, with presence
    QVERIFY(joined[u"users"][0].toObject().contains(u"status"_qs));
    const QJsonObject toAlice = alice->take(u"channel"_qs);
    QCOMPARE(toAlice[u"channel"][u"members"].toArray().size(), 2);
    QCOMPARE(toAlice[u"users"].toArray().size(), 1);
    QCOMPARE(toAlice[u"users"][0][u"username"].toString(), u"carol"_qs);
    for (WsTestClient *c : {alice.get(), carol.get()}) {
        const QJsonObject m = systemMessage(*c, u"joined"_qs);
        QCOMPARE(m[u"channel"].toString(), pub);
        QCOMPARE(m[u"author"].toString(), m_ids[u"carol"_qs]);
    }
    // Already a member: the channel again, nothing else.
    carol->sendJson({{u"type"_qs, u"join"_qs}, {u"ref"_qs, u"j2"_qs}, {u"channel"_qs, pub}});
    QCOMPARE(answer(*carol, u"channel"_qs, u"j2"_qs)[u"channel"][u"id"].toString(), pub);
    sync(*alice);
    QVERIFY(!alice->has(u"message"_qs));
}

void tst_Channels::leaveRemovesOnEveryConnection()
{
    auto alice = connectAs(u"alice"_qs);
    auto b1 = connectAs(u"bob"_qs);
    auto b2 = connectAs(u"bob"_qs);
    QVERIFY(alice && b1 && b2);
    const QString id =
        create(*alice, u"leavers"_qs, u"public"_qs, {u"bob"_qs})[u"channel"][u"id"].toString();
    QVERIFY(!systemMessage(*b2, u"created"_qs).isEmpty());
    b1->sendJson({{u"type"_qs, u"leave"_qs}, {u"ref"_qs, u"l"_qs}, {u"channel"_qs, id}});
    const QJsonObject removed = answer(*b1, u"channel_removed"_qs, u"l"_qs);
    QCOMPARE(removed[u"channel"].toString(), id);
    QCOMPARE(removed[u"reason"].toString(), u"left"_qs);
    const QJsonObject other = b2->take(u"channel_removed"_qs);
    QCOMPARE(other[u"channel"].toString(), id);
    QCOMPARE(other[u"reason"].toString(), u"left"_qs);
    QVERIFY(!other.contains(u"ref"_qs));
    const QJsonObject toAlice = alice->take(u"channel"_qs);
    QCOMPARE(toAlice[u"channel"][u"members"].toArray(), QJsonArray{m_ids[u"alice"_qs]});
    const QJsonObject left = systemMessage(*alice, u"left"_qs);
    QCOMPARE(left[u"system"][u"users"].toArray(), QJsonArray{m_ids[u"bob"_qs]});
    // bob hears no more of it.
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, id},
                     {u"client_msg_id"_qs, u"after-bob"_qs},
                     {u"text"_qs, u"bob is gone"_qs}});
    QVERIFY(!alice->take(u"ack"_qs).isEmpty());
    sync(*b2);
    QVERIFY(!b2->has(u"message"_qs));
    // A direct channel cannot be left.
    alice->sendJson({{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"d"_qs}, {u"user"_qs, m_ids[u"bob"_qs]}});
    const QString direct = answer(*alice, u"channel"_qs, u"d"_qs)[u"channel"][u"id"].toString();
    QVERIFY(!direct.isEmpty());
    QCOMPARE(errorFor(*alice, {{u"type"_qs, u"leave"_qs}, {u"channel"_qs, direct}}),
             u"bad_request"_qs);
    // Not in it: not_member.
    QCOMPARE(errorFor(*b1, {{u"type"_qs, u"leave"_qs}, {u"channel"_qs, id}}), u"not_member"_qs);
}

void tst_Channels::inviteAddsWithUsers()
{
    auto alice = connectAs(u"alice"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && carol);
    const QString id = create(*alice, u"invites"_qs, u"private"_qs)[u"channel"][u"id"].toString();
    alice->sendJson({{u"type"_qs, u"invite"_qs},
                     {u"ref"_qs, u"i"_qs},
                     {u"channel"_qs, id},
                     {u"users"_qs, QJsonArray{m_ids[u"carol"_qs]}}});
    QCOMPARE(answer(*alice, u"channel"_qs, u"i"_qs)[u"channel"][u"members"].toArray().size(), 2);
    const QJsonObject toCarol = carol->take(u"channel"_qs);
    QCOMPARE(toCarol[u"channel"][u"id"].toString(), id);
    QCOMPARE(toCarol[u"users"].toArray().size(), 2);
    const QJsonObject m = systemMessage(*carol, u"invited"_qs);
    QCOMPARE(m[u"system"][u"users"].toArray(), QJsonArray{m_ids[u"carol"_qs]});
    QVERIFY(!systemMessage(*alice, u"invited"_qs).isEmpty());
    QCOMPARE(errorFor(*alice,
                      {{u"type"_qs, u"invite"_qs},
                       {u"channel"_qs, id},
                       {u"users"_qs, QJsonArray{u"nobody"_qs}}}),
             u"not_found"_qs);
}

void tst_Channels::topicIsOneLineWithoutControls()
{
    // A topic is shown on one line beside the name: an audit had NUL, ESC,
    // BEL, newlines and a right-to-left override stored and relayed as sent.
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QString hostile = u"a\u0000b\u001b[31mred\u0007 \u202egnp.exe\nline\u2066x\u2069"_qs;
    const QString clean = u"a b [31mred  gnp.exe linex"_qs;
    const QJsonObject created = create(*alice, u"controls"_qs, u"public"_qs, {u"bob"_qs}, hostile);
    QCOMPARE(created[u"channel"][u"topic"].toString(), clean);
    QCOMPARE(bob->take(u"channel"_qs)[u"channel"][u"topic"].toString(), clean);
    const QString id = created[u"channel"][u"id"].toString();
    // So does a change of topic, and its system message.
    alice->sendJson({{u"type"_qs, u"channel_update"_qs},
                     {u"ref"_qs, u"t"_qs},
                     {u"channel"_qs, id},
                     {u"topic"_qs, u"two\r\u2028lines\u202d"_qs}});
    QCOMPARE(answer(*alice, u"channel"_qs, u"t"_qs)[u"channel"][u"topic"].toString(),
             u"two  lines"_qs);
    QCOMPARE(systemMessage(*bob, u"topic"_qs)[u"system"][u"topic"].toString(), u"two  lines"_qs);
    // The public directory shows the same.
    bool listed = false;
    for (const QJsonValue &c : directory(u"bob"_qs, u"controls"_qs, 10)) {
        if (c[u"name"].toString() == u"controls") {
            listed = true;
            QCOMPARE(c[u"topic"].toString(), u"two  lines"_qs);
        }
    }
    QVERIFY(listed);
    // A topic stored before this rule is sent on one line too (directory and frames).
    listed = false;
    for (const QJsonValue &c : directory(u"bob"_qs, u"ops"_qs, 10)) {
        if (c[u"name"].toString() == u"Ops") {
            listed = true;
            QCOMPARE(c[u"topic"].toString(), u"old ]0;owned  topic"_qs);
        }
    }
    QVERIFY(listed);
    bob->sendJson(
        {{u"type"_qs, u"join"_qs}, {u"ref"_qs, u"j"_qs}, {u"channel"_qs, u"legacy0001"_qs}});
    QCOMPARE(answer(*bob, u"channel"_qs, u"j"_qs)[u"channel"][u"topic"].toString(),
             u"old ]0;owned  topic"_qs);
    // So is the topic in the system message stored with it.
    bob->sendJson(
        {{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"hl"_qs}, {u"channel"_qs, u"legacy0001"_qs}});
    bool told = false;
    for (const QJsonValue &m : answer(*bob, u"history"_qs, u"hl"_qs)[u"messages"].toArray()) {
        if (m[u"system"][u"event"].toString() == u"topic") {
            told = true;
            QCOMPARE(m[u"system"][u"topic"].toString(), u"old ]0;owned  topic"_qs);
        }
    }
    QVERIFY(told);
    // Sent back as shown (dave is a server admin), it is no change: no second
    // `topic` system message.
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(dave);
    dave->sendJson({{u"type"_qs, u"channel_update"_qs},
                    {u"ref"_qs, u"same"_qs},
                    {u"channel"_qs, u"legacy0001"_qs},
                    {u"topic"_qs, u"old ]0;owned  topic"_qs}});
    QCOMPARE(answer(*dave, u"channel"_qs, u"same"_qs)[u"channel"][u"topic"].toString(),
             u"old ]0;owned  topic"_qs);
    bob->sendJson(
        {{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h2"_qs}, {u"channel"_qs, u"legacy0001"_qs}});
    int topicEvents = 0;
    for (const QJsonValue &m : answer(*bob, u"history"_qs, u"h2"_qs)[u"messages"].toArray())
        topicEvents += m[u"system"][u"event"].toString() == u"topic" ? 1 : 0;
    QCOMPARE(topicEvents, 1);
}

void tst_Channels::updateAndArchiveOwnerOrAdminOnly()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto carol = connectAs(u"carol"_qs);
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(alice && bob && carol && dave);
    QCOMPARE(m_connected[u"user"][u"admin"].toBool(), true);
    const QString id =
        create(*alice, u"owned"_qs, u"public"_qs, {u"bob"_qs})[u"channel"][u"id"].toString();
    QCOMPARE(bob->take(u"channel"_qs)[u"channel"][u"name"].toString(), u"owned"_qs);
    QVERIFY(!systemMessage(*bob, u"created"_qs).isEmpty());
    const QJsonObject rename{
        {u"type"_qs, u"channel_update"_qs}, {u"channel"_qs, id}, {u"name"_qs, u"renamed"_qs}};
    QCOMPARE(errorFor(*bob, rename), u"forbidden"_qs); // a member, not the owner
    QCOMPARE(errorFor(*carol, rename), u"not_member"_qs);
    QCOMPARE(
        errorFor(*bob, {{u"type"_qs, u"archive"_qs}, {u"channel"_qs, id}, {u"archived"_qs, true}}),
        u"forbidden"_qs);
    QJsonObject taken = rename;
    taken[u"name"_qs] = u"general"_qs;
    QCOMPARE(errorFor(*alice, taken), u"name_taken"_qs);
    QJsonObject badName = rename;
    badName[u"name"_qs] = u"Bad Name"_qs;
    QCOMPARE(errorFor(*alice, badName), u"bad_request"_qs);
    // The owner renames and sets the topic: one system message per field.
    alice->sendJson({{u"type"_qs, u"channel_update"_qs},
                     {u"ref"_qs, u"u"_qs},
                     {u"channel"_qs, id},
                     {u"name"_qs, u"owned-two"_qs},
                     {u"topic"_qs, u"New topic"_qs}});
    QCOMPARE(answer(*alice, u"channel"_qs, u"u"_qs)[u"channel"][u"name"].toString(),
             u"owned-two"_qs);
    const QJsonObject toBob = bob->take(u"channel"_qs);
    QCOMPARE(toBob[u"channel"][u"name"].toString(), u"owned-two"_qs);
    QCOMPARE(toBob[u"channel"][u"topic"].toString(), u"New topic"_qs);
    QCOMPARE(systemMessage(*bob, u"renamed"_qs)[u"system"][u"name"].toString(), u"owned-two"_qs);
    QCOMPARE(systemMessage(*bob, u"topic"_qs)[u"system"][u"topic"].toString(), u"New topic"_qs);
    // An admin who is not a member archives it.
    dave->sendJson({{u"type"_qs, u"archive"_qs},
                    {u"ref"_qs, u"a"_qs},
                    {u"channel"_qs, id},
                    {u"archived"_qs, true}});
    QCOMPARE(answer(*dave, u"channel"_qs, u"a"_qs)[u"channel"][u"archived"].toBool(), true);
    QCOMPARE(bob->take(u"channel"_qs)[u"channel"][u"archived"].toBool(), true);
    const QJsonObject archived = systemMessage(*bob, u"archived"_qs);
    QCOMPARE(archived[u"author"].toString(), m_ids[u"dave"_qs]);
    QVERIFY(!systemMessage(*alice, u"archived"_qs).isEmpty());
    // The directory shows it archived.
    const QJsonArray listed = directory(u"carol"_qs, u"owned-two"_qs);
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0][u"archived"].toBool(), true);
    // And the owner unarchives it.
    alice->sendJson({{u"type"_qs, u"archive"_qs},
                     {u"ref"_qs, u"un"_qs},
                     {u"channel"_qs, id},
                     {u"archived"_qs, false}});
    QCOMPARE(answer(*alice, u"channel"_qs, u"un"_qs)[u"channel"][u"archived"].toBool(true), false);
    QVERIFY(!systemMessage(*bob, u"unarchived"_qs).isEmpty());
}

void tst_Channels::archivedRefusals()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && bob && carol);
    const QString id =
        create(*alice, u"frozen"_qs, u"public"_qs, {u"bob"_qs})[u"channel"][u"id"].toString();
    const auto sendAs = [&](WsTestClient &c, const QString &cmid) {
        c.sendJson({{u"type"_qs, u"send"_qs},
                    {u"ref"_qs, cmid},
                    {u"channel"_qs, id},
                    {u"client_msg_id"_qs, cmid},
                    {u"text"_qs, u"text of "_qs + cmid}});
        return answer(c, u"ack"_qs, cmid)[u"message"][u"id"].toString();
    };
    const QString bobs = sendAs(*bob, u"frozen-b1"_qs);
    const QString alices = sendAs(*alice, u"frozen-a1"_qs);
    QVERIFY(!bobs.isEmpty() && !alices.isEmpty());
    alice->sendJson({{u"type"_qs, u"archive"_qs},
                     {u"ref"_qs, u"a"_qs},
                     {u"channel"_qs, id},
                     {u"archived"_qs, true}});
    QVERIFY(!answer(*alice, u"channel"_qs, u"a"_qs).isEmpty());
    QCOMPARE(errorFor(*bob,
                      {{u"type"_qs, u"send"_qs},
                       {u"channel"_qs, id},
                       {u"client_msg_id"_qs, u"frozen-b2"_qs},
                       {u"text"_qs, u"x"_qs}}),
             u"archived"_qs);
    QCOMPARE(errorFor(*bob,
                      {{u"type"_qs, u"edit"_qs},
                       {u"channel"_qs, id},
                       {u"id"_qs, bobs},
                       {u"text"_qs, u"changed"_qs}}),
             u"archived"_qs);
    // forbidden comes before archived (§13).
    QCOMPARE(errorFor(*bob,
                      {{u"type"_qs, u"edit"_qs},
                       {u"channel"_qs, id},
                       {u"id"_qs, alices},
                       {u"text"_qs, u"changed"_qs}}),
             u"forbidden"_qs);
    QCOMPARE(errorFor(*bob,
                      {{u"type"_qs, u"react"_qs},
                       {u"channel"_qs, id},
                       {u"id"_qs, alices},
                       {u"emoji"_qs, u"👍"_qs},
                       {u"on"_qs, true}}),
             u"archived"_qs);
    QCOMPARE(errorFor(*bob,
                      {{u"type"_qs, u"invite"_qs},
                       {u"channel"_qs, id},
                       {u"users"_qs, QJsonArray{m_ids[u"carol"_qs]}}}),
             u"archived"_qs);
    QCOMPARE(errorFor(*carol, {{u"type"_qs, u"join"_qs}, {u"channel"_qs, id}}), u"archived"_qs);
    // Still readable; delete (moderation) still works.
    bob->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, id}});
    QVERIFY(answer(*bob, u"history"_qs, u"h"_qs)[u"messages"].toArray().size() >= 3);
    bob->sendJson(
        {{u"type"_qs, u"delete"_qs}, {u"ref"_qs, u"d"_qs}, {u"channel"_qs, id}, {u"id"_qs, bobs}});
    QCOMPARE(answer(*bob, u"message_updated"_qs, u"d"_qs)[u"message"][u"deleted"].toBool(), true);
    // Unarchived, it takes messages again.
    alice->sendJson({{u"type"_qs, u"archive"_qs},
                     {u"ref"_qs, u"u"_qs},
                     {u"channel"_qs, id},
                     {u"archived"_qs, false}});
    QVERIFY(!answer(*alice, u"channel"_qs, u"u"_qs).isEmpty());
    QVERIFY(!sendAs(*bob, u"frozen-b3"_qs).isEmpty());
    // Leaving an archived channel works.
    bob->sendJson({{u"type"_qs, u"archive"_qs}, {u"channel"_qs, id}, {u"archived"_qs, true}});
    alice->sendJson({{u"type"_qs, u"archive"_qs},
                     {u"ref"_qs, u"a2"_qs},
                     {u"channel"_qs, id},
                     {u"archived"_qs, true}});
    QVERIFY(!answer(*alice, u"channel"_qs, u"a2"_qs).isEmpty());
    bob->sendJson({{u"type"_qs, u"leave"_qs}, {u"ref"_qs, u"l"_qs}, {u"channel"_qs, id}});
    QCOMPARE(answer(*bob, u"channel_removed"_qs, u"l"_qs)[u"reason"].toString(), u"left"_qs);
}

void tst_Channels::notifyEchoedAndInNextConnected()
{
    auto a1 = connectAs(u"alice"_qs);
    auto a2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(a1 && a2 && bob);
    a1->sendJson({{u"type"_qs, u"notify"_qs},
                  {u"ref"_qs, u"n"_qs},
                  {u"channel"_qs, m_general},
                  {u"level"_qs, u"mentions"_qs}});
    const QJsonObject own = answer(*a1, u"channel"_qs, u"n"_qs);
    QCOMPARE(own[u"channel"][u"id"].toString(), m_general);
    QCOMPARE(own[u"channel"][u"notify"].toString(), u"mentions"_qs);
    const QJsonObject other = a2->take(u"channel"_qs);
    QCOMPARE(other[u"channel"][u"notify"].toString(), u"mentions"_qs);
    QVERIFY(!other.contains(u"ref"_qs));
    // Per user: bob hears nothing.
    sync(*bob);
    QVERIFY(!bob->has(u"channel"_qs));
    auto a3 = connectAs(u"alice"_qs);
    QVERIFY(a3);
    QString level;
    for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
        if (c[u"id"].toString() == m_general)
            level = c[u"notify"].toString();
    }
    QCOMPARE(level, u"mentions"_qs);
    QCOMPARE(
        errorFor(
            *a1,
            {{u"type"_qs, u"notify"_qs}, {u"channel"_qs, m_general}, {u"level"_qs, u"loud"_qs}}),
        u"bad_request"_qs);
    a1->sendJson({{u"type"_qs, u"notify"_qs},
                  {u"ref"_qs, u"n2"_qs},
                  {u"channel"_qs, m_general},
                  {u"level"_qs, u"all"_qs}});
    QCOMPARE(answer(*a1, u"channel"_qs, u"n2"_qs)[u"channel"][u"notify"].toString(), u"all"_qs);
}

void tst_Channels::systemMessagesCannotBeEditedOrDeleted()
{
    auto alice = connectAs(u"alice"_qs);
    auto dave = connectAs(u"dave"_qs);
    QVERIFY(alice && dave);
    const QString id =
        create(*alice, u"sysmsg"_qs, u"public"_qs, {u"dave"_qs})[u"channel"][u"id"].toString();
    const QString created = systemMessage(*alice, u"created"_qs)[u"id"].toString();
    QVERIFY(!created.isEmpty());
    QCOMPARE(errorFor(*alice,
                      {{u"type"_qs, u"edit"_qs},
                       {u"channel"_qs, id},
                       {u"id"_qs, created},
                       {u"text"_qs, u"x"_qs}}),
             u"forbidden"_qs);
    QCOMPARE(
        errorFor(*alice, {{u"type"_qs, u"delete"_qs}, {u"channel"_qs, id}, {u"id"_qs, created}}),
        u"forbidden"_qs);
    QCOMPARE(
        errorFor(*dave, {{u"type"_qs, u"delete"_qs}, {u"channel"_qs, id}, {u"id"_qs, created}}),
        u"forbidden"_qs); // not even an admin
    QCOMPARE(errorFor(*alice,
                      {{u"type"_qs, u"react"_qs},
                       {u"channel"_qs, id},
                       {u"id"_qs, created},
                       {u"emoji"_qs, u"👍"_qs},
                       {u"on"_qs, true}}),
             u"forbidden"_qs);
}

void tst_Channels::channelCreationAdminsOnly()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QCOMPARE(server.admin({u"user"_qs, u"add"_qs, u"fred"_qs, u"--admin"_qs}, "fred-pw\nfred-pw\n"),
             0);
    QVERIFY2(server.start({u"--channel-creation"_qs, u"admins"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const auto open = [&](const QString &user) {
        auto client = std::make_unique<WsTestClient>();
        if (!client->open(server.wsUrl(), server.origin())
            || client->authenticate(http.accessToken(user, user + u"-pw"_qs)).isEmpty()
            || client->take(u"resumed"_qs).isEmpty())
            return std::unique_ptr<WsTestClient>();
        return client;
    };
    auto erin = open(u"erin"_qs);
    auto fred = open(u"fred"_qs);
    QVERIFY(erin && fred);
    const QJsonObject frame{{u"type"_qs, u"channel_create"_qs},
                            {u"ref"_qs, u"c"_qs},
                            {u"name"_qs, u"team"_qs},
                            {u"visibility"_qs, u"public"_qs}};
    erin->sendJson(frame);
    QCOMPARE(answer(*erin, u"error"_qs, u"c"_qs)[u"code"].toString(), u"forbidden"_qs);
    fred->sendJson(frame);
    QCOMPARE(answer(*fred, u"channel"_qs, u"c"_qs)[u"channel"][u"name"].toString(), u"team"_qs);
    // A bad value refuses to start.
    NatterdProcess bad;
    QVERIFY(!bad.start({u"--channel-creation"_qs, u"nobody"_qs}));
}

void tst_Channels::adminCliJoinLeaveMakeSameFramesAndSystemMessages()
{
    auto alice = connectAs(u"alice"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && carol);
    const QString id = create(*alice, u"cli-ops"_qs, u"public"_qs)[u"channel"][u"id"].toString();
    QVERIFY(!systemMessage(*alice, u"created"_qs).isEmpty());
    QCOMPARE(m_server.admin({u"channel"_qs, u"join"_qs, u"cli-ops"_qs, u"carol"_qs}), 0);
    const QJsonObject toCarol = carol->take(u"channel"_qs, 10000);
    QCOMPARE(toCarol[u"channel"][u"id"].toString(), id);
    QCOMPARE(toCarol[u"users"].toArray().size(), 2);
    for (WsTestClient *c : {alice.get(), carol.get()}) {
        const QJsonObject m = systemMessage(*c, u"joined"_qs);
        QCOMPARE(m[u"channel"].toString(), id);
        QCOMPARE(m[u"system"][u"users"].toArray(), QJsonArray{m_ids[u"carol"_qs]});
    }
    QCOMPARE(m_server.admin({u"channel"_qs, u"leave"_qs, u"cli-ops"_qs, u"carol"_qs}), 0);
    const QJsonObject removed = carol->take(u"channel_removed"_qs, 10000);
    QCOMPARE(removed[u"channel"].toString(), id);
    QCOMPARE(removed[u"reason"].toString(), u"removed"_qs);
    QCOMPARE(systemMessage(*alice, u"left"_qs)[u"system"][u"users"].toArray(),
             QJsonArray{m_ids[u"carol"_qs]});
    // History holds the same system messages as a protocol join would.
    alice->sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, id}});
    QStringList events;
    for (const QJsonValue &m : answer(*alice, u"history"_qs, u"h"_qs)[u"messages"].toArray())
        events << m[u"system"][u"event"].toString();
    QCOMPARE(events, (QStringList{u"created"_qs, u"joined"_qs, u"left"_qs}));
}

QTEST_GUILESS_MAIN(tst_Channels)
#include "tst_channels.moc"
