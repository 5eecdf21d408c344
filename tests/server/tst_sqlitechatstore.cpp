// SqliteChatStore: migrations of an older data directory in place, gapless
// per-channel seq, the unique (author, client_msg_id), batched commits whose
// continuations run only after the commit, WAL mode with checkpoints that
// happen while the store is open (off the event loop), the v2 change model (ev,
// rev, edit, delete as a tombstone, changedSince), and that a deleted message's
// text is gone from the database and WAL files.
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
    void evAndRevNumberEveryChange();
    void editAndDeleteRules();
    void changedSinceOrdersByEv();
    void changesSurviveReopen();
    void adminFlag();
    void deletedTextLeavesEveryFile();

private:
    static StoredUser user(const QString &name)
    {
        StoredUser u;
        u.id = name + u"-id"_qs;
        u.username = name;
        u.passwordHash = "hash";
        return u;
    }
    static StoredMessage message(const QString &channel, const QString &author, const QString &text,
                                 const QString &clientMsgId)
    {
        StoredMessage m;
        m.channel = channel;
        m.author = author;
        m.text = text;
        m.clientMsgId = clientMsgId;
        return m;
    }
    static void addChannel(SqliteChatStore &store, const QString &id)
    {
        StoredChannel c;
        c.id = id;
        c.name = id;
        QString error;
        QVERIFY2(store.addChannel(c, &error), qPrintable(error));
    }
    static bool fileContains(const QString &path, const QByteArray &needle)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) && file.readAll().contains(needle);
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
        // Three v1 messages (no kind, rev, ev, edited_at, deleted columns).
        for (int seq = 1; seq <= 3; ++seq)
            QVERIFY(
                q.exec(u"INSERT INTO messages (id, channel_id, seq, author_id, text, ts, "
                       "client_msg_id) VALUES ('m%1', 'c1', %1, 'u1', 'old %1', %2, 'k%1')"_qs.arg(
                           QString::number(seq), QString::number(seq * 1000))));
        QVERIFY(q.exec(u"UPDATE channels SET last_seq = 3 WHERE id = 'c1'"_qs));
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
    // v2 (schema 3): old messages are rev 1, kind user, live, with ev = seq.
    QVERIFY(!old->admin);
    const auto messages = store.history(u"c1"_qs, 0, 10);
    QCOMPARE(messages.size(), 3);
    for (const StoredMessage &m : messages) {
        QCOMPARE(m.text, u"old %1"_qs.arg(m.seq));
        QCOMPARE(m.rev, 1);
        QCOMPARE(m.ev, m.seq);
        QCOMPARE(m.kind, u"user"_qs);
        QVERIFY(!m.deleted);
        QVERIFY(!m.editedAt.isValid());
    }
    QCOMPARE(store.channelById(u"c1"_qs)->lastEv, 3);
    // The next change takes the next ev.
    const auto edited = store.editMessage(u"c1"_qs, u"m1"_qs, u"new"_qs, {});
    QVERIFY(edited);
    QCOMPARE(edited->ev, 4);
    QCOMPARE(edited->rev, 2);
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

void tst_SqliteChatStore::evAndRevNumberEveryChange()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    addChannel(store, u"c2"_qs);
    QCOMPARE(store.channelById(u"c1"_qs)->lastEv, 0);
    StoredMessage first = message(u"c1"_qs, u"a"_qs, u"first"_qs, u"1"_qs);
    StoredMessage second = message(u"c1"_qs, u"a"_qs, u"second"_qs, u"2"_qs);
    StoredMessage other = message(u"c2"_qs, u"a"_qs, u"other"_qs, u"3"_qs);
    QVERIFY(store.appendMessage(&first));
    QVERIFY(store.appendMessage(&second));
    QVERIFY(store.appendMessage(&other));
    QCOMPARE(first.ev, 1);
    QCOMPARE(first.rev, 1);
    QCOMPARE(first.kind, u"user"_qs);
    QCOMPARE(second.ev, 2);
    QCOMPARE(other.ev, 1); // ev is per channel
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
    const auto edited = store.editMessage(u"c1"_qs, first.id, u"first, edited"_qs, when);
    QVERIFY(edited);
    QCOMPARE(edited->text, u"first, edited"_qs);
    QCOMPARE(edited->rev, 2);
    QCOMPARE(edited->ev, 3);
    QCOMPARE(edited->editedAt, when);
    QCOMPARE(edited->seq, first.seq); // an edit is not a new message
    const auto deleted = store.deleteMessage(u"c1"_qs, second.id);
    QVERIFY(deleted);
    QVERIFY(deleted->deleted);
    QCOMPARE(deleted->text, QString());
    QCOMPARE(deleted->rev, 2);
    QCOMPARE(deleted->ev, 4);
    const auto channel = store.channelById(u"c1"_qs);
    QCOMPARE(channel->lastEv, 4);
    QCOMPARE(channel->lastSeq, 2);
    QCOMPARE(store.channelById(u"c2"_qs)->lastEv, 1);
    QCOMPARE(store.channelsOf(u"nobody"_qs).size(), 0);
    for (const StoredChannel &c : store.allChannels())
        QCOMPARE(c.lastEv, c.id == u"c1" ? 4 : 1);
    // A new message after the changes takes the next ev too.
    StoredMessage third = message(u"c1"_qs, u"a"_qs, u"third"_qs, u"4"_qs);
    QVERIFY(store.appendMessage(&third));
    QCOMPARE(third.seq, 3);
    QCOMPARE(third.ev, 5);
    // What messageById reads back is what the calls returned.
    const auto reread = store.messageById(u"c1"_qs, first.id);
    QVERIFY(reread);
    QCOMPARE(reread->text, edited->text);
    QCOMPARE(reread->rev, edited->rev);
    QCOMPARE(reread->ev, edited->ev);
    QCOMPARE(reread->editedAt, when);
}

void tst_SqliteChatStore::editAndDeleteRules()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    addChannel(store, u"c2"_qs);
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"hello"_qs, u"1"_qs);
    QVERIFY(store.appendMessage(&m));
    // Not in that channel, or no such message: nothing.
    QVERIFY(!store.messageById(u"c2"_qs, m.id));
    QVERIFY(!store.editMessage(u"c2"_qs, m.id, u"x"_qs, {}));
    QVERIFY(!store.deleteMessage(u"c2"_qs, m.id));
    QVERIFY(!store.editMessage(u"c1"_qs, u"nope"_qs, u"x"_qs, {}));
    QVERIFY(!store.deleteMessage(u"c1"_qs, u"nope"_qs));
    QCOMPARE(store.channelById(u"c2"_qs)->lastEv, 0);
    // The same text: no change (§13), no ev taken.
    const auto same = store.editMessage(u"c1"_qs, m.id, u"hello"_qs, {});
    QVERIFY(same);
    QCOMPARE(same->rev, 1);
    QCOMPARE(same->ev, 1);
    QVERIFY(!same->editedAt.isValid());
    QCOMPARE(store.channelById(u"c1"_qs)->lastEv, 1);
    // An edit without a time takes the current one.
    const auto edited = store.editMessage(u"c1"_qs, m.id, u"hello again"_qs, {});
    QVERIFY(edited && edited->editedAt.isValid());
    // A tombstone keeps id, seq, author, ts, kind, client_msg_id and edited_at (§13).
    const auto tombstone = store.deleteMessage(u"c1"_qs, m.id);
    QVERIFY(tombstone);
    QCOMPARE(tombstone->id, m.id);
    QCOMPARE(tombstone->seq, m.seq);
    QCOMPARE(tombstone->author, m.author);
    QCOMPARE(tombstone->ts, m.ts);
    QCOMPARE(tombstone->kind, m.kind);
    QCOMPARE(tombstone->clientMsgId, m.clientMsgId);
    QCOMPARE(tombstone->editedAt, edited->editedAt);
    QCOMPARE(tombstone->rev, 3);
    // Editing or deleting a tombstone: nothing (the hub answers not_found).
    QVERIFY(!store.editMessage(u"c1"_qs, m.id, u"back"_qs, {}));
    QVERIFY(!store.deleteMessage(u"c1"_qs, m.id));
    QCOMPARE(store.channelById(u"c1"_qs)->lastEv, 3);
    // Tombstones stay in history, so a page is gapless in seq.
    StoredMessage next = message(u"c1"_qs, u"a"_qs, u"next"_qs, u"2"_qs);
    QVERIFY(store.appendMessage(&next));
    const auto page = store.history(u"c1"_qs, 0, 10);
    QCOMPARE(page.size(), 2);
    QVERIFY(page.first().deleted);
    QCOMPARE(page.first().text, QString());
    QCOMPARE(page.last().seq, 2);
    const auto after = store.messagesAfter(u"c1"_qs, 0, 10);
    QCOMPARE(after.size(), 2);
    QVERIFY(after.first().deleted);
    // messageById returns tombstones, and idempotent resends find them.
    QVERIFY(store.messageById(u"c1"_qs, m.id)->deleted);
    QVERIFY(store.messageByClientId(u"a"_qs, u"1"_qs)->deleted);
}

void tst_SqliteChatStore::changedSinceOrdersByEv()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    QList<StoredMessage> m;
    for (int i = 1; i <= 4; ++i) {
        StoredMessage x = message(u"c1"_qs, u"a"_qs, u"m%1"_qs.arg(i), QString::number(i));
        QVERIFY(store.appendMessage(&x));
        m << x;
    }
    // ev 1..4 are the sends; then m2 edited (5), m1 edited (6), m2 edited again (7),
    // m3 deleted (8), m4 edited (9).
    QVERIFY(store.editMessage(u"c1"_qs, m[1].id, u"m2'"_qs, {}));
    QVERIFY(store.editMessage(u"c1"_qs, m[0].id, u"m1'"_qs, {}));
    QVERIFY(store.editMessage(u"c1"_qs, m[1].id, u"m2''"_qs, {}));
    QVERIFY(store.deleteMessage(u"c1"_qs, m[2].id));
    QVERIFY(store.editMessage(u"c1"_qs, m[3].id, u"m4'"_qs, {}));
    const auto ids = [](const QList<StoredMessage> &list) {
        QStringList result;
        for (const StoredMessage &x : list)
            result << x.text + u'@' + QString::number(x.ev);
        return result;
    };
    // Client held seq <= 3 and last_ev 4: one entry per message, current state, by ev.
    QCOMPARE(ids(store.changedSince(u"c1"_qs, 4, 3, 100)),
             (QStringList{u"m1'@6"_qs, u"m2''@7"_qs, u"@8"_qs}));
    // Past afterEv only.
    QCOMPARE(ids(store.changedSince(u"c1"_qs, 6, 3, 100)), (QStringList{u"m2''@7"_qs, u"@8"_qs}));
    // Capped by limit, lowest ev first.
    QCOMPARE(ids(store.changedSince(u"c1"_qs, 0, 4, 2)), (QStringList{u"m1'@6"_qs, u"m2''@7"_qs}));
    // Nothing newer.
    QVERIFY(store.changedSince(u"c1"_qs, 9, 4, 100).isEmpty());
    QVERIFY(store.changedSince(u"other"_qs, 0, 4, 100).isEmpty());
}

void tst_SqliteChatStore::changesSurviveReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    QString id;
    {
        SqliteChatStore store(path);
        QString error;
        QVERIFY(store.open(&error));
        addChannel(store, u"c1"_qs);
        StoredMessage m = message(u"c1"_qs, u"a"_qs, u"text"_qs, u"1"_qs);
        QVERIFY(store.appendMessage(&m));
        QVERIFY(store.editMessage(u"c1"_qs, m.id, u"edited"_qs, {}));
        id = m.id;
    } // closes, which commits
    SqliteChatStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    const auto m = store.messageById(u"c1"_qs, id);
    QVERIFY(m);
    QCOMPARE(m->text, u"edited"_qs);
    QCOMPARE(m->rev, 2);
    QCOMPARE(m->ev, 2);
    QVERIFY(m->editedAt.isValid());
    QCOMPARE(store.channelById(u"c1"_qs)->lastEv, 2);
}

void tst_SqliteChatStore::adminFlag()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    StoredUser boss = user(u"boss"_qs);
    boss.admin = true;
    QVERIFY(store.addUser(boss, &error));
    QVERIFY(store.addUser(user(u"pleb"_qs), &error));
    QVERIFY(store.userByName(u"boss"_qs)->admin);
    QVERIFY(!store.userById(u"pleb-id"_qs)->admin);
    QVERIFY(store.setAdmin(u"pleb-id"_qs, true));
    QVERIFY(store.userById(u"pleb-id"_qs)->admin);
    QVERIFY(store.setAdmin(u"boss-id"_qs, false));
    QVERIFY(!store.userByName(u"boss"_qs)->admin);
    QVERIFY(!store.setAdmin(u"nobody"_qs, true));
    const auto listed = store.users({}, {}, 10, true);
    QCOMPARE(listed.size(), 2);
    QVERIFY(!listed[0].admin); // boss
    QVERIFY(listed[1].admin); // pleb
}

void tst_SqliteChatStore::deletedTextLeavesEveryFile()
{
    // §7: deleting removes the text from the database, not only hides it. Raw
    // bytes of the database file and the WAL, read beside the open store: the
    // text is there before the delete and in neither file after it.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    const QString wal = path + u"-wal"_qs;
    SqliteChatStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    const QByteArray shortSecret = "short-secret-4b1d2e";
    // Long enough for overflow pages, which the delete frees rather than rewrites;
    // made of numbered chunks, so the search finds it in pieces across pages.
    const QByteArray longMarker = "long-secret-9c8e7f";
    QByteArray longSecret;
    for (int i = 0; i < 600; ++i)
        longSecret += longMarker + QByteArray::number(i).rightJustified(4, '0') + ' ';
    StoredMessage a = message(u"c1"_qs, u"a"_qs, QString::fromLatin1(shortSecret), u"1"_qs);
    StoredMessage b = message(u"c1"_qs, u"a"_qs, QString::fromLatin1(longSecret), u"2"_qs);
    StoredMessage kept = message(u"c1"_qs, u"a"_qs, u"kept-text-0a1b"_qs, u"3"_qs);
    QVERIFY(store.appendMessage(&a));
    QVERIFY(store.appendMessage(&b));
    QVERIFY(store.appendMessage(&kept));
    QVERIFY(store.flush());
    // The checkpointer copies them into the database file: the search sees them,
    // the long one's last chunk included (it sits on an overflow page).
    QTRY_VERIFY_WITH_TIMEOUT(fileContains(path, shortSecret), 10000);
    QVERIFY(fileContains(path, longMarker + "0599"));
    QVERIFY(store.deleteMessage(u"c1"_qs, a.id));
    QVERIFY(store.deleteMessage(u"c1"_qs, b.id));
    QVERIFY(store.flush());
    QTRY_VERIFY_WITH_TIMEOUT(!fileContains(path, shortSecret) && !fileContains(wal, shortSecret)
                                 && !fileContains(path, longMarker)
                                 && !fileContains(wal, longMarker),
                             10000);
    // The rest is intact, and the store still works.
    QVERIFY(fileContains(path, "kept-text-0a1b"));
    QCOMPARE(store.messageById(u"c1"_qs, kept.id)->text, u"kept-text-0a1b"_qs);
    StoredMessage next = message(u"c1"_qs, u"a"_qs, u"n"_qs, u"4"_qs);
    QVERIFY(store.appendMessage(&next));
    QVERIFY(store.flush());
    QCOMPARE(next.seq, 4);
}

QTEST_GUILESS_MAIN(tst_SqliteChatStore)
#include "tst_sqlitechatstore.moc"
