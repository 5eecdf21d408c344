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

#include <algorithm>
#include <functional>

class tst_ChannelAtomicity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aRenameWhoseMessageCannotBeStoredIsNotMade();
    void aChannelWhoseMembersCannotBeStoredIsNotMade();
    void theCliAddsAChannelWholeOrNotAtAll();
    void aDirectConversationWhoseMemberCannotBeStoredIsNotMade();
    void anEventUndoneLeavesTheRestOfItsBatch();

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
    // The name it prints for the channel `id`.
    QString channelNameOf(const QString &id);
    // A round trip: everything natterd sent `client` before the pong has arrived.
    static void sync(WsTestClient &client);
    // The next frame of `type` for which `matches` holds, passing over the
    // others of that type (live frames about other changes: natterd tells
    // the CLI's channels a moment later); empty on timeout.
    static QJsonObject take(WsTestClient &client, const QString &type,
                            const std::function<bool(const QJsonObject &)> &matches);
    // Whether such a frame has arrived (and not been taken); does not wait.
    static bool has(const WsTestClient &client, const QString &type,
                    const std::function<bool(const QJsonObject &)> &matches);

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_bobId;
    QString m_general; // the id of the channel first called general
    QString m_error;
    int m_pings = 0;
};

void tst_ChannelAtomicity::initTestCase()
{
    for (const QString &name : {u"alice"_qs, u"bob"_qs})
        QVERIFY(m_server.addUser(name, name + u"-pw"_qs));
    // alice owns none of the CLI's channels: an admin, she may rename them (§13).
    QCOMPARE(m_server.admin({u"user"_qs, u"promote"_qs, u"alice"_qs}), 0);
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    m_bobId = m_http->login(u"bob"_qs, u"bob-pw"_qs).json[u"user"][u"id"].toString();
    QVERIFY(!m_bobId.isEmpty());
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    QVERIFY(alice);
    m_general = alice->channelId(u"general"_qs);
    QVERIFY(!m_general.isEmpty());
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

QString tst_ChannelAtomicity::channelNameOf(const QString &id)
{
    if (m_server.admin({u"channel"_qs, u"list"_qs}) != 0)
        return {};
    for (const QByteArray &line : m_server.lastAdminOutput().split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() > 1 && QString::fromUtf8(fields.at(1)) == id)
            return QString::fromUtf8(fields.at(0));
    }
    return {};
}

void tst_ChannelAtomicity::sync(WsTestClient &client)
{
    client.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"sync"_qs}});
    QVERIFY(!client.take(u"pong"_qs).isEmpty());
}

QJsonObject tst_ChannelAtomicity::take(WsTestClient &client, const QString &type,
                                       const std::function<bool(const QJsonObject &)> &matches)
{
    for (QJsonObject f = client.take(type); !f.isEmpty(); f = client.take(type)) {
        if (matches(f))
            return f;
    }
    return {};
}

bool tst_ChannelAtomicity::has(const WsTestClient &client, const QString &type,
                               const std::function<bool(const QJsonObject &)> &matches)
{
    const QList<QJsonObject> frames = client.frames();
    return std::any_of(frames.cbegin(), frames.cend(), [&](const QJsonObject &f) {
        return f[u"type"].toString() == type && matches(f);
    });
}

namespace {
std::function<bool(const QJsonObject &)> withRef(const QString &ref)
{
    return [ref](const QJsonObject &f) {
        return f[u"ref"].toString() == ref;
    };
}
// A `channel` frame about the channel `id`.
std::function<bool(const QJsonObject &)> aboutChannel(const QString &id)
{
    return [id](const QJsonObject &f) {
        return f[u"channel"][u"id"].toString() == id;
    };
}
std::function<bool(const QJsonObject &)> namedChannel(const QString &name)
{
    return [name](const QJsonObject &f) {
        return f[u"channel"][u"name"].toString() == name;
    };
}
// A `message` frame in the channel `id`.
std::function<bool(const QJsonObject &)> messageIn(const QString &id)
{
    return [id](const QJsonObject &f) {
        return f[u"message"][u"channel"].toString() == id;
    };
}
} // namespace

void tst_ChannelAtomicity::aRenameWhoseMessageCannotBeStoredIsNotMade()
{
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(alice && bob);
    const QString general = alice->channelId(u"general"_qs);
    QVERIFY(!general.isEmpty());
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
    QVERIFY(!has(*alice, u"channel"_qs, aboutChannel(general)));
    // Nothing changed, so nobody is told anything, and the name is the old one.
    sync(*bob);
    QVERIFY(!has(*bob, u"channel"_qs, aboutChannel(general)));
    QVERIFY(!has(*bob, u"message"_qs, messageIn(general)));
    QVERIFY(channelNames().contains(u"general"_qs));
    QVERIFY(!channelNames().contains(u"everyone"_qs));

    // Tried again, the rename is made, and everyone hears of it.
    rename(u"r2"_qs);
    const QJsonObject answer = take(*alice, u"channel"_qs, withRef(u"r2"_qs));
    QCOMPARE(answer[u"ref"].toString(), u"r2"_qs);
    QCOMPARE(answer[u"channel"][u"name"].toString(), u"everyone"_qs);
    QCOMPARE(take(*bob, u"channel"_qs, aboutChannel(general))[u"channel"][u"name"].toString(),
             u"everyone"_qs);
    const QJsonObject told = take(*bob, u"message"_qs, messageIn(general));
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
    QVERIFY(!has(*bob, u"channel"_qs, namedChannel(u"plans"_qs)));
    // No channel without members is left behind to take the name.
    QVERIFY(!channelNames().contains(u"plans"_qs));

    // Tried again, the channel is made with both, and bob hears of it.
    create(u"c2"_qs);
    const QJsonObject answer = take(*alice, u"channel"_qs, withRef(u"c2"_qs));
    QCOMPARE(answer[u"ref"].toString(), u"c2"_qs);
    QCOMPARE(answer[u"channel"][u"name"].toString(), u"plans"_qs);
    QCOMPARE(answer[u"channel"][u"members"].toArray().size(), 2);
    QVERIFY(!take(*bob, u"channel"_qs, namedChannel(u"plans"_qs)).isEmpty());
    QCOMPARE(channelNames().count(u"plans"_qs), 1);
}

void tst_ChannelAtomicity::theCliAddsAChannelWholeOrNotAtAll()
{
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(bob);
    const QStringList add{u"channel"_qs, u"add"_qs, u"ops"_qs, u"--members"_qs, u"alice,bob"_qs};
    QVERIFY2(refuse(u"memberships"_qs, u"NEW.user_id = '%1'"_qs.arg(m_bobId)), qPrintable(m_error));
    const int refused = m_server.admin(add);
    QVERIFY2(allow(u"memberships"_qs), qPrintable(m_error));
    QCOMPARE(refused, 1);
    QVERIFY(!channelNames().contains(u"ops"_qs));

    QCOMPARE(m_server.admin(add), 0);
    QCOMPARE(channelNames().count(u"ops"_qs), 1);
    // natterd notices it (its change feed) and tells bob, with its `created`.
    const QJsonObject told = take(*bob, u"channel"_qs, namedChannel(u"ops"_qs));
    QVERIFY(!told.isEmpty());
    const QJsonObject created =
        take(*bob, u"message"_qs, messageIn(told[u"channel"][u"id"].toString()));
    QCOMPARE(created[u"message"][u"system"][u"event"].toString(), u"created"_qs);
}

void tst_ChannelAtomicity::aDirectConversationWhoseMemberCannotBeStoredIsNotMade()
{
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(alice && bob);
    const auto dm = [&](const QString &ref) {
        alice->sendJson({{u"type"_qs, u"dm"_qs}, {u"ref"_qs, ref}, {u"user"_qs, m_bobId}});
    };

    QVERIFY2(refuse(u"memberships"_qs, u"NEW.user_id = '%1'"_qs.arg(m_bobId)), qPrintable(m_error));
    dm(u"d1"_qs);
    const QJsonObject error = alice->take(u"error"_qs);
    QVERIFY2(allow(u"memberships"_qs), qPrintable(m_error));
    QCOMPARE(error[u"ref"].toString(), u"d1"_qs);
    // To be tried again (bad_request would say the request was wrong).
    QCOMPARE(error[u"code"].toString(), u"rate_limited"_qs);
    const auto direct = [](const QJsonObject &f) {
        return f[u"channel"][u"visibility"].toString() == u"direct";
    };
    sync(*bob);
    QVERIFY(!has(*bob, u"channel"_qs, direct));
    // No conversation of alice alone is left behind to be found next time.
    QVERIFY(!channelNames().contains(u"alice, bob"_qs));

    dm(u"d2"_qs);
    const QJsonObject answer = take(*alice, u"channel"_qs, withRef(u"d2"_qs));
    QCOMPARE(answer[u"ref"].toString(), u"d2"_qs);
    QCOMPARE(answer[u"channel"][u"visibility"].toString(), u"direct"_qs);
    QCOMPARE(answer[u"channel"][u"members"].toArray().size(), 2);
    QVERIFY(
        !take(*bob, u"channel"_qs, aboutChannel(answer[u"channel"][u"id"].toString())).isEmpty());
}

void tst_ChannelAtomicity::anEventUndoneLeavesTheRestOfItsBatch()
{
    // On SQLite a send and a rename that arrive together share one batch
    // (one transaction per event-loop turn): undoing the rename must not undo
    // the message, which is acked and delivered.
    auto alice = SignedInClient::connect(m_server, *m_http, u"alice"_qs);
    auto bob = SignedInClient::connect(m_server, *m_http, u"bob"_qs);
    QVERIFY(alice && bob);
    const QString general = m_general; // its name depends on the tests before
    const QString name = channelNameOf(general);
    QVERIFY(!name.isEmpty());
    QVERIFY2(refuse(u"messages"_qs, uR"(NEW.system LIKE '%"renamed"%')"_qs), qPrintable(m_error));
    alice->sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"s1"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"kept-1"_qs},
                     {u"text"_qs, u"kept"_qs}});
    alice->sendJson({{u"type"_qs, u"channel_update"_qs},
                     {u"ref"_qs, u"r3"_qs},
                     {u"channel"_qs, general},
                     {u"name"_qs, u"nobody"_qs}});
    const QJsonObject ack = alice->take(u"ack"_qs);
    const QJsonObject error = alice->take(u"error"_qs);
    QVERIFY2(allow(u"messages"_qs), qPrintable(m_error));
    QCOMPARE(ack[u"ref"].toString(), u"s1"_qs);
    QCOMPARE(error[u"ref"].toString(), u"r3"_qs);
    const QJsonObject told = take(*bob, u"message"_qs, messageIn(general));
    QCOMPARE(told[u"message"][u"text"].toString(), u"kept"_qs);
    QCOMPARE(told[u"message"][u"seq"], ack[u"message"][u"seq"]);
    QCOMPARE(channelNameOf(general), name);
}

QTEST_GUILESS_MAIN(tst_ChannelAtomicity)
#include "tst_channelatomicity.moc"
