// SqliteChatStore: migrations of an older data directory in place, gapless
// per-channel seq, the unique (author, client_msg_id), batched commits whose
// continuations run only after the commit, WAL mode with checkpoints that
// happen while the store is open (off the event loop).
#include "store/sqlite/SqliteChatStore.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Natter::Server;

class tst_SqliteChatStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void migratesVersion1InPlace();
    void walMode();
    void walReachesTheDatabaseFileWhileOpen();
    void seqIsGaplessPerChannel();
    void clientMsgIdIsUnique();
    void continuationsRunAfterCommit();
    void historyPaging();

private:
    static StoredUser user(const QString &name)
    {
        StoredUser u;
        u.id = name + u"-id"_qs;
        u.username = name;
        u.passwordHash = "hash";
        return u;
    }
};

void tst_SqliteChatStore::migratesVersion1InPlace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    {
        // An old natterd (schema 1) wrote this data directory.
        SqliteChatStore old(path, 1);
        QString error;
        QVERIFY2(old.open(&error), qPrintable(error));
        QCOMPARE(old.schemaVersion(), 1);
        StoredChannel c;
        c.id = u"c1"_qs;
        c.name = u"general"_qs;
        QVERIFY(old.addChannel(c, &error));
        QVERIFY(old.flush());
        QSqlDatabase db = QSqlDatabase::database(QString(), false);
        Q_UNUSED(db);
    }
    {
        // Insert a v1 user row by hand (v1 has no last_seen column).
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"raw"_qs);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"INSERT INTO users (id, username, display_name, password_hash, created_at) "
                       "VALUES ('u1', 'olduser', 'Old User', 'h', 1)"_qs));
        QVERIFY(q.exec(u"INSERT INTO memberships (channel_id, user_id) VALUES ('c1', 'u1')"_qs));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"raw"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(store.schemaVersion(), SqliteSchema::kVersion);
    const auto old = store.userByName(u"olduser"_qs);
    QVERIFY(old);
    QCOMPARE(old->displayName, u"Old User"_qs);
    QVERIFY(!old->lastSeen.isValid());
    QCOMPARE(store.channelsOf(u"u1"_qs).size(), 1);
    // The new tables work.
    store.addFamily(u"f1"_qs, u"u1"_qs, u"dev"_qs);
    QVERIFY(store.familyActive(u"f1"_qs));
}

void tst_SqliteChatStore::walMode()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    store.close();
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"check"_qs);
    db.setDatabaseName(dir.filePath(u"db.sqlite"_qs));
    QVERIFY(db.open());
    {
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA journal_mode"_qs) && q.next());
        QCOMPARE(q.value(0).toString(), u"wal"_qs);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"check"_qs);
}

void tst_SqliteChatStore::walReachesTheDatabaseFileWhileOpen()
{
    // SQLite's own automatic checkpoint is off (it would run inside a commit on
    // natterd's event loop); the store's checkpointer thread must copy committed
    // pages into the database file instead, or the WAL would grow until restart.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    StoredChannel c;
    c.id = u"c1"_qs;
    c.name = u"c1"_qs;
    QVERIFY(store.addChannel(c, &error));
    const QByteArray marker = "checkpoint-marker-7f3a9c";
    StoredMessage m{{}, u"c1"_qs, 0, u"a"_qs, QString::fromLatin1(marker), {}, u"1"_qs};
    QVERIFY(store.appendMessage(&m));
    QVERIFY(store.flush());
    const auto inDatabaseFile = [&] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) && file.readAll().contains(marker);
    };
    QVERIFY(QFile(path + u"-wal"_qs).size() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(inDatabaseFile(), 10000);
    // Still open and still writable after the checkpoint.
    StoredMessage next{{}, u"c1"_qs, 0, u"a"_qs, u"t"_qs, {}, u"2"_qs};
    QVERIFY(store.appendMessage(&next));
    QVERIFY(store.flush());
    QCOMPARE(next.seq, 2);
}

void tst_SqliteChatStore::seqIsGaplessPerChannel()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    QVERIFY(store.addUser(user(u"a"_qs), &error));
    for (const QString &id : {u"c1"_qs, u"c2"_qs}) {
        StoredChannel c;
        c.id = id;
        c.name = id;
        c.members = {u"a-id"_qs};
        QVERIFY(store.addChannel(c, &error));
    }
    QList<qint64> c1;
    for (int i = 0; i < 5; ++i) {
        StoredMessage m{{}, i % 2 ? u"c2"_qs : u"c1"_qs, 0, u"a-id"_qs, u"t"_qs,
                        {}, QString::number(i)};
        QVERIFY(store.appendMessage(&m));
        if (m.channel == u"c1")
            c1 << m.seq;
    }
    QCOMPARE(c1, (QList<qint64>{1, 2, 3}));
    QCOMPARE(store.channelById(u"c2"_qs)->lastSeq, 2);
    // A failed insert (duplicate key) does not burn a seq.
    StoredMessage dup{{}, u"c1"_qs, 0, u"a-id"_qs, u"t"_qs, {}, u"0"_qs};
    QVERIFY(!store.appendMessage(&dup));
    StoredMessage next{{}, u"c1"_qs, 0, u"a-id"_qs, u"t"_qs, {}, u"new"_qs};
    QVERIFY(store.appendMessage(&next));
    QCOMPARE(next.seq, 4);
}

void tst_SqliteChatStore::clientMsgIdIsUnique()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    StoredChannel c;
    c.id = u"c1"_qs;
    c.name = u"c1"_qs;
    QVERIFY(store.addChannel(c, &error));
    StoredMessage m{{}, u"c1"_qs, 0, u"a"_qs, u"t"_qs, {}, u"same"_qs};
    QVERIFY(store.appendMessage(&m));
    const auto found = store.messageByClientId(u"a"_qs, u"same"_qs);
    QVERIFY(found);
    QCOMPARE(found->id, m.id);
    QVERIFY(!store.messageByClientId(u"b"_qs, u"same"_qs));
    StoredMessage other{{}, u"c1"_qs, 0, u"b"_qs, u"t"_qs, {}, u"same"_qs};
    QVERIFY(store.appendMessage(&other)); // another author may reuse the id
}

void tst_SqliteChatStore::continuationsRunAfterCommit()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    StoredChannel c;
    c.id = u"c1"_qs;
    c.name = u"c1"_qs;
    QVERIFY(store.addChannel(c, &error));
    QVERIFY(store.flush());
    StoredMessage m{{}, u"c1"_qs, 0, u"a"_qs, u"t"_qs, {}, u"x"_qs};
    QVERIFY(store.appendMessage(&m));
    // Another connection (another process, in effect) sees the row only once the
    // continuation has run.
    int seenInContinuation = -1;
    bool ran = false;
    store.whenDurable([&] {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"reader"_qs);
        db.setDatabaseName(path);
        db.open();
        {
            QSqlQuery q(db);
            q.exec(u"SELECT COUNT(*) FROM messages"_qs);
            q.next();
            seenInContinuation = q.value(0).toInt();
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"reader"_qs);
        ran = true;
    });
    QVERIFY(!ran); // not before the commit
    QTRY_VERIFY(ran); // the commit happens on the next event-loop turn
    QCOMPARE(seenInContinuation, 1);
    // Nothing pending: runs at once.
    bool immediate = false;
    store.whenDurable([&] { immediate = true; });
    QVERIFY(immediate);
}

void tst_SqliteChatStore::historyPaging()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    StoredChannel c;
    c.id = u"c1"_qs;
    c.name = u"c1"_qs;
    QVERIFY(store.addChannel(c, &error));
    for (int i = 0; i < 10; ++i) {
        StoredMessage m{{}, u"c1"_qs, 0, u"a"_qs, QString::number(i), {}, QString::number(i)};
        QVERIFY(store.appendMessage(&m));
    }
    auto page = store.history(u"c1"_qs, 0, 3);
    QCOMPARE(page.size(), 3);
    QCOMPARE(page.first().seq, 8);
    QCOMPARE(page.last().seq, 10);
    page = store.history(u"c1"_qs, 8, 3);
    QCOMPARE(page.first().seq, 5);
    QCOMPARE(page.last().seq, 7);
    const auto after = store.messagesAfter(u"c1"_qs, 7, 500);
    QCOMPARE(after.size(), 3);
    QCOMPARE(after.first().seq, 8);
    // Resume caps at the newest N.
    const auto capped = store.messagesAfter(u"c1"_qs, 0, 4);
    QCOMPARE(capped.first().seq, 7);
    QCOMPARE(capped.last().seq, 10);
}

QTEST_GUILESS_MAIN(tst_SqliteChatStore)
#include "tst_sqlitechatstore.moc"
