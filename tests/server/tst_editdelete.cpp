// Protocol v2 on the real natterd (§6, §7, §13): the v2 message and channel
// fields, `edit` and `delete` with every error and their precedence, the
// no-change answer, `message_updated` to every connection of every member with
// the `ref` only on the actor's, tombstones, admins (promote/demote), the edit
// window, `resume_ev` after offline changes, `resync` past the limit, and a v1
// client (no `resume_ev`) against the same server.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QtTest>

namespace {
QJsonObject edit(const QString &channel, const QString &id, const QString &text,
                 const QString &ref = u"e"_qs)
{
    return {{u"type"_qs, u"edit"_qs},
            {u"ref"_qs, ref},
            {u"channel"_qs, channel},
            {u"id"_qs, id},
            {u"text"_qs, text}};
}

QJsonObject del(const QString &channel, const QString &id, const QString &ref = u"d"_qs)
{
    return {{u"type"_qs, u"delete"_qs}, {u"ref"_qs, ref}, {u"channel"_qs, channel}, {u"id"_qs, id}};
}

QList<QJsonObject> framesOfType(const QList<QJsonObject> &frames, const QString &type)
{
    QList<QJsonObject> out;
    for (const QJsonObject &f : frames) {
        if (f[u"type"].toString() == type)
            out << f;
    }
    return out;
}
} // namespace

class tst_EditDelete : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void v2FieldsEverywhere();
    void editReachesEveryConnectionRefOnlyOnTheSender();
    void sameTextIsANoChangeAnswerToTheSenderOnly();
    void deleteLeavesATombstone();
    void errors_data();
    void errors();
    void adminDeletesOthersMessagesPromoteDemote();
    void editWindow();
    void resumeEvReplaysOfflineChangesInEvOrder();
    void v1ClientWithoutResumeEvStillWorks();
    void resyncPastTheLimit();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user, const QJsonObject &resume = {},
                                            const QJsonObject &resumeEv = {},
                                            bool takeResumed = true);
    // Sends a message as `client` and returns it from the ack.
    QJsonObject send(WsTestClient &client, const QString &text);
    // A round trip: everything the server sent before the pong has arrived.
    void sync(WsTestClient &client);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_ids;
    QString m_general;
    QJsonObject m_connected; // the last `connected`
    int m_counter = 0;
};

void tst_EditDelete::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY(m_server.addChannel(u"daves"_qs, {u"dave"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        m_ids[name] = m_http->login(name, name + u"-pw"_qs).json[u"user"][u"id"].toString();
}

std::unique_ptr<WsTestClient> tst_EditDelete::connectAs(const QString &user,
                                                        const QJsonObject &resume,
                                                        const QJsonObject &resumeEv,
                                                        bool takeResumed)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    m_connected = client->authenticate(m_http->accessToken(user, user + u"-pw"_qs), resume,
                                       !resume.isEmpty(), resumeEv);
    if (m_connected.isEmpty() || (takeResumed && client->take(u"resumed"_qs).isEmpty()))
        return nullptr;
    for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            m_general = c[u"id"].toString();
    }
    return client;
}

QJsonObject tst_EditDelete::send(WsTestClient &client, const QString &text)
{
    const QString id = u"m%1"_qs.arg(++m_counter);
    client.sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, m_general},
                     {u"client_msg_id"_qs, id},
                     {u"text"_qs, text}});
    return client.take(u"ack"_qs)[u"message"].toObject();
}

void tst_EditDelete::sync(WsTestClient &client)
{
    client.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!client.take(u"pong"_qs).isEmpty());
}

void tst_EditDelete::v2FieldsEverywhere()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    QCOMPARE(m_connected[u"protocol"].toInt(), 2);
    QCOMPARE(m_connected[u"user"][u"admin"], QJsonValue(false));
    for (const QJsonValue &u : m_connected[u"users"].toArray())
        QVERIFY(u[u"admin"].isBool());
    QVERIFY(m_connected[u"channels"][0][u"last_ev"].isDouble());
    const qint64 lastEv = [&] {
        for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
            if (c[u"id"].toString() == m_general)
                return c[u"last_ev"].toInteger();
        }
        return qint64(-1);
    }();
    QVERIFY(lastEv >= 0);

    const QJsonObject m = send(*alice, u"hello v2"_qs);
    QCOMPARE(m[u"kind"].toString(), u"user"_qs);
    QCOMPARE(m[u"rev"].toInteger(), 1);
    QVERIFY(m[u"ev"].toInteger() > lastEv);
    QVERIFY(m[u"edited_at"].isNull());
    QCOMPARE(m[u"deleted"], QJsonValue(false));
    QVERIFY(m[u"reply_to"].isNull());
    QCOMPARE(m[u"mentions"], QJsonValue(QJsonArray()));
    QCOMPARE(m[u"reactions"], QJsonValue(QJsonArray()));
    QCOMPARE(m[u"attachments"], QJsonValue(QJsonArray()));
    QVERIFY(m[u"system"].isNull());

    // A `channel` frame (here: a new direct channel) carries last_ev, its users admin.
    alice->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"dm"_qs}, {u"user"_qs, m_ids[u"dave"_qs]}});
    const QJsonObject dm = alice->take(u"channel"_qs);
    QCOMPARE(dm[u"ref"].toString(), u"dm"_qs);
    QCOMPARE(dm[u"channel"][u"last_ev"].toInteger(), 0);
    QCOMPARE(dm[u"users"].toArray().size(), 2);
    for (const QJsonValue &u : dm[u"users"].toArray())
        QCOMPARE(u[u"admin"], QJsonValue(false));

    const HttpResult health = m_http->request("GET", u"/api/v1/health"_qs);
    QCOMPARE(health.json[u"protocol"].toInt(), 2);
    const QByteArray token = m_http->accessToken(u"bob"_qs, u"bob-pw"_qs).toUtf8();
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, token).json[u"user"][u"admin"],
             QJsonValue(false));
    const QJsonArray users =
        m_http->request("GET", u"/api/v1/users"_qs, {}, token).json[u"users"].toArray();
    QVERIFY(!users.isEmpty());
    for (const QJsonValue &u : users)
        QVERIFY(u[u"admin"].isBool());
}

void tst_EditDelete::editReachesEveryConnectionRefOnlyOnTheSender()
{
    auto alice = connectAs(u"alice"_qs);
    auto alice2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && alice2 && bob);
    const QJsonObject m = send(*alice, u"first draft"_qs);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    QVERIFY(!alice2->take(u"message"_qs).isEmpty());

    alice->sendJson(edit(m_general, m[u"id"].toString(), u"final text"_qs, u"edit-1"_qs));
    const QJsonObject own = alice->take(u"message_updated"_qs);
    QCOMPARE(own[u"ref"].toString(), u"edit-1"_qs);
    QCOMPARE(own[u"change"].toString(), u"edit"_qs);
    const QJsonObject updated = own[u"message"].toObject();
    QCOMPARE(updated[u"id"], m[u"id"]);
    QCOMPARE(updated[u"seq"], m[u"seq"]);
    QCOMPARE(updated[u"text"].toString(), u"final text"_qs);
    QCOMPARE(updated[u"rev"].toInteger(), 2);
    QVERIFY(updated[u"ev"].toInteger() > m[u"ev"].toInteger());
    QVERIFY(!updated[u"edited_at"].toString().isEmpty());
    QCOMPARE(updated[u"ts"], m[u"ts"]);

    // The actor's other device and the other member get it, without the ref.
    for (WsTestClient *other : {alice2.get(), bob.get()}) {
        const QJsonObject frame = other->take(u"message_updated"_qs);
        QVERIFY(!frame.isEmpty());
        QVERIFY(!frame.contains(u"ref"_qs));
        QCOMPARE(frame[u"change"].toString(), u"edit"_qs);
        QCOMPARE(frame[u"message"].toObject(), updated);
    }
    // history shows the current state.
    bob->sendJson({{u"type"_qs, u"history"_qs}, {u"channel"_qs, m_general}, {u"limit"_qs, 1}});
    QCOMPARE(bob->take(u"history"_qs)[u"messages"][0].toObject(), updated);
}

void tst_EditDelete::sameTextIsANoChangeAnswerToTheSenderOnly()
{
    auto alice = connectAs(u"alice"_qs);
    auto alice2 = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && alice2 && bob);
    const QJsonObject m = send(*alice, u"unchanged"_qs);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    QVERIFY(!alice2->take(u"message"_qs).isEmpty());
    alice->sendJson(edit(m_general, m[u"id"].toString(), u"unchanged"_qs, u"same"_qs));
    const QJsonObject answer = alice->take(u"message_updated"_qs);
    QCOMPARE(answer[u"ref"].toString(), u"same"_qs);
    QCOMPARE(answer[u"change"].toString(), u"edit"_qs);
    QCOMPARE(answer[u"message"].toObject(), m); // same rev, same ev
    sync(*bob);
    sync(*alice2);
    QVERIFY(!bob->has(u"message_updated"_qs));
    QVERIFY(!alice2->has(u"message_updated"_qs));
}

void tst_EditDelete::deleteLeavesATombstone()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QJsonObject m = send(*alice, u"regrettable"_qs);
    alice->sendJson(edit(m_general, m[u"id"].toString(), u"more regrettable"_qs));
    const QJsonObject edited = alice->take(u"message_updated"_qs)[u"message"].toObject();
    alice->sendJson(del(m_general, m[u"id"].toString(), u"del-1"_qs));
    const QJsonObject own = alice->take(u"message_updated"_qs);
    QCOMPARE(own[u"ref"].toString(), u"del-1"_qs);
    QCOMPARE(own[u"change"].toString(), u"delete"_qs);
    const QJsonObject tomb = own[u"message"].toObject();
    QCOMPARE(tomb[u"deleted"], QJsonValue(true));
    QCOMPARE(tomb[u"text"].toString(), QString());
    QCOMPARE(tomb[u"rev"].toInteger(), 3);
    QVERIFY(tomb[u"ev"].toInteger() > edited[u"ev"].toInteger());
    for (const char *kept : {"id", "seq", "author", "ts", "client_msg_id", "kind", "edited_at"})
        QCOMPARE(tomb[QLatin1String(kept)], edited[QLatin1String(kept)]);
    QCOMPARE(tomb[u"mentions"], QJsonValue(QJsonArray()));
    QVERIFY(tomb[u"reply_to"].isNull());
    QVERIFY(tomb[u"system"].isNull());

    // bob: the message, its edit, its delete, in that order, nothing else.
    QTRY_COMPARE(framesOfType(bob->frames(), u"message_updated"_qs).size(), 2);
    QList<QString> order;
    for (const QJsonObject &f : bob->frames()) {
        if (f[u"message"][u"id"] == m[u"id"])
            order << f[u"type"].toString() + u'/' + f[u"change"].toString();
    }
    QCOMPARE(
        order,
        (QList<QString>{u"message/"_qs, u"message_updated/edit"_qs, u"message_updated/delete"_qs}));

    // History keeps the seq with the tombstone.
    bob->sendJson({{u"type"_qs, u"history"_qs}, {u"channel"_qs, m_general}, {u"limit"_qs, 1}});
    QCOMPARE(bob->take(u"history"_qs)[u"messages"][0].toObject(), tomb);

    // A tombstone cannot be edited or deleted again.
    alice->sendJson(edit(m_general, m[u"id"].toString(), u"back"_qs));
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"not_found"_qs);
    alice->sendJson(del(m_general, m[u"id"].toString()));
    QCOMPARE(alice->take(u"error"_qs)[u"code"].toString(), u"not_found"_qs);
}

void tst_EditDelete::errors_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("type"); // edit or delete
    QTest::addColumn<QString>("channel"); // general, daves or an unknown id
    QTest::addColumn<QString>("id"); // "own" = alice's message, else taken literally
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    const QString longText(4001, u'x');
    const QString general = u"general"_qs;
    QTest::newRow("edit: not a member")
        << u"dave"_qs << u"edit"_qs << general << u"own"_qs << u"x"_qs << u"not_member"_qs;
    QTest::newRow("edit: not a member beats not found")
        << u"dave"_qs << u"edit"_qs << general << u"nope"_qs << longText << u"not_member"_qs;
    QTest::newRow("edit: unknown channel") << u"alice"_qs << u"edit"_qs << u"0123456789abcdef"_qs
                                           << u"own"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("edit: unknown message")
        << u"alice"_qs << u"edit"_qs << general << u"nope"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("edit: not found beats too large")
        << u"alice"_qs << u"edit"_qs << general << u"nope"_qs << longText << u"not_found"_qs;
    QTest::newRow("edit: not the author")
        << u"bob"_qs << u"edit"_qs << general << u"own"_qs << u"x"_qs << u"forbidden"_qs;
    QTest::newRow("edit: forbidden beats too large")
        << u"bob"_qs << u"edit"_qs << general << u"own"_qs << longText << u"forbidden"_qs;
    QTest::newRow("edit: too large")
        << u"alice"_qs << u"edit"_qs << general << u"own"_qs << longText << u"too_large"_qs;
    QTest::newRow("edit: empty text")
        << u"alice"_qs << u"edit"_qs << general << u"own"_qs << QString() << u"bad_request"_qs;
    QTest::newRow("edit: no id") << u"alice"_qs << u"edit"_qs << general << QString() << u"x"_qs
                                 << u"bad_request"_qs;
    QTest::newRow("delete: not a member")
        << u"dave"_qs << u"delete"_qs << general << u"own"_qs << QString() << u"not_member"_qs;
    QTest::newRow("delete: unknown message")
        << u"bob"_qs << u"delete"_qs << general << u"nope"_qs << QString() << u"not_found"_qs;
    QTest::newRow("delete: not the author, not an admin")
        << u"bob"_qs << u"delete"_qs << general << u"own"_qs << QString() << u"forbidden"_qs;
}

void tst_EditDelete::errors()
{
    QFETCH(QString, user);
    QFETCH(QString, type);
    QFETCH(QString, channel);
    QFETCH(QString, id);
    QFETCH(QString, text);
    QFETCH(QString, code);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject m = send(*alice, u"target"_qs);
    auto actor = connectAs(user);
    QVERIFY(actor);
    const QString channelId = channel == u"general" ? m_general : channel;
    const QString messageId = id == u"own" ? m[u"id"].toString() : id;
    QJsonObject frame = type == u"edit" ? edit(channelId, messageId, text, u"r1"_qs)
                                        : del(channelId, messageId, u"r1"_qs);
    if (id.isEmpty())
        frame.remove(u"id"_qs);
    actor->sendJson(frame);
    const QJsonObject error = actor->take(u"error"_qs);
    QCOMPARE(error[u"code"].toString(), code);
    QCOMPARE(error[u"ref"].toString(), u"r1"_qs);
    // Each frame says why in its own words (one answer path shared by edit,
    // delete and react).
    if (code == u"forbidden")
        QCOMPARE(error[u"message"].toString(),
                 type == u"edit" ? u"Only the author can edit a message."_qs
                                 : u"Only the author or an admin can delete a message."_qs);
    QVERIFY(actor->isOpen());
    // Nothing changed: the target is as it was.
    alice->sendJson({{u"type"_qs, u"history"_qs}, {u"channel"_qs, m_general}, {u"limit"_qs, 1}});
    QCOMPARE(alice->take(u"history"_qs)[u"messages"][0].toObject(), m);
}

void tst_EditDelete::adminDeletesOthersMessagesPromoteDemote()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject first = send(*alice, u"spam"_qs);
    const QJsonObject second = send(*alice, u"more spam"_qs);

    // Promoted while the server runs: holds for carol's next frame.
    QCOMPARE(m_server.admin({u"user"_qs, u"promote"_qs, u"carol"_qs}), 0);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(carol);
    QCOMPARE(m_connected[u"user"][u"admin"], QJsonValue(true));
    carol->sendJson(del(m_general, first[u"id"].toString(), u"mod"_qs));
    const QJsonObject own = carol->take(u"message_updated"_qs);
    QCOMPARE(own[u"ref"].toString(), u"mod"_qs);
    QCOMPARE(own[u"message"][u"deleted"], QJsonValue(true));
    QCOMPARE(own[u"message"][u"author"].toString(), m_ids[u"alice"_qs]);
    const QJsonObject seen = alice->take(u"message_updated"_qs);
    QCOMPARE(seen[u"change"].toString(), u"delete"_qs);
    QVERIFY(!seen.contains(u"ref"_qs));
    // An admin still cannot edit someone else's message.
    carol->sendJson(edit(m_general, second[u"id"].toString(), u"censored"_qs));
    QCOMPARE(carol->take(u"error"_qs)[u"code"].toString(), u"forbidden"_qs);

    QCOMPARE(m_server.admin({u"user"_qs, u"demote"_qs, u"carol"_qs}), 0);
    carol->sendJson(del(m_general, second[u"id"].toString()));
    QCOMPARE(carol->take(u"error"_qs)[u"code"].toString(), u"forbidden"_qs);
    QCOMPARE(m_server.admin({u"user"_qs, u"list"_qs}), 0);
    QVERIFY(!QString::fromUtf8(m_server.lastAdminOutput()).contains(u"admin"_qs));
    QCOMPARE(m_server.admin({u"user"_qs, u"promote"_qs, u"nobody"_qs}), 1);

    // `user add NAME --admin`.
    QCOMPARE(
        m_server.admin({u"user"_qs, u"add"_qs, u"erin"_qs, u"--admin"_qs}, "erin-pw\nerin-pw\n"),
        0);
    QCOMPARE(m_server.admin({u"user"_qs, u"list"_qs}), 0);
    const QString list = QString::fromUtf8(m_server.lastAdminOutput());
    QVERIFY2(list.contains(QRegularExpression(u"^erin\\t.*\\tadmin$"_qs,
                                              QRegularExpression::MultilineOption)),
             qPrintable(list));
    const QByteArray token = m_http->accessToken(u"erin"_qs, u"erin-pw"_qs).toUtf8();
    QCOMPARE(m_http->request("GET", u"/api/v1/me"_qs, {}, token).json[u"user"][u"admin"],
             QJsonValue(true));
}

void tst_EditDelete::editWindow()
{
    // Window 0: no message can be edited; deleting still works.
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(server.addUser(u"finn"_qs, u"finn-pw"_qs));
    QVERIFY(server.addChannel(u"pair"_qs, {u"erin"_qs, u"finn"_qs}));
    QVERIFY(server.start({u"--edit-window"_qs, u"0"_qs}));
    HttpTestClient http(server.httpUrl());
    WsTestClient erin;
    WsTestClient finn;
    QVERIFY(erin.open(server.wsUrl(), server.origin()));
    QVERIFY(finn.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = erin.authenticate(http.accessToken(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(!finn.authenticate(http.accessToken(u"finn"_qs, u"finn-pw"_qs)).isEmpty());
    const QString pair = connected[u"channels"][0][u"id"].toString();
    erin.sendJson({{u"type"_qs, u"send"_qs},
                   {u"channel"_qs, pair},
                   {u"client_msg_id"_qs, u"w1"_qs},
                   {u"text"_qs, u"typo"_qs}});
    const QString id = erin.take(u"ack"_qs)[u"message"][u"id"].toString();
    QVERIFY(!id.isEmpty());
    erin.sendJson(edit(pair, id, u"fixed"_qs));
    QCOMPARE(erin.take(u"error"_qs)[u"code"].toString(), u"edit_window_expired"_qs);
    // forbidden comes before the window.
    finn.sendJson(edit(pair, id, u"fixed"_qs));
    QCOMPARE(finn.take(u"error"_qs)[u"code"].toString(), u"forbidden"_qs);
    erin.sendJson(del(pair, id));
    QCOMPARE(erin.take(u"message_updated"_qs)[u"change"].toString(), u"delete"_qs);

    // A bad value is refused at start.
    NatterdProcess bad;
    QVERIFY(!bad.start({u"--edit-window"_qs, u"soon"_qs}));
}

void tst_EditDelete::resumeEvReplaysOfflineChangesInEvOrder()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject old1 = send(*alice, u"old one"_qs);
    const QJsonObject old2 = send(*alice, u"old two"_qs);
    const QJsonObject untouched = send(*alice, u"old three"_qs);
    Q_UNUSED(untouched);

    // bob holds everything up to here, then goes away.
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    qint64 lastSeq = 0;
    qint64 lastEv = 0;
    for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
        if (c[u"id"].toString() == m_general) {
            lastSeq = c[u"last_seq"].toInteger();
            lastEv = c[u"last_ev"].toInteger();
        }
    }
    QCOMPARE(lastSeq, untouched[u"seq"].toInteger());
    QCOMPARE(lastEv, untouched[u"ev"].toInteger());
    bob.reset();

    // While bob is away: edit old1, delete old2, edit old1 again, send a new one.
    alice->sendJson(edit(m_general, old1[u"id"].toString(), u"old one, edited"_qs));
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    alice->sendJson(del(m_general, old2[u"id"].toString()));
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    alice->sendJson(edit(m_general, old1[u"id"].toString(), u"old one, edited twice"_qs));
    const QJsonObject old1Now = alice->take(u"message_updated"_qs)[u"message"].toObject();
    const QJsonObject fresh = send(*alice, u"new one"_qs);

    bob = connectAs(u"bob"_qs, {{m_general, lastSeq}}, {{m_general, lastEv}}, false);
    QVERIFY(bob);
    QTRY_VERIFY(bob->has(u"resumed"_qs));
    QStringList seen;
    for (const QJsonObject &f : bob->frames()) {
        const QString type = f[u"type"].toString();
        if (type == u"message" || type == u"message_updated")
            seen << type + u' ' + f[u"message"][u"text"].toString() + u' '
                    + QString::number(f[u"message"][u"rev"].toInteger());
        else if (type == u"resumed")
            seen << type;
    }
    // The seq replay first, then one update per changed message in ev order
    // (old2's delete came before old1's second edit), each in its current state.
    QCOMPARE(seen,
             (QStringList{u"message new one 1"_qs, u"message_updated  2"_qs,
                          u"message_updated old one, edited twice 3"_qs, u"resumed"_qs}));
    const QList<QJsonObject> updates = framesOfType(bob->frames(), u"message_updated"_qs);
    QCOMPARE(updates[0][u"change"].toString(), u"delete"_qs);
    QCOMPARE(updates[0][u"message"][u"id"], old2[u"id"]);
    QCOMPARE(updates[1][u"message"].toObject(), old1Now);
    QVERIFY(!updates[1].contains(u"ref"_qs));
    QCOMPARE(framesOfType(bob->frames(), u"message"_qs)[0][u"message"].toObject(), fresh);
    QCOMPARE(m_connected[u"channels"][0][u"last_ev"].toInteger(), fresh[u"ev"].toInteger());

    // Live again: the next edit arrives as usual.
    bob->clearFrames();
    alice->sendJson(edit(m_general, fresh[u"id"].toString(), u"new one, edited"_qs));
    QCOMPARE(bob->take(u"message_updated"_qs)[u"message"][u"text"].toString(),
             u"new one, edited"_qs);
}

void tst_EditDelete::v1ClientWithoutResumeEvStillWorks()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QJsonObject old = send(*alice, u"before"_qs);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    const qint64 held = old[u"seq"].toInteger();
    bob.reset();
    alice->sendJson(edit(m_general, old[u"id"].toString(), u"before, edited"_qs));
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    const QJsonObject after = send(*alice, u"after"_qs);

    // `resume` only: the seq replay and nothing else (§6).
    bob = connectAs(u"bob"_qs, {{m_general, held}}, {}, false);
    QVERIFY(bob);
    QTRY_VERIFY(bob->has(u"resumed"_qs));
    QStringList types;
    for (const QJsonObject &f : bob->frames())
        types << f[u"type"].toString();
    QCOMPARE(types, (QStringList{u"message"_qs, u"resumed"_qs}));
    QCOMPARE(bob->take(u"message"_qs)[u"message"].toObject(), after);
    // A v1 client sends and receives as before; new fields are simply extra.
    bob->sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, u"v1"_qs},
                   {u"channel"_qs, m_general},
                   {u"client_msg_id"_qs, u"v1-1"_qs},
                   {u"text"_qs, u"hi from v1"_qs}});
    const QJsonObject ack = bob->take(u"ack"_qs);
    QCOMPARE(ack[u"ref"].toString(), u"v1"_qs);
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), after[u"seq"].toInteger() + 1);
    QCOMPARE(alice->take(u"message"_qs)[u"message"][u"text"].toString(), u"hi from v1"_qs);
}

void tst_EditDelete::resyncPastTheLimit()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"erin"_qs, u"erin-pw"_qs));
    QVERIFY(server.addUser(u"finn"_qs, u"finn-pw"_qs));
    QVERIFY(server.addChannel(u"pair"_qs, {u"erin"_qs, u"finn"_qs}));
    QVERIFY(server.addChannel(u"quiet"_qs, {u"erin"_qs, u"finn"_qs}));
    QVERIFY(server.start({u"--resume-change-limit"_qs, u"3"_qs}));
    HttpTestClient http(server.httpUrl());
    WsTestClient erin;
    QVERIFY(erin.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = erin.authenticate(http.accessToken(u"erin"_qs, u"erin-pw"_qs));
    QString pair;
    QString quiet;
    for (const QJsonValue &c : connected[u"channels"].toArray())
        (c[u"name"].toString() == u"pair" ? pair : quiet) = c[u"id"].toString();
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        erin.sendJson({{u"type"_qs, u"send"_qs},
                       {u"channel"_qs, pair},
                       {u"client_msg_id"_qs, u"r%1"_qs.arg(i)},
                       {u"text"_qs, u"message %1"_qs.arg(i)}});
        ids << erin.take(u"ack"_qs)[u"message"][u"id"].toString();
    }
    const auto resumeFinn = [&](const QJsonObject &resume, const QJsonObject &resumeEv) {
        auto finn = std::make_unique<WsTestClient>();
        if (!finn->open(server.wsUrl(), server.origin()))
            return std::unique_ptr<WsTestClient>();
        if (finn->authenticate(http.accessToken(u"finn"_qs, u"finn-pw"_qs), resume, true, resumeEv)
                .isEmpty())
            return std::unique_ptr<WsTestClient>();
        return finn;
    };
    // finn holds seq 5, ev 5; three messages change: exactly the limit, updates.
    for (int i = 0; i < 3; ++i) {
        erin.sendJson(edit(pair, ids[i], u"edited %1"_qs.arg(i)));
        QVERIFY(!erin.take(u"message_updated"_qs).isEmpty());
    }
    // quiet holds its one message: the admin CLI's `created` (§7 system message).
    const QJsonObject held{{pair, 5}, {quiet, 1}};
    const QJsonObject heldEv{{pair, 5}, {quiet, 1}};
    auto finn = resumeFinn(held, heldEv);
    QVERIFY(finn);
    QTRY_VERIFY(finn->has(u"resumed"_qs));
    QCOMPARE(framesOfType(finn->frames(), u"message_updated"_qs).size(), 3);
    QVERIFY(!finn->has(u"resync"_qs));

    // A fourth changed message: past the limit, resync instead of seq replay and updates.
    erin.sendJson(edit(pair, ids[3], u"edited 3"_qs));
    QVERIFY(!erin.take(u"message_updated"_qs).isEmpty());
    erin.sendJson({{u"type"_qs, u"send"_qs},
                   {u"channel"_qs, pair},
                   {u"client_msg_id"_qs, u"r9"_qs},
                   {u"text"_qs, u"newer"_qs}});
    QVERIFY(!erin.take(u"ack"_qs).isEmpty());
    finn = resumeFinn(held, heldEv);
    QVERIFY(finn);
    QTRY_VERIFY(finn->has(u"resumed"_qs));
    QStringList types;
    for (const QJsonObject &f : finn->frames())
        types << f[u"type"].toString();
    QCOMPARE(types, (QStringList{u"resync"_qs, u"resumed"_qs}));
    const QJsonObject resync = finn->take(u"resync"_qs);
    QCOMPARE(resync[u"channel"].toString(), pair);
    QCOMPARE(resync[u"reason"].toString(), u"too_many_changes"_qs);
}

QTEST_GUILESS_MAIN(tst_EditDelete)
#include "tst_editdelete.moc"
