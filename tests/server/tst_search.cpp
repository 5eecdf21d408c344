// Search (§10) on the real natterd: GET /api/v1/search with each filter,
// phrases, prefixes and exclusions, diacritics, only the caller's channels (a
// private channel of others never leaks, also not via in:), an edit found by
// its new words and not its old ones, a delete never found, paging by the
// cursor, and hostile inputs answered 200 or 400 bad_query, never a 500.
// Messages are sent, edited and deleted over the WebSocket like any client does.
// Searches are limited per user and, for all users together, by the share of
// time they may take (429 rate_limited / 503 busy with Retry-After); a costly
// one holds up nobody's sends while it runs.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

class tst_Search : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void wordsPhrasesPrefixesExclusions();
    void filters();
    void excludedFilterIsALiteralWord();
    void diacritics();
    void privateChannelOfOthersNeverLeaks();
    void editedByNewWordsDeletedNever();
    void resultShape();
    void pagingIsStable();
    void hostileInputsNeverA500_data();
    void hostileInputsNeverA500();
    void needsAToken();
    void aQueryPastALimitSaysWhich();
    void searchesOfOneUserAreLimited();
    void searchesTogetherTakeAtMostTheirShare();
    void oneUserCannotTakeTheWholeShare();
    void aCostlySearchHoldsUpNoSends();

private:
    std::unique_ptr<WsTestClient> connectAs(const QString &user);
    // Sends `text` to `channel` as `client`; the stored message from the ack.
    QJsonObject send(WsTestClient &client, const QString &channel, const QString &text);
    HttpResult search(const QString &user, const QString &q, const QString &extra = {});
    // The texts `user` finds for `q`, newest first ("<status>" when not 200).
    QStringList texts(const QString &user, const QString &q);

    QTemporaryDir m_configDir;
    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QHash<QString, QString> m_tokens;
    QHash<QString, QString> m_channels; // name -> id
    std::unique_ptr<WsTestClient> m_alice;
    std::unique_ptr<WsTestClient> m_bob;
    std::unique_ptr<WsTestClient> m_carol;
    int m_counter = 0;
};

void tst_Search::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs, u"carol"_qs}));
    QVERIFY(m_server.addChannel(u"ops"_qs, {u"alice"_qs, u"bob"_qs}));
    // What is found, not how often: searches here are not limited.
    const QString config = m_configDir.filePath(u"natterd.conf"_qs);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("search_per_second = 1000\nsearch_burst = 1000\nsearch_share = 1\n"
               "search_user_share = 1\n");
    file.close();
    QVERIFY2(m_server.start({u"--config"_qs, config}), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    QString bobId;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs}) {
        const HttpResult login = m_http->login(name, name + u"-pw"_qs);
        QCOMPARE(login.status, 200);
        m_tokens[name] = login.json[u"access_token"].toString();
        if (name == u"bob")
            bobId = login.json[u"user"][u"id"].toString();
    }
    m_alice = connectAs(u"alice"_qs);
    m_bob = connectAs(u"bob"_qs);
    m_carol = connectAs(u"carol"_qs);
    QVERIFY(m_alice && m_bob && m_carol);
    // carol's private channel with bob: alice is not in it.
    m_carol->sendJson({{u"type"_qs, u"channel_create"_qs},
                       {u"ref"_qs, u"secret"_qs},
                       {u"name"_qs, u"secret"_qs},
                       {u"visibility"_qs, u"private"_qs},
                       {u"members"_qs, QJsonArray{bobId}}});
    const QJsonObject created = m_carol->take(u"channel"_qs);
    QCOMPARE(created[u"channel"][u"name"].toString(), u"secret"_qs);
    m_channels[u"secret"_qs] = created[u"channel"][u"id"].toString();
}

std::unique_ptr<WsTestClient> tst_Search::connectAs(const QString &user)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server.wsUrl(), m_server.origin()))
        return nullptr;
    const QJsonObject connected = client->authenticate(m_tokens.value(user));
    if (connected.isEmpty() || client->take(u"resumed"_qs).isEmpty())
        return nullptr;
    for (const QJsonValue &c : connected[u"channels"].toArray())
        m_channels[c[u"name"].toString()] = c[u"id"].toString();
    return client;
}

QJsonObject tst_Search::send(WsTestClient &client, const QString &channel, const QString &text)
{
    client.sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, m_channels.value(channel)},
                     {u"client_msg_id"_qs, u"s%1"_qs.arg(++m_counter)},
                     {u"text"_qs, text}});
    return client.take(u"ack"_qs)[u"message"].toObject();
}

HttpResult tst_Search::search(const QString &user, const QString &q, const QString &extra)
{
    const QString path = u"/api/v1/search?q="_qs + QString::fromLatin1(QUrl::toPercentEncoding(q))
        + (extra.isEmpty() ? QString() : u'&' + extra);
    return m_http->request("GET", path, {}, m_tokens.value(user).toUtf8());
}

QStringList tst_Search::texts(const QString &user, const QString &q)
{
    const HttpResult r = search(user, q, u"limit=50"_qs);
    if (r.status != 200)
        return {u"<%1 %2>"_qs.arg(r.status).arg(r.json[u"error"].toString())};
    QStringList out;
    for (const QJsonValue &hit : r.json[u"results"].toArray())
        out << hit[u"message"][u"text"].toString();
    return out;
}

void tst_Search::wordsPhrasesPrefixesExclusions()
{
    send(*m_alice, u"general"_qs, u"the kestrel deploy is done"_qs);
    send(*m_bob, u"general"_qs, u"kestrel deploy postponed, the kestreldb is slow"_qs);
    send(*m_alice, u"general"_qs, u"is the deploy of kestrel green"_qs);
    QCOMPARE(texts(u"carol"_qs, u"kestrel deploy"_qs).size(), 3);
    QCOMPARE(texts(u"carol"_qs, u"\"kestrel deploy\""_qs),
             (QStringList{u"kestrel deploy postponed, the kestreldb is slow"_qs,
                          u"the kestrel deploy is done"_qs}));
    QCOMPARE(texts(u"carol"_qs, u"kestreld*"_qs),
             QStringList{u"kestrel deploy postponed, the kestreldb is slow"_qs});
    QCOMPARE(texts(u"carol"_qs, u"kestrel -postponed -green"_qs),
             QStringList{u"the kestrel deploy is done"_qs});
}

void tst_Search::filters()
{
    send(*m_alice, u"general"_qs, u"heron report https://example.org/heron"_qs);
    send(*m_bob, u"general"_qs, u"heron sighting general"_qs);
    send(*m_bob, u"ops"_qs, u"heron sighting ops"_qs);
    QCOMPARE(texts(u"alice"_qs, u"heron from:bob"_qs),
             (QStringList{u"heron sighting ops"_qs, u"heron sighting general"_qs}));
    QCOMPARE(texts(u"alice"_qs, u"heron in:#ops"_qs), QStringList{u"heron sighting ops"_qs});
    QCOMPARE(texts(u"alice"_qs, u"from:@bob in:general heron"_qs),
             QStringList{u"heron sighting general"_qs});
    QCOMPARE(texts(u"alice"_qs, u"heron has:link"_qs),
             QStringList{u"heron report https://example.org/heron"_qs});
    QCOMPARE(texts(u"alice"_qs, u"heron has:file"_qs), QStringList{});
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const auto day = [](const QDate &d) {
        return d.toString(Qt::ISODate);
    };
    QCOMPARE(texts(u"alice"_qs, u"heron after:"_qs + day(today.addDays(-1))).size(), 3);
    QCOMPARE(texts(u"alice"_qs, u"heron after:"_qs + day(today)), QStringList{});
    QCOMPARE(texts(u"alice"_qs, u"heron before:"_qs + day(today.addDays(1))).size(), 3);
    QCOMPARE(texts(u"alice"_qs, u"heron before:"_qs + day(today)), QStringList{});
    QCOMPARE(texts(u"alice"_qs, u"heron before:yesterday"_qs), QStringList{u"<400 bad_query>"_qs});
    QCOMPARE(texts(u"alice"_qs, u"heron has:pin"_qs), QStringList{u"<400 bad_query>"_qs});
}

void tst_Search::excludedFilterIsALiteralWord()
{
    // §10 negates words only, and whatever a user types is valid input taken
    // literally: `-from:bob` excludes the words "from bob", not bob's messages,
    // and is never bad_query.
    send(*m_bob, u"general"_qs, u"plover nest spotted"_qs);
    send(*m_alice, u"general"_qs, u"plover photo from bob"_qs);
    send(*m_alice, u"general"_qs, u"plover has file attached"_qs);
    QCOMPARE(texts(u"carol"_qs, u"plover -from:bob"_qs),
             (QStringList{u"plover has file attached"_qs, u"plover nest spotted"_qs}));
    QCOMPARE(texts(u"carol"_qs, u"plover -has:file"_qs),
             (QStringList{u"plover photo from bob"_qs, u"plover nest spotted"_qs}));
    // Malformed values are no filter either: the literal words are excluded.
    QCOMPARE(texts(u"carol"_qs, u"plover -before:yesterday -has:pin -in:nowhere"_qs).size(), 3);
    // An exclusion alone is a query (it is a word).
    QVERIFY(texts(u"carol"_qs, u"-from:bob"_qs).contains(u"plover nest spotted"_qs));
    QVERIFY(!texts(u"carol"_qs, u"-from:bob"_qs).contains(u"plover photo from bob"_qs));
}

void tst_Search::diacritics()
{
    send(*m_alice, u"general"_qs, u"Rendez-vous au Café Crème"_qs);
    QCOMPARE(texts(u"bob"_qs, u"cafe creme"_qs), QStringList{u"Rendez-vous au Café Crème"_qs});
    QCOMPARE(texts(u"bob"_qs, u"CAFÉ"_qs), QStringList{u"Rendez-vous au Café Crème"_qs});
    QCOMPARE(texts(u"bob"_qs, u"rendez-vous"_qs), QStringList{u"Rendez-vous au Café Crème"_qs});
}

void tst_Search::privateChannelOfOthersNeverLeaks()
{
    send(*m_carol, u"secret"_qs, u"osprey plans in private"_qs);
    send(*m_bob, u"general"_qs, u"osprey plans in public"_qs);
    QCOMPARE(texts(u"bob"_qs, u"osprey"_qs),
             (QStringList{u"osprey plans in public"_qs, u"osprey plans in private"_qs}));
    QCOMPARE(texts(u"alice"_qs, u"osprey"_qs), QStringList{u"osprey plans in public"_qs});
    QCOMPARE(texts(u"alice"_qs, u"osprey in:secret"_qs), QStringList{});
    QCOMPARE(texts(u"alice"_qs, u"in:secret"_qs), QStringList{});
    QCOMPARE(texts(u"alice"_qs, u"from:carol"_qs).contains(u"osprey plans in private"_qs), false);
    QCOMPARE(texts(u"alice"_qs, u"-zzz"_qs).contains(u"osprey plans in private"_qs), false);
}

void tst_Search::editedByNewWordsDeletedNever()
{
    const QJsonObject edited = send(*m_alice, u"general"_qs, u"albatross lands monday"_qs);
    const QJsonObject deleted = send(*m_alice, u"general"_qs, u"albatross code hunter2"_qs);
    m_alice->sendJson({{u"type"_qs, u"edit"_qs},
                       {u"ref"_qs, u"e"_qs},
                       {u"channel"_qs, m_channels.value(u"general"_qs)},
                       {u"id"_qs, edited[u"id"]},
                       {u"text"_qs, u"albatross lands tuesday"_qs}});
    QCOMPARE(m_alice->take(u"message_updated"_qs)[u"message"][u"rev"].toInt(), 2);
    m_alice->sendJson({{u"type"_qs, u"delete"_qs},
                       {u"ref"_qs, u"d"_qs},
                       {u"channel"_qs, m_channels.value(u"general"_qs)},
                       {u"id"_qs, deleted[u"id"]}});
    QVERIFY(m_alice->take(u"message_updated"_qs)[u"message"][u"deleted"].toBool());
    QCOMPARE(texts(u"bob"_qs, u"tuesday"_qs), QStringList{u"albatross lands tuesday"_qs});
    QCOMPARE(texts(u"bob"_qs, u"monday"_qs), QStringList{});
    QCOMPARE(texts(u"bob"_qs, u"hunter2"_qs), QStringList{});
    QCOMPARE(texts(u"bob"_qs, u"albatross"_qs), QStringList{u"albatross lands tuesday"_qs});
    // System messages (the created notice of #secret) are not searched.
    QCOMPARE(texts(u"carol"_qs, u"created"_qs), QStringList{});
}

void tst_Search::resultShape()
{
    const QJsonObject sent = send(*m_bob, u"ops"_qs, u"a pelican named Ödegård"_qs);
    const HttpResult r = search(u"alice"_qs, u"odegard"_qs);
    QCOMPARE(r.status, 200);
    const QJsonArray results = r.json[u"results"].toArray();
    QCOMPARE(results.size(), 1);
    const QJsonObject hit = results.at(0).toObject();
    // The message as everywhere else (v2 M), the snippet plain text, the match a range.
    QCOMPARE(hit[u"message"][u"id"].toString(), sent[u"id"].toString());
    QCOMPARE(hit[u"message"][u"channel"].toString(), m_channels.value(u"ops"_qs));
    QCOMPARE(hit[u"message"][u"seq"].toInteger(), sent[u"seq"].toInteger());
    QCOMPARE(hit[u"message"][u"kind"].toString(), u"user"_qs);
    QCOMPARE(hit[u"snippet"].toString(), u"a pelican named Ödegård"_qs);
    QCOMPARE(hit[u"highlights"].toArray(), (QJsonArray{QJsonArray{16, 7}}));
    QVERIFY(r.json[u"next"].isNull());
    // A long text: the snippet is the matching part, at most 200 code points.
    QString longText;
    for (int i = 0; i < 100; ++i)
        longText += u"filler%1 "_qs.arg(i);
    longText += u"needlework "_qs + longText;
    send(*m_bob, u"ops"_qs, longText);
    const HttpResult l = search(u"alice"_qs, u"needlework"_qs);
    QCOMPARE(l.status, 200);
    const QString snippet = l.json[u"results"][0][u"snippet"].toString();
    QVERIFY(snippet.size() <= 200);
    QVERIFY(snippet.contains(u"needlework"_qs));
    const QJsonArray range = l.json[u"results"][0][u"highlights"][0].toArray();
    QCOMPARE(snippet.mid(range.at(0).toInt(), range.at(1).toInt()), u"needlework"_qs);
}

void tst_Search::pagingIsStable()
{
    QStringList sentIds;
    for (int i = 0; i < 5; ++i)
        sentIds.prepend(send(*m_alice, u"general"_qs, u"puffin %1"_qs.arg(i))[u"id"].toString());
    QStringList seen;
    QString after;
    int pages = 0;
    for (;;) {
        const HttpResult r =
            search(u"bob"_qs, u"puffin"_qs,
                   u"limit=2"_qs + (after.isEmpty() ? QString() : u"&after="_qs + after));
        QCOMPARE(r.status, 200);
        for (const QJsonValue &hit : r.json[u"results"].toArray())
            seen << hit[u"message"][u"id"].toString();
        ++pages;
        if (r.json[u"next"].isNull())
            break;
        after = QString::fromLatin1(QUrl::toPercentEncoding(r.json[u"next"].toString()));
        // A message sent between pages is newer than the cursor: no repeat, no skip.
        send(*m_bob, u"general"_qs, u"puffin late"_qs);
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen, sentIds);
    QCOMPARE(search(u"bob"_qs, u"puffin"_qs, u"after=garbage"_qs).json[u"error"].toString(),
             u"bad_query"_qs);
    QCOMPARE(search(u"bob"_qs, u"puffin"_qs, u"limit=0"_qs).status, 400);
    QCOMPARE(search(u"bob"_qs, u"puffin"_qs, u"limit=500"_qs).json[u"results"].toArray().size(), 7);
}

void tst_Search::hostileInputsNeverA500_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::newRow("t-shirt") << u"t-shirt"_qs << 200;
    QTest::newRow("db.json") << u"db.json"_qs << 200;
    QTest::newRow("dash") << u"-"_qs << 400;
    QTest::newRow("lone quote") << u"\""_qs << 400;
    QTest::newRow("star") << u"*"_qs << 400;
    QTest::newRow("NEAR") << u"NEAR(a b)"_qs << 200;
    QTest::newRow("percent") << u"%"_qs << 400;
    QTest::newRow("sql") << u"'; DROP TABLE messages; --"_qs << 200;
    QTest::newRow("fts operators") << u"a OR b NOT c AND ^d"_qs << 200;
    QTest::newRow("column filter") << u"text:x"_qs << 200;
    QTest::newRow("unbalanced") << u"\"open phrase"_qs << 200;
    QTest::newRow("2000 characters") << QString(2000, u'a') << 400;
    QTest::newRow("2000 words") << u"ab "_qs.repeated(666) << 400;
    QTest::newRow("empty") << QString() << 400;
    QTest::newRow("nul and controls") << u"a\u0000b\u0007c"_qs << 200;
}

void tst_Search::hostileInputsNeverA500()
{
    QFETCH(QString, query);
    QFETCH(int, status);
    send(*m_alice, u"general"_qs, u"order a t-shirt, see db.json"_qs);
    const HttpResult r = search(u"alice"_qs, query);
    QCOMPARE(r.status, status);
    if (status == 400)
        QCOMPARE(r.json[u"error"].toString(), u"bad_query"_qs);
    else
        QVERIFY(r.json[u"results"].isArray());
    if (query == u"t-shirt" || query == u"db.json")
        QVERIFY(!r.json[u"results"].toArray().isEmpty());
    QCOMPARE(m_http->request("GET", u"/api/v1/health"_qs).status, 200);
}

void tst_Search::needsAToken()
{
    QCOMPARE(m_http->request("GET", u"/api/v1/search?q=x"_qs).status, 401);
    QCOMPARE(m_http->request("GET", u"/api/v1/search?q=x"_qs, {}, "not-a-token").status, 401);
}

void tst_Search::aQueryPastALimitSaysWhich()
{
    // §10's bad_query, and which limit the query met (docs/protocol.md §10),
    // so the desktop can say more than that it did not understand.
    const auto refusal = [this](const QString &q) {
        const HttpResult r = search(u"alice"_qs, q);
        return QStringList{QString::number(r.status), r.json[u"error"].toString(),
                           r.json[u"reason"].toString()};
    };
    QCOMPARE(refusal(u"a* b* c* d* e* f* g* h* i*"_qs),
             (QStringList{u"400"_qs, u"bad_query"_qs, u"too_many_prefixes"_qs}));
    QCOMPARE(refusal(u"w "_qs.repeated(33)),
             (QStringList{u"400"_qs, u"bad_query"_qs, u"too_many_terms"_qs}));
    QCOMPARE(refusal(QString(1001, u'a')),
             (QStringList{u"400"_qs, u"bad_query"_qs, u"too_long"_qs}));
    // Malformed: no reason, as §10 has it.
    QCOMPARE(refusal(u"deploy before:yesterday"_qs),
             (QStringList{u"400"_qs, u"bad_query"_qs, QString()}));
    // Eight different prefixes are still a search.
    QCOMPARE(search(u"alice"_qs, u"a* b* c* d* e* f* g* h*"_qs).status, 200);
}

namespace {

// A natterd with alice and bob in "general" and the given config; their tokens.
bool startWithConfig(NatterdProcess &server, QTemporaryDir &dir, const QByteArray &config)
{
    QFile file(dir.filePath(u"natterd.conf"_qs));
    if (!file.open(QIODevice::WriteOnly) || file.write(config) != config.size())
        return false;
    file.close();
    return server.addUser(u"alice"_qs, u"alice-pw"_qs) && server.addUser(u"bob"_qs, u"bob-pw"_qs)
        && server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs})
        && server.start({u"--config"_qs, file.fileName()});
}

HttpResult searchAs(HttpTestClient &http, const QString &token, const QString &q)
{
    return http.request("GET", u"/api/v1/search?q="_qs + q, {}, token.toUtf8());
}

} // namespace

void tst_Search::searchesOfOneUserAreLimited()
{
    QTemporaryDir dir;
    NatterdProcess server;
    QVERIFY2(startWithConfig(server, dir, "search_per_second = 0.01\nsearch_burst = 3\n"),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(searchAs(http, alice, u"deploy"_qs).status, 200);
    // The fourth in a row is refused with the time to wait, as the desktop shows it.
    const HttpResult refused = searchAs(http, alice, u"deploy"_qs);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.json[u"error"].toString(), u"rate_limited"_qs);
    QVERIFY(refused.header("Retry-After").toInt() >= 1);
    QVERIFY(refused.json[u"retry_after"].toInt() >= 1);
    // Another user is not held back by alice's searches.
    QCOMPARE(searchAs(http, bob, u"deploy"_qs).status, 200);
}

void tst_Search::searchesTogetherTakeAtMostTheirShare()
{
    // A share so small that one search uses it up: the next, by anyone, waits.
    QTemporaryDir dir;
    NatterdProcess server;
    QVERIFY2(startWithConfig(server, dir, "search_share = 0.00001\n"),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    QCOMPARE(searchAs(http, alice, u"deploy*"_qs).status, 200);
    const HttpResult busy = searchAs(http, bob, u"deploy"_qs);
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.json[u"error"].toString(), u"busy"_qs);
    QVERIFY(busy.header("Retry-After").toInt() >= 1);
    QTRY_VERIFY(server.log().contains("event=search_refused reason=busy"));
    // The rest of the server is not: bob still signs in and sends.
    WsTestClient ws;
    QVERIFY(ws.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = ws.authenticate(bob);
    QVERIFY(!connected.isEmpty());
    ws.sendJson({{u"type"_qs, u"send"_qs},
                 {u"channel"_qs, connected[u"channels"][0][u"id"].toString()},
                 {u"client_msg_id"_qs, u"b1"_qs},
                 {u"text"_qs, u"hello"_qs}});
    QVERIFY(!ws.take(u"ack"_qs).isEmpty());
}

void tst_Search::oneUserCannotTakeTheWholeShare()
{
    // A review: one user within the rate (2 a second) running the costliest
    // query natterd accepts took the shared budget, and everyone else got 503.
    // A user's share so small that one search uses it up: alice waits, bob
    // (and the shared budget) do not.
    QTemporaryDir dir;
    NatterdProcess server;
    QVERIFY2(startWithConfig(server, dir, "search_user_share = 0.00001\n"),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    QCOMPARE(searchAs(http, alice, u"deploy*"_qs).status, 200);
    const HttpResult refused = searchAs(http, alice, u"deploy"_qs);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.json[u"error"].toString(), u"rate_limited"_qs);
    QVERIFY(refused.header("Retry-After").toInt() >= 1);
    QCOMPARE(searchAs(http, bob, u"deploy"_qs).status, 200);
}

namespace {

// Adds `count` messages by `author` to `channel`, straight into the SQLite file
// of a natterd that is not running (the search triggers queue them; natterd
// indexes them when it opens the file). Each holds eight words, one for each
// of the letters a to h, out of about a thousand per letter.
bool fillChannel(const QString &databasePath, const QString &channel, const QString &author,
                 int count)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"fill"_qs);
        db.setDatabaseName(databasePath);
        QSqlQuery q(db);
        ok = db.open() && q.exec(u"BEGIN"_qs)
            && q.exec(u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                      "WHERE i < %1) "
                      "INSERT INTO messages (id, channel_id, seq, ev, author_id, text, ts, "
                      "client_msg_id) "
                      "SELECT 'fill-' || i, c.id, c.last_seq + i, c.last_ev + i, u.id, "
                      "printf('a%d b%d c%d d%d e%d f%d g%d h%d', i % 997, i % 991, i % 983, "
                      "i % 977, i % 971, i % 967, i % 953, i % 947), "
                      "1700000000000 + i, 'fill-' || i "
                      "FROM n, channels c, users u WHERE c.name = '%2' AND u.username = '%3'"_qs
                          .arg(count)
                          .arg(channel, author))
            && q.numRowsAffected() == count
            && q.exec(u"UPDATE channels SET last_seq = last_seq + %1, last_ev = last_ev + %1 "
                      "WHERE name = '%2'"_qs.arg(count)
                          .arg(channel))
            && q.exec(u"COMMIT"_qs);
    }
    QSqlDatabase::removeDatabase(u"fill"_qs);
    return ok;
}

} // namespace

void tst_Search::aCostlySearchHoldsUpNoSends()
{
    // An audit: on SQLite a search ran on the event loop, and the costliest
    // query natterd accepts (eight one-letter prefixes) held it for as long as
    // it took, about 0.2 s over a few hundred thousand messages: nobody's send
    // was read, acknowledged or delivered meanwhile. alice searches a channel
    // of 150,000 messages she is not in (every match is walked and left out)
    // while she keeps sending, each message once the last is acknowledged.
    QTemporaryDir dir;
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs) && server.addUser(u"bob"_qs, u"bob-pw"_qs)
            && server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs})
            && server.addChannel(u"archive"_qs, {u"bob"_qs}));
    QVERIFY(fillChannel(QDir(server.dataDir()).filePath(u"natterd.sqlite"_qs), u"archive"_qs,
                        u"bob"_qs, 150000));
    // Unlimited searches and sends: this is about what one search does to everyone else.
    QFile config(dir.filePath(u"natterd.conf"_qs));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("search_per_second = 1000\nsearch_burst = 1000\nsearch_share = 1\n"
                 "search_user_share = 1\nrate_limit_per_second = 1000\nrate_limit_burst = 1000\n"
                 "user_rate_limit_per_second = 1000\nuser_rate_limit_burst = 1000\n");
    config.close();
    QVERIFY2(server.start({u"--config"_qs, config.fileName()}), qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    const QString costly = u"a*%20b*%20c*%20d*%20e*%20f*%20g*%20h*"_qs;
    // bob is in the channel: the messages are there to be found.
    const HttpResult found = searchAs(http, bob, costly);
    QCOMPARE(found.status, 200);
    QCOMPARE(found.json[u"results"].toArray().size(), 20);

    WsTestClient ws;
    QVERIFY(ws.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = ws.authenticate(alice);
    QVERIFY(!connected.isEmpty());
    const QString general = connected[u"channels"][0][u"id"].toString();
    int sent = 0;
    int acked = 0;
    int ackedAtDelete = -1;
    QString firstId;
    bool searching = true;
    auto sendNext = [&] {
        ws.sendJson({{u"type"_qs, u"send"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"m%1"_qs.arg(++sent)},
                     {u"text"_qs, u"still here"_qs}});
    };
    connect(&ws, &WsTestClient::frameArrived, this, [&] {
        while (ws.has(u"ack"_qs)) {
            const QJsonObject ack = ws.take(u"ack"_qs, 0);
            if (++acked == 1)
                firstId = ack[u"message"][u"id"].toString();
            if (!searching)
                continue;
            // Once the search reads, a delete: its erasure asks for a TRUNCATE
            // checkpoint, which must not wait for the search holding SQLite's
            // write lock (it would stop every write until the search ended).
            if (acked == 20) {
                ackedAtDelete = acked;
                ws.sendJson({{u"type"_qs, u"delete"_qs},
                             {u"ref"_qs, u"d"_qs},
                             {u"channel"_qs, general},
                             {u"id"_qs, firstId}});
            }
            sendNext();
        }
    });
    sendNext();
    const HttpResult none = searchAs(http, alice, costly);
    searching = false;
    const int ackedWhileSearching = acked;
    qInfo("%d acks while the search ran", ackedWhileSearching);
    QCOMPARE(none.status, 200);
    QCOMPARE(none.json[u"results"].toArray().size(), 0); // not her channel
    // Before, one ack at most came while the search held the event loop.
    QVERIFY2(ackedWhileSearching >= 25,
             qPrintable(u"%1 acks while the search ran"_qs.arg(ackedWhileSearching)));
    QVERIFY(ackedAtDelete > 0);
    QVERIFY2(ackedWhileSearching - ackedAtDelete >= 5,
             qPrintable(u"%1 acks after the delete"_qs.arg(ackedWhileSearching - ackedAtDelete)));
    // One user has at most two searches waiting at once; the third is told to wait.
    QNetworkAccessManager nam;
    QList<QNetworkReply *> costlyAtOnce;
    for (int i = 0; i < 3; ++i) {
        QUrl url = server.httpUrl();
        url.setPath(u"/api/v1/search"_qs);
        url.setQuery(u"q="_qs + costly);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + alice.toUtf8());
        costlyAtOnce << nam.get(request);
    }
    QList<int> statuses;
    for (QNetworkReply *reply : costlyAtOnce) {
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
        statuses << reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    qDeleteAll(costlyAtOnce);
    std::sort(statuses.begin(), statuses.end());
    QCOMPARE(statuses, (QList<int>{200, 200, 429}));
    QTRY_COMPARE(acked, sent); // and every send is acknowledged
}

QTEST_GUILESS_MAIN(tst_Search)
#include "tst_search.moc"
