// SqliteChatStore's SQLite-specific behaviour: migrations of an older data
// directory in place (schema 1 -> now), WAL mode with checkpoints that happen
// while the store is open (off the event loop), batched commits whose
// continuations run only after the commit is visible to another connection,
// that a deleted message's text is gone from the database and WAL files (its
// copy in the search index included), how has:file is fed (§10), and that
// a batch that does not commit (a full disk) is answered as not stored, and
// the search index, built in a batch's commit from a queue (schema 9), loses
// nothing of a busy batch, catches up on its own when writes stop, and indexes
// a queue left behind at the next start.
// What every backend must do is in tst_ChatStoreContract.
#include "search/SearchQueryParser.h"
#include "store/sqlite/SqliteChatStore.h"
#include "store/sqlite/SqliteMessageStore.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <functional>

#include <sys/resource.h>

using namespace Natter::Server;

class tst_SqliteChatStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void migratesVersion1InPlace();
    void walMode();
    void changesSinceAnOldEvWalkTheShorterIndex();
    void walReachesTheDatabaseFileWhileOpen();
    void continuationsRunAfterCommit();
    void aBatchThatDoesNotCommitIsNotReportedAsStored();
    void deletedTextLeavesEveryFile();
    void hasFileReadsTheSearchDocsFlag();
    void searchIndexesAWholeBatchAtItsCommit();
    void hasLinkFollowsSendsEditsAndReusedDocs();
    void searchIndexCatchesUpWithoutASearch();
    void queuedSearchEntriesAreIndexedAtTheNextStart();
    void aBatchWritesAfterAnotherProcessCommitted();
    void messageIdsSortByTheirTime();
    void anArchivedChannelRefusesASendButNotItsOwnNotices();

private:
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
    // A user `a` and a channel c1 with `a` as its member, committed.
    static void seedMember(SqliteChatStore &store)
    {
        QString error;
        StoredUser a;
        a.id = u"a"_qs;
        a.username = u"a"_qs;
        a.passwordHash = "h";
        QVERIFY2(store.addUser(a, &error), qPrintable(error));
        StoredChannel c;
        c.id = u"c1"_qs;
        c.name = u"c1"_qs;
        c.members = {u"a"_qs};
        QVERIFY2(store.addChannel(c, &error), qPrintable(error));
        QVERIFY(store.flush());
    }
    // The texts `a` finds for `query`, newest first.
    static QStringList found(SqliteChatStore &store, const QString &query)
    {
        const auto hits = store.search(u"a"_qs, *SearchQueryParser::parse(query), {}, 1000);
        if (!hits)
            return {u"<failed>"_qs};
        QStringList texts;
        for (const StoredSearchHit &h : *hits)
            texts << h.message.text;
        return texts;
    }
    // Runs `check` on a connection of the test's own to the database at `path`.
    static void withDatabase(const QString &path, const std::function<void(QSqlDatabase &)> &check)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"raw"_qs);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            check(db);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"raw"_qs);
    }
    // FTS5's own check: its index and its content agree (rank 1: the content
    // is checked too).
    static void verifySearchIndexIntegrity(QSqlDatabase &db)
    {
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"INSERT INTO message_search (message_search, rank) "
                        "VALUES ('integrity-check', 1)"_qs),
                 qPrintable(q.lastError().text()));
    }
    static int count(QSqlDatabase &db, const QString &sql)
    {
        QSqlQuery q(db);
        return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
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
        // A v1 channel row by hand (today's addChannel writes schema-6 columns).
        QVERIFY(q.exec(u"INSERT INTO channels (id, name, kind, created_at) "
                       "VALUES ('c1', 'general', 'channel', 1)"_qs));
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
    QCOMPARE(store.channelsOf(u"u1"_qs).value().size(), 1);
    // The new tables work.
    store.addFamily(u"f1"_qs, u"u1"_qs, u"dev"_qs);
    QVERIFY(store.familyActive(u"f1"_qs).value());
    // v2 (schema 3): old messages are rev 1, kind user, live, with ev = seq.
    QVERIFY(!old->admin);
    const auto messages = store.history(u"c1"_qs, 0, 10).value();
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
    const auto edited = store.editMessage(u"c1"_qs, u"m1"_qs, u"new"_qs, {}, {});
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

void tst_SqliteChatStore::changesSinceAnOldEvWalkTheShorterIndex()
{
    // A resume with a small seq and an old ev (an audit: seq 1..1000, ev 0)
    // made SQLite walk the whole channel along its ev index for the few rows
    // with seq <= 1000: 73-93 ms of the event loop for 300,000 messages.
    // changedSince() now looks at a bounded stretch of the ev index first,
    // then takes the shorter walk; each statement must use the index meant.
    // All give the same rows (tst_ChatStoreContract::changedSinceOrdersByEv).
    QTemporaryDir dir;
    {
        SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        store.close();
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"plan"_qs);
    db.setDatabaseName(dir.filePath(u"db.sqlite"_qs));
    QVERIFY(db.open());
    using Walk = SqliteMessageStore::ChangedSinceWalk;
    const auto plan = [&](Walk walk) {
        QSqlQuery q(db);
        QString details;
        if (!q.prepare(u"EXPLAIN QUERY PLAN "_qs
                       + QLatin1String(SqliteMessageStore::changedSinceSql(walk))))
            return q.lastError().text();
        QVariantList values{u"c1"_qs, 0, 1000, 1001};
        if (walk == Walk::Look)
            values = {u"c1"_qs, 0, 4004, 1000, 1001};
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec())
            return q.lastError().text();
        while (q.next())
            details += q.value(3).toString() + u'\n';
        return details;
    };
    const QString bySeq = plan(Walk::BySeq);
    QVERIFY2(bySeq.contains(u"(channel_id=? AND seq<?)"_qs), qPrintable(bySeq));
    QVERIFY2(!bySeq.contains(u"messages_channel_ev"_qs), qPrintable(bySeq));
    const QString byEv = plan(Walk::ByEv);
    QVERIFY2(byEv.contains(u"messages_channel_ev (channel_id=? AND ev>?)"_qs), qPrintable(byEv));
    const QString look = plan(Walk::Look);
    QVERIFY2(look.contains(u"messages_channel_ev (channel_id=? AND ev>?)"_qs), qPrintable(look));
    QVERIFY2(!look.contains(u"SCAN messages"_qs), qPrintable(look));
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"plan"_qs);
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

void tst_SqliteChatStore::messageIdsSortByTheirTime()
{
    // A message id begins with its time (RandomId::timeOrderedHex): the id
    // indexes (messages, search_docs) take a batch's messages on one page
    // instead of one random page each (docs/benchmarks.md, session 11).
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    QStringList ids;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; ids.size() < 2 || clock.elapsed() < 3; ++i) {
        StoredMessage m = message(u"c1"_qs, u"a"_qs, u"t"_qs, QString::number(i));
        QVERIFY(store.appendMessage(&m));
        QCOMPARE(m.id.size(), 28);
        QCOMPARE(m.id.left(12).toLongLong(nullptr, 16), m.ts.toMSecsSinceEpoch());
        ids << m.id;
    }
    QVERIFY(store.flush());
    // Ids of different milliseconds in the order they were made; the random
    // part keeps them unique within one.
    for (qsizetype i = 1; i < ids.size(); ++i) {
        if (ids[i].left(12) != ids[i - 1].left(12))
            QVERIFY2(ids[i] > ids[i - 1], qPrintable(ids[i - 1] + u' ' + ids[i]));
    }
    QVERIFY(ids.first().left(12) < ids.last().left(12));
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
}

void tst_SqliteChatStore::anArchivedChannelRefusesASendButNotItsOwnNotices()
{
    // §13: a send to an archived channel stores nothing; the check is in the
    // statement that takes the seq (appendMessageUnlessArchived), so no seq
    // is used up. The channel's own system messages (appendMessage) still go in.
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY(store.open(&error));
    addChannel(store, u"c1"_qs);
    StoredMessage first = message(u"c1"_qs, u"a"_qs, u"before"_qs, u"1"_qs);
    QVERIFY(store.appendMessageUnlessArchived(&first));
    QCOMPARE(first.seq, 1);
    QVERIFY(store.updateChannel(u"c1"_qs, u"c1"_qs, QString(), true));
    StoredMessage refused = message(u"c1"_qs, u"a"_qs, u"after"_qs, u"2"_qs);
    const StoreResult<void> answer = store.appendMessageUnlessArchived(&refused);
    QVERIFY(!answer);
    QVERIFY(answer.notFound());
    StoredMessage missing = message(u"nope"_qs, u"a"_qs, u"x"_qs, u"3"_qs);
    QVERIFY(store.appendMessageUnlessArchived(&missing).notFound());
    StoredMessage notice = message(u"c1"_qs, u"a"_qs, u"archived"_qs, u"4"_qs);
    QVERIFY(store.appendMessage(&notice));
    QCOMPARE(notice.seq, 2); // the refused send used no seq
    QVERIFY(store.flush());
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

void tst_SqliteChatStore::aBatchThatDoesNotCommitIsNotReportedAsStored()
{
    QTemporaryDir dir;
    SqliteChatStore store(dir.filePath(u"db.sqlite"_qs));
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    seedMember(store);

    struct Answer
    {
        bool ran = false;
        StoreResult<void> result = StoreError::Failed;
        StoredMessage message;
    };
    // A send as the hub makes it (`done` is what the ack or the error is made of).
    const auto send = [&store](const QString &text, const QString &clientMsgId, Answer *answer) {
        store.appendMessageAsync(message(u"c1"_qs, u"a"_qs, text, clientMsgId), {}, {},
                                 [answer](StoreResult<void> result, const StoredMessage &m) {
                                     answer->ran = true;
                                     answer->result = result;
                                     answer->message = m;
                                 });
    };
    Answer first;
    send(u"one"_qs, u"k1"_qs, &first);
    QVERIFY(store.flush());
    QVERIFY(first.ran && !first.result.failed());
    QCOMPARE(first.message.seq, qint64(1));

    // From here the file system refuses every write, as a full disk does
    // (EFBIG instead of ENOSPC): the next commit fails.
    rlimit saved{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit refuse = saved;
    refuse.rlim_cur = 0;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &refuse), 0);
    Answer second;
    send(u"two"_qs, u"k2"_qs, &second);
    // Other jobs in the same batch (ChatStore::run, as the hub runs edits,
    // reactions and reads): a reaction, and a read.
    bool reactionFailed = false;
    const QString firstId = first.message.id;
    store.run(
        [firstId](ChatStore &s) {
            return s.setReaction(u"c1"_qs, firstId, u"a"_qs, u"+1"_qs, true, 20).failed();
        },
        [&reactionFailed](bool failed) { reactionFailed = failed; });
    int channelsRead = -1;
    store.run([](ChatStore &s) { return s.channelById(u"c1"_qs).has_value() ? 1 : 0; },
              [&channelsRead](int found) { channelsRead = found; });
    const bool committed = store.flush();
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY(!committed);
    // The sender is told the storage failed (the hub answers rate_limited: the
    // client keeps the message and sends it again), not that it was stored
    // with a seq: nobody gets an ack or a fan-out for a rolled-back message.
    QVERIFY(second.ran);
    QVERIFY(second.result.failed());
    QVERIFY(reactionFailed);
    QCOMPARE(channelsRead, 1); // a read still answers

    // Writing works again. The client sends "two" again; it takes seq 2, the
    // seq the rolled-back batch had taken, which nobody was ever told about.
    Answer again;
    send(u"two"_qs, u"k2"_qs, &again);
    Answer third;
    send(u"three"_qs, u"k3"_qs, &third);
    QVERIFY(store.flush());
    QVERIFY(again.ran && !again.result.failed());
    QCOMPARE(again.message.seq, qint64(2));
    QVERIFY(third.ran && !third.result.failed());
    QCOMPARE(third.message.seq, qint64(3));
    const auto stored = store.history(u"c1"_qs, 0, 10);
    QVERIFY(stored.has_value());
    QStringList texts;
    for (const StoredMessage &m : *stored)
        texts << QStringLiteral("%1:%2").arg(m.seq).arg(m.text);
    texts.sort();
    QCOMPARE(texts, QStringList({u"1:one"_qs, u"2:two"_qs, u"3:three"_qs}));
    const auto one = store.messageById(u"c1"_qs, firstId);
    QVERIFY(one.has_value());
    QVERIFY(one->reactions.isEmpty()); // the reaction's batch was rolled back
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

void tst_SqliteChatStore::hasFileReadsTheSearchDocsFlag()
{
    // §10 has:file reads search_docs.has_file, which whatever links files to a
    // message sets in the same transaction (docs/server.md, "Feeding has:file").
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    QString withFile;
    {
        SqliteChatStore store(path);
        QString error;
        QVERIFY(store.open(&error));
        StoredUser a;
        a.id = u"a"_qs;
        a.username = u"a"_qs;
        a.passwordHash = "h";
        QVERIFY(store.addUser(a, &error));
        StoredChannel c;
        c.id = u"c1"_qs;
        c.name = u"c1"_qs;
        c.members = {u"a"_qs};
        QVERIFY(store.addChannel(c, &error));
        StoredMessage plain = message(u"c1"_qs, u"a"_qs, u"report attached below"_qs, u"1"_qs);
        StoredMessage file = message(u"c1"_qs, u"a"_qs, u"report attached"_qs, u"2"_qs);
        StoredMessage empty = message(u"c1"_qs, u"a"_qs, QString(), u"3"_qs);
        QVERIFY(store.appendMessage(&plain));
        QVERIFY(store.appendMessage(&file));
        QVERIFY(store.appendMessage(&empty));
        QVERIFY(store.flush());
        withFile = file.id;
        const QString fileOnly = empty.id;
        store.close();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"files"_qs);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                u"UPDATE search_docs SET has_file = 1 WHERE message_id IN ('%1', '%2')"_qs.arg(
                    withFile, fileOnly)));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"files"_qs);
    }
    SqliteChatStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    const auto ids = [&](const QString &q) {
        QStringList out;
        for (const StoredSearchHit &h :
             *store.search(u"a"_qs, *SearchQueryParser::parse(q), {}, 10))
            out << h.message.text;
        return out;
    };
    QCOMPARE(ids(u"report has:file"_qs), QStringList{u"report attached"_qs});
    // A message with files and no text is found by has:file alone.
    QCOMPARE(ids(u"has:file"_qs), (QStringList{QString(), u"report attached"_qs}));
    QCOMPARE(ids(u"report"_qs).size(), 2);
}

void tst_SqliteChatStore::searchIndexesAWholeBatchAtItsCommit()
{
    // The search triggers queue what a batch writes and the commit indexes it in
    // one pass. Everything the batch sent, edited and deleted must count, also
    // when a delete frees the newest doc number and the next send takes it again.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    seedMember(store);
    int clientId = 0;
    const auto send = [&](const QString &text) {
        StoredMessage m = message(u"c1"_qs, u"a"_qs, text, QString::number(++clientId));
        return store.appendMessage(&m) ? m.id : QString();
    };
    // A committed batch: these are in the index when the next one starts.
    const QString oldEdited = send(u"earlier alpha"_qs);
    const QString oldDeleted = send(u"earlier beta"_qs);
    const QString newestDeleted = send(u"earlier gamma"_qs); // the newest doc
    QVERIFY(store.flush());
    QCOMPARE(found(store, u"earlier"_qs).size(), 3);

    // One batch: no commit until the flush below.
    QVERIFY(store.deleteMessage(u"c1"_qs, newestDeleted));
    const QString takesItsDoc = send(u"reused delta"_qs); // the doc gamma had
    constexpr int kSends = 300;
    QStringList ids;
    for (int i = 0; i < kSends; ++i)
        ids << send(u"batchword w%1"_qs.arg(i));
    QVERIFY(!ids.contains(QString()));
    QVERIFY(store.editMessage(u"c1"_qs, ids.at(10), u"batchword changed"_qs,
                              QDateTime::currentDateTimeUtc(), {}));
    QVERIFY(store.editMessage(u"c1"_qs, ids.at(10), u"batchword changed again"_qs,
                              QDateTime::currentDateTimeUtc(), {}));
    QVERIFY(store.deleteMessage(u"c1"_qs, ids.at(20)));
    const QString sentAndDeleted = send(u"fleeting epsilon"_qs); // the newest doc again
    QVERIFY(store.deleteMessage(u"c1"_qs, sentAndDeleted));
    const QString last = send(u"final zeta"_qs); // takes the doc epsilon had
    QVERIFY(store.editMessage(u"c1"_qs, oldEdited, u"earlier omega"_qs,
                              QDateTime::currentDateTimeUtc(), {}));
    QVERIFY(store.deleteMessage(u"c1"_qs, oldDeleted));
    QVERIFY(!last.isEmpty() && !takesItsDoc.isEmpty());
    QVERIFY(store.flush());

    QCOMPARE(found(store, u"batchword"_qs).size(), kSends - 1);
    for (int i = 0; i < kSends; ++i) {
        const QStringList hits = found(store, u"w%1"_qs.arg(i));
        if (i == 10 || i == 20)
            QVERIFY2(hits.isEmpty(), qPrintable(u"w%1"_qs.arg(i)));
        else
            QVERIFY2(hits == QStringList{u"batchword w%1"_qs.arg(i)}, qPrintable(hits.join(u'|')));
    }
    QCOMPARE(found(store, u"changed"_qs), QStringList{u"batchword changed again"_qs});
    QCOMPARE(found(store, u"reused"_qs), QStringList{u"reused delta"_qs});
    QCOMPARE(found(store, u"gamma"_qs), QStringList{});
    QCOMPARE(found(store, u"epsilon"_qs), QStringList{});
    QCOMPARE(found(store, u"zeta"_qs), QStringList{u"final zeta"_qs});
    QCOMPARE(found(store, u"earlier"_qs), QStringList{u"earlier omega"_qs});
    QCOMPARE(found(store, u"alpha OR beta"_qs), QStringList{});

    // A search inside an open batch finds what the batch wrote so far.
    const QString open = send(u"midbatch first"_qs);
    QCOMPARE(found(store, u"midbatch"_qs), QStringList{u"midbatch first"_qs});
    QVERIFY(store.editMessage(u"c1"_qs, open, u"midbatch second"_qs,
                              QDateTime::currentDateTimeUtc(), {}));
    QCOMPARE(found(store, u"midbatch"_qs), QStringList{u"midbatch second"_qs});
    QVERIFY(store.flush());
    QCOMPARE(found(store, u"first"_qs), QStringList{});
    store.close();

    // Committed: nothing left queued, and FTS5's own check passes.
    withDatabase(path, [](QSqlDatabase &db) {
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM search_pending"_qs), 0);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM message_search"_qs),
                 count(db, u"SELECT COUNT(*) FROM search_docs"_qs));
        verifySearchIndexIntegrity(db);
    });
}

void tst_SqliteChatStore::hasLinkFollowsSendsEditsAndReusedDocs()
{
    // Schema 10: a sent message's search row starts without has_link and the
    // indexing pass sets it (the insert trigger calls no function, so storing a
    // message needs no statement journal). has:link must still find exactly
    // the messages whose text has a link: sent, edited either way, in a doc
    // number a delete freed, before and after the commit, and after a restart.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    int clientId = 0;
    QString plain, linked, reused;
    {
        SqliteChatStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        seedMember(store);
        const auto send = [&](const QString &text) {
            StoredMessage m = message(u"c1"_qs, u"a"_qs, text, QString::number(++clientId));
            return store.appendMessage(&m) ? m.id : QString();
        };
        const auto edit = [&](const QString &id, const QString &text) {
            return bool(store.editMessage(u"c1"_qs, id, text, QDateTime::currentDateTimeUtc(), {}));
        };
        plain = send(u"plain words"_qs);
        linked = send(u"see https://example.org/a"_qs); // the newest doc
        // Inside the open batch: the search catches the index up first.
        QCOMPARE(found(store, u"has:link"_qs), QStringList{u"see https://example.org/a"_qs});
        QVERIFY(store.flush());
        QCOMPARE(found(store, u"has:link"_qs), QStringList{u"see https://example.org/a"_qs});

        // One batch: the linked message is deleted and the next send takes its
        // doc number; LIKE's rule is case-insensitive, so WWW. counts.
        QVERIFY(store.deleteMessage(u"c1"_qs, linked));
        reused = send(u"again at WWW.example.org"_qs);
        QVERIFY(edit(plain, u"plain words, now http://example.net"_qs));
        QVERIFY(!send(u"no link here, only www and http"_qs).isEmpty());
        QVERIFY(store.flush());
        QCOMPARE(found(store, u"has:link"_qs),
                 (QStringList{u"again at WWW.example.org"_qs,
                              u"plain words, now http://example.net"_qs}));

        // An edit that takes the link out, and a resend that changes nothing.
        QVERIFY(edit(reused, u"again, without it"_qs));
        StoredMessage resend =
            message(u"c1"_qs, u"a"_qs, u"https://resend.example"_qs, QString::number(clientId));
        QVERIFY(store.appendMessage(&resend).conflict());
        QVERIFY(store.flush());
        QCOMPARE(found(store, u"has:link"_qs),
                 QStringList{u"plain words, now http://example.net"_qs});
        store.close();
    }
    SqliteChatStore reopened(path);
    QString error;
    QVERIFY2(reopened.open(&error), qPrintable(error));
    QCOMPARE(found(reopened, u"has:link"_qs),
             QStringList{u"plain words, now http://example.net"_qs});
    QCOMPARE(found(reopened, u"without"_qs), QStringList{u"again, without it"_qs});
    reopened.close();
    withDatabase(path, [](QSqlDatabase &db) {
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM search_docs WHERE has_link = 1"_qs), 1);
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM search_pending"_qs), 0);
    });
}

void tst_SqliteChatStore::searchIndexCatchesUpWithoutASearch()
{
    // Busy, the index catches up in every 16th batch's commit (SqliteConnection);
    // the last messages before a pause are indexed within 250 ms with no search
    // asking (a search would index them itself), and a clean close leaves
    // nothing queued for the next start.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    seedMember(store);
    int clientId = 0;
    const auto send = [&](const QString &text) {
        StoredMessage m = message(u"c1"_qs, u"a"_qs, text, QString::number(++clientId));
        return store.appendMessage(&m) && store.flush();
    };
    // What another reader of the file sees (committed rows only).
    const auto rows = [&](const QString &table) {
        int n = -1;
        withDatabase(path,
                     [&](QSqlDatabase &db) { n = count(db, u"SELECT COUNT(*) FROM "_qs + table); });
        return n;
    };

    constexpr int kBatches = 40; // one message each, committed one by one
    for (int i = 0; i < kBatches; ++i)
        QVERIFY(send(u"pause%1"_qs.arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(rows(u"message_search"_qs), kBatches, 5000);
    QCOMPARE(rows(u"search_pending"_qs), 0);

    QVERIFY(send(u"closing words"_qs));
    store.close();
    QCOMPARE(rows(u"search_pending"_qs), 0);
    QCOMPARE(rows(u"message_search"_qs), kBatches + 1);
    withDatabase(path, verifySearchIndexIntegrity);
}

void tst_SqliteChatStore::queuedSearchEntriesAreIndexedAtTheNextStart()
{
    // A writer outside natterd's batching (the admin import copies rows with SQL
    // of its own) commits messages whose index entries are only queued: the
    // next start indexes them.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    {
        SqliteChatStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        seedMember(store);
        StoredMessage indexed = message(u"c1"_qs, u"a"_qs, u"imported before"_qs, u"1"_qs);
        QVERIFY(store.appendMessage(&indexed));
        QVERIFY(store.flush());
    }
    withDatabase(path, [](QSqlDatabase &db) {
        QSqlQuery q(db);
        QVERIFY(db.transaction());
        for (int seq = 2; seq <= 4; ++seq)
            QVERIFY2(q.exec(u"INSERT INTO messages (id, channel_id, seq, author_id, text, ts, "
                            "client_msg_id, ev) VALUES ('m%1', 'c1', %1, 'a', 'imported %1', %2, "
                            "'k%1', %1)"_qs.arg(QString::number(seq), QString::number(seq * 1000))),
                     qPrintable(q.lastError().text()));
        QVERIFY(q.exec(u"UPDATE messages SET text = 'imported later' WHERE id = 'm4'"_qs));
        QVERIFY(db.commit());
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM search_pending"_qs), 3);
    });
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(found(store, u"imported"_qs),
             (QStringList{u"imported later"_qs, u"imported 3"_qs, u"imported 2"_qs,
                          u"imported before"_qs}));
    store.close();
    withDatabase(path, [](QSqlDatabase &db) {
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM search_pending"_qs), 0);
    });
}

void tst_SqliteChatStore::aBatchWritesAfterAnotherProcessCommitted()
{
    // Another process on the same file (a second node, the admin CLI) commits
    // while natterd's batch is open and has only read so far (here: a search,
    // which catches the index up in a batch of its own). natterd's next write
    // in that batch must still be stored: with a deferred BEGIN the batch's
    // snapshot is outdated by then, and SQLite refuses the write at once
    // ("database is locked", SQLITE_BUSY_SNAPSHOT), so a `send` was answered
    // `unavailable` (seen with three nodes on one SQLite file).
    QTemporaryDir dir;
    const QString path = dir.filePath(u"db.sqlite"_qs);
    SqliteChatStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    seedMember(store); // a committed batch: the next search catches the index up
    QCOMPARE(found(store, u"anything"_qs), QStringList{}); // the batch opens, reads
    withDatabase(path, [](QSqlDatabase &db) {
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA busy_timeout=0"_qs));
        // Stored, or refused because natterd's batch already holds the write
        // lock (the other process would wait for it): either way natterd's
        // write below must work.
        q.exec(u"UPDATE users SET display_name = 'Ann' WHERE id = 'a'"_qs);
    });
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"after the other writer"_qs, u"1"_qs);
    QVERIFY(store.appendMessage(&m));
    QVERIFY(store.flush());
    QCOMPARE(found(store, u"writer"_qs), QStringList{u"after the other writer"_qs});
}

QTEST_GUILESS_MAIN(tst_SqliteChatStore)
#include "tst_sqlitechatstore.moc"
