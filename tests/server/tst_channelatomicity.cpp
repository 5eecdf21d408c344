// A channel event is stored whole or not at all (ChatStore::Atomic), on SQLite
// and (as tst_channelatomicity_postgres) on PostgreSQL.
//
// A channel event is several writes: a rename is the new name and its
// `renamed` system message; a new channel is the channel, its `created`
// message and its members. When one of them failed after the first had been
// made (a full disk, PostgreSQL going away), the first stayed: a rename was
// made and nobody was told, and trying again found nothing to change; a
// channel was made without its members, and trying again was answered "That
// name is taken" for a channel nobody could see. The same for the admin
// CLI's `channel add`.
//
// The failure is real: the test gives the database a trigger that makes the
// one write fail (SQLite: an integer overflow, PostgreSQL: RAISE EXCEPTION),
// against the real natterd and its real database, and takes it away again.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "PostgresProcess.h"
#include "SignedInClient.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

class tst_ChannelAtomicity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aRenameWhoseMessageCannotBeStoredIsNotMade();
    void aChannelWhoseMembersCannotBeStoredIsNotMade();
    void theCliAddsAChannelWholeOrNotAtAll();

private:
    // Makes every insert into `table` for which `condition` (SQL on NEW,
    // the same in both dialects) holds fail, as a storage failure would.
    bool refuse(const QString &table, const QString &condition);
    // Takes that trigger away again.
    bool allow(const QString &table);
    // Runs `sql` on natterd's database from this process.
    bool runSql(const QString &sql);
    // The channel names `natterd channel list` prints.
    QStringList channelNames();
    // A round trip: everything natterd sent `client` before the pong has arrived.
    static void sync(WsTestClient &client);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_bobId;
    QString m_error;
    int m_pings = 0;
};

void tst_ChannelAtomicity::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    m_bobId = m_http->login(u"bob"_qs, u"bob-pw"_qs).json[u"user"][u"id"].toString();
    QVERIFY(!m_bobId.isEmpty());
}

bool tst_ChannelAtomicity::runSql(const QString &sql)
{
    if (PostgresProcess *postgres = m_server.postgres()) {
        if (postgres->runSql(sql, u"natter"_qs))
            return true;
        m_error = postgres->errorString();
        return false;
    }
    bool done = false;
    {
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"atomicity"_qs);
        db.setDatabaseName(m_server.dataDir() + u"/natterd.sqlite"_qs);
        // natterd may hold the write lock for a commit.
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_qs);
        if (db.open()) {
            QSqlQuery q(db);
            done = q.exec(sql);
            if (!done)
                m_error = q.lastError().text();
        } else {
            m_error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"atomicity"_qs);
    return done;
}

bool tst_ChannelAtomicity::refuse(const QString &table, const QString &condition)
{
    if (m_server.postgres()) {
        return runSql(u"CREATE FUNCTION natter_test_refuse() RETURNS trigger LANGUAGE plpgsql "
                      "AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"_qs)
            && runSql(u"CREATE TRIGGER natter_test_refuse BEFORE INSERT ON %1 FOR EACH ROW "
                      "WHEN (%2) EXECUTE FUNCTION natter_test_refuse()"_qs.arg(table, condition));
    }
    // abs() of the smallest integer fails at run time with "integer overflow"
    // (SQLITE_ERROR): a failed write, not a broken constraint.
    return runSql(u"CREATE TRIGGER natter_test_refuse BEFORE INSERT ON %1 WHEN %2 "
                  "BEGIN SELECT abs(-9223372036854775808); END"_qs.arg(table, condition));
}

bool tst_ChannelAtomicity::allow(const QString &table)
{
    if (m_server.postgres()) {
        return runSql(u"DROP TRIGGER natter_test_refuse ON %1"_qs.arg(table))
            && runSql(u"DROP FUNCTION natter_test_refuse()"_qs);
    }
    return runSql(u"DROP TRIGGER natter_test_refuse"_qs);
}

QStringList tst_ChannelAtomicity::channelNames()
{
    if (m_server.admin({u"channel"_qs, u"list"_qs}) != 0)
        return {u"(channel list failed)"_qs};
    QStringList names;
    for (const QByteArray &line : m_server.lastAdminOutput().split('\n')) {
        if (!line.isEmpty())
            names << QString::fromUtf8(line.left(line.indexOf('\t')));
    }
    return names;
}

void tst_ChannelAtomicity::sync(WsTestClient &client)
{
    client.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!client.take(u"pong"_qs).isEmpty());
}

void tst_ChannelAtomicity::aRenameWhoseMessageCannotBeStoredIsNotMade()
{
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(alice && bob);
    const QString general = alice->channelId(u"general"_qs);
    QVERIFY(!general.isEmpty());
    // alice owns none of them, so she is made an admin (§13: she may rename).
    QCOMPARE(m_server.admin({u"user"_qs, u"promote"_qs, u"alice"_qs}), 0);
    const auto rename = [&](const QString &ref) {
        alice->sendJson({{u"type"_qs, u"channel_update"_qs},
                         {u"ref"_qs, ref},
                         {u"channel"_qs, general},
                         {u"name"_qs, u"everyone"_qs}});
    };

    QVERIFY2(refuse(u"messages"_qs, uR"(NEW.system LIKE '%"renamed"%')"_qs), qPrintable(m_error));
    rename(u"r1"_qs);
    const QJsonObject error = alice->take(u"error"_qs);
    QVERIFY2(allow(u"messages"_qs), qPrintable(m_error));
    QCOMPARE(error[u"ref"].toString(), u"r1"_qs);
    QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs); // "try again in a moment"
    QVERIFY(!alice->has(u"channel"_qs));
    // Nothing changed, so nobody is told anything, and the name is the old one.
    sync(*bob);
    QVERIFY(!bob->has(u"channel"_qs));
    QVERIFY(!bob->has(u"message"_qs));
    QVERIFY(channelNames().contains(u"general"_qs));
    QVERIFY(!channelNames().contains(u"everyone"_qs));

    // Tried again, the rename is made, and everyone hears of it.
    rename(u"r2"_qs);
    const QJsonObject answer = alice->take(u"channel"_qs);
    QCOMPARE(answer[u"ref"].toString(), u"r2"_qs);
    QCOMPARE(answer[u"channel"][u"name"].toString(), u"everyone"_qs);
    QCOMPARE(bob->take(u"channel"_qs)[u"channel"][u"name"].toString(), u"everyone"_qs);
    const QJsonObject told = bob->take(u"message"_qs);
    QCOMPARE(told[u"message"][u"kind"].toString(), u"system"_qs);
    QCOMPARE(told[u"message"][u"system"][u"event"].toString(), u"renamed"_qs);
    QCOMPARE(told[u"message"][u"system"][u"name"].toString(), u"everyone"_qs);
    QVERIFY(channelNames().contains(u"everyone"_qs));
}

void tst_ChannelAtomicity::aChannelWhoseMembersCannotBeStoredIsNotMade()
{
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(alice && bob);
    const auto create = [&](const QString &ref) {
        alice->sendJson({{u"type"_qs, u"channel_create"_qs},
                         {u"ref"_qs, ref},
                         {u"name"_qs, u"plans"_qs},
                         {u"visibility"_qs, u"private"_qs},
                         {u"members"_qs, QJsonArray{m_bobId}}});
    };

    QVERIFY2(refuse(u"memberships"_qs, u"NEW.user_id = '%1'"_qs.arg(m_bobId)), qPrintable(m_error));
    create(u"c1"_qs);
    const QJsonObject error = alice->take(u"error"_qs);
    QVERIFY2(allow(u"memberships"_qs), qPrintable(m_error));
    QCOMPARE(error[u"ref"].toString(), u"c1"_qs);
    QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs);
    sync(*bob);
    QVERIFY(!bob->has(u"channel"_qs));
    // No channel without members is left behind to take the name.
    QVERIFY(!channelNames().contains(u"plans"_qs));

    // Tried again, the channel is made with both, and bob hears of it.
    create(u"c2"_qs);
    const QJsonObject answer = alice->take(u"channel"_qs);
    QCOMPARE(answer[u"ref"].toString(), u"c2"_qs);
    QCOMPARE(answer[u"channel"][u"name"].toString(), u"plans"_qs);
    QCOMPARE(answer[u"channel"][u"members"].toArray().size(), 2);
    QCOMPARE(bob->take(u"channel"_qs)[u"channel"][u"name"].toString(), u"plans"_qs);
    QCOMPARE(channelNames().count(u"plans"_qs), 1);
}

void tst_ChannelAtomicity::theCliAddsAChannelWholeOrNotAtAll()
{
    const QStringList add{u"channel"_qs, u"add"_qs, u"ops"_qs, u"--members"_qs, u"alice,bob"_qs};
    QVERIFY2(refuse(u"memberships"_qs, u"NEW.user_id = '%1'"_qs.arg(m_bobId)), qPrintable(m_error));
    const int refused = m_server.admin(add);
    QVERIFY2(allow(u"memberships"_qs), qPrintable(m_error));
    QCOMPARE(refused, 1);
    QVERIFY(!channelNames().contains(u"ops"_qs));

    QCOMPARE(m_server.admin(add), 0);
    QCOMPARE(channelNames().count(u"ops"_qs), 1);
}

QTEST_GUILESS_MAIN(tst_ChannelAtomicity)
#include "tst_channelatomicity.moc"
