// The per-profile SQLite file: the outbox keeps its order and its states across
// reopening the file (an application restart), and the history cache keeps the
// newest messages and the channel list.
#include "store/LocalStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
OutgoingMessage outgoing(const QString &id, const QString &channel = u"c"_s)
{
    OutgoingMessage m;
    m.clientMsgId = id;
    m.channel = channel;
    m.text = u"text of "_s + id;
    m.createdAt = QDateTime(QDate(2026, 11, 21), QTime(12, 0), Qt::UTC);
    return m;
}

Message message(qint64 seq, const QString &channel = u"c"_s)
{
    return Message{u"%1-%2"_s.arg(channel).arg(seq),
                   channel,
                   seq,
                   u"u1"_s,
                   u"t"_s,
                   QDateTime(QDate(2026, 11, 21), QTime(12, 0, 0, int(seq % 1000)), Qt::UTC),
                   u"cm"_s};
}

QStringList ids(const QList<OutgoingMessage> &messages)
{
    QStringList result;
    for (const auto &m : messages)
        result.append(m.clientMsgId);
    return result;
}
} // namespace

class tst_LocalStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void outboxSurvivesReopen();
    void outboxKeepsOrderPerChannel();
    void failedRetryDiscard();
    void cacheKeepsNewest();
    void cacheSurvivesReopenWithChannelsAndSeqs();
    void memoryStoreWorks();
    void upgradesAVersion1File();
    void applyRuleByRev();
    void upgradesAVersion2FileWithReactionsAndReplies();
    void upgradesAVersion4FileAndKeepsChannelDetails(); // and its outbox's files
    void attachmentsSurviveReopen();
    void draftsSurviveReopen();
    void pendingActionsSurviveReopen();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(u"profile/store.sqlite"_s); }
};

void tst_LocalStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_LocalStore::outboxSurvivesReopen()
{
    {
        LocalStore store(path());
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        for (int i = 0; i < 5; ++i)
            QVERIFY(store.enqueue(outgoing(u"m%1"_s.arg(i))));
        QVERIFY(store.markFailed(u"m2"_s, u"too long"_s));
    }
    LocalStore reopened(path());
    QVERIFY(reopened.open());
    const auto outbox = reopened.outbox();
    QCOMPARE(ids(outbox), (QStringList{u"m0"_s, u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s}));
    QCOMPARE(outbox[0], outgoing(u"m0"_s));
    QCOMPARE(outbox[2].state, OutgoingMessage::State::Failed);
    QCOMPARE(outbox[2].error, u"too long"_s);
    QCOMPARE(outbox[3].state, OutgoingMessage::State::Pending);
}

void tst_LocalStore::outboxKeepsOrderPerChannel()
{
    LocalStore store(path());
    QVERIFY(store.open());
    store.enqueue(outgoing(u"a1"_s, u"a"_s));
    store.enqueue(outgoing(u"b1"_s, u"b"_s));
    store.enqueue(outgoing(u"a2"_s, u"a"_s));
    QCOMPARE(ids(store.outbox(u"a"_s)), (QStringList{u"a1"_s, u"a2"_s}));
    QCOMPARE(ids(store.outbox(u"b"_s)), QStringList{u"b1"_s});
    QCOMPARE(ids(store.outbox()), (QStringList{u"a1"_s, u"b1"_s, u"a2"_s}));
    // A client_msg_id is unique: the same message cannot be queued twice.
    QVERIFY(!store.enqueue(outgoing(u"a1"_s, u"a"_s)));
}

void tst_LocalStore::failedRetryDiscard()
{
    LocalStore store(path());
    QVERIFY(store.open());
    store.enqueue(outgoing(u"m1"_s));
    store.enqueue(outgoing(u"m2"_s));
    store.enqueue(outgoing(u"m3"_s));
    QVERIFY(store.markFailed(u"m1"_s, u"refused"_s));
    QVERIFY(store.markPending(u"m1"_s)); // retry keeps its place
    QCOMPARE(ids(store.outbox()), (QStringList{u"m1"_s, u"m2"_s, u"m3"_s}));
    QCOMPARE(store.outgoing(u"m1"_s)->state, OutgoingMessage::State::Pending);
    QVERIFY(store.outgoing(u"m1"_s)->error.isEmpty());
    QVERIFY(store.remove(u"m2"_s)); // discard
    QVERIFY(!store.remove(u"m2"_s));
    QVERIFY(!store.outgoing(u"m2"_s));
    QVERIFY(!store.markFailed(u"nope"_s, u"x"_s));
    QCOMPARE(ids(store.outbox()), (QStringList{u"m1"_s, u"m3"_s}));
}

void tst_LocalStore::cacheKeepsNewest()
{
    LocalStore store(path(), 10);
    QVERIFY(store.open());
    QList<Message> batch;
    for (int i = 1; i <= 25; ++i)
        batch.append(message(i));
    QVERIFY(store.cacheMessages(batch));
    QVERIFY(store.cacheMessages({message(3, u"other"_s)}));
    const auto newest = store.cachedMessages(u"c"_s, 5);
    QCOMPARE(newest.size(), 5);
    QCOMPARE(newest.first().seq, 21); // the newest five, oldest first
    QCOMPARE(newest.last(), message(25));
    QCOMPARE(store.cachedMessages(u"c"_s, 100).size(), 10); // trimmed to 10
    QCOMPARE(store.cachedMessages(u"other"_s, 100).size(), 1);
    // The same message again replaces, never duplicates.
    QVERIFY(store.cacheMessages({message(25)}));
    QCOMPARE(store.cachedMessages(u"c"_s, 100).size(), 10);
}

void tst_LocalStore::cacheSurvivesReopenWithChannelsAndSeqs()
{
    const QList<Channel> channels{
        Channel{u"c1"_s, u"general"_s, ChannelKind::Channel, {u"u1"_s, u"u2"_s}, 9, 8},
        Channel{u"d1"_s, QString(), ChannelKind::Direct, {u"u1"_s, u"u3"_s}, 2, 0},
    };
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.cacheChannels(channels));
        QVERIFY(store.cacheMessages({message(1, u"c1"_s), message(2, u"c1"_s)}));
        QVERIFY(store.setLastSeq(u"c1"_s, 2));
        QVERIFY(store.setLastSeq(u"c1"_s, 9));
    }
    LocalStore store(path());
    QVERIFY(store.open());
    const auto cached = store.cachedChannels();
    QCOMPARE(cached.size(), 2);
    QCOMPARE(cached[0].id, channels[0].id);
    QCOMPARE(cached[0].members, channels[0].members);
    QCOMPARE(cached[0].lastSeq, 9);
    QCOMPARE(cached[1].kind, ChannelKind::Direct);
    QCOMPARE(store.cachedMessages(u"c1"_s, 50).size(), 2);
    QCOMPARE(store.lastSeqs(), (QHash<QString, qint64>{{u"c1"_s, 9}}));
    // A new snapshot replaces the old channel list.
    QVERIFY(store.cacheChannels({channels[1]}));
    QCOMPARE(store.cachedChannels().size(), 1);
}

void tst_LocalStore::memoryStoreWorks()
{
    LocalStore a(u":memory:"_s);
    LocalStore b(u":memory:"_s);
    QVERIFY(a.open());
    QVERIFY(b.open());
    QVERIFY(a.enqueue(outgoing(u"m"_s)));
    QCOMPARE(a.outbox().size(), 1);
    QCOMPARE(b.outbox().size(), 0); // separate stores stay separate
}

void tst_LocalStore::upgradesAVersion1File()
{
    // A file exactly as the previous release (schema 1) left it.
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v1"_s);
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (
            const QString &sql :
            {u"CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT,"
             " client_msg_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, text TEXT NOT NULL,"
             " created_at INTEGER NOT NULL, state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '')"_s,
             u"CREATE TABLE messages (id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
             " seq INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER,"
             " client_msg_id TEXT)"_s,
             u"CREATE INDEX messages_channel_seq ON messages(channel, seq)"_s,
             u"CREATE TABLE channels (position INTEGER NOT NULL, id TEXT PRIMARY KEY,"
             " name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,"
             " last_seq INTEGER NOT NULL, last_read_seq INTEGER NOT NULL)"_s,
             u"CREATE TABLE sync_state (channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)"_s,
             u"INSERT INTO messages VALUES ('c-1', 'c', 1, 'u1', 'first', 1000, 'cm')"_s,
             u"INSERT INTO messages VALUES ('c-2', 'c', 2, 'u1', 'second', 2000, '')"_s,
             u"INSERT INTO channels VALUES (0, 'c', 'general', 'channel', 'u1', 2, 1)"_s,
             u"INSERT INTO sync_state VALUES ('c', 2)"_s,
             u"INSERT INTO outbox (client_msg_id, channel, text, created_at, state)"
             " VALUES ('x', 'c', 'unsent', 3000, 'pending')"_s,
             u"PRAGMA user_version = 1"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v1"_s);

    LocalStore store(path());
    QVERIFY2(store.open(), qPrintable(store.errorString()));
    // Everything of version 1 is still there, with the v2 fields' neutral values.
    const QList<Message> cached = store.cachedMessages(u"c"_s);
    QCOMPARE(cached.size(), 2);
    QCOMPARE(cached[0].text, u"first"_s);
    QCOMPARE(cached[0].rev, 0);
    QVERIFY(!cached[0].deleted);
    QVERIFY(!cached[0].editedAt.isValid());
    QCOMPARE(cached[0].kind, MessageKind::User);
    QCOMPARE(store.lastSeqs().value(u"c"_s), 2);
    QVERIFY(store.lastEvs().isEmpty()); // never told by a v2 server: no resume_ev
    QCOMPARE(store.cachedChannels().first().lastEv, 0);
    QCOMPARE(store.outbox().first().text, u"unsent"_s);

    // A v2 copy replaces a v1 one; then the edit and the tombstone are kept.
    Message edited = cached[0];
    edited.rev = 2;
    edited.ev = 5;
    edited.text = u"first, edited"_s;
    edited.editedAt = QDateTime(QDate(2026, 11, 22), QTime(8, 0), Qt::UTC);
    Message tombstone = cached[1];
    tombstone.rev = 2;
    tombstone.ev = 6;
    tombstone.text.clear();
    tombstone.deleted = true;
    QVERIFY(store.updateMessages({edited, tombstone}));
    QVERIFY(store.setLastEv(u"c"_s, 6));
    QVERIFY(store.setLastSeq(u"c"_s, 2)); // does not forget last_ev
    QCOMPARE(store.lastEvs().value(u"c"_s), 6);
    const QList<Message> after = store.cachedMessages(u"c"_s);
    QCOMPARE(after[0], edited);
    QCOMPARE(after[1], tombstone);

    // Reopening finds schema 2 and does not run a step again.
    LocalStore again(path());
    QVERIFY(again.open());
    QCOMPARE(again.cachedMessages(u"c"_s), after);
    QSqlDatabase check = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
    check.setDatabaseName(path());
    QVERIFY(check.open());
    QSqlQuery version(check);
    QVERIFY(version.exec(u"PRAGMA user_version"_s) && version.next());
    QCOMPARE(version.value(0).toInt(), LocalStore::schemaVersion());
    QCOMPARE(LocalStore::schemaVersion(), 8);
    version.finish();
    check.close();
}

void tst_LocalStore::applyRuleByRev()
{
    LocalStore store(path());
    QVERIFY(store.open());
    QList<Message> page;
    for (int seq = 1; seq <= 5; seq += 2) { // 1, 3, 5: a range with holes
        Message m = message(seq);
        m.rev = 1;
        m.ev = seq;
        page.append(m);
    }
    QVERIFY(store.cacheMessages(page));
    Message v3 = page[1];
    v3.rev = 3;
    v3.text = u"three"_s;
    Message v2 = page[1];
    v2.rev = 2;
    v2.text = u"two"_s;
    // Out of order and twice: the highest rev stays.
    QVERIFY(store.updateMessages({v3, v2, v3}));
    QVERIFY(store.cacheMessages({page[1]})); // an older copy from a history page
    QCOMPARE(store.cachedMessages(u"c"_s).at(1).text, u"three"_s);
    // Not held: stored inside the range, never outside it.
    Message inside = message(2);
    inside.rev = 2;
    Message outside = message(9);
    outside.rev = 2;
    QVERIFY(store.updateMessages({inside, outside}));
    QList<qint64> seqs;
    for (const Message &m : store.cachedMessages(u"c"_s))
        seqs.append(m.seq);
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3, 5}));
    // A resync forgets the channel.
    QVERIFY(store.dropMessages(u"c"_s));
    QVERIFY(store.cachedMessages(u"c"_s).isEmpty());
}

void tst_LocalStore::upgradesAVersion2FileWithReactionsAndReplies()
{
    // A file exactly as the issue-11 release (schema 2) left it: a v2 message, a
    // channel with its last_ev, an unsent message.
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v2"_s);
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (
            const QString &sql :
            {u"CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT,"
             " client_msg_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, text TEXT NOT NULL,"
             " created_at INTEGER NOT NULL, state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '')"_s,
             u"CREATE TABLE messages (id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
             " seq INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER,"
             " client_msg_id TEXT, kind TEXT NOT NULL DEFAULT 'user',"
             " rev INTEGER NOT NULL DEFAULT 0, ev INTEGER NOT NULL DEFAULT 0, edited_at INTEGER,"
             " deleted INTEGER NOT NULL DEFAULT 0, mentions TEXT NOT NULL DEFAULT '')"_s,
             u"CREATE INDEX messages_channel_seq ON messages(channel, seq)"_s,
             u"CREATE TABLE channels (position INTEGER NOT NULL, id TEXT PRIMARY KEY,"
             " name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,"
             " last_seq INTEGER NOT NULL, last_read_seq INTEGER NOT NULL,"
             " last_ev INTEGER NOT NULL DEFAULT 0)"_s,
             u"CREATE TABLE sync_state (channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL,"
             " last_ev INTEGER)"_s,
             u"CREATE TABLE held_actions (position INTEGER PRIMARY KEY AUTOINCREMENT,"
             " client_msg_id TEXT NOT NULL, remove INTEGER NOT NULL, text TEXT NOT NULL)"_s,
             u"INSERT INTO messages VALUES ('c-1', 'c', 1, 'u2', 'hi @alice', 1000, '', 'user',"
             " 2, 4, 1500, 0, 'u1')"_s,
             u"INSERT INTO channels VALUES (0, 'c', 'general', 'channel', 'u1', 1, 0, 4)"_s,
             u"INSERT INTO sync_state VALUES ('c', 1, 4)"_s,
             u"INSERT INTO outbox (client_msg_id, channel, text, created_at, state)"
             " VALUES ('x', 'c', 'unsent', 3000, 'pending')"_s,
             u"PRAGMA user_version = 2"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v2"_s);

    {
        LocalStore store(path());
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        // What schema 2 held is all there, with no reactions, no reply, no mention count.
        const QList<Message> cached = store.cachedMessages(u"c"_s);
        QCOMPARE(cached.size(), 1);
        QCOMPARE(cached[0].text, u"hi @alice"_s);
        QCOMPARE(cached[0].rev, 2);
        QCOMPARE(cached[0].mentions, QStringList{u"u1"_s});
        QVERIFY(cached[0].reactions.isEmpty());
        QVERIFY(!cached[0].replyTo);
        QCOMPARE(store.cachedChannels().first().lastEv, 4);
        QCOMPARE(store.cachedChannels().first().mentionCount, 0);
        QCOMPARE(store.lastEvs().value(u"c"_s), 4);
        QCOMPARE(store.outbox().first().text, u"unsent"_s);
        QVERIFY(store.outbox().first().replyTo.isEmpty());

        // §7 fields of newer copies are kept: reactions (order and users), a reply
        // target, a mention count, a reply waiting in the outbox.
        Message reacted = cached[0];
        reacted.rev = 3;
        reacted.ev = 5;
        reacted.reactions = {Reaction{u"👍"_s, 2, {u"u2"_s, u"u1"_s}},
                             Reaction{u"👨‍👩‍👧"_s, 1, {u"u1"_s}}};
        Message reply = message(2);
        reply.author = u"u1"_s;
        reply.rev = 1;
        reply.ev = 6;
        reply.replyTo = ReplyRef{u"c-1"_s, 1, u"u2"_s, u"hi @alice"_s, false};
        // A §7 system message keeps its `S`, so it is worded again from the cache.
        Message joined = message(3);
        joined.kind = MessageKind::System;
        joined.text.clear();
        joined.rev = 1;
        joined.ev = 7;
        joined.system = QJsonObject{{u"event"_s, u"joined"_s}, {u"users"_s, QJsonArray{u"u2"_s}}};
        QVERIFY(store.updateMessages({reacted}));
        QVERIFY(store.cacheMessages({reply, joined}));
        Channel general = store.cachedChannels().first();
        general.mentionCount = 3;
        QVERIFY(store.cacheChannels({general}));
        OutgoingMessage answer = outgoing(u"y"_s);
        answer.replyTo = u"c-1"_s;
        QVERIFY(store.enqueue(answer));
    }
    LocalStore again(path());
    QVERIFY(again.open());
    const QList<Message> after = again.cachedMessages(u"c"_s);
    QCOMPARE(after.size(), 3);
    QCOMPARE(after[2].kind, MessageKind::System);
    QCOMPARE(after[2].system.value(u"event"_s).toString(), u"joined"_s);
    QCOMPARE(after[2].system.value(u"users"_s).toArray(), QJsonArray{u"u2"_s});
    QCOMPARE(after[0].reactions.size(), 2);
    QCOMPARE(after[0].reactions[0].emoji, u"👍"_s);
    QCOMPARE(after[0].reactions[0].users, (QStringList{u"u2"_s, u"u1"_s}));
    QCOMPARE(after[0].reactions[1].emoji, u"👨‍👩‍👧"_s);
    QVERIFY(after[1].replyTo);
    QCOMPARE(*after[1].replyTo, (ReplyRef{u"c-1"_s, 1, u"u2"_s, u"hi @alice"_s, false}));
    QCOMPARE(again.cachedMessage(u"c-1"_s).value_or(Message{}).rev, 3);
    QCOMPARE(again.cachedChannels().first().mentionCount, 3);
    QCOMPARE(again.outbox().last().replyTo, u"c-1"_s);
    QCOMPARE(LocalStore::schemaVersion(), 8);
}

void tst_LocalStore::upgradesAVersion4FileAndKeepsChannelDetails()
{
    // A file exactly as the issue-13 release (schema 4) left it: a channel and a
    // direct conversation, a cached message, an unsent one.
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v4"_s);
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const QString &sql :
             {u"CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT,"
              " client_msg_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, text TEXT NOT NULL,"
              " created_at INTEGER NOT NULL, state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',"
              " reply_to TEXT NOT NULL DEFAULT '')"_s,
              u"CREATE TABLE messages (id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
              " seq INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER,"
              " client_msg_id TEXT, kind TEXT NOT NULL DEFAULT 'user',"
              " rev INTEGER NOT NULL DEFAULT 0, ev INTEGER NOT NULL DEFAULT 0, edited_at INTEGER,"
              " deleted INTEGER NOT NULL DEFAULT 0, mentions TEXT NOT NULL DEFAULT '',"
              " reply_to TEXT NOT NULL DEFAULT '', reactions TEXT NOT NULL DEFAULT '',"
              " system TEXT NOT NULL DEFAULT '')"_s,
              u"CREATE INDEX messages_channel_seq ON messages(channel, seq)"_s,
              u"CREATE TABLE channels (position INTEGER NOT NULL, id TEXT PRIMARY KEY,"
              " name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,"
              " last_seq INTEGER NOT NULL, last_read_seq INTEGER NOT NULL,"
              " last_ev INTEGER NOT NULL DEFAULT 0, mention_count INTEGER NOT NULL DEFAULT 0)"_s,
              u"CREATE TABLE sync_state (channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL,"
              " last_ev INTEGER)"_s,
              u"CREATE TABLE held_actions (position INTEGER PRIMARY KEY AUTOINCREMENT,"
              " client_msg_id TEXT NOT NULL, remove INTEGER NOT NULL, text TEXT NOT NULL)"_s,
              u"INSERT INTO messages (id, channel, seq, author, text, ts, client_msg_id, kind,"
              " rev, ev) VALUES ('c-1', 'c', 1, 'u2', 'hello', 1000, '', 'user', 1, 1)"_s,
              u"INSERT INTO channels VALUES (0, 'c', 'general', 'channel', 'u1\nu2', 1, 1, 1, 2)"_s,
              u"INSERT INTO channels VALUES (1, 'd', '', 'direct', 'u1\nu2', 0, 0, 0, 0)"_s,
              u"INSERT INTO sync_state VALUES ('c', 1, 1)"_s,
              u"INSERT INTO outbox (client_msg_id, channel, text, created_at, state)"
              " VALUES ('x', 'c', 'unsent', 3000, 'pending')"_s,
              u"PRAGMA user_version = 4"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v4"_s);

    {
        LocalStore store(path());
        QVERIFY2(store.open(), qPrintable(store.errorString()));
        // An upgraded file keeps drafts too (schema 8).
        QVERIFY(store.drafts().isEmpty());
        QVERIFY(store.setDraft(u"c"_s, u"not sent yet"_s));
        // Upgraded in place: what schema 4 held is there, and the §8 details read
        // as a v1 channel of that kind has them until a server says more.
        const QList<Channel> channels = store.cachedChannels();
        QCOMPARE(channels.size(), 2);
        QCOMPARE(channels[0].name, u"general"_s);
        QCOMPARE(channels[0].members, (QStringList{u"u1"_s, u"u2"_s}));
        QCOMPARE(channels[0].mentionCount, 2);
        QCOMPARE(channels[0].visibility, ChannelVisibility::Public);
        QCOMPARE(channels[0].topic, QString());
        QCOMPARE(channels[0].owner, QString());
        QVERIFY(!channels[0].archived);
        QCOMPARE(channels[0].notify, NotifyLevel::All);
        QCOMPARE(channels[1].kind, ChannelKind::Direct);
        QCOMPARE(channels[1].visibility, ChannelVisibility::Direct);
        QCOMPARE(store.cachedMessages(u"c"_s).size(), 1);
        QCOMPARE(store.outbox().first().text, u"unsent"_s);
        QVERIFY(store.outbox().first().attachments.isEmpty());
        // §9: a message of files only, and one of text and files, keep their
        // files in order in the upgraded outbox.
        OutgoingMessage files = outgoing(u"y"_s);
        files.text.clear();
        files.attachments = {u"f2"_s, u"f1"_s};
        QVERIFY(store.enqueue(files));
        OutgoingMessage both = outgoing(u"z"_s);
        both.attachments = {u"f3"_s};
        QVERIFY(store.enqueue(both));

        // §8: topic, visibility, owner, archived and notify are kept from now on.
        Channel general = channels[0];
        general.visibility = ChannelVisibility::Private;
        general.topic = u"Plans for Friday — ünïcode too"_s;
        general.owner = u"u2"_s;
        general.archived = true;
        general.notify = NotifyLevel::Mentions;
        Channel direct = channels[1];
        direct.notify = NotifyLevel::None;
        QVERIFY(store.cacheChannels({general, direct}));
    }
    LocalStore again(path());
    QVERIFY(again.open());
    const QList<Channel> after = again.cachedChannels();
    QCOMPARE(after.size(), 2);
    QCOMPARE(after[0].visibility, ChannelVisibility::Private);
    QCOMPARE(after[0].topic, u"Plans for Friday — ünïcode too"_s);
    QCOMPARE(after[0].owner, u"u2"_s);
    QVERIFY(after[0].archived);
    QCOMPARE(after[0].notify, NotifyLevel::Mentions);
    QCOMPARE(after[1].visibility, ChannelVisibility::Direct);
    QCOMPARE(after[1].notify, NotifyLevel::None);
    QVERIFY(!after[1].archived);
    const QList<OutgoingMessage> outbox = again.outbox();
    QCOMPARE(ids(outbox), (QStringList{u"x"_s, u"y"_s, u"z"_s}));
    QVERIFY(outbox[0].attachments.isEmpty());
    QCOMPARE(outbox[1].attachments, (QStringList{u"f2"_s, u"f1"_s}));
    QVERIFY(outbox[1].text.isEmpty());
    QCOMPARE(outbox[2].attachments, QStringList{u"f3"_s});
    QCOMPARE(again.outgoing(u"y"_s).value_or(OutgoingMessage{}).attachments,
             (QStringList{u"f2"_s, u"f1"_s}));
    QSqlDatabase check = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check5"_s);
    check.setDatabaseName(path());
    QVERIFY(check.open());
    QSqlQuery version(check);
    QVERIFY(version.exec(u"PRAGMA user_version"_s) && version.next());
    QCOMPARE(version.value(0).toInt(), LocalStore::schemaVersion());
    version.finish();
    check.close();
}

void tst_LocalStore::attachmentsSurviveReopen()
{
    // §9: a message shown from the cache keeps its files, in order.
    Message m = message(1, u"c1"_s);
    m.rev = 1;
    m.attachments = {Attachment{u"f1"_s, u"photo.png"_s, 5120, u"image/png"_s, 1000, 600, true},
                     Attachment{u"f2"_s, u"notes.pdf"_s, 77, u"application/pdf"_s}};
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.cacheMessages({m}));
    }
    LocalStore store(path());
    QVERIFY(store.open());
    const auto cached = store.cachedMessages(u"c1"_s, 50);
    QCOMPARE(cached.size(), 1);
    QCOMPARE(cached[0].attachments, m.attachments);
}

QTEST_GUILESS_MAIN(tst_LocalStore)
void tst_LocalStore::draftsSurviveReopen()
{
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.setDraft(u"c1"_s, u"half a thought"_s));
        QVERIFY(store.setDraft(u"c2"_s, u"sent, then gone"_s));
        QVERIFY(store.setDraft(u"c1"_s, u"half a thought, and more\non two lines"_s));
        QVERIFY(store.setDraft(u"c2"_s, QString())); // sent: forgotten
    }
    LocalStore again(path());
    QVERIFY(again.open());
    const QHash<QString, QString> expected{{u"c1"_s, u"half a thought, and more\non two lines"_s}};
    QCOMPARE(again.drafts(), expected);
}

void tst_LocalStore::pendingActionsSurviveReopen()
{
    using Pending = LocalStore::PendingAction;
    {
        LocalStore store(path());
        QVERIFY(store.open());
        QVERIFY(store.keepAction({u"k1"_s, u"c1"_s, u"m1"_s, u"edit"_s, u"new text"_s, true}));
        QVERIFY(store.keepAction({u"k2"_s, u"c1"_s, u"m1"_s, u"react"_s, u"👍"_s, false}));
        QVERIFY(store.keepAction({u"k3"_s, u"c2"_s, u"m9"_s, u"delete"_s, {}, true}));
        QVERIFY(store.forgetAction(u"k2"_s)); // answered
    }
    LocalStore again(path());
    QVERIFY(again.open());
    const QList<Pending> pending = again.pendingActions();
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending[0].key, u"k1"_s);
    QCOMPARE(pending[0].channel, u"c1"_s);
    QCOMPARE(pending[0].messageId, u"m1"_s);
    QCOMPARE(pending[0].kind, u"edit"_s);
    QCOMPARE(pending[0].text, u"new text"_s);
    QCOMPARE(pending[1].key, u"k3"_s);
    QCOMPARE(pending[1].kind, u"delete"_s);
    QCOMPARE(pending[1].text, QString());
}

#include "tst_LocalStore.moc"
