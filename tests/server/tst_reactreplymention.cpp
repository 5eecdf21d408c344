// Reactions, replies and mentions on the real natterd (§7, §13), each through
// the change model (§6): `react` on and off with its no-change answers, the
// order of the list, two users at once, the 50-emoji limit, the emoji rule,
// the errors and their precedence (a system message, a tombstone); `send`
// with `reply_to` and the excerpt that follows its target's edits and delete
// (history, resume); mentions found outside code, of members only, `@channel`;
// `mention_count` across reads, edits and deletes; and a reaction made while a
// client was away arriving on resume.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QJsonArray>
#include <QTemporaryFile>
#include <QtTest>

using namespace Natter::Server;

namespace {
QList<QJsonObject> framesOfType(const QList<QJsonObject> &frames, const QString &type)
{
    QList<QJsonObject> out;
    for (const QJsonObject &f : frames) {
        if (f[u"type"].toString() == type)
            out << f;
    }
    return out;
}

// "emoji:user,user|emoji:user": a message's reactions, in order, compactly.
QString reactionsOf(const QJsonObject &message, const QHash<QString, QString> &names)
{
    QStringList out;
    for (const QJsonValue &x : message[u"reactions"].toArray()) {
        QStringList users;
        for (const QJsonValue &u : x[u"users"].toArray())
            users << names.value(u.toString(), u.toString());
        if (x[u"count"].toInteger() != users.size())
            users << u"(count mismatch)"_qs;
        out << x[u"emoji"].toString() + u':' + users.join(u',');
    }
    return out.join(u'|');
}
} // namespace

class tst_ReactReplyMention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reactOnOffAndNoChangeAnswers();
    void listOrderIsOrderOfReappearance();
    void concurrentReactionsFromTwoUsers();
    void fiftyFirstEmojiIsTooMany();
    void emojiRule_data();
    void emojiRule();
    void reactErrors_data();
    void reactErrors();
    void deleteClearsReactions();
    void replyCarriesTheTarget();
    void replyExcerptFollowsEditAndDelete();
    void replyErrors_data();
    void replyErrors();
    void mentions_data();
    void mentions();
    void editRecomputesMentions();
    void mentionCountFollowsMentionsReadsEditsDeletes();
    void reactionWhileAwayArrivesOnResume();

private:
    QTemporaryFile m_config;
    std::unique_ptr<WsTestClient> connectAs(const QString &user, const QJsonObject &resume = {},
                                            const QJsonObject &resumeEv = {},
                                            bool takeResumed = true);
    QJsonObject send(WsTestClient &client, const QString &text, const QString &channel = {},
                     const QJsonValue &replyTo = QJsonValue::Undefined);
    void react(WsTestClient &client, const QString &id, const QString &emoji, bool on,
               const QString &ref = u"r"_qs, const QString &channel = {});
    // The actor's answer: the `message_updated` with `ref` (others' changes
    // without a ref may come first).
    QJsonObject answer(WsTestClient &client, const QString &ref = u"r"_qs);
    QJsonObject history(WsTestClient &client, const QString &id, const QString &channel = {});
    void sync(WsTestClient &client);
    QJsonObject channelIn(const QJsonObject &connected, const QString &id) const;
    qint64 mentionCount(const QString &user, const QString &channel);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_ids; // name -> id
    QHash<QString, QString> m_names; // id -> name
    QString m_general; // alice, bob, carol
    QString m_other; // alice, bob
    QString m_systemMessage; // a kind:"system" message in general
    QJsonObject m_connected;
    int m_counter = 0;
};

void tst_ReactReplyMention::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY(m_server.addChannel(u"other"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY(m_server.addChannel(u"daves"_qs, {u"dave"_qs}));
    {
        // natterd makes no system messages yet (§8 is another issue): put one
        // in the store the way natterd will, before it starts.
        SqliteChatStore store(m_server.dataDir() + u"/natterd.sqlite"_qs);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto general = store.channelByName(u"general"_qs);
        QVERIFY(general);
        StoredMessage system;
        system.channel = general->id;
        system.author = store.userByName(u"alice"_qs)->id;
        system.kind = u"system"_qs;
        system.clientMsgId = u"system-1"_qs;
        QVERIFY(store.appendMessage(&system));
        QVERIFY(store.flush());
        m_systemMessage = system.id;
        store.close();
    }
    // Alice writes, edits and deletes well over a hundred messages within
    // seconds: more than natterd's per-user limit (60 at once, then 20 a
    // second), which this suite is not about (tst_serverlimits is). Its rows
    // also sign the same people in again and again (tst_servercaps covers the
    // limit on session starts).
    QVERIFY(m_config.open());
    m_config.write("[server]\nuser_rate_limit_burst = 10000\nuser_session_burst = 0\n");
    m_config.close();
    QVERIFY2(m_server.start({u"--config"_qs, m_config.fileName()}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs}) {
        m_ids[name] = m_http->login(name, name + u"-pw"_qs).json[u"user"][u"id"].toString();
        m_names[m_ids[name]] = name;
    }
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    for (const QJsonValue &c : m_connected[u"channels"].toArray()) {
        if (c[u"name"].toString() == u"general")
            m_general = c[u"id"].toString();
        if (c[u"name"].toString() == u"other")
            m_other = c[u"id"].toString();
    }
    QVERIFY(!m_general.isEmpty() && !m_other.isEmpty());
}

std::unique_ptr<WsTestClient> tst_ReactReplyMention::connectAs(const QString &user,
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
    return client;
}

QJsonObject tst_ReactReplyMention::send(WsTestClient &client, const QString &text,
                                        const QString &channel, const QJsonValue &replyTo)
{
    QJsonObject frame{{u"type"_qs, u"send"_qs},
                      {u"ref"_qs, u"s"_qs},
                      {u"channel"_qs, channel.isEmpty() ? m_general : channel},
                      {u"client_msg_id"_qs, u"m%1"_qs.arg(++m_counter)},
                      {u"text"_qs, text}};
    if (!replyTo.isUndefined())
        frame.insert(u"reply_to"_qs, replyTo);
    client.sendJson(frame);
    return client.take(u"ack"_qs)[u"message"].toObject();
}

void tst_ReactReplyMention::react(WsTestClient &client, const QString &id, const QString &emoji,
                                  bool on, const QString &ref, const QString &channel)
{
    client.sendJson({{u"type"_qs, u"react"_qs},
                     {u"ref"_qs, ref},
                     {u"channel"_qs, channel.isEmpty() ? m_general : channel},
                     {u"id"_qs, id},
                     {u"emoji"_qs, emoji},
                     {u"on"_qs, on}});
}

QJsonObject tst_ReactReplyMention::answer(WsTestClient &client, const QString &ref)
{
    for (int i = 0; i < 100; ++i) {
        const QJsonObject frame = client.take(u"message_updated"_qs);
        if (frame.isEmpty() || frame[u"ref"].toString() == ref)
            return frame;
    }
    return {};
}

QJsonObject tst_ReactReplyMention::history(WsTestClient &client, const QString &id,
                                           const QString &channel)
{
    client.sendJson({{u"type"_qs, u"history"_qs},
                     {u"ref"_qs, u"h"_qs},
                     {u"channel"_qs, channel.isEmpty() ? m_general : channel},
                     {u"limit"_qs, 200}});
    for (const QJsonValue &m : client.take(u"history"_qs)[u"messages"].toArray()) {
        if (m[u"id"].toString() == id)
            return m.toObject();
    }
    return {};
}

void tst_ReactReplyMention::sync(WsTestClient &client)
{
    client.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!client.take(u"pong"_qs).isEmpty());
}

QJsonObject tst_ReactReplyMention::channelIn(const QJsonObject &connected, const QString &id) const
{
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"id"].toString() == id)
            return c.toObject();
    }
    return {};
}

qint64 tst_ReactReplyMention::mentionCount(const QString &user, const QString &channel)
{
    // What a client learns on (re)connecting: connected.channels[].mention_count.
    auto client = connectAs(user);
    if (!client)
        return -1;
    const QJsonObject c = channelIn(m_connected, channel);
    return c.contains(u"mention_count"_qs) ? c[u"mention_count"].toInteger() : -2;
}

void tst_ReactReplyMention::reactOnOffAndNoChangeAnswers()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto bob2 = connectAs(u"bob"_qs);
    QVERIFY(alice && bob && bob2);
    const QJsonObject m = send(*alice, u"react to me"_qs);
    QCOMPARE(m[u"reactions"], QJsonValue(QJsonArray()));
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    QVERIFY(!bob2->take(u"message"_qs).isEmpty());
    const QString id = m[u"id"].toString();

    react(*bob, id, u"👍"_qs, true, u"on-1"_qs);
    const QJsonObject own = bob->take(u"message_updated"_qs);
    QCOMPARE(own[u"ref"].toString(), u"on-1"_qs);
    QCOMPARE(own[u"change"].toString(), u"reaction"_qs);
    const QJsonObject after = own[u"message"].toObject();
    QCOMPARE(after[u"rev"].toInteger(), 2);
    QVERIFY(after[u"ev"].toInteger() > m[u"ev"].toInteger());
    QCOMPARE(after[u"text"], m[u"text"]);
    QCOMPARE(after[u"edited_at"], m[u"edited_at"]); // a reaction is no edit
    QCOMPARE(after[u"reactions"],
             QJsonValue(QJsonArray{QJsonObject{{u"emoji"_qs, u"👍"_qs},
                                               {u"count"_qs, 1},
                                               {u"users"_qs, QJsonArray{m_ids[u"bob"_qs]}}}}));
    // Every other connection of every member, the actor's other device included, without ref.
    for (WsTestClient *other : {alice.get(), bob2.get()}) {
        const QJsonObject frame = other->take(u"message_updated"_qs);
        QVERIFY(!frame.contains(u"ref"_qs));
        QCOMPARE(frame[u"change"].toString(), u"reaction"_qs);
        QCOMPARE(frame[u"message"].toObject(), after);
    }

    // Adding it again, and removing one bob does not have: the current M to
    // bob's connection alone, same rev.
    react(*bob, id, u"👍"_qs, true, u"again"_qs);
    const QJsonObject again = bob->take(u"message_updated"_qs);
    QCOMPARE(again[u"ref"].toString(), u"again"_qs);
    QCOMPARE(again[u"change"].toString(), u"reaction"_qs);
    QCOMPARE(again[u"message"].toObject(), after);
    react(*bob, id, u"🎉"_qs, false, u"absent"_qs);
    const QJsonObject absent = bob->take(u"message_updated"_qs);
    QCOMPARE(absent[u"ref"].toString(), u"absent"_qs);
    QCOMPARE(absent[u"message"].toObject(), after);
    sync(*alice);
    sync(*bob2);
    QVERIFY(!alice->has(u"message_updated"_qs));
    QVERIFY(!bob2->has(u"message_updated"_qs));

    // Off: the emoji leaves the list (its last user removed it).
    react(*bob, id, u"👍"_qs, false, u"off"_qs);
    const QJsonObject off = bob->take(u"message_updated"_qs)[u"message"].toObject();
    QCOMPARE(off[u"rev"].toInteger(), 3);
    QCOMPARE(off[u"reactions"], QJsonValue(QJsonArray()));
    QCOMPARE(alice->take(u"message_updated"_qs)[u"message"].toObject(), off);
    // history serves the current state.
    QCOMPARE(history(*alice, id), off);
}

void tst_ReactReplyMention::listOrderIsOrderOfReappearance()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && bob && carol);
    const QString id = send(*alice, u"order"_qs)[u"id"].toString();
    const auto step = [&](WsTestClient &who, const QString &emoji, bool on) {
        react(who, id, emoji, on);
        return reactionsOf(answer(who)[u"message"].toObject(), m_names);
    };
    QCOMPARE(step(*alice, u"🎉"_qs, true), u"🎉:alice"_qs);
    QCOMPARE(step(*bob, u"👍"_qs, true), u"🎉:alice|👍:bob"_qs);
    QCOMPARE(step(*carol, u"🎉"_qs, true), u"🎉:alice,carol|👍:bob"_qs);
    // 🎉 never left, so it keeps its place while its first user goes.
    QCOMPARE(step(*alice, u"🎉"_qs, false), u"🎉:carol|👍:bob"_qs);
    QCOMPARE(step(*alice, u"🎉"_qs, true), u"🎉:carol,alice|👍:bob"_qs);
    // Gone, then back: it reappears last.
    QCOMPARE(step(*alice, u"🎉"_qs, false), u"🎉:carol|👍:bob"_qs);
    QCOMPARE(step(*carol, u"🎉"_qs, false), u"👍:bob"_qs);
    QCOMPARE(step(*carol, u"🎉"_qs, true), u"👍:bob|🎉:carol"_qs);
    QCOMPARE(reactionsOf(history(*bob, id), m_names), u"👍:bob|🎉:carol"_qs);
}

void tst_ReactReplyMention::concurrentReactionsFromTwoUsers()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QJsonObject m = send(*alice, u"both at once"_qs);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    const QString id = m[u"id"].toString();
    // Both frames leave before either answer arrives.
    react(*alice, id, u"👍"_qs, true, u"a"_qs);
    react(*bob, id, u"👍"_qs, true, u"b"_qs);
    for (WsTestClient *client : {alice.get(), bob.get()}) {
        QTRY_COMPARE(framesOfType(client->frames(), u"message_updated"_qs).size(), 2);
        const QList<QJsonObject> updates = framesOfType(client->frames(), u"message_updated"_qs);
        // Two changes, two revs, in ev order; the last one holds both users.
        QCOMPARE(updates[0][u"message"][u"rev"].toInteger(), 2);
        QCOMPARE(updates[1][u"message"][u"rev"].toInteger(), 3);
        QVERIFY(updates[1][u"message"][u"ev"].toInteger()
                > updates[0][u"message"][u"ev"].toInteger());
        const QJsonObject last = updates[1][u"message"].toObject();
        QCOMPARE(last[u"reactions"][0][u"count"].toInteger(), 2);
        QStringList users;
        for (const QJsonValue &u : last[u"reactions"][0][u"users"].toArray())
            users << m_names.value(u.toString());
        users.sort();
        QCOMPARE(users, (QStringList{u"alice"_qs, u"bob"_qs}));
    }
    QCOMPARE(history(*alice, id)[u"reactions"][0][u"count"].toInteger(), 2);
}

void tst_ReactReplyMention::fiftyFirstEmojiIsTooMany()
{
    // Three users share the work so that no connection meets the rate limit.
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(alice && bob && carol);
    const QString id = send(*alice, u"so many feelings"_qs)[u"id"].toString();
    const auto emoji = [](int i) {
        const char32_t c = U'\U0001F600' + char32_t(i);
        return QString::fromUcs4(&c, 1);
    };
    WsTestClient *who[] = {alice.get(), bob.get(), carol.get()};
    QJsonObject last;
    for (int i = 0; i < 50; ++i) {
        WsTestClient *client = who[i / 17];
        react(*client, id, emoji(i), true, u"r%1"_qs.arg(i));
        last = answer(*client, u"r%1"_qs.arg(i));
        QCOMPARE(last[u"ref"].toString(), u"r%1"_qs.arg(i));
    }
    QCOMPARE(last[u"message"][u"reactions"].toArray().size(), 50);
    const qint64 rev = last[u"message"][u"rev"].toInteger();

    react(*carol, id, emoji(50), true, u"51st"_qs);
    const QJsonObject error = carol->take(u"error"_qs);
    QCOMPARE(error[u"code"].toString(), u"too_many_reactions"_qs);
    QCOMPARE(error[u"ref"].toString(), u"51st"_qs);
    QVERIFY(carol->isOpen());
    // Joining one of the 50 is still fine.
    react(*carol, id, emoji(0), true, u"join"_qs);
    const QJsonObject joined = answer(*carol, u"join"_qs)[u"message"].toObject();
    QCOMPARE(joined[u"rev"].toInteger(), rev + 1);
    QCOMPARE(joined[u"reactions"].toArray().size(), 50);
    QCOMPARE(joined[u"reactions"][0][u"count"].toInteger(), 2);
    QCOMPARE(joined[u"reactions"][49][u"emoji"].toString(), emoji(49));
}

void tst_ReactReplyMention::emojiRule_data()
{
    QTest::addColumn<QString>("emoji");
    QTest::addColumn<bool>("valid");
    const auto e = [](const char32_t *s) {
        return QString::fromUcs4(s);
    };
    QTest::newRow("thumbs up") << e(U"\U0001F44D") << true;
    QTest::newRow("skin tone") << e(U"\U0001F44D\U0001F3FD") << true;
    QTest::newRow("flag") << e(U"\U0001F1E9\U0001F1EA") << true;
    QTest::newRow("ZWJ family") << e(U"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466")
                                << true;
    QTest::newRow("tag sequence (Scotland)")
        << e(U"\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F") << true;
    QTest::newRow("heart with VS16") << e(U"\u2764\uFE0F") << true;
    QTest::newRow("a letter") << u"a"_qs << true;
    QTest::newRow("32 bytes, one cluster") << u"\u00e9"_qs + QString(15, QChar(0x0301)) << true;
    QTest::newRow("33 bytes, one cluster") << u"e"_qs + QString(16, QChar(0x0301)) << false;
    QTest::newRow("two clusters") << e(U"\U0001F44D\U0001F44D") << false;
    QTest::newRow("two letters") << u"ab"_qs << false;
    QTest::newRow("two flags") << e(U"\U0001F1E9\U0001F1EA\U0001F1EB\U0001F1F7") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u" "_qs << false;
    QTest::newRow("emoji and a space") << e(U"\U0001F44D ") << false;
    QTest::newRow("no-break space") << u"\u00a0"_qs << false;
    QTest::newRow("ideographic space") << u"\u3000"_qs << false;
    QTest::newRow("tab") << u"\t"_qs << false;
    QTest::newRow("newline") << u"\n"_qs << false;
    QTest::newRow("bell (Cc)") << u"\u0007"_qs << false;
    QTest::newRow("C1 control (Cc)") << u"\u0085"_qs << false;
}

void tst_ReactReplyMention::emojiRule()
{
    QFETCH(QString, emoji);
    QFETCH(bool, valid);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QString id = send(*alice, u"emoji rule"_qs)[u"id"].toString();
    react(*alice, id, emoji, true, u"rule"_qs);
    if (valid) {
        const QJsonObject updated = alice->take(u"message_updated"_qs);
        QCOMPARE(updated[u"ref"].toString(), u"rule"_qs);
        QCOMPARE(updated[u"message"][u"reactions"][0][u"emoji"].toString(), emoji);
        QCOMPARE(history(*alice, id)[u"reactions"][0][u"emoji"].toString(), emoji);
    } else {
        const QJsonObject error = alice->take(u"error"_qs);
        QCOMPARE(error[u"code"].toString(), u"bad_request"_qs);
        QCOMPARE(error[u"ref"].toString(), u"rule"_qs);
        QCOMPARE(history(*alice, id)[u"reactions"], QJsonValue(QJsonArray()));
    }
}

void tst_ReactReplyMention::reactErrors_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("channel"); // general, daves or an unknown id
    QTest::addColumn<QString>("id"); // own, deleted, system, or taken literally
    QTest::addColumn<QString>("emoji");
    QTest::addColumn<QJsonValue>("on");
    QTest::addColumn<QString>("code");
    const QString ok = u"👍"_qs;
    const QString general = u"general"_qs;
    const QJsonValue yes(true);
    QTest::newRow("not a member") << u"dave"_qs << general << u"own"_qs << ok << yes
                                  << u"not_member"_qs;
    QTest::newRow("not a member beats not found")
        << u"dave"_qs << general << u"nope"_qs << u"xx"_qs << yes << u"not_member"_qs;
    QTest::newRow("unknown channel")
        << u"alice"_qs << u"0123456789abcdef"_qs << u"own"_qs << ok << yes << u"not_found"_qs;
    QTest::newRow("unknown message")
        << u"alice"_qs << general << u"nope"_qs << ok << yes << u"not_found"_qs;
    QTest::newRow("message of another channel")
        << u"alice"_qs << u"other"_qs << u"own"_qs << ok << yes << u"not_found"_qs;
    QTest::newRow("tombstone") << u"bob"_qs << general << u"deleted"_qs << ok << yes
                               << u"not_found"_qs;
    QTest::newRow("tombstone, off")
        << u"bob"_qs << general << u"deleted"_qs << ok << QJsonValue(false) << u"not_found"_qs;
    QTest::newRow("not found beats bad emoji")
        << u"alice"_qs << general << u"nope"_qs << u"xx"_qs << yes << u"not_found"_qs;
    QTest::newRow("system message")
        << u"bob"_qs << general << u"system"_qs << ok << yes << u"forbidden"_qs;
    QTest::newRow("forbidden beats bad emoji")
        << u"bob"_qs << general << u"system"_qs << u"xx"_qs << yes << u"forbidden"_qs;
    QTest::newRow("on missing") << u"bob"_qs << general << u"own"_qs << ok << QJsonValue()
                                << u"bad_request"_qs;
    QTest::newRow("on not a bool")
        << u"bob"_qs << general << u"own"_qs << ok << QJsonValue(1) << u"bad_request"_qs;
    QTest::newRow("no id") << u"bob"_qs << general << QString() << ok << yes << u"bad_request"_qs;
}

void tst_ReactReplyMention::reactErrors()
{
    QFETCH(QString, user);
    QFETCH(QString, channel);
    QFETCH(QString, id);
    QFETCH(QString, emoji);
    QFETCH(QJsonValue, on);
    QFETCH(QString, code);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject own = send(*alice, u"target"_qs);
    const QJsonObject tomb = send(*alice, u"to be deleted"_qs);
    alice->sendJson({{u"type"_qs, u"delete"_qs},
                     {u"channel"_qs, m_general},
                     {u"id"_qs, tomb[u"id"].toString()}});
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    auto actor = connectAs(user);
    QVERIFY(actor);
    const QString channelId = channel == u"general" ? m_general
        : channel == u"other"                       ? m_other
                                                    : channel;
    const QString messageId = id == u"own" ? own[u"id"].toString()
        : id == u"deleted"                 ? tomb[u"id"].toString()
        : id == u"system"                  ? m_systemMessage
                                           : id;
    QJsonObject frame{{u"type"_qs, u"react"_qs},
                      {u"ref"_qs, u"bad"_qs},
                      {u"channel"_qs, channelId},
                      {u"emoji"_qs, emoji}};
    if (!messageId.isEmpty())
        frame.insert(u"id"_qs, messageId);
    if (!on.isNull())
        frame.insert(u"on"_qs, on);
    actor->sendJson(frame);
    const QJsonObject error = actor->take(u"error"_qs);
    QCOMPARE(error[u"code"].toString(), code);
    QCOMPARE(error[u"ref"].toString(), u"bad"_qs);
    // The react's own words (its answer path is shared with edit and delete).
    if (code == u"forbidden")
        QCOMPARE(error[u"message"].toString(), u"System messages cannot be reacted to."_qs);
    QVERIFY(actor->isOpen());
    // Nothing changed.
    QCOMPARE(history(*alice, own[u"id"].toString()), own);
    QCOMPARE(history(*alice, m_systemMessage)[u"reactions"], QJsonValue(QJsonArray()));
}

void tst_ReactReplyMention::deleteClearsReactions()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    const QString id = send(*alice, u"popular, then gone"_qs)[u"id"].toString();
    react(*bob, id, u"👍"_qs, true);
    QVERIFY(!bob->take(u"message_updated"_qs).isEmpty());
    react(*alice, id, u"🎉"_qs, true);
    QCOMPARE(answer(*alice)[u"message"][u"reactions"].toArray().size(), 2);
    alice->sendJson({{u"type"_qs, u"delete"_qs},
                     {u"ref"_qs, u"d"_qs},
                     {u"channel"_qs, m_general},
                     {u"id"_qs, id}});
    const QJsonObject tomb = answer(*alice, u"d"_qs)[u"message"].toObject();
    QCOMPARE(tomb[u"deleted"], QJsonValue(true));
    QCOMPARE(tomb[u"reactions"], QJsonValue(QJsonArray()));
    QCOMPARE(history(*bob, id), tomb);
    // And they do not come back with the next reaction: there is none on a tombstone.
    react(*bob, id, u"👍"_qs, false, u"late"_qs);
    QCOMPARE(bob->take(u"error"_qs)[u"code"].toString(), u"not_found"_qs);
}

void tst_ReactReplyMention::replyCarriesTheTarget()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    // 250 code points, a quarter of them outside the BMP (two UTF-16 units each).
    QString longText;
    for (int i = 0; i < 250; ++i)
        longText += i % 4 == 0 ? QString::fromUcs4(U"\U0001F600", 1) : u"x"_qs;
    const QJsonObject target = send(*alice, longText);
    QVERIFY(!bob->take(u"message"_qs).isEmpty());
    const QJsonObject reply = send(*bob, u"quoting you"_qs, {}, target[u"id"]);
    QString excerpt;
    for (int i = 0; i < 200; ++i)
        excerpt += i % 4 == 0 ? QString::fromUcs4(U"\U0001F600", 1) : u"x"_qs;
    const QJsonObject expected{{u"id"_qs, target[u"id"]},
                               {u"seq"_qs, target[u"seq"]},
                               {u"author"_qs, m_ids[u"alice"_qs]},
                               {u"excerpt"_qs, excerpt},
                               {u"deleted"_qs, false}};
    QCOMPARE(reply[u"reply_to"].toObject(), expected);
    // The other members get it live, and history serves it.
    QCOMPARE(alice->take(u"message"_qs)[u"message"][u"reply_to"].toObject(), expected);
    QCOMPARE(history(*alice, reply[u"id"].toString())[u"reply_to"].toObject(), expected);
    // Replies to system messages are allowed (§13).
    const QJsonObject toSystem = send(*bob, u"welcome!"_qs, {}, m_systemMessage);
    QCOMPARE(toSystem[u"reply_to"][u"id"].toString(), m_systemMessage);
    QCOMPARE(toSystem[u"reply_to"][u"excerpt"].toString(), QString());
    QCOMPARE(toSystem[u"reply_to"][u"deleted"], QJsonValue(false));
    // reply_to null is no reply.
    QVERIFY(send(*bob, u"plain"_qs, {}, QJsonValue())[u"reply_to"].isNull());
}

void tst_ReactReplyMention::replyExcerptFollowsEditAndDelete()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject target = send(*alice, u"the original"_qs);
    // bob holds everything up to here, then goes away.
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    const qint64 held = channelIn(m_connected, m_general)[u"last_seq"].toInteger();
    bob.reset();
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(carol);
    const QJsonObject reply = send(*carol, u"replying"_qs, {}, target[u"id"]);
    QCOMPARE(reply[u"reply_to"][u"excerpt"].toString(), u"the original"_qs);

    alice->sendJson({{u"type"_qs, u"edit"_qs},
                     {u"channel"_qs, m_general},
                     {u"id"_qs, target[u"id"]},
                     {u"text"_qs, u"the edited one"_qs}});
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    // history and a resume serialize the reply again: the excerpt is the target's text now.
    QCOMPARE(history(*alice, reply[u"id"].toString())[u"reply_to"][u"excerpt"].toString(),
             u"the edited one"_qs);
    bob = connectAs(u"bob"_qs, {{m_general, held}}, {}, false);
    QVERIFY(bob);
    QTRY_VERIFY(bob->has(u"resumed"_qs));
    QJsonObject replayed;
    for (const QJsonObject &f : framesOfType(bob->frames(), u"message"_qs)) {
        if (f[u"message"][u"id"] == reply[u"id"])
            replayed = f[u"message"].toObject();
    }
    QCOMPARE(replayed[u"reply_to"][u"excerpt"].toString(), u"the edited one"_qs);
    QCOMPARE(replayed[u"reply_to"][u"deleted"], QJsonValue(false));

    alice->sendJson(
        {{u"type"_qs, u"delete"_qs}, {u"channel"_qs, m_general}, {u"id"_qs, target[u"id"]}});
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    const QJsonObject quoted = history(*bob, reply[u"id"].toString())[u"reply_to"].toObject();
    QCOMPARE(quoted,
             (QJsonObject{{u"id"_qs, target[u"id"]},
                          {u"seq"_qs, target[u"seq"]},
                          {u"author"_qs, m_ids[u"alice"_qs]},
                          {u"excerpt"_qs, QString()},
                          {u"deleted"_qs, true}}));
    // The reply itself is unchanged otherwise.
    QCOMPARE(history(*bob, reply[u"id"].toString())[u"text"].toString(), u"replying"_qs);
}

void tst_ReactReplyMention::replyErrors_data()
{
    QTest::addColumn<QString>("target"); // deleted, foreign, unknown, empty, number
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::newRow("deleted target") << u"deleted"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("target in another channel") << u"foreign"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("unknown target") << u"unknown"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("empty id") << u"empty"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("not a string") << u"number"_qs << u"x"_qs << u"not_found"_qs;
    QTest::newRow("not found beats too large")
        << u"unknown"_qs << QString(4001, u'x') << u"not_found"_qs;
}

void tst_ReactReplyMention::replyErrors()
{
    QFETCH(QString, target);
    QFETCH(QString, text);
    QFETCH(QString, code);
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject gone = send(*alice, u"soon gone"_qs);
    alice->sendJson(
        {{u"type"_qs, u"delete"_qs}, {u"channel"_qs, m_general}, {u"id"_qs, gone[u"id"]}});
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    const QJsonObject foreign = send(*alice, u"elsewhere"_qs, m_other);
    const QJsonValue replyTo = target == u"deleted" ? gone[u"id"]
        : target == u"foreign"                      ? foreign[u"id"]
        : target == u"unknown"                      ? QJsonValue(u"0123456789abcdef"_qs)
        : target == u"empty"                        ? QJsonValue(QString())
                                                    : QJsonValue(42);
    const qint64 lastSeq = gone[u"seq"].toInteger();
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"bad-reply"_qs},
                     {u"channel"_qs, m_general},
                     {u"client_msg_id"_qs, u"bad-reply-%1"_qs.arg(++m_counter)},
                     {u"text"_qs, text},
                     {u"reply_to"_qs, replyTo}});
    const QJsonObject error = alice->take(u"error"_qs);
    QCOMPARE(error[u"code"].toString(), code);
    QCOMPARE(error[u"ref"].toString(), u"bad-reply"_qs);
    QVERIFY(!alice->has(u"ack"_qs));
    // Nothing was stored: the next message takes the next seq.
    QCOMPARE(send(*alice, u"fine"_qs)[u"seq"].toInteger(), lastSeq + 1);
}

void tst_ReactReplyMention::mentions_data()
{
    QTest::addColumn<QString>("author");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentioned");
    QTest::newRow("a member") << u"alice"_qs << u"hi @bob"_qs << QStringList{u"bob"_qs};
    QTest::newRow("case-insensitive") << u"alice"_qs << u"hi @BoB"_qs << QStringList{u"bob"_qs};
    QTest::newRow("trailing dot") << u"alice"_qs << u"thanks @bob."_qs << QStringList{u"bob"_qs};
    QTest::newRow("two") << u"alice"_qs << u"@carol and @bob, see"_qs
                         << QStringList{u"bob"_qs, u"carol"_qs};
    QTest::newRow("an e-mail address") << u"alice"_qs << u"mail@bob"_qs << QStringList{};
    QTest::newRow("inline code") << u"alice"_qs << u"type `@bob` to ping"_qs << QStringList{};
    QTest::newRow("fenced code") << u"alice"_qs << u"```\nping @bob\n```"_qs << QStringList{};
    QTest::newRow("after fenced code")
        << u"alice"_qs << u"```\n@carol\n```\n@bob look"_qs << QStringList{u"bob"_qs};
    QTest::newRow("not a member") << u"alice"_qs << u"hi @dave"_qs << QStringList{};
    QTest::newRow("no such user") << u"alice"_qs << u"hi @nobody"_qs << QStringList{};
    QTest::newRow("@channel") << u"alice"_qs << u"@channel lunch?"_qs
                              << QStringList{u"bob"_qs, u"carol"_qs};
    QTest::newRow("@channel in code") << u"alice"_qs << u"`@channel`"_qs << QStringList{};
    QTest::newRow("@channel by bob")
        << u"bob"_qs << u"@channel lunch?"_qs << QStringList{u"alice"_qs, u"carol"_qs};
    QTest::newRow("never oneself")
        << u"alice"_qs << u"note to @alice and @bob"_qs << QStringList{u"bob"_qs};
}

void tst_ReactReplyMention::mentions()
{
    QFETCH(QString, author);
    QFETCH(QString, text);
    QFETCH(QStringList, mentioned);
    auto client = connectAs(author);
    auto carol = connectAs(u"carol"_qs);
    QVERIFY(client && carol);
    const QJsonObject m = send(*client, text);
    QStringList ids;
    for (const QString &name : std::as_const(mentioned))
        ids << m_ids[name];
    ids.sort();
    QStringList got;
    for (const QJsonValue &v : m[u"mentions"].toArray())
        got << v.toString();
    got.sort();
    QCOMPARE(got, ids);
    // The same on every path: live to the others, history.
    QCOMPARE(carol->take(u"message"_qs)[u"message"][u"mentions"], m[u"mentions"]);
    QCOMPARE(history(*carol, m[u"id"].toString())[u"mentions"], m[u"mentions"]);
}

void tst_ReactReplyMention::editRecomputesMentions()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject m = send(*alice, u"hi @bob"_qs);
    QCOMPARE(m[u"mentions"], QJsonValue(QJsonArray{m_ids[u"bob"_qs]}));
    const auto edit = [&](const QString &text) {
        alice->sendJson({{u"type"_qs, u"edit"_qs},
                         {u"channel"_qs, m_general},
                         {u"id"_qs, m[u"id"]},
                         {u"text"_qs, text}});
        return alice->take(u"message_updated"_qs)[u"message"][u"mentions"];
    };
    QCOMPARE(edit(u"hi @carol"_qs), QJsonValue(QJsonArray{m_ids[u"carol"_qs]}));
    QCOMPARE(edit(u"hi `@carol`"_qs), QJsonValue(QJsonArray()));
    QCOMPARE(history(*alice, m[u"id"].toString())[u"mentions"], QJsonValue(QJsonArray()));
}

void tst_ReactReplyMention::mentionCountFollowsMentionsReadsEditsDeletes()
{
    auto alice = connectAs(u"alice"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(alice && bob);
    // bob reads everything so far.
    const QJsonObject start = send(*alice, u"start"_qs);
    bob->sendJson(
        {{u"type"_qs, u"read"_qs}, {u"channel"_qs, m_general}, {u"seq"_qs, start[u"seq"]}});
    sync(*bob);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 0);
    const qint64 aliceBefore = mentionCount(u"alice"_qs, m_general);

    const QJsonObject direct = send(*alice, u"@bob look"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 1);
    const QJsonObject everyone = send(*alice, u"@channel lunch"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 2);
    const QJsonObject plain = send(*alice, u"no one here, `@bob`"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 2);
    // Her own @channel is no mention of her.
    QCOMPARE(mentionCount(u"alice"_qs, m_general), aliceBefore);

    const auto edit = [&](const QJsonObject &m, const QString &text) {
        alice->sendJson({{u"type"_qs, u"edit"_qs},
                         {u"channel"_qs, m_general},
                         {u"id"_qs, m[u"id"]},
                         {u"text"_qs, text}});
        QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    };
    // An edit that drops the mention, one that adds one.
    edit(direct, u"never mind"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 1);
    edit(plain, u"now @bob"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 2);
    // A delete of a mentioning message.
    alice->sendJson(
        {{u"type"_qs, u"delete"_qs}, {u"channel"_qs, m_general}, {u"id"_qs, everyone[u"id"]}});
    QVERIFY(!alice->take(u"message_updated"_qs).isEmpty());
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 1);
    // Reading past it.
    bob->sendJson(
        {{u"type"_qs, u"read"_qs}, {u"channel"_qs, m_general}, {u"seq"_qs, plain[u"seq"]}});
    sync(*bob);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 0);
    // A mention after the marker counts again; one before it does not.
    send(*alice, u"again @bob"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 1);
    edit(direct, u"@bob, old news"_qs);
    QCOMPARE(mentionCount(u"bob"_qs, m_general), 1);

    // A `channel` frame carries it too: bob mentions alice in their direct channel.
    bob->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"dm"_qs}, {u"user"_qs, m_ids[u"alice"_qs]}});
    const QString dm = bob->take(u"channel"_qs)[u"channel"][u"id"].toString();
    QVERIFY(!dm.isEmpty());
    send(*bob, u"@alice ping"_qs, dm);
    alice->sendJson(
        {{u"type"_qs, u"dm"_qs}, {u"ref"_qs, u"dm2"_qs}, {u"user"_qs, m_ids[u"bob"_qs]}});
    // (alice first heard of the new channel without a ref, when bob opened it.)
    QJsonObject frame = alice->take(u"channel"_qs);
    if (frame[u"ref"].toString() != u"dm2")
        frame = alice->take(u"channel"_qs);
    QCOMPARE(frame[u"ref"].toString(), u"dm2"_qs);
    QCOMPARE(frame[u"channel"][u"mention_count"].toInteger(), 1);
}

void tst_ReactReplyMention::reactionWhileAwayArrivesOnResume()
{
    auto alice = connectAs(u"alice"_qs);
    QVERIFY(alice);
    const QJsonObject old = send(*alice, u"old news"_qs);
    auto bob = connectAs(u"bob"_qs);
    QVERIFY(bob);
    const QJsonObject general = channelIn(m_connected, m_general);
    const qint64 lastSeq = general[u"last_seq"].toInteger();
    const qint64 lastEv = general[u"last_ev"].toInteger();
    bob.reset();

    react(*alice, old[u"id"].toString(), u"🎉"_qs, true);
    const QJsonObject reacted = alice->take(u"message_updated"_qs)[u"message"].toObject();
    QCOMPARE(reacted[u"rev"].toInteger(), 2);

    bob = connectAs(u"bob"_qs, {{m_general, lastSeq}}, {{m_general, lastEv}}, false);
    QVERIFY(bob);
    QTRY_VERIFY(bob->has(u"resumed"_qs));
    const QList<QJsonObject> updates = framesOfType(bob->frames(), u"message_updated"_qs);
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates[0][u"message"].toObject(), reacted);
    QCOMPARE(reactionsOf(updates[0][u"message"].toObject(), m_names), u"🎉:alice"_qs);
    QCOMPARE(channelIn(m_connected, m_general)[u"last_ev"].toInteger(), reacted[u"ev"].toInteger());
}

QTEST_GUILESS_MAIN(tst_ReactReplyMention)
#include "tst_reactreplymention.moc"
