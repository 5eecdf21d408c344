// Upgrading a data directory written by the previous release (natterd 0.1.0,
// schema 2, protocol v1) in place: the fixture tests/server/data/
// natterd-v0.1.0-schema2.sql is that release's own database, made by running
// it (see the file's header). The store migrates it: every v1 row is
// unchanged, existing messages become rev 1 of kind user with an ev strictly
// increasing per channel, channels' last_ev is their highest ev (§6). And the
// real natterd starts on that data directory, lets the old users in with their
// old passwords and serves the old messages.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

using namespace Natter::Server;

namespace {

// Ids in the fixture (random when the old natterd made them).
const QString kGeneral = u"a15ce0960f7c0847"_qs;
const QString kRandom = u"9283a6272bdfe435"_qs;
const QString kDave = u"66271fcbf265257c"_qs;
const QString kCarol = u"45631ce848f6c869"_qs;
const QString kDaveActiveFamily = u"431a7b315b91bdd9b4eff0a0"_qs;

// The v1 tables and columns, each ordered by its key: what the upgrade must
// leave exactly as it was.
const char *const kV1Tables[] = {
    "SELECT id, username, display_name, password_hash, disabled, created_at, last_seen "
    "FROM users ORDER BY id",
    "SELECT id, name, kind, direct_key, last_seq, created_at FROM channels ORDER BY id",
    "SELECT channel_id, user_id, last_read_seq FROM memberships ORDER BY channel_id, user_id",
    "SELECT id, channel_id, seq, author_id, text, ts, client_msg_id FROM messages ORDER BY id",
    "SELECT id, user_id, device_name, revoked, created_at FROM token_families ORDER BY id",
    "SELECT token_hash, family_id, used, expires_at FROM refresh_tokens ORDER BY token_hash",
};

// Runs `work` on a connection of its own to the database at `path`.
template<typename Work> void withDatabase(const QString &path, Work work)
{
    const QString name = u"upgrade-raw"_qs;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, name);
        db.setDatabaseName(path);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        work(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

// Replays the SQL dump into a new database at `path`. The dump has one
// statement per line, except that string literals may span lines: a statement
// is complete at a line ending in ';' outside quotes ('' escapes a quote, so
// an even count of quotes means outside).
bool loadFixture(const QString &path)
{
    QFile dump(QFINDTESTDATA("data/natterd-v0.1.0-schema2.sql"));
    if (!dump.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    const QStringList lines = QString::fromUtf8(dump.readAll()).split(u'\n');
    bool ok = true;
    withDatabase(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        QString statement;
        int statements = 0;
        for (const QString &line : lines) {
            if (statement.isEmpty() && (line.startsWith(u"--") || line.isEmpty()))
                continue;
            statement += statement.isEmpty() ? line : u'\n' + line;
            if (!statement.endsWith(u';') || statement.count(u'\'') % 2 != 0)
                continue;
            if (!q.exec(statement)) {
                qWarning("fixture statement failed: %s", qPrintable(q.lastError().text()));
                ok = false;
                return;
            }
            statement.clear();
            ++statements;
        }
        ok = statement.isEmpty() && statements > 10;
    });
    return ok;
}

// Every v1 row, as text, table by table.
QStringList snapshotV1(const QString &path)
{
    QStringList rows;
    withDatabase(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        for (const char *select : kV1Tables) {
            QVERIFY2(q.exec(QLatin1String(select)), qPrintable(q.lastError().text()));
            while (q.next()) {
                QStringList values;
                for (int i = 0; i < q.record().count(); ++i)
                    values << (q.isNull(i) ? u"NULL"_qs : q.value(i).toString());
                rows << QString::fromLatin1(select).section(u" FROM "_qs, 1, 1).section(u' ', 0, 0)
                        + u": "_qs + values.join(u'|');
            }
        }
    });
    return rows;
}

int userVersion(const QString &path)
{
    int version = -1;
    withDatabase(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (q.exec(u"PRAGMA user_version"_qs) && q.next())
            version = q.value(0).toInt();
    });
    return version;
}

} // namespace

class tst_SchemaUpgrade : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storeUpgradesThePreviousReleasesDataInPlace();
    void natterdServesTheUpgradedDataDirectory();
    void usernamesDifferingOnlyByCaseSurviveTheUpgrade();
    void schema4DataDirectoryTakesReactionsRepliesAndMentions();
    void schema5DataDirectoryTakesChannelsPeopleCreate();
    void schema6DataDirectoryIndexesItsMessagesForSearch();
};

void tst_SchemaUpgrade::storeUpgradesThePreviousReleasesDataInPlace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"natterd.sqlite"_qs);
    QVERIFY(loadFixture(path));
    QCOMPARE(userVersion(path), 2);
    const QStringList before = snapshotV1(path);
    QCOMPARE(before.filter(u"messages: "_qs).size(), 6);
    QCOMPARE(before.filter(u"users: "_qs).size(), 4);

    {
        SqliteChatStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), SqliteSchema::kVersion);

        // Messages: rev 1, kind user, live, never edited; ev strictly increasing
        // per channel in seq order; the channel's last_ev is its highest ev.
        for (const auto &[channelId, count] : {std::pair{kGeneral, 5}, std::pair{kRandom, 1}}) {
            const auto messages = store.history(channelId, 0, 100).value();
            QCOMPARE(messages.size(), count);
            qint64 previousEv = 0;
            for (const StoredMessage &m : messages) {
                QCOMPARE(m.rev, 1);
                QCOMPARE(m.kind, u"user"_qs);
                QVERIFY(!m.deleted);
                QVERIFY(!m.editedAt.isValid());
                QVERIFY(m.ev > previousEv);
                previousEv = m.ev;
            }
            const auto channel = store.channelById(channelId);
            QVERIFY(channel);
            QCOMPARE(channel->lastEv, previousEv);
            QCOMPARE(channel->lastSeq, count);
            // A client resuming with last_ev = the channel's last_ev has nothing to fetch.
            QVERIFY(store.changedSince(channelId, channel->lastEv, channel->lastSeq, 1000)
                        .value()
                        .isEmpty());
        }
        QCOMPARE(store.history(kGeneral, 0, 100).value()[3].text,
                 u"A second line\nfollows here"_qs);
        QCOMPARE(store.history(kGeneral, 0, 100).value()[4].text,
                 u"dave's message, with 'quotes'; and a semicolon"_qs);

        // Users and tokens: nobody became an admin, carol stays disabled, dave's
        // login from the old release still holds, the revoked families stay revoked.
        for (const StoredUser &u : store.users({}, {}, 100, true).value()) {
            QVERIFY(!u.admin);
            QCOMPARE(u.disabled, u.id == kCarol);
        }
        QCOMPARE(store.userById(kDave)->displayName, u"Dave O'Brien"_qs);
        QVERIFY(store.familyActive(kDaveActiveFamily).value());
        QVERIFY(!store.familyActive(u"011d7b6281362917d0d6c2cf"_qs).value());
        const auto token = store.refreshToken(QByteArray::fromHex(
            "2BCC9E1E93D8A1B1D64B168860F363DEF8FFC4A6E405BC2AE008852C2ED557FF"));
        QVERIFY(token);
        QCOMPARE(token->familyId, kDaveActiveFamily);
        QCOMPARE(token->userId, kDave);
        QVERIFY(!token->used);
        QVERIFY(!token->familyRevoked);

        store.close();
    }

    // The upgrade added to the v1 tables; it changed and dropped nothing.
    QCOMPARE(snapshotV1(path), before);

    // The first v2 changes take the next ev.
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    const StoredMessage first = store.history(kGeneral, 0, 100).value().first();
    const auto edited = store.editMessage(kGeneral, first.id, u"edited after upgrade"_qs, {}, {});
    QVERIFY(edited);
    QCOMPARE(edited->rev, 2);
    QCOMPARE(edited->ev, 6);
    QCOMPARE(store.channelById(kGeneral)->lastEv, 6);
    StoredMessage next;
    next.channel = kRandom;
    next.author = kDave;
    next.text = u"new"_qs;
    next.clientMsgId = u"after-upgrade"_qs;
    QVERIFY(store.appendMessage(&next));
    QCOMPARE(next.seq, 2);
    QCOMPARE(next.ev, 2);
}

void tst_SchemaUpgrade::natterdServesTheUpgradedDataDirectory()
{
    NatterdProcess server;
    QVERIFY(loadFixture(server.dataDir() + u"/natterd.sqlite"_qs));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.log().contains("event=schema_migrated from=2 to=3"));
    HttpTestClient http(server.httpUrl());
    // dave signs in with the password the old release hashed; carol stays disabled.
    const HttpResult login = http.login(u"dave"_qs, u"dave-pw-1"_qs);
    QCOMPARE(login.status, 200);
    QCOMPARE(login.json[u"user"][u"display_name"].toString(), u"Dave O'Brien"_qs);
    QCOMPARE(http.login(u"carol"_qs, u"anything"_qs).status, 401);
    WsTestClient dave;
    QVERIFY(dave.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = dave.authenticate(login.json[u"access_token"].toString());
    QVERIFY(!connected.isEmpty());
    const QJsonArray channels = connected[u"channels"].toArray();
    QCOMPARE(channels.size(), 1); // dave joined general only
    QCOMPARE(channels[0][u"id"].toString(), kGeneral);
    QCOMPARE(channels[0][u"last_seq"].toInteger(), 5);
    QVERIFY(!dave.take(u"resumed"_qs).isEmpty());
    dave.sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, kGeneral}});
    const QJsonObject history = dave.take(u"history"_qs);
    const QJsonArray messages = history[u"messages"].toArray();
    QStringList texts;
    for (const QJsonValue &m : messages)
        texts << m[u"text"].toString();
    QCOMPARE(texts,
             (QStringList{u"Hello from the previous release"_qs, u"Hi alice, it's bob"_qs,
                          u"Unicode: grüße, 日本語, emoji 🎉"_qs, u"A second line\nfollows here"_qs,
                          u"dave's message, with 'quotes'; and a semicolon"_qs}));
    QCOMPARE(messages[4][u"seq"].toInteger(), 5);
    QCOMPARE(messages[4][u"author"].toString(), kDave);
    // And the upgraded directory takes new messages after the old ones.
    dave.sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, u"s"_qs},
                   {u"channel"_qs, kGeneral},
                   {u"client_msg_id"_qs, u"after-upgrade"_qs},
                   {u"text"_qs, u"hello from v2"_qs}});
    const QJsonObject ack = dave.take(u"ack"_qs);
    QCOMPARE(ack[u"message"][u"seq"].toInteger(), 6);
}

// An older natterd let `DAVE` in beside `dave`. Schema 4 makes usernames unique
// case-insensitively, yet the upgrade must not fail on that: natterd starts,
// names the clash in a warning, both accounts log in with their exact names,
// and no third spelling can be added.
void tst_SchemaUpgrade::usernamesDifferingOnlyByCaseSurviveTheUpgrade()
{
    NatterdProcess server;
    const QString path = server.dataDir() + u"/natterd.sqlite"_qs;
    QVERIFY(loadFixture(path));
    withDatabase(path, [](QSqlDatabase &db) {
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"INSERT INTO users (id, username, display_name, password_hash, "
                        "created_at) SELECT 'dave2', 'DAVE', 'Other Dave', password_hash, "
                        "created_at FROM users WHERE username = 'dave'"_qs),
                 qPrintable(q.lastError().text()));
    });
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.log().contains("event=schema_migrated from=3 to=4"));
    const QByteArray log = server.log();
    QVERIFY2(log.contains("level=warning cat=natter.server.store event=username_clash "
                          "users=dave,DAVE ")
                 || log.contains("level=warning cat=natter.server.store event=username_clash "
                                 "users=DAVE,dave "),
             log.constData());
    HttpTestClient http(server.httpUrl());
    const HttpResult dave = http.login(u"dave"_qs, u"dave-pw-1"_qs);
    QCOMPARE(dave.status, 200);
    QCOMPARE(dave.json[u"user"][u"id"].toString(), kDave);
    const HttpResult other = http.login(u"DAVE"_qs, u"dave-pw-1"_qs);
    QCOMPARE(other.status, 200);
    QCOMPARE(other.json[u"user"][u"id"].toString(), u"dave2"_qs);
    QCOMPARE(server.admin({u"user"_qs, u"add"_qs, u"Dave"_qs}, "pw\npw\n"), 1);
    QVERIFY(server.lastAdminOutput().contains("already exists"));
}

// A data directory of the release before reactions (schema 4): natterd upgrades
// it to 5 in place, the old messages have no reactions, mentions or reply, and
// they take reactions and replies; a mention is counted (§7).
void tst_SchemaUpgrade::schema4DataDirectoryTakesReactionsRepliesAndMentions()
{
    NatterdProcess server;
    const QString path = server.dataDir() + u"/natterd.sqlite"_qs;
    QVERIFY(loadFixture(path));
    {
        SqliteChatStore old(path, 4);
        QString error;
        QVERIFY2(old.open(&error), qPrintable(error));
        QCOMPARE(old.schemaVersion(), 4);
        old.close();
    }
    withDatabase(path, [](QSqlDatabase &db) {
        QVERIFY(!db.tables().contains(u"reactions"_qs));
        QVERIFY(!db.record(u"messages"_qs).contains(u"reply_to"_qs));
    });
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.log().contains("event=schema_migrated from=4 to=5"));
    QVERIFY(!server.log().contains("event=schema_migrated from=3 to=4"));
    HttpTestClient http(server.httpUrl());
    const HttpResult login = http.login(u"dave"_qs, u"dave-pw-1"_qs);
    QCOMPARE(login.status, 200);
    WsTestClient dave;
    QVERIFY(dave.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = dave.authenticate(login.json[u"access_token"].toString());
    QVERIFY(!connected.isEmpty());
    QCOMPARE(connected[u"channels"][0][u"mention_count"].toInteger(), 0);
    QCOMPARE(connected[u"channels"][0][u"last_ev"].toInteger(), 5);
    QVERIFY(!dave.take(u"resumed"_qs).isEmpty());
    dave.sendJson({{u"type"_qs, u"history"_qs}, {u"ref"_qs, u"h"_qs}, {u"channel"_qs, kGeneral}});
    const QJsonArray messages = dave.take(u"history"_qs)[u"messages"].toArray();
    QCOMPARE(messages.size(), 5);
    for (const QJsonValue &m : messages) {
        QCOMPARE(m[u"reactions"], QJsonValue(QJsonArray()));
        QCOMPARE(m[u"mentions"], QJsonValue(QJsonArray()));
        QVERIFY(m[u"reply_to"].isNull());
    }
    const QJsonObject old = messages[1].toObject();
    dave.sendJson({{u"type"_qs, u"react"_qs},
                   {u"ref"_qs, u"r"_qs},
                   {u"channel"_qs, kGeneral},
                   {u"id"_qs, old[u"id"]},
                   {u"emoji"_qs, u"👍"_qs},
                   {u"on"_qs, true}});
    const QJsonObject reacted = dave.take(u"message_updated"_qs)[u"message"].toObject();
    QCOMPARE(reacted[u"rev"].toInteger(), 2);
    QCOMPARE(reacted[u"ev"].toInteger(), 6);
    QCOMPARE(reacted[u"reactions"][0][u"users"], QJsonValue(QJsonArray{kDave}));
    dave.sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, u"s"_qs},
                   {u"channel"_qs, kGeneral},
                   {u"client_msg_id"_qs, u"after-upgrade"_qs},
                   {u"text"_qs, u"@dave no, but @bob yes"_qs},
                   {u"reply_to"_qs, old[u"id"]}});
    const QJsonObject ack = dave.take(u"ack"_qs)[u"message"].toObject();
    QCOMPARE(ack[u"seq"].toInteger(), 6);
    QCOMPARE(ack[u"reply_to"][u"excerpt"].toString(), u"Hi alice, it's bob"_qs);
    QCOMPARE(ack[u"mentions"].toArray().size(), 1);
    QVERIFY(ack[u"mentions"][0].toString() != kDave);
}

// A data directory of the release before §8 (schema 5): natterd upgrades it to 6
// in place; the operator's channels are public, without owner or topic, not
// archived, every member notified of `all`; they are in the directory, their
// names are taken, and they take notify and channel_create beside them.
void tst_SchemaUpgrade::schema5DataDirectoryTakesChannelsPeopleCreate()
{
    NatterdProcess server;
    const QString path = server.dataDir() + u"/natterd.sqlite"_qs;
    QVERIFY(loadFixture(path));
    {
        SqliteChatStore old(path, 5);
        QString error;
        QVERIFY2(old.open(&error), qPrintable(error));
        QCOMPARE(old.schemaVersion(), 5);
        old.close();
    }
    withDatabase(path, [](QSqlDatabase &db) {
        QVERIFY(!db.record(u"channels"_qs).contains(u"visibility"_qs));
    });
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.log().contains("event=schema_migrated from=5 to=6"));
    QVERIFY(!server.log().contains("event=schema_migrated from=4 to=5"));
    HttpTestClient http(server.httpUrl());
    const HttpResult login = http.login(u"dave"_qs, u"dave-pw-1"_qs);
    QCOMPARE(login.status, 200);
    WsTestClient dave;
    QVERIFY(dave.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = dave.authenticate(login.json[u"access_token"].toString());
    QVERIFY(!connected.isEmpty());
    const QJsonObject general = connected[u"channels"][0].toObject();
    QCOMPARE(general[u"id"].toString(), kGeneral);
    QCOMPARE(general[u"visibility"].toString(), u"public"_qs);
    QVERIFY(general[u"owner"].isNull());
    QCOMPARE(general[u"topic"].toString(u"?"_qs), QString());
    QCOMPARE(general[u"archived"].toBool(true), false);
    QCOMPARE(general[u"notify"].toString(), u"all"_qs);
    QCOMPARE(general[u"last_seq"].toInteger(), 5);
    QVERIFY(!dave.take(u"resumed"_qs).isEmpty());
    dave.sendJson({{u"type"_qs, u"notify"_qs},
                   {u"ref"_qs, u"n"_qs},
                   {u"channel"_qs, kGeneral},
                   {u"level"_qs, u"none"_qs}});
    QCOMPARE(dave.take(u"channel"_qs)[u"channel"][u"notify"].toString(), u"none"_qs);
    dave.sendJson({{u"type"_qs, u"channel_create"_qs},
                   {u"ref"_qs, u"c"_qs},
                   {u"name"_qs, u"random"_qs},
                   {u"visibility"_qs, u"public"_qs}});
    QCOMPARE(dave.take(u"error"_qs)[u"code"].toString(), u"name_taken"_qs);
    dave.sendJson({{u"type"_qs, u"channel_create"_qs},
                   {u"ref"_qs, u"c2"_qs},
                   {u"name"_qs, u"after-upgrade"_qs},
                   {u"visibility"_qs, u"public"_qs}});
    QCOMPARE(dave.take(u"channel"_qs)[u"channel"][u"name"].toString(), u"after-upgrade"_qs);
    const HttpResult listed = http.request("GET", u"/api/v1/channels"_qs, {},
                                           login.json[u"access_token"].toString().toUtf8());
    QCOMPARE(listed.status, 200);
    QStringList names;
    for (const QJsonValue &c : listed.json[u"channels"].toArray())
        names << c[u"name"].toString();
    QCOMPARE(names, (QStringList{u"after-upgrade"_qs, u"general"_qs, u"random"_qs}));
}

void tst_SchemaUpgrade::schema6DataDirectoryIndexesItsMessagesForSearch()
{
    // §10: the migration to schema 7 indexes the messages already there, in
    // the order they were sent, and the index follows changes from then on.
    NatterdProcess server;
    const QString path = server.dataDir() + u"/natterd.sqlite"_qs;
    QVERIFY(loadFixture(path));
    {
        SqliteChatStore old(path, 6);
        QString error;
        QVERIFY2(old.open(&error), qPrintable(error));
        QCOMPARE(old.schemaVersion(), 6);
        old.close();
    }
    withDatabase(path, [](QSqlDatabase &db) { QVERIFY(!db.tables().contains(u"search_docs"_qs)); });
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QVERIFY(server.log().contains("event=schema_migrated from=6 to=7"));
    QVERIFY(!server.log().contains("event=schema_migrated from=5 to=6"));
    HttpTestClient http(server.httpUrl());
    const QByteArray token =
        http.login(u"dave"_qs, u"dave-pw-1"_qs).json[u"access_token"].toString().toUtf8();
    QVERIFY(!token.isEmpty());
    const auto found = [&](const QString &q) {
        const HttpResult r = http.request("GET",
                                          u"/api/v1/search?limit=50&q="_qs
                                              + QString::fromLatin1(QUrl::toPercentEncoding(q)),
                                          {}, token);
        QStringList texts;
        for (const QJsonValue &hit : r.json[u"results"].toArray())
            texts << hit[u"message"][u"text"].toString();
        return r.status == 200 ? texts : QStringList{u"<%1>"_qs.arg(r.status)};
    };
    QCOMPARE(found(u"previous release"_qs), QStringList{u"Hello from the previous release"_qs});
    QCOMPARE(found(u"grusse"_qs), QStringList{});
    QCOMPARE(found(u"gruße"_qs), QStringList{u"Unicode: grüße, 日本語, emoji 🎉"_qs});
    QCOMPARE(found(u"from:dave"_qs),
             QStringList{u"dave's message, with 'quotes'; and a semicolon"_qs});
    // dave reads #general only: #random's message is indexed but not his.
    QCOMPARE(found(u"random"_qs), QStringList{});
    // Every old message of #general, newest first (seq 5 down to 1).
    const QStringList all = found(u"-nothingmatchesthis"_qs);
    QCOMPARE(all.size(), 5);
    QCOMPARE(all.first(), u"dave's message, with 'quotes'; and a semicolon"_qs);
    QCOMPARE(all.last(), u"Hello from the previous release"_qs);
    withDatabase(path, [](QSqlDatabase &db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM search_docs"_qs) && q.next());
        QCOMPARE(q.value(0).toInt(), 6); // the fixture's six user messages
    });
}

QTEST_GUILESS_MAIN(tst_SchemaUpgrade)
#include "tst_SchemaUpgrade.moc"
