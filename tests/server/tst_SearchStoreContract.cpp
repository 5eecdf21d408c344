// The search contract every ChatStore backend passes (§10): words, prefixes,
// phrases and exclusions; case and diacritics ignored; only the caller's
// channels (a private channel of others never leaks, not even through in:);
// an edit found by its new words only, a delete and system messages never;
// the filters; newest first with a stable cursor; any parsed input answers
// (never Failed); the index survives a reopen.
//
// Data-driven over a store factory like tst_ChatStoreContract: every case runs
// on SQLite (FTS5) and on PostgreSQL (its own full-text search, on a real
// server this test starts with PostgresProcess, one fresh database per case).
// The query goes through SearchQueryParser, as natterd's handler does.
#include "PostgresProcess.h"
#include "search/SearchQueryParser.h"
#include "store/ChatStore.h"
#include "store/postgres/PgChatStore.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <memory>

using namespace Natter::Server;

namespace {

using StoreFactory = std::function<std::unique_ptr<ChatStore>(const QString &scratch)>;

// The PostgreSQL server of this run (started in initTestCase).
PostgresProcess *postgres = nullptr;

// A database per scratch directory, made the first time it is asked for (a
// reopen within a case finds the same one).
QString databaseFor(const QString &scratch)
{
    const QString name =
        u"s_"_qs
        + QString::fromLatin1(
            QCryptographicHash::hash(scratch.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
    static QSet<QString> made;
    if (!made.contains(name)) {
        if (!postgres->createDatabase(name))
            qWarning("cannot create %s: %s", qPrintable(name), qPrintable(postgres->errorString()));
        made.insert(name);
    }
    return postgres->conninfo(name);
}

QList<std::pair<QString, StoreFactory>> storeFactories()
{
    return {
        {u"sqlite"_qs,
         [](const QString &scratch) -> std::unique_ptr<ChatStore> {
             return std::make_unique<SqliteChatStore>(scratch + u"/natterd.sqlite"_qs);
         }},
        {u"postgres"_qs,
         [](const QString &scratch) -> std::unique_ptr<ChatStore> {
             return std::make_unique<PgChatStore>(databaseFor(scratch), QString());
         }},
    };
}

} // namespace

class tst_SearchStoreContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void initTestCase_data();
    void init();
    void cleanup();

    void wordsPrefixesPhrasesAndExclusions();
    void caseAndDiacriticsAreIgnored();
    void onlyTheCallersChannels();
    void editsDeletesAndSystemMessages();
    void filters();
    void newestFirstWithAStableCursor();
    void anyParsedInputAnswers();
    void indexSurvivesAReopen();

private:
    ChatStore *open();
    // alice, bob, carol; #general (all three), #ops (alice, bob), private
    // #secret (bob, carol).
    void seed();
    // Sends `text` as `author` to `channel`; the message's id.
    QString send(const QString &channel, const QString &author, const QString &text);
    // The texts `userId` finds for `query` (parsed as natterd does), newest first.
    QStringList find(const QString &userId, const QString &query, int limit = 50);

    std::unique_ptr<QTemporaryDir> m_scratch;
    std::unique_ptr<ChatStore> m_store;
    int m_clientIds = 0;
    PostgresProcess m_postgres;
};

void tst_SearchStoreContract::initTestCase()
{
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    postgres = &m_postgres;
}

void tst_SearchStoreContract::cleanupTestCase()
{
    postgres = nullptr;
    QVERIFY(m_postgres.stop());
}

void tst_SearchStoreContract::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    for (const auto &[name, factory] : storeFactories())
        QTest::newRow(qPrintable(name)) << name;
}

void tst_SearchStoreContract::init()
{
    m_scratch = std::make_unique<QTemporaryDir>();
    QVERIFY(m_scratch->isValid());
}

void tst_SearchStoreContract::cleanup()
{
    m_store.reset();
    m_scratch.reset();
}

ChatStore *tst_SearchStoreContract::open()
{
    QFETCH_GLOBAL(QString, backend);
    m_store.reset();
    for (const auto &[name, factory] : storeFactories()) {
        if (name == backend)
            m_store = factory(m_scratch->path());
    }
    QString error;
    if (!m_store || !m_store->open(&error)) {
        qWarning("cannot open the %s store: %s", qPrintable(backend), qPrintable(error));
        m_store.reset();
    }
    return m_store.get();
}

void tst_SearchStoreContract::seed()
{
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs}) {
        StoredUser u;
        u.id = name + u"-id"_qs;
        u.username = name;
        u.passwordHash = "hash";
        QVERIFY2(m_store->addUser(u, &error), qPrintable(error));
    }
    const auto add = [&](const QString &name, const QStringList &members, const QString &vis) {
        StoredChannel c;
        c.id = name + u"-ch"_qs;
        c.name = name;
        c.visibility = vis;
        c.members = members;
        QVERIFY2(m_store->addChannel(c, &error), qPrintable(error));
    };
    add(u"general"_qs, {u"alice-id"_qs, u"bob-id"_qs, u"carol-id"_qs}, u"public"_qs);
    add(u"ops"_qs, {u"alice-id"_qs, u"bob-id"_qs}, u"public"_qs);
    add(u"secret"_qs, {u"bob-id"_qs, u"carol-id"_qs}, u"private"_qs);
    QVERIFY(m_store->flush());
}

QString tst_SearchStoreContract::send(const QString &channel, const QString &author,
                                      const QString &text)
{
    StoredMessage m;
    m.channel = channel + u"-ch"_qs;
    m.author = author + u"-id"_qs;
    m.text = text;
    m.clientMsgId = QString::number(++m_clientIds);
    if (!m_store->appendMessage(&m))
        return {};
    m_store->flush();
    return m.id;
}

QStringList tst_SearchStoreContract::find(const QString &userId, const QString &query, int limit)
{
    const auto parsed = SearchQueryParser::parse(query);
    if (!parsed)
        return {u"<bad_query>"_qs};
    const auto hits = m_store->search(userId + u"-id"_qs, *parsed, {}, limit);
    if (!hits)
        return {u"<failed>"_qs};
    QStringList texts;
    for (const StoredSearchHit &h : *hits)
        texts << h.message.text;
    return texts;
}

void tst_SearchStoreContract::wordsPrefixesPhrasesAndExclusions()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"the deploy of the API is done"_qs);
    send(u"general"_qs, u"bob"_qs, u"API deploy postponed, the database is slow"_qs);
    send(u"general"_qs, u"carol"_qs, u"lunch at noon?"_qs);
    send(u"general"_qs, u"alice"_qs, u"is the deployment green"_qs);
    // All words must match, in any order.
    QCOMPARE(find(u"alice"_qs, u"api deploy"_qs),
             (QStringList{u"API deploy postponed, the database is slow"_qs,
                          u"the deploy of the API is done"_qs}));
    // A prefix.
    QCOMPARE(find(u"alice"_qs, u"deploy*"_qs).size(), 3);
    QCOMPARE(find(u"alice"_qs, u"data*"_qs),
             QStringList{u"API deploy postponed, the database is slow"_qs});
    // A phrase: adjacent, in order.
    QCOMPARE(find(u"alice"_qs, u"\"deploy of the\""_qs),
             QStringList{u"the deploy of the API is done"_qs});
    QCOMPARE(find(u"alice"_qs, u"\"api is deploy\""_qs), QStringList{});
    // Exclusions, also without a word to match.
    QCOMPARE(find(u"alice"_qs, u"deploy -postponed"_qs),
             QStringList{u"the deploy of the API is done"_qs});
    QCOMPARE(find(u"alice"_qs, u"-deploy* -api"_qs), QStringList{u"lunch at noon?"_qs});
    // A word is never a whole-word prefix by accident.
    QCOMPARE(find(u"alice"_qs, u"deplo"_qs), QStringList{});
}

void tst_SearchStoreContract::caseAndDiacriticsAreIgnored()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"Meet at the Café Crème"_qs);
    send(u"general"_qs, u"alice"_qs, u"naive cafe creme"_qs);
    send(u"general"_qs, u"alice"_qs, u"Ærøskøbing Straße"_qs);
    QCOMPARE(find(u"bob"_qs, u"cafe"_qs).size(), 2);
    QCOMPARE(find(u"bob"_qs, u"CAFÉ crème"_qs).size(), 2);
    QCOMPARE(find(u"bob"_qs, u"\"café creme\""_qs).size(), 2);
    QCOMPARE(find(u"bob"_qs, u"CAF*"_qs).size(), 2);
    QCOMPARE(find(u"bob"_qs, u"straße"_qs), QStringList{u"Ærøskøbing Straße"_qs});
}

void tst_SearchStoreContract::onlyTheCallersChannels()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"quarterly numbers general"_qs);
    send(u"ops"_qs, u"bob"_qs, u"quarterly numbers ops"_qs);
    send(u"secret"_qs, u"bob"_qs, u"quarterly numbers secret"_qs);
    QCOMPARE(find(u"alice"_qs, u"quarterly"_qs),
             (QStringList{u"quarterly numbers ops"_qs, u"quarterly numbers general"_qs}));
    QCOMPARE(find(u"carol"_qs, u"quarterly"_qs),
             (QStringList{u"quarterly numbers secret"_qs, u"quarterly numbers general"_qs}));
    // Naming the channel does not open it, nor does any filter.
    QCOMPARE(find(u"alice"_qs, u"quarterly in:secret"_qs), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"in:secret"_qs), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"from:bob"_qs), QStringList{u"quarterly numbers ops"_qs});
    QCOMPARE(find(u"alice"_qs, u"-nothing"_qs).size(), 2);
    // Membership now: after leaving, the channel's messages are not found.
    QVERIFY(m_store->removeMember(u"secret-ch"_qs, u"carol-id"_qs));
    QVERIFY(m_store->flush());
    QCOMPARE(find(u"carol"_qs, u"quarterly"_qs), QStringList{u"quarterly numbers general"_qs});
    // A page is full even when most matches are in channels the caller cannot read.
    for (int i = 0; i < 30; ++i)
        send(u"secret"_qs, u"bob"_qs, u"quarterly spam %1"_qs.arg(i));
    QCOMPARE(find(u"alice"_qs, u"quarterly"_qs, 2).size(), 2);
}

void tst_SearchStoreContract::editsDeletesAndSystemMessages()
{
    QVERIFY(open());
    seed();
    const QString edited = send(u"general"_qs, u"alice"_qs, u"meeting on monday"_qs);
    const QString deleted = send(u"general"_qs, u"alice"_qs, u"meeting password hunter2"_qs);
    QVERIFY(m_store->editMessage(u"general-ch"_qs, edited, u"meeting on tuesday"_qs,
                                 QDateTime::currentDateTimeUtc(), {}));
    QVERIFY(m_store->deleteMessage(u"general-ch"_qs, deleted));
    StoredMessage system;
    system.channel = u"general-ch"_qs;
    system.author = u"alice-id"_qs;
    system.kind = u"system"_qs;
    system.text = u"meeting joined"_qs;
    system.system = R"({"event":"joined"})";
    system.clientMsgId = u"system-1"_qs;
    QVERIFY(m_store->appendMessage(&system));
    QVERIFY(m_store->flush());
    QCOMPARE(find(u"bob"_qs, u"tuesday"_qs), QStringList{u"meeting on tuesday"_qs});
    QCOMPARE(find(u"bob"_qs, u"monday"_qs), QStringList{});
    QCOMPARE(find(u"bob"_qs, u"hunter2"_qs), QStringList{});
    QCOMPARE(find(u"bob"_qs, u"meeting"_qs), QStringList{u"meeting on tuesday"_qs});
    QCOMPARE(find(u"bob"_qs, u"joined"_qs), QStringList{});
    QCOMPARE(find(u"bob"_qs, u"from:alice"_qs), QStringList{u"meeting on tuesday"_qs});
    // The hit is the message in its current state.
    const auto hits =
        m_store->search(u"bob-id"_qs, *SearchQueryParser::parse(u"tuesday"_qs), {}, 5);
    QVERIFY(hits);
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->at(0).message.id, edited);
    QCOMPARE(hits->at(0).message.rev, 2);
    QVERIFY(hits->at(0).message.editedAt.isValid());
    QCOMPARE(hits->at(0).snippet, u"meeting on tuesday"_qs);
    QCOMPARE(hits->at(0).highlights, (QList<std::pair<qsizetype, qsizetype>>{{11, 7}}));
}

void tst_SearchStoreContract::filters()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"release notes https://example.org/notes"_qs);
    send(u"general"_qs, u"bob"_qs, u"release candidate ready"_qs);
    send(u"ops"_qs, u"bob"_qs, u"release rollback plan"_qs);
    QCOMPARE(find(u"alice"_qs, u"release from:bob"_qs),
             (QStringList{u"release rollback plan"_qs, u"release candidate ready"_qs}));
    QCOMPARE(find(u"alice"_qs, u"release from:@BOB in:#general"_qs),
             QStringList{u"release candidate ready"_qs});
    QCOMPARE(find(u"alice"_qs, u"from:bob in:ops"_qs), QStringList{u"release rollback plan"_qs});
    QCOMPARE(find(u"alice"_qs, u"release in:general in:ops"_qs).size(), 3);
    QCOMPARE(find(u"alice"_qs, u"release from:nobody"_qs), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"has:link"_qs),
             QStringList{u"release notes https://example.org/notes"_qs});
    QCOMPARE(find(u"alice"_qs, u"release has:file"_qs), QStringList{});
    // Days are UTC; before: is before the day began, after: after it ended.
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const auto day = [](const QDate &d) {
        return d.toString(Qt::ISODate);
    };
    QCOMPARE(find(u"alice"_qs, u"release after:"_qs + day(today.addDays(-1))).size(), 3);
    QCOMPARE(find(u"alice"_qs, u"release after:"_qs + day(today)), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"release before:"_qs + day(today.addDays(1))).size(), 3);
    QCOMPARE(find(u"alice"_qs, u"release before:"_qs + day(today)), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"before:2020-13-01"_qs), QStringList{u"<bad_query>"_qs});
}

void tst_SearchStoreContract::newestFirstWithAStableCursor()
{
    QVERIFY(open());
    seed();
    QStringList ids;
    for (int i = 0; i < 7; ++i)
        ids.prepend(send(u"general"_qs, u"alice"_qs, u"standup note %1"_qs.arg(i)));
    const SearchQuery query = *SearchQueryParser::parse(u"standup"_qs);
    QStringList seen;
    QString cursor;
    int pages = 0;
    bool editedBetweenPages = false;
    for (;;) {
        const auto page = m_store->search(u"bob-id"_qs, query, cursor, 3);
        QVERIFY(page);
        for (const StoredSearchHit &h : *page)
            seen << h.message.id;
        ++pages;
        if (page->size() < 3)
            break;
        cursor = page->last().cursor;
        // Changes between pages neither repeat nor skip anything: a new message
        // is newer than the cursor; an edited one keeps its place.
        send(u"general"_qs, u"alice"_qs, u"standup late addition"_qs);
        if (!editedBetweenPages) {
            QVERIFY(m_store->editMessage(u"general-ch"_qs, ids.last(), u"standup note edited"_qs,
                                         QDateTime::currentDateTimeUtc(), {}));
            QVERIFY(m_store->flush());
            editedBetweenPages = true;
        }
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen, ids);
    const auto bogus = m_store->search(u"bob-id"_qs, query, u"not-a-cursor"_qs, 3);
    QVERIFY(bogus.notFound());
}

void tst_SearchStoreContract::anyParsedInputAnswers()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"order a t-shirt, see db.json"_qs);
    const QStringList hostile = {u"t-shirt"_qs,
                                 u"db.json"_qs,
                                 u"-"_qs,
                                 u"\""_qs,
                                 u"*"_qs,
                                 u"NEAR(a b)"_qs,
                                 u"%"_qs,
                                 u"'; DROP TABLE messages; --"_qs,
                                 u"a OR b"_qs,
                                 u"NOT x"_qs,
                                 u"text:shirt"_qs,
                                 u"^shirt"_qs,
                                 u"\"unbalanced phrase"_qs,
                                 u"shirt\"*"_qs,
                                 u"( ) { } [ ]"_qs,
                                 u"\\\" \\"_qs,
                                 u"a\"b\"c"_qs,
                                 u"in:\"\""_qs,
                                 u"emoji 🎉 shirt"_qs,
                                 QString(1000, u'x'),
                                 QString(500, u'"'),
                                 u"a b "_qs.repeated(15)};
    for (const QString &q : hostile) {
        const auto parsed = SearchQueryParser::parse(q);
        if (!parsed)
            continue; // 400 bad_query
        const auto hits = m_store->search(u"alice-id"_qs, *parsed, {}, 20);
        QVERIFY2(hits, qPrintable(u"failed for: "_qs + q.left(40)));
    }
    QCOMPARE(find(u"alice"_qs, u"t-shirt"_qs), QStringList{u"order a t-shirt, see db.json"_qs});
    QCOMPARE(find(u"alice"_qs, u"db.json"_qs), QStringList{u"order a t-shirt, see db.json"_qs});
    QCOMPARE(find(u"alice"_qs, u"NEAR(a b)"_qs), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"'; DROP TABLE messages; --"_qs), QStringList{});
    QCOMPARE(find(u"alice"_qs, u"shirt"_qs), QStringList{u"order a t-shirt, see db.json"_qs});
}

void tst_SearchStoreContract::indexSurvivesAReopen()
{
    QVERIFY(open());
    seed();
    send(u"general"_qs, u"alice"_qs, u"persistent words"_qs);
    m_store->close();
    QVERIFY(open());
    QCOMPARE(find(u"bob"_qs, u"persistent"_qs), QStringList{u"persistent words"_qs});
    send(u"general"_qs, u"alice"_qs, u"persistent again"_qs);
    QCOMPARE(find(u"bob"_qs, u"persistent"_qs),
             (QStringList{u"persistent again"_qs, u"persistent words"_qs}));
}

QTEST_GUILESS_MAIN(tst_SearchStoreContract)
#include "tst_SearchStoreContract.moc"
