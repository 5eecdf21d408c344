// The files contract every ChatStore backend passes (§9): an upload's row
// round-trips; ids are unique; attaching takes only the uploader's unattached
// files of that channel, keeps their order and shows them on the message (and
// to has:file, §10); a delete takes the message's files with it; the sweep
// finds old unattached uploads only; rows survive a reopen.
//
// Data-driven over a store factory like tst_ChatStoreContract: SQLite on a
// file, PostgreSQL on a real server this test starts (PostgresProcess), one
// fresh database per case.
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

// A database per scratch directory, made the first time it is asked for.
QString databaseFor(const QString &scratch)
{
    const QString name =
        u"f_"_qs
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

class tst_FileStoreContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void initTestCase_data();
    void init();
    void cleanup();

    void aFileRoundTrips();
    void attachingKeepsOrderAndShowsOnTheMessage();
    void onlyTheUploadersUnattachedFilesOfTheChannel();
    void aDeleteTakesTheFiles();
    void theSweepFindsOldUnattachedUploads();
    void filesSurviveAReopen();
    void anUploadIsRemovedByItsUploaderWhileUnattached();
    void storedBytesAreTheUploadersKeptFiles();

private:
    ChatStore *open();
    // alice, bob; #general (both), #ops (alice).
    void seed();
    StoredFile upload(const QString &id, const QString &channel, const QString &uploader,
                      const QDateTime &createdAt = QDateTime::currentDateTimeUtc());
    QString send(const QString &channel, const QString &author, const QString &text);

    std::unique_ptr<QTemporaryDir> m_scratch;
    std::unique_ptr<ChatStore> m_store;
    int m_clientIds = 0;
    PostgresProcess m_postgres;
};

void tst_FileStoreContract::initTestCase()
{
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    postgres = &m_postgres;
}

void tst_FileStoreContract::cleanupTestCase()
{
    postgres = nullptr;
    QVERIFY(m_postgres.stop());
}

void tst_FileStoreContract::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    for (const auto &[name, factory] : storeFactories())
        QTest::newRow(qPrintable(name)) << name;
}

void tst_FileStoreContract::init()
{
    m_scratch = std::make_unique<QTemporaryDir>();
    QVERIFY(m_scratch->isValid());
}

void tst_FileStoreContract::cleanup()
{
    m_store.reset();
    m_scratch.reset();
}

ChatStore *tst_FileStoreContract::open()
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

void tst_FileStoreContract::seed()
{
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs}) {
        StoredUser u;
        u.id = name + u"-id"_qs;
        u.username = name;
        u.passwordHash = "hash";
        QVERIFY2(m_store->addUser(u, &error), qPrintable(error));
    }
    const auto add = [&](const QString &name, const QStringList &members) {
        StoredChannel c;
        c.id = name + u"-ch"_qs;
        c.name = name;
        c.members = members;
        QVERIFY2(m_store->addChannel(c, &error), qPrintable(error));
    };
    add(u"general"_qs, {u"alice-id"_qs, u"bob-id"_qs});
    add(u"ops"_qs, {u"alice-id"_qs});
    QVERIFY(m_store->flush());
}

StoredFile tst_FileStoreContract::upload(const QString &id, const QString &channel,
                                         const QString &uploader, const QDateTime &createdAt)
{
    StoredFile f;
    f.id = id;
    f.channel = channel + u"-ch"_qs;
    f.uploader = uploader + u"-id"_qs;
    f.name = u"photo "_qs + id + u".png"_qs;
    f.size = 1234567;
    f.mime = u"image/png"_qs;
    f.width = 640;
    f.height = 480;
    f.thumbnail = true;
    f.createdAt = createdAt;
    if (!m_store->addFile(f) || !m_store->flush())
        return {};
    return f;
}

QString tst_FileStoreContract::send(const QString &channel, const QString &author,
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

void tst_FileStoreContract::aFileRoundTrips()
{
    QVERIFY(open());
    seed();
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(1760000000123, Qt::UTC);
    QVERIFY(!upload(u"f1"_qs, u"general"_qs, u"alice"_qs, at).id.isEmpty());
    const auto f = m_store->fileById(u"f1"_qs);
    QVERIFY(f);
    QCOMPARE(f->channel, u"general-ch"_qs);
    QCOMPARE(f->uploader, u"alice-id"_qs);
    QCOMPARE(f->name, u"photo f1.png"_qs);
    QCOMPARE(f->size, 1234567);
    QCOMPARE(f->mime, u"image/png"_qs);
    QCOMPARE(f->width, 640);
    QCOMPARE(f->height, 480);
    QVERIFY(f->thumbnail);
    QVERIFY(f->messageId.isEmpty());
    QCOMPARE(f->createdAt, at);
    StoredFile again = *f;
    QVERIFY(m_store->addFile(again).conflict());
    QVERIFY(m_store->fileById(u"nope"_qs).notFound());
}

void tst_FileStoreContract::attachingKeepsOrderAndShowsOnTheMessage()
{
    QVERIFY(open());
    seed();
    upload(u"a"_qs, u"general"_qs, u"alice"_qs);
    upload(u"b"_qs, u"general"_qs, u"alice"_qs);
    upload(u"c"_qs, u"general"_qs, u"alice"_qs);
    const QString id = send(u"general"_qs, u"alice"_qs, u"holiday pictures"_qs);
    send(u"general"_qs, u"alice"_qs, u"holiday plans"_qs);
    QVERIFY(
        m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"c"_qs, u"a"_qs, u"b"_qs}));
    QVERIFY(m_store->flush());
    QCOMPARE(m_store->fileById(u"a"_qs)->messageId, id);
    const auto m = m_store->messageById(u"general-ch"_qs, id);
    QVERIFY(m);
    QStringList ids;
    for (const StoredFile &f : m->attachments)
        ids << f.id;
    QCOMPARE(ids, (QStringList{u"c"_qs, u"a"_qs, u"b"_qs}));
    QCOMPARE(m->attachments.at(0).name, u"photo c.png"_qs);
    QCOMPARE(m->attachments.at(0).size, 1234567);
    QCOMPARE(m->attachments.at(0).width, 640);
    QVERIFY(m->attachments.at(0).thumbnail);
    // History shows them too.
    const auto history = m_store->history(u"general-ch"_qs, 0, 10);
    QVERIFY(history);
    QCOMPARE(history->size(), 2);
    QCOMPARE(history->at(0).attachments.size(), 3);
    QCOMPARE(history->at(1).attachments.size(), 0);
    // §10 has:file finds the message with files only.
    const auto hits =
        m_store->search(u"bob-id"_qs, *SearchQueryParser::parse(u"holiday has:file"_qs), {}, 10);
    QVERIFY(hits);
    QCOMPARE(hits->size(), 1);
    QCOMPARE(hits->at(0).message.id, id);
}

void tst_FileStoreContract::onlyTheUploadersUnattachedFilesOfTheChannel()
{
    QVERIFY(open());
    seed();
    upload(u"mine"_qs, u"general"_qs, u"alice"_qs);
    upload(u"bobs"_qs, u"general"_qs, u"bob"_qs);
    upload(u"ops"_qs, u"ops"_qs, u"alice"_qs);
    const QString first = send(u"general"_qs, u"alice"_qs, u"one"_qs);
    const QString second = send(u"general"_qs, u"alice"_qs, u"two"_qs);
    // Another uploader's file, another channel's file, an unknown id.
    QVERIFY(m_store->attachFiles(first, u"general-ch"_qs, u"alice-id"_qs, {u"bobs"_qs}).notFound());
    QVERIFY(m_store->attachFiles(first, u"general-ch"_qs, u"alice-id"_qs, {u"ops"_qs}).notFound());
    QVERIFY(m_store->attachFiles(first, u"general-ch"_qs, u"alice-id"_qs, {u"nope"_qs}).notFound());
    QVERIFY(m_store->attachFiles(first, u"general-ch"_qs, u"alice-id"_qs, {u"mine"_qs}));
    QVERIFY(m_store->flush());
    // Attached once: a second message cannot take it.
    QVERIFY(
        m_store->attachFiles(second, u"general-ch"_qs, u"alice-id"_qs, {u"mine"_qs}).notFound());
    m_store->flush();
    QCOMPARE(m_store->fileById(u"mine"_qs)->messageId, first);
    QVERIFY(m_store->fileById(u"bobs"_qs)->messageId.isEmpty());
    QVERIFY(m_store->fileById(u"ops"_qs)->messageId.isEmpty());
    QCOMPARE(m_store->messageById(u"general-ch"_qs, second)->attachments.size(), 0);
}

void tst_FileStoreContract::aDeleteTakesTheFiles()
{
    QVERIFY(open());
    seed();
    upload(u"x"_qs, u"general"_qs, u"alice"_qs);
    const QString id = send(u"general"_qs, u"alice"_qs, u"see attached"_qs);
    QVERIFY(m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"x"_qs}));
    QVERIFY(m_store->flush());
    const auto deleted = m_store->deleteMessage(u"general-ch"_qs, id);
    QVERIFY(deleted);
    QVERIFY(deleted->attachments.isEmpty());
    QVERIFY(m_store->flush());
    QVERIFY(m_store->fileById(u"x"_qs).notFound());
    QVERIFY(m_store->messageById(u"general-ch"_qs, id)->attachments.isEmpty());
    const auto hits =
        m_store->search(u"bob-id"_qs, *SearchQueryParser::parse(u"has:file"_qs), {}, 10);
    QVERIFY(hits);
    QCOMPARE(hits->size(), 0);
}

void tst_FileStoreContract::theSweepFindsOldUnattachedUploads()
{
    QVERIFY(open());
    seed();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    upload(u"old2"_qs, u"general"_qs, u"alice"_qs, now.addDays(-2));
    upload(u"old1"_qs, u"general"_qs, u"alice"_qs, now.addDays(-3));
    upload(u"oldattached"_qs, u"general"_qs, u"alice"_qs, now.addDays(-3));
    upload(u"fresh"_qs, u"general"_qs, u"alice"_qs, now);
    const QString id = send(u"general"_qs, u"alice"_qs, u"kept"_qs);
    QVERIFY(m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"oldattached"_qs}));
    QVERIFY(m_store->flush());
    const auto due = m_store->unattachedBefore(now.addDays(-1), 10);
    QVERIFY(due);
    QCOMPARE(*due, (QStringList{u"old1"_qs, u"old2"_qs})); // oldest first
    QCOMPARE(*m_store->unattachedBefore(now.addDays(-1), 1), QStringList{u"old1"_qs});
    QVERIFY(m_store->removeUnattachedFile(u"old1"_qs, QString()));
    QVERIFY(m_store->flush());
    QVERIFY(m_store->fileById(u"old1"_qs).notFound());
    QVERIFY(m_store->removeUnattachedFile(u"old1"_qs, QString()).notFound());
    QCOMPARE(*m_store->unattachedBefore(now.addDays(-1), 10), QStringList{u"old2"_qs});
    // A file attached meanwhile is kept.
    QVERIFY(m_store->removeUnattachedFile(u"oldattached"_qs, QString()).notFound());
    QVERIFY(m_store->fileById(u"oldattached"_qs));
}

void tst_FileStoreContract::anUploadIsRemovedByItsUploaderWhileUnattached()
{
    QVERIFY(open());
    seed();
    upload(u"mine"_qs, u"general"_qs, u"alice"_qs);
    upload(u"sent"_qs, u"general"_qs, u"alice"_qs);
    const QString id = send(u"general"_qs, u"alice"_qs, u"with a file"_qs);
    QVERIFY(m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"sent"_qs}));
    QVERIFY(m_store->flush());
    QVERIFY(m_store->removeUnattachedFile(u"mine"_qs, u"bob-id"_qs).notFound());
    QVERIFY(m_store->removeUnattachedFile(u"sent"_qs, u"alice-id"_qs).notFound());
    QVERIFY(m_store->removeUnattachedFile(u"nothing"_qs, u"alice-id"_qs).notFound());
    QVERIFY(m_store->flush());
    QVERIFY(m_store->fileById(u"mine"_qs));
    QVERIFY(m_store->fileById(u"sent"_qs));
    QCOMPARE(*m_store->storedBytesOf(u"alice-id"_qs), 2 * qint64(1234567));
    QVERIFY(m_store->removeUnattachedFile(u"mine"_qs, u"alice-id"_qs));
    QVERIFY(m_store->flush());
    QVERIFY(m_store->fileById(u"mine"_qs).notFound());
    QCOMPARE(*m_store->storedBytesOf(u"alice-id"_qs), qint64(1234567));
}

void tst_FileStoreContract::storedBytesAreTheUploadersKeptFiles()
{
    // What the upload quota counts: every kept file of the uploader, attached
    // or not; a deleted message's files and removed uploads no longer.
    QVERIFY(open());
    seed();
    QCOMPARE(*m_store->storedBytesOf(u"alice-id"_qs), qint64(0));
    upload(u"a1"_qs, u"general"_qs, u"alice"_qs);
    upload(u"a2"_qs, u"general"_qs, u"alice"_qs);
    upload(u"a3"_qs, u"ops"_qs, u"alice"_qs);
    upload(u"b1"_qs, u"general"_qs, u"bob"_qs);
    const QString id = send(u"general"_qs, u"alice"_qs, u"two files"_qs);
    QVERIFY(m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"a1"_qs, u"a2"_qs}));
    QVERIFY(m_store->flush());
    QCOMPARE(*m_store->storedBytesOf(u"alice-id"_qs), 3 * qint64(1234567));
    QCOMPARE(*m_store->storedBytesOf(u"bob-id"_qs), qint64(1234567));
    QVERIFY(m_store->deleteMessage(u"general-ch"_qs, id));
    QVERIFY(m_store->removeUnattachedFile(u"a3"_qs, u"alice-id"_qs));
    QVERIFY(m_store->flush());
    QCOMPARE(*m_store->storedBytesOf(u"alice-id"_qs), qint64(0));
    QCOMPARE(*m_store->storedBytesOf(u"bob-id"_qs), qint64(1234567));
}

void tst_FileStoreContract::filesSurviveAReopen()
{
    QVERIFY(open());
    seed();
    upload(u"kept"_qs, u"general"_qs, u"alice"_qs);
    const QString id = send(u"general"_qs, u"alice"_qs, u"with a file"_qs);
    QVERIFY(m_store->attachFiles(id, u"general-ch"_qs, u"alice-id"_qs, {u"kept"_qs}));
    QVERIFY(m_store->flush());
    m_store->close();
    QVERIFY(open());
    QCOMPARE(m_store->fileById(u"kept"_qs)->messageId, id);
    QCOMPARE(m_store->messageById(u"general-ch"_qs, id)->attachments.size(), 1);
}

QTEST_GUILESS_MAIN(tst_FileStoreContract)
#include "tst_FileStoreContract.moc"
