// The storage contract every ChatStore backend passes: users, channels and
// memberships, messages (gapless seq, idempotent client_msg_id, the v2 change
// model: ev, rev, edit, delete as a tombstone, changedSince), refresh-token
// families, durability across a reopen and the change feed.
//
// Data-driven over a store factory (initTestCase_data): every case runs once
// per backend row: SQLite on a file, PostgreSQL on a real server this test
// starts (PostgresProcess: initdb + postgres in a temp dir, stopped at the end),
// one fresh database per case.
// Backend-specific behaviour (SQLite's pragmas, WAL checkpoints, secure_delete,
// schema migrations) is tested beside the backend (tst_sqlitechatstore).
#include "PostgresProcess.h"
#include "store/ChatStore.h"
#include "store/postgres/PgChatStore.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <limits>

#include <atomic>
#include <functional>
#include <memory>

using namespace Natter::Server;

namespace {

// Makes a store on the scratch storage named by `scratch` (a fresh directory
// per test case). Called twice with the same `scratch`, it must return two
// stores on the same data: that is how the cases model a restart and a second
// process (the admin CLI).
using StoreFactory = std::function<std::unique_ptr<ChatStore>(const QString &scratch)>;

// The PostgreSQL server of this run (started in initTestCase).
PostgresProcess *postgres = nullptr;

// A database per scratch directory, made the first time it is asked for.
QString databaseFor(const QString &scratch)
{
    const QString name =
        u"t_"_qs
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

// The backends, in the order their rows run.
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

StoredUser user(const QString &name, const QString &displayName = {})
{
    StoredUser u;
    u.id = name + u"-id"_qs;
    u.username = name;
    u.displayName = displayName;
    u.passwordHash = "argon2id-hash-of-" + name.toUtf8();
    return u;
}

StoredChannel channel(const QString &id, const QStringList &members = {}, bool direct = false)
{
    StoredChannel c;
    c.id = id;
    c.name = direct ? QString() : id;
    c.direct = direct;
    c.members = members;
    return c;
}

StoredMessage message(const QString &channel, const QString &author, const QString &text,
                      const QString &clientMsgId)
{
    StoredMessage m;
    m.channel = channel;
    m.author = author;
    m.text = text;
    m.clientMsgId = clientMsgId;
    return m;
}

QStringList usernames(const QList<StoredUser> &users)
{
    QStringList result;
    for (const StoredUser &u : users)
        result << u.username;
    return result;
}

// "emoji:user,user|emoji:user": a message's reactions, in order.
QString reactionsOf(const StoredMessage &m)
{
    QStringList out;
    for (const StoredReaction &r : m.reactions)
        out << r.emoji + u':' + r.users.join(u',');
    return out.join(u'|');
}

QList<qint64> seqs(const QList<StoredMessage> &messages)
{
    QList<qint64> result;
    for (const StoredMessage &m : messages)
        result << m.seq;
    return result;
}

} // namespace

class tst_ChatStoreContract : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void initTestCase_data();
    void init();
    void cleanup();

    // Users
    void usersByNameAndId();
    void usernameIsUnique();
    void userUpdates();
    void userDirectory();
    // Channels and memberships
    void channelsAndMembers();
    void channelNameIsUniqueAmongChannels();
    void directChannels();
    void contactsAndMemberships();
    void lastReadSeq();
    // Messages
    void seqIsGaplessPerChannel();
    void clientMsgIdIsIdempotent();
    void twoWritersShareOneGaplessSeq();
    void historyPaging();
    void evAndRevNumberEveryChange();
    void editAndDeleteRules();
    void changedSinceOrdersByEv();
    void changedSinceInALongChannel();
    void reactionsFollowTheRules();
    void replyTargetIsReadInItsCurrentState();
    void mentionsAndMentionCount();
    // Errors
    void lookupsTellNotFoundFromFailed();
    void writesTellNotFoundConflictAndFailed();
    void listReadsTellEmptyFromFailed();
    // Refresh-token families
    void refreshTokens();
    void familyOfDisabledUserIsInactive();
    void expiredRefreshTokensAreDeleted();
    // Durability, restart, other processes
    void whenDurableRunsAfterTheWrite();
    void asyncAppendsAnswerInCallOrder();
    void jobsSeeEarlierWritesAndAnswerInCallOrder();
    void everythingSurvivesAReopen();
    void changeFeedSignalsAnotherProcessCommit();

private:
    // Opens a store of the current row's backend on this case's scratch storage.
    ChatStore *open();
    std::unique_ptr<ChatStore> openAnother();

    std::unique_ptr<QTemporaryDir> m_scratch;
    std::unique_ptr<ChatStore> m_store;
    PostgresProcess m_postgres;
};

void tst_ChatStoreContract::initTestCase()
{
    QVERIFY2(m_postgres.start(), qPrintable(m_postgres.errorString()));
    postgres = &m_postgres;
}

void tst_ChatStoreContract::cleanupTestCase()
{
    postgres = nullptr;
    QVERIFY(m_postgres.stop());
}

void tst_ChatStoreContract::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    for (const auto &[name, factory] : storeFactories())
        QTest::newRow(qPrintable(name)) << name;
}

void tst_ChatStoreContract::init()
{
    m_scratch = std::make_unique<QTemporaryDir>();
    QVERIFY(m_scratch->isValid());
}

void tst_ChatStoreContract::cleanup()
{
    m_store.reset();
    m_scratch.reset();
}

std::unique_ptr<ChatStore> tst_ChatStoreContract::openAnother()
{
    QFETCH_GLOBAL(QString, backend);
    std::unique_ptr<ChatStore> store;
    for (const auto &[name, factory] : storeFactories()) {
        if (name == backend)
            store = factory(m_scratch->path());
    }
    if (!store)
        return nullptr;
    QString error;
    if (!store->open(&error)) {
        qWarning("cannot open the %s store: %s", qPrintable(backend), qPrintable(error));
        return nullptr;
    }
    return store;
}

ChatStore *tst_ChatStoreContract::open()
{
    m_store = openAnother();
    return m_store.get();
}

void tst_ChatStoreContract::usersByNameAndId()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    StoredUser alice = user(u"alice"_qs, u"Alice Liddell"_qs);
    alice.admin = true;
    QVERIFY2(store->addUser(alice, &error), qPrintable(error));
    QVERIFY(store->addUser(user(u"bob"_qs), &error));
    const auto byName = store->userByName(u"alice"_qs);
    QVERIFY(byName);
    QCOMPARE(byName->id, u"alice-id"_qs);
    QCOMPARE(byName->displayName, u"Alice Liddell"_qs);
    QCOMPARE(byName->passwordHash, QByteArray("argon2id-hash-of-alice"));
    QVERIFY(byName->admin);
    QVERIFY(!byName->disabled);
    QVERIFY(!byName->lastSeen.isValid());
    const auto byId = store->userById(u"bob-id"_qs);
    QVERIFY(byId);
    QCOMPARE(byId->username, u"bob"_qs);
    QCOMPARE(byId->displayName, QString());
    QVERIFY(!byId->admin);
    QVERIFY(!store->userByName(u"carol"_qs));
    QVERIFY(!store->userById(u"carol-id"_qs));
    // An empty id: the store makes one.
    StoredUser carol = user(u"carol"_qs);
    carol.id.clear();
    QVERIFY(store->addUser(carol, &error));
    QVERIFY(!store->userByName(u"carol"_qs)->id.isEmpty());
}

void tst_ChatStoreContract::usernameIsUnique()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    StoredUser again = user(u"alice"_qs);
    again.id = u"other-id"_qs;
    QVERIFY(!store->addUser(again, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(store->userByName(u"alice"_qs)->id, u"alice-id"_qs);
}

void tst_ChatStoreContract::userUpdates()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    QVERIFY(store->addUser(user(u"bob"_qs), &error));
    QVERIFY(store->setPassword(u"alice-id"_qs, "new-hash"));
    QCOMPARE(store->userById(u"alice-id"_qs)->passwordHash, QByteArray("new-hash"));
    QCOMPARE(store->disabledUserIds().value(), QSet<QString>{});
    QVERIFY(store->setDisabled(u"bob-id"_qs, true));
    QVERIFY(store->userById(u"bob-id"_qs)->disabled);
    QCOMPARE(store->disabledUserIds().value(), QSet<QString>{u"bob-id"_qs});
    QVERIFY(store->setDisabled(u"bob-id"_qs, false));
    QCOMPARE(store->disabledUserIds().value(), QSet<QString>{});
    QVERIFY(store->setAdmin(u"bob-id"_qs, true));
    QVERIFY(store->userById(u"bob-id"_qs)->admin);
    QVERIFY(store->setAdmin(u"bob-id"_qs, false));
    QVERIFY(!store->userByName(u"bob"_qs)->admin);
    const QDateTime seen = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    store->setLastSeen(u"alice-id"_qs, seen);
    QCOMPARE(store->userById(u"alice-id"_qs)->lastSeen, seen);
    // Unknown users: false, not a silent success.
    QVERIFY(!store->setPassword(u"nobody"_qs, "h"));
    QVERIFY(!store->setDisabled(u"nobody"_qs, true));
    QVERIFY(!store->setAdmin(u"nobody"_qs, true));
}

void tst_ChatStoreContract::userDirectory()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    for (const auto &[name, display] :
         {std::pair{u"dave"_qs, u"Dave Bowman"_qs}, std::pair{u"alice"_qs, u"Alice"_qs},
          std::pair{u"carol"_qs, u"Carol Bowman"_qs}, std::pair{u"bob"_qs, u"Robert"_qs}})
        QVERIFY(store->addUser(user(name, display), &error));
    QVERIFY(store->setDisabled(u"carol-id"_qs, true));
    // Ordered by username, paged by the last username seen.
    QCOMPARE(usernames(store->users({}, {}, 2, true).value()),
             (QStringList{u"alice"_qs, u"bob"_qs}));
    QCOMPARE(usernames(store->users({}, u"bob"_qs, 2, true).value()),
             (QStringList{u"carol"_qs, u"dave"_qs}));
    QCOMPARE(usernames(store->users({}, {}, 10, false).value()),
             (QStringList{u"alice"_qs, u"bob"_qs, u"dave"_qs}));
    // The query matches username or display name, case-insensitively.
    QCOMPARE(usernames(store->users(u"BOWMAN"_qs, {}, 10, true).value()),
             (QStringList{u"carol"_qs, u"dave"_qs}));
    QCOMPARE(usernames(store->users(u"bowman"_qs, {}, 10, false).value()),
             (QStringList{u"dave"_qs}));
    QCOMPARE(usernames(store->users(u"ob"_qs, {}, 10, true).value()), (QStringList{u"bob"_qs}));
    QCOMPARE(usernames(store->users(u"zzz"_qs, {}, 10, true).value()), QStringList());
}

void tst_ChatStoreContract::channelsAndMembers()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(store->addUser(user(name), &error));
    QVERIFY2(store->addChannel(channel(u"general"_qs, {u"bob-id"_qs, u"alice-id"_qs}), &error),
             qPrintable(error));
    QVERIFY(store->addChannel(channel(u"random"_qs, {u"alice-id"_qs}), &error));
    const auto general = store->channelById(u"general"_qs);
    QVERIFY(general);
    QCOMPARE(general->name, u"general"_qs);
    QVERIFY(!general->direct);
    QCOMPARE(general->members, (QStringList{u"alice-id"_qs, u"bob-id"_qs})); // sorted
    QCOMPARE(general->lastSeq, 0);
    QCOMPARE(general->lastEv, 0);
    QCOMPARE(store->channelByName(u"random"_qs)->id, u"random"_qs);
    QVERIFY(!store->channelByName(u"nope"_qs));
    QVERIFY(!store->channelById(u"nope"_qs));
    // channelsOf: the user's channels only.
    QCOMPARE(store->channelsOf(u"alice-id"_qs).value().size(), 2);
    const auto bobs = store->channelsOf(u"bob-id"_qs).value();
    QCOMPARE(bobs.size(), 1);
    QCOMPARE(bobs.first().id, u"general"_qs);
    QCOMPARE(bobs.first().members.size(), 2);
    QVERIFY(store->channelsOf(u"carol-id"_qs).value().isEmpty());
    QCOMPARE(store->allChannels().value().size(), 2);
    // Joining twice or leaving what one is not in: false.
    QVERIFY(store->addMember(u"random"_qs, u"carol-id"_qs));
    QVERIFY(!store->addMember(u"random"_qs, u"carol-id"_qs));
    QCOMPARE(store->channelById(u"random"_qs)->members,
             (QStringList{u"alice-id"_qs, u"carol-id"_qs}));
    QVERIFY(store->removeMember(u"random"_qs, u"alice-id"_qs));
    QVERIFY(!store->removeMember(u"random"_qs, u"alice-id"_qs));
    QCOMPARE(store->channelById(u"random"_qs)->members, (QStringList{u"carol-id"_qs}));
    QCOMPARE(store->channelsOf(u"alice-id"_qs).value().size(), 1);
}

void tst_ChatStoreContract::channelNameIsUniqueAmongChannels()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"ops"_qs), &error));
    StoredChannel again = channel(u"ops2"_qs);
    again.name = u"ops"_qs;
    QVERIFY(!store->addChannel(again, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!store->channelById(u"ops2"_qs));
    // The same id twice: refused as well.
    QVERIFY(!store->addChannel(channel(u"ops"_qs), &error));
}

void tst_ChatStoreContract::directChannels()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(store->addUser(user(name), &error));
    QVERIFY(!store->directChannel(u"alice-id"_qs, u"bob-id"_qs));
    QVERIFY(store->addChannel(channel(u"d1"_qs, {u"bob-id"_qs, u"alice-id"_qs}, true), &error));
    // Found from either side, once.
    const auto ab = store->directChannel(u"alice-id"_qs, u"bob-id"_qs);
    QVERIFY(ab);
    QCOMPARE(ab->id, u"d1"_qs);
    QVERIFY(ab->direct);
    QCOMPARE(store->directChannel(u"bob-id"_qs, u"alice-id"_qs)->id, u"d1"_qs);
    QVERIFY(!store->directChannel(u"alice-id"_qs, u"carol-id"_qs));
    QVERIFY(!store->addChannel(channel(u"d2"_qs, {u"alice-id"_qs, u"bob-id"_qs}, true), &error));
    // Direct channels have no name to clash on, and are not found by name.
    QVERIFY(store->addChannel(channel(u"d3"_qs, {u"alice-id"_qs, u"carol-id"_qs}, true), &error));
    QVERIFY(!store->channelByName(QString()));
}

void tst_ChatStoreContract::contactsAndMemberships()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs, u"dave"_qs})
        QVERIFY(store->addUser(user(name), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs, u"bob-id"_qs}), &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs, {u"bob-id"_qs, u"carol-id"_qs}), &error));
    QVERIFY(store->addChannel(channel(u"empty"_qs), &error));
    QCOMPARE(store->contactsOf(u"bob-id"_qs).value(),
             (QStringList{u"alice-id"_qs, u"bob-id"_qs, u"carol-id"_qs}));
    QCOMPARE(store->contactsOf(u"alice-id"_qs).value(),
             (QStringList{u"alice-id"_qs, u"bob-id"_qs}));
    QCOMPARE(store->contactsOf(u"dave-id"_qs).value(),
             (QStringList{u"dave-id"_qs})); // always oneself
    const auto memberships = store->allMemberships();
    QVERIFY(memberships);
    QCOMPARE(memberships->size(), 2); // a channel without members is absent
    QStringList c1 = memberships->value(u"c1"_qs);
    c1.sort();
    QCOMPARE(c1, (QStringList{u"alice-id"_qs, u"bob-id"_qs}));
    QStringList c2 = memberships->value(u"c2"_qs);
    c2.sort();
    QCOMPARE(c2, (QStringList{u"bob-id"_qs, u"carol-id"_qs}));
}

void tst_ChatStoreContract::lastReadSeq()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    QVERIFY(store->addUser(user(u"bob"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs, u"bob-id"_qs}), &error));
    QCOMPARE(store->lastReadSeq(u"c1"_qs, u"alice-id"_qs).value(), 0);
    store->setLastReadSeq(u"c1"_qs, u"alice-id"_qs, 7);
    QCOMPARE(store->lastReadSeq(u"c1"_qs, u"alice-id"_qs).value(), 7);
    QCOMPARE(store->lastReadSeq(u"c1"_qs, u"bob-id"_qs).value(), 0); // per user
    // Channels fetched for a user carry that user's last_read_seq.
    QCOMPARE(store->channelById(u"c1"_qs, u"alice-id"_qs)->lastReadSeq, 7);
    QCOMPARE(store->channelById(u"c1"_qs, u"bob-id"_qs)->lastReadSeq, 0);
    QCOMPARE(store->channelsOf(u"alice-id"_qs).value().first().lastReadSeq, 7);
}

void tst_ChatStoreContract::seqIsGaplessPerChannel()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"a"_qs), &error));
    for (const QString &id : {u"c1"_qs, u"c2"_qs})
        QVERIFY(store->addChannel(channel(id, {u"a-id"_qs}), &error));
    QList<qint64> c1;
    for (int i = 0; i < 5; ++i) {
        StoredMessage m =
            message(i % 2 ? u"c2"_qs : u"c1"_qs, u"a-id"_qs, u"t"_qs, QString::number(i));
        QVERIFY(store->appendMessage(&m));
        QVERIFY(!m.id.isEmpty());
        QVERIFY(m.ts.isValid());
        if (m.channel == u"c1")
            c1 << m.seq;
    }
    QCOMPARE(c1, (QList<qint64>{1, 2, 3}));
    QCOMPARE(store->channelById(u"c2"_qs)->lastSeq, 2);
    // A refused insert (the same client_msg_id again) does not use up a seq.
    StoredMessage dup = message(u"c1"_qs, u"a-id"_qs, u"t"_qs, u"0"_qs);
    QVERIFY(!store->appendMessage(&dup));
    StoredMessage next = message(u"c1"_qs, u"a-id"_qs, u"t"_qs, u"new"_qs);
    QVERIFY(store->appendMessage(&next));
    QCOMPARE(next.seq, 4);
    QCOMPARE(store->channelById(u"c1"_qs)->lastSeq, 4);
    // A channel that does not exist takes nothing.
    StoredMessage lost = message(u"nope"_qs, u"a-id"_qs, u"t"_qs, u"lost"_qs);
    QVERIFY(!store->appendMessage(&lost));
}

void tst_ChatStoreContract::clientMsgIdIsIdempotent()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs), &error));
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"same"_qs);
    QVERIFY(store->appendMessage(&m));
    const auto found = store->messageByClientId(u"a"_qs, u"same"_qs);
    QVERIFY(found);
    QCOMPARE(found->id, m.id);
    QCOMPARE(found->seq, m.seq);
    QVERIFY(!store->messageByClientId(u"b"_qs, u"same"_qs));
    // Unique per author, across channels.
    StoredMessage again = message(u"c2"_qs, u"a"_qs, u"t"_qs, u"same"_qs);
    QVERIFY(!store->appendMessage(&again));
    StoredMessage other = message(u"c1"_qs, u"b"_qs, u"t"_qs, u"same"_qs);
    QVERIFY(store->appendMessage(&other)); // another author may reuse the id
}

void tst_ChatStoreContract::twoWritersShareOneGaplessSeq()
{
    // Two stores on the same data: two nodes (or a node and the admin CLI).
    // They number one channel's messages together, without gaps or repeats,
    // and the same client_msg_id sent through both is stored once and uses up
    // no seq (§12).
    ChatStore *one = open();
    QVERIFY(one);
    QString error;
    QVERIFY(one->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(one->flush());
    const auto two = openAnother();
    QVERIFY(two);
    QList<qint64> seqs;
    for (int i = 0; i < 6; ++i) {
        ChatStore *writer = i % 2 ? two.get() : one;
        StoredMessage m = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"m%1"_qs.arg(i));
        QVERIFY(writer->appendMessage(&m));
        QVERIFY(writer->flush());
        seqs << m.seq;
    }
    QCOMPARE(seqs, (QList<qint64>{1, 2, 3, 4, 5, 6}));
    StoredMessage first = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"dup"_qs);
    QVERIFY(one->appendMessage(&first));
    QVERIFY(one->flush());
    StoredMessage second = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"dup"_qs);
    QVERIFY(two->appendMessage(&second).conflict());
    QVERIFY(two->flush());
    QCOMPARE(two->messageByClientId(u"a"_qs, u"dup"_qs)->id, first.id);
    StoredMessage next = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"next"_qs);
    QVERIFY(two->appendMessage(&next));
    QVERIFY(two->flush());
    QCOMPARE(next.seq, first.seq + 1);
    QCOMPARE(one->channelById(u"c1"_qs)->lastSeq, next.seq);
    QCOMPARE(one->history(u"c1"_qs, 0, 100)->size(), int(next.seq));
}

void tst_ChatStoreContract::historyPaging()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    for (int i = 1; i <= 10; ++i) {
        StoredMessage m = message(u"c1"_qs, u"a"_qs, QString::number(i), QString::number(i));
        QVERIFY(store->appendMessage(&m));
    }
    QCOMPARE(seqs(store->history(u"c1"_qs, 0, 3).value()), (QList<qint64>{8, 9, 10}));
    QCOMPARE(seqs(store->history(u"c1"_qs, 8, 3).value()), (QList<qint64>{5, 6, 7}));
    QCOMPARE(seqs(store->history(u"c1"_qs, 3, 10).value()), (QList<qint64>{1, 2}));
    QVERIFY(store->history(u"c1"_qs, 1, 10).value().isEmpty());
    QCOMPARE(store->history(u"c1"_qs, 0, 1).value().first().text, u"10"_qs);
    QCOMPARE(seqs(store->messagesAfter(u"c1"_qs, 7, 500).value()), (QList<qint64>{8, 9, 10}));
    // Resume caps at the newest N.
    QCOMPARE(seqs(store->messagesAfter(u"c1"_qs, 0, 4).value()), (QList<qint64>{7, 8, 9, 10}));
    QVERIFY(store->messagesAfter(u"c1"_qs, 10, 500).value().isEmpty());
    QVERIFY(store->history(u"other"_qs, 0, 10).value().isEmpty());
}

void tst_ChatStoreContract::evAndRevNumberEveryChange()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs), &error));
    StoredMessage first = message(u"c1"_qs, u"a"_qs, u"first"_qs, u"1"_qs);
    StoredMessage second = message(u"c1"_qs, u"a"_qs, u"second"_qs, u"2"_qs);
    StoredMessage other = message(u"c2"_qs, u"a"_qs, u"other"_qs, u"3"_qs);
    QVERIFY(store->appendMessage(&first));
    QVERIFY(store->appendMessage(&second));
    QVERIFY(store->appendMessage(&other));
    QCOMPARE(first.ev, 1);
    QCOMPARE(first.rev, 1);
    QCOMPARE(first.kind, u"user"_qs);
    QVERIFY(!first.deleted);
    QVERIFY(!first.editedAt.isValid());
    QCOMPARE(second.ev, 2);
    QCOMPARE(other.ev, 1); // ev is per channel
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
    const auto edited = store->editMessage(u"c1"_qs, first.id, u"first, edited"_qs, when, {});
    QVERIFY(edited);
    QCOMPARE(edited->text, u"first, edited"_qs);
    QCOMPARE(edited->rev, 2);
    QCOMPARE(edited->ev, 3);
    QCOMPARE(edited->editedAt, when);
    QCOMPARE(edited->seq, first.seq); // an edit is not a new message
    const auto deleted = store->deleteMessage(u"c1"_qs, second.id);
    QVERIFY(deleted);
    QVERIFY(deleted->deleted);
    QCOMPARE(deleted->text, QString());
    QCOMPARE(deleted->rev, 2);
    QCOMPARE(deleted->ev, 4);
    const auto c1 = store->channelById(u"c1"_qs);
    QCOMPARE(c1->lastEv, 4);
    QCOMPARE(c1->lastSeq, 2); // changes take no seq
    QCOMPARE(store->channelById(u"c2"_qs)->lastEv, 1);
    for (const StoredChannel &c : store->allChannels().value())
        QCOMPARE(c.lastEv, c.id == u"c1" ? 4 : 1);
    // A message after the changes takes the next seq and the next ev.
    StoredMessage third = message(u"c1"_qs, u"a"_qs, u"third"_qs, u"4"_qs);
    QVERIFY(store->appendMessage(&third));
    QCOMPARE(third.seq, 3);
    QCOMPARE(third.ev, 5);
    // Reading back gives what the calls returned.
    const auto reread = store->messageById(u"c1"_qs, first.id);
    QVERIFY(reread);
    QCOMPARE(reread->text, edited->text);
    QCOMPARE(reread->rev, 2);
    QCOMPARE(reread->ev, 3);
    QCOMPARE(reread->editedAt, when);
    // A system message keeps its kind.
    StoredMessage system = message(u"c1"_qs, u"a"_qs, QString(), u"5"_qs);
    system.kind = u"system"_qs;
    QVERIFY(store->appendMessage(&system));
    QCOMPARE(store->messageById(u"c1"_qs, system.id)->kind, u"system"_qs);
}

void tst_ChatStoreContract::editAndDeleteRules()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs), &error));
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"hello"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&m));
    // Not in that channel, or no such message: nothing, and no ev taken.
    QVERIFY(!store->messageById(u"c2"_qs, m.id));
    QVERIFY(!store->editMessage(u"c2"_qs, m.id, u"x"_qs, {}, {}));
    QVERIFY(!store->deleteMessage(u"c2"_qs, m.id));
    QVERIFY(!store->editMessage(u"c1"_qs, u"nope"_qs, u"x"_qs, {}, {}));
    QVERIFY(!store->deleteMessage(u"c1"_qs, u"nope"_qs));
    QCOMPARE(store->channelById(u"c2"_qs)->lastEv, 0);
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 1);
    // The same text: no change (§13), no ev taken.
    const auto same = store->editMessage(u"c1"_qs, m.id, u"hello"_qs, {}, {});
    QVERIFY(same);
    QCOMPARE(same->rev, 1);
    QCOMPARE(same->ev, 1);
    QVERIFY(!same->editedAt.isValid());
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 1);
    // An edit without a time takes the current one.
    const auto edited = store->editMessage(u"c1"_qs, m.id, u"hello again"_qs, {}, {});
    QVERIFY(edited);
    QVERIFY(edited->editedAt.isValid());
    // A tombstone keeps id, seq, author, ts, kind, client_msg_id and edited_at (§13).
    const auto tombstone = store->deleteMessage(u"c1"_qs, m.id);
    QVERIFY(tombstone);
    QCOMPARE(tombstone->id, m.id);
    QCOMPARE(tombstone->seq, m.seq);
    QCOMPARE(tombstone->author, m.author);
    QCOMPARE(tombstone->ts, m.ts);
    QCOMPARE(tombstone->kind, m.kind);
    QCOMPARE(tombstone->clientMsgId, m.clientMsgId);
    QCOMPARE(tombstone->editedAt, edited->editedAt);
    QCOMPARE(tombstone->text, QString());
    QCOMPARE(tombstone->rev, 3);
    // Editing or deleting a tombstone: nothing (the hub answers not_found).
    QVERIFY(!store->editMessage(u"c1"_qs, m.id, u"back"_qs, {}, {}));
    QVERIFY(!store->deleteMessage(u"c1"_qs, m.id));
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 3);
    // Tombstones stay in history and resume pages, so both are gapless in seq.
    StoredMessage next = message(u"c1"_qs, u"a"_qs, u"next"_qs, u"2"_qs);
    QVERIFY(store->appendMessage(&next));
    const auto page = store->history(u"c1"_qs, 0, 10).value();
    QCOMPARE(seqs(page), (QList<qint64>{1, 2}));
    QVERIFY(page.first().deleted);
    QCOMPARE(page.first().text, QString());
    const auto after = store->messagesAfter(u"c1"_qs, 0, 10).value();
    QCOMPARE(seqs(after), (QList<qint64>{1, 2}));
    QVERIFY(after.first().deleted);
    // messageById returns tombstones, and so does the idempotent-resend lookup.
    QVERIFY(store->messageById(u"c1"_qs, m.id)->deleted);
    QVERIFY(store->messageByClientId(u"a"_qs, u"1"_qs)->deleted);
}

void tst_ChatStoreContract::changedSinceOrdersByEv()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QList<StoredMessage> m;
    for (int i = 1; i <= 4; ++i) {
        StoredMessage x = message(u"c1"_qs, u"a"_qs, u"m%1"_qs.arg(i), QString::number(i));
        QVERIFY(store->appendMessage(&x));
        m << x;
    }
    // ev 1..4 are the sends; then m2 edited (5), m1 edited (6), m2 edited again
    // (7), m3 deleted (8), m4 edited (9).
    QVERIFY(store->editMessage(u"c1"_qs, m[1].id, u"m2'"_qs, {}, {}));
    QVERIFY(store->editMessage(u"c1"_qs, m[0].id, u"m1'"_qs, {}, {}));
    QVERIFY(store->editMessage(u"c1"_qs, m[1].id, u"m2''"_qs, {}, {}));
    QVERIFY(store->deleteMessage(u"c1"_qs, m[2].id));
    QVERIFY(store->editMessage(u"c1"_qs, m[3].id, u"m4'"_qs, {}, {}));
    const auto changes = [](const QList<StoredMessage> &list) {
        QStringList result;
        for (const StoredMessage &x : list)
            result << x.text + u'@' + QString::number(x.ev);
        return result;
    };
    // A client that holds seq <= 3 and last_ev 4: one entry per message, in its
    // current state, by ev.
    QCOMPARE(changes(store->changedSince(u"c1"_qs, 4, 3, 100).value()),
             (QStringList{u"m1'@6"_qs, u"m2''@7"_qs, u"@8"_qs}));
    QCOMPARE(changes(store->changedSince(u"c1"_qs, 6, 3, 100).value()),
             (QStringList{u"m2''@7"_qs, u"@8"_qs}));
    // Capped by limit, lowest ev first.
    QCOMPARE(changes(store->changedSince(u"c1"_qs, 0, 4, 2).value()),
             (QStringList{u"m1'@6"_qs, u"m2''@7"_qs}));
    QVERIFY(store->changedSince(u"c1"_qs, 9, 4, 100).value().isEmpty());
    QVERIFY(store->changedSince(u"other"_qs, 0, 4, 100).value().isEmpty());
}

void tst_ChatStoreContract::changedSinceInALongChannel()
{
    // Enough rows that a store may take different ways to them (SQLite looks
    // at 4 × limit rows along the ev index first, then walks the shorter of its
    // seq and ev indexes): every way must give the first `limit` rows with
    // seq <= maxSeq and ev > afterEv, in ev order.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QList<StoredMessage> m;
    for (int i = 1; i <= 40; ++i) {
        StoredMessage x = message(u"c1"_qs, u"a"_qs, u"m%1"_qs.arg(i), QString::number(i));
        QVERIFY(store->appendMessage(&x));
        m << x;
    }
    // ev 1..40 are the sends; then m3 (41), m30 (42), m1 (43), m35 (44), m2 (45).
    for (const int i : {3, 30, 1, 35, 2})
        QVERIFY(store->editMessage(u"c1"_qs, m[i - 1].id, u"m%1'"_qs.arg(i), {}, {}));
    const auto changes = [&](qint64 afterEv, qint64 maxSeq, int limit) {
        QStringList result;
        for (const StoredMessage &x : store->changedSince(u"c1"_qs, afterEv, maxSeq, limit).value())
            result << x.text + u'@' + QString::number(x.ev);
        return result;
    };
    // Dense: the first rows along ev are the answer.
    QCOMPARE(changes(0, 40, 2), (QStringList{u"m4@4"_qs, u"m5@5"_qs}));
    QCOMPARE(changes(30, 35, 3), (QStringList{u"m31@31"_qs, u"m32@32"_qs, u"m33@33"_qs}));
    // Few rows in a short ev range.
    QCOMPARE(changes(40, 3, 2), (QStringList{u"m3'@41"_qs, u"m1'@43"_qs}));
    // Few rows far along a longer ev range (a small seq, an old ev).
    QCOMPARE(changes(30, 3, 2), (QStringList{u"m3'@41"_qs, u"m1'@43"_qs}));
    QCOMPARE(changes(0, 3, 5), (QStringList{u"m3'@41"_qs, u"m1'@43"_qs, u"m2'@45"_qs}));
    // An ev below 0 (hostile) is as 0.
    QCOMPARE(changes(std::numeric_limits<qint64>::min(), 3, 2),
             (QStringList{u"m3'@41"_qs, u"m1'@43"_qs}));
    QVERIFY(changes(45, 40, 10).isEmpty());
}

void tst_ChatStoreContract::reactionsFollowTheRules()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs), &error));
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"hello"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&m));
    QVERIFY(m.reactions.isEmpty());
    const int max = 3;
    // On: rev + 1 and the channel's next ev (§6).
    auto r = store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max);
    QVERIFY(r);
    QCOMPARE(reactionsOf(*r), u"🎉:a"_qs);
    QCOMPARE(r->rev, 2);
    QCOMPARE(r->ev, 2);
    QCOMPARE(r->text, u"hello"_qs);
    QVERIFY(!r->editedAt.isValid());
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 2);
    // No change (§13): the current state, no rev, no ev.
    r = store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max);
    QCOMPARE(r->rev, 2);
    r = store->setReaction(u"c1"_qs, m.id, u"b"_qs, u"🎉"_qs, false, max);
    QCOMPARE(r->rev, 2);
    QCOMPARE(reactionsOf(*r), u"🎉:a"_qs);
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 2);
    // Order: each emoji where it (re)appeared, each user where they reacted.
    QCOMPARE(reactionsOf(*store->setReaction(u"c1"_qs, m.id, u"b"_qs, u"👍"_qs, true, max)),
             u"🎉:a|👍:b"_qs);
    QCOMPARE(reactionsOf(*store->setReaction(u"c1"_qs, m.id, u"b"_qs, u"🎉"_qs, true, max)),
             u"🎉:a,b|👍:b"_qs);
    QCOMPARE(reactionsOf(*store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, false, max)),
             u"🎉:b|👍:b"_qs);
    QCOMPARE(reactionsOf(*store->setReaction(u"c1"_qs, m.id, u"b"_qs, u"🎉"_qs, false, max)),
             u"👍:b"_qs);
    QCOMPARE(reactionsOf(*store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max)),
             u"👍:b|🎉:a"_qs);
    // At most `max` distinct: a new one is a Conflict, joining one is fine.
    QVERIFY(store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"x"_qs, true, max));
    const qint64 evBefore = store->channelById(u"c1"_qs)->lastEv;
    QVERIFY(store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"y"_qs, true, max).conflict());
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, evBefore);
    r = store->setReaction(u"c1"_qs, m.id, u"c"_qs, u"x"_qs, true, max);
    QVERIFY(r);
    QCOMPARE(reactionsOf(*r), u"👍:b|🎉:a|x:a,c"_qs);
    // Every read gives the same list, and the change is one for resume.
    QCOMPARE(reactionsOf(*store->messageById(u"c1"_qs, m.id)), reactionsOf(*r));
    QCOMPARE(reactionsOf(store->history(u"c1"_qs, 0, 10).value().first()), reactionsOf(*r));
    QCOMPARE(reactionsOf(store->messagesAfter(u"c1"_qs, 0, 10).value().first()), reactionsOf(*r));
    const auto changed = store->changedSince(u"c1"_qs, r->ev - 1, 10, 10).value();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(reactionsOf(changed.first()), reactionsOf(*r));
    // Not in that channel, no such message: NotFound.
    QVERIFY(store->setReaction(u"c2"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max).notFound());
    QVERIFY(store->setReaction(u"c1"_qs, u"nope"_qs, u"a"_qs, u"🎉"_qs, true, max).notFound());
    // A delete clears them (§7); a tombstone takes none, on or off.
    const auto tomb = store->deleteMessage(u"c1"_qs, m.id);
    QVERIFY(tomb);
    QVERIFY(tomb->reactions.isEmpty());
    QVERIFY(store->messageById(u"c1"_qs, m.id)->reactions.isEmpty());
    QVERIFY(store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max).notFound());
    QVERIFY(store->setReaction(u"c1"_qs, m.id, u"b"_qs, u"👍"_qs, false, max).notFound());
    store->close();
    QVERIFY(store->setReaction(u"c1"_qs, m.id, u"a"_qs, u"🎉"_qs, true, max).failed());
}

void tst_ChatStoreContract::replyTargetIsReadInItsCurrentState()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    StoredMessage target = message(u"c1"_qs, u"a"_qs, u"original"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&target));
    StoredMessage reply = message(u"c1"_qs, u"b"_qs, u"re"_qs, u"2"_qs);
    reply.replyTo = StoredReplyTarget{target.id, 0, {}, {}, false};
    QVERIFY(store->appendMessage(&reply));
    const auto read = [&] {
        return store->messageById(u"c1"_qs, reply.id)->replyTo;
    };
    QVERIFY(read());
    QCOMPARE(read()->id, target.id);
    QCOMPARE(read()->seq, target.seq);
    QCOMPARE(read()->author, u"a"_qs);
    QCOMPARE(read()->text, u"original"_qs);
    QVERIFY(!read()->deleted);
    QVERIFY(!store->messageById(u"c1"_qs, target.id)->replyTo);
    // The target's edit shows at once, and its delete.
    QVERIFY(store->editMessage(u"c1"_qs, target.id, u"edited"_qs, {}, {}));
    QCOMPARE(read()->text, u"edited"_qs);
    QCOMPARE(store->history(u"c1"_qs, 0, 10).value().last().replyTo->text, u"edited"_qs);
    QVERIFY(store->deleteMessage(u"c1"_qs, target.id));
    QVERIFY(read());
    QCOMPARE(read()->id, target.id);
    QCOMPARE(read()->seq, target.seq);
    QVERIFY(read()->deleted);
    QCOMPARE(read()->text, QString());
    // A deleted reply has no reply_to (§7).
    const auto tomb = store->deleteMessage(u"c1"_qs, reply.id);
    QVERIFY(tomb);
    QVERIFY(!tomb->replyTo);
    QVERIFY(!read());
}

void tst_ChatStoreContract::mentionsAndMentionCount()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    for (const QString &name : {u"alice"_qs, u"bob"_qs, u"carol"_qs})
        QVERIFY(store->addUser(user(name), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs, u"bob-id"_qs, u"carol-id"_qs}),
                              &error));
    QVERIFY(store->addChannel(channel(u"c2"_qs, {u"alice-id"_qs, u"bob-id"_qs}), &error));
    const auto count = [&](const QString &c, const QString &u) {
        return store->channelById(c, u)->mentionCount;
    };
    const auto listed = [&](const QString &c, const QString &u) {
        for (const StoredChannel &ch : store->channelsOf(u).value()) {
            if (ch.id == c)
                return ch.mentionCount;
        }
        return qint64(-1);
    };
    StoredMessage first = message(u"c1"_qs, u"alice-id"_qs, u"@bob @carol"_qs, u"1"_qs);
    first.mentions = {u"carol-id"_qs, u"bob-id"_qs};
    QVERIFY(store->appendMessage(&first));
    StoredMessage second = message(u"c1"_qs, u"alice-id"_qs, u"@bob"_qs, u"2"_qs);
    second.mentions = {u"bob-id"_qs};
    QVERIFY(store->appendMessage(&second));
    StoredMessage elsewhere = message(u"c2"_qs, u"alice-id"_qs, u"@bob"_qs, u"3"_qs);
    elsewhere.mentions = {u"bob-id"_qs};
    QVERIFY(store->appendMessage(&elsewhere));
    QCOMPARE(store->messageById(u"c1"_qs, first.id)->mentions,
             (QStringList{u"bob-id"_qs, u"carol-id"_qs}));
    QCOMPARE(count(u"c1"_qs, u"bob-id"_qs), 2);
    QCOMPARE(listed(u"c1"_qs, u"bob-id"_qs), 2);
    QCOMPARE(count(u"c1"_qs, u"carol-id"_qs), 1);
    QCOMPARE(listed(u"c1"_qs, u"carol-id"_qs), 1);
    QCOMPARE(count(u"c1"_qs, u"alice-id"_qs), 0);
    QCOMPARE(count(u"c2"_qs, u"bob-id"_qs), 1); // per channel
    // Reads: only mentions after the marker count.
    QVERIFY(store->setLastReadSeq(u"c1"_qs, u"bob-id"_qs, first.seq));
    QCOMPARE(count(u"c1"_qs, u"bob-id"_qs), 1);
    QCOMPARE(listed(u"c1"_qs, u"bob-id"_qs), 1);
    // Edits replace the mentions; deletes drop them.
    auto edited = store->editMessage(u"c1"_qs, second.id, u"@carol"_qs, {}, {u"carol-id"_qs});
    QVERIFY(edited);
    QCOMPARE(edited->mentions, QStringList{u"carol-id"_qs});
    QCOMPARE(store->messageById(u"c1"_qs, second.id)->mentions, QStringList{u"carol-id"_qs});
    QCOMPARE(count(u"c1"_qs, u"bob-id"_qs), 0);
    QCOMPARE(count(u"c1"_qs, u"carol-id"_qs), 2);
    // The same text changes nothing, mentions included.
    QCOMPARE(store->editMessage(u"c1"_qs, second.id, u"@carol"_qs, {}, {})->mentions,
             QStringList{u"carol-id"_qs});
    const auto tomb = store->deleteMessage(u"c1"_qs, first.id);
    QVERIFY(tomb);
    QVERIFY(tomb->mentions.isEmpty());
    QVERIFY(store->messageById(u"c1"_qs, first.id)->mentions.isEmpty());
    QCOMPARE(count(u"c1"_qs, u"carol-id"_qs), 1);
    // They survive a reopen.
    QVERIFY(store->flush());
    store->close();
    store = open();
    QVERIFY(store);
    QCOMPARE(store->messageById(u"c1"_qs, second.id)->mentions, QStringList{u"carol-id"_qs});
    QCOMPARE(store->channelById(u"c1"_qs, u"carol-id"_qs)->mentionCount, 1);
}

void tst_ChatStoreContract::lookupsTellNotFoundFromFailed()
{
    // NotFound is an answer ("no such thing": the hub says not_found); Failed
    // is not (the storage could not answer). A store that is closed cannot answer.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs}), &error));
    StoredMessage m = message(u"c1"_qs, u"alice-id"_qs, u"t"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&m));
    store->addFamily(u"f1"_qs, u"alice-id"_qs, {});
    store->addRefreshToken("hash", u"f1"_qs, QDateTime::currentDateTimeUtc().addDays(1));
    QVERIFY(store->userByName(u"nobody"_qs).notFound());
    QVERIFY(store->userById(u"nobody"_qs).notFound());
    QVERIFY(store->channelById(u"nope"_qs).notFound());
    QVERIFY(store->channelByName(u"nope"_qs).notFound());
    QVERIFY(store->directChannel(u"alice-id"_qs, u"nobody"_qs).notFound());
    QVERIFY(store->messageById(u"c1"_qs, u"nope"_qs).notFound());
    QVERIFY(store->messageByClientId(u"alice-id"_qs, u"nope"_qs).notFound());
    QVERIFY(store->editMessage(u"c1"_qs, u"nope"_qs, u"x"_qs, {}, {}).notFound());
    QVERIFY(store->deleteMessage(u"c1"_qs, u"nope"_qs).notFound());
    QVERIFY(store->refreshToken("nope").notFound());
    QVERIFY(store->deleteMessage(u"c1"_qs, m.id));
    QVERIFY(store->deleteMessage(u"c1"_qs, m.id).notFound()); // a tombstone
    QVERIFY(store->editMessage(u"c1"_qs, m.id, u"x"_qs, {}, {}).notFound());
    // What exists is found while the store is open...
    QVERIFY(store->userByName(u"alice"_qs));
    QVERIFY(store->refreshToken("hash"));
    // ...and Failed, not NotFound, once it cannot answer.
    store->close();
    QVERIFY(store->userByName(u"alice"_qs).failed());
    QVERIFY(store->userById(u"alice-id"_qs).failed());
    QVERIFY(store->disabledUserIds().failed());
    QVERIFY(store->channelById(u"c1"_qs).failed());
    QVERIFY(store->channelByName(u"c1"_qs).failed());
    QVERIFY(store->allMemberships().failed());
    QVERIFY(store->messageById(u"c1"_qs, m.id).failed());
    QVERIFY(store->messageByClientId(u"alice-id"_qs, u"1"_qs).failed());
    QVERIFY(store->editMessage(u"c1"_qs, m.id, u"x"_qs, {}, {}).failed());
    QVERIFY(store->deleteMessage(u"c1"_qs, m.id).failed());
    QVERIFY(store->refreshToken("hash").failed());
}

void tst_ChatStoreContract::writesTellNotFoundConflictAndFailed()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    QVERIFY(store->addUser(user(u"bob"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs}), &error));
    // Conflict: what would clash with what exists.
    StoredUser taken = user(u"alice"_qs);
    taken.id = u"other-id"_qs;
    QVERIFY(store->addUser(taken, &error).conflict());
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error).conflict());
    QVERIFY(store->addMember(u"c1"_qs, u"alice-id"_qs).conflict());
    StoredMessage m = message(u"c1"_qs, u"alice-id"_qs, u"t"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&m));
    StoredMessage resend = message(u"c1"_qs, u"alice-id"_qs, u"t"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&resend).conflict());
    store->addFamily(u"f1"_qs, u"alice-id"_qs, {});
    QVERIFY(store->addFamily(u"f1"_qs, u"alice-id"_qs, {}).conflict());
    QVERIFY(store->addRefreshToken("hash", u"f1"_qs, QDateTime::currentDateTimeUtc()));
    QVERIFY(store->addRefreshToken("hash", u"f1"_qs, QDateTime::currentDateTimeUtc()).conflict());
    // NotFound: what the write is about does not exist.
    QVERIFY(store->setPassword(u"nobody"_qs, "h").notFound());
    QVERIFY(store->setDisabled(u"nobody"_qs, true).notFound());
    QVERIFY(store->setAdmin(u"nobody"_qs, true).notFound());
    QVERIFY(store->setLastSeen(u"nobody"_qs, QDateTime::currentDateTimeUtc()).notFound());
    QVERIFY(store->addMember(u"c1"_qs, u"nobody"_qs).notFound());
    QVERIFY(store->addMember(u"nope"_qs, u"bob-id"_qs).notFound());
    QVERIFY(store->removeMember(u"c1"_qs, u"bob-id"_qs).notFound());
    QVERIFY(store->setLastReadSeq(u"c1"_qs, u"bob-id"_qs, 1).notFound());
    StoredMessage lost = message(u"nope"_qs, u"alice-id"_qs, u"t"_qs, u"2"_qs);
    QVERIFY(store->appendMessage(&lost).notFound());
    QVERIFY(store->markRefreshTokenUsed("nope").notFound());
    QVERIFY(store->revokeFamily(u"nope"_qs).notFound());
    // Done: the same calls on what exists.
    QVERIFY(store->setLastSeen(u"alice-id"_qs, QDateTime::currentDateTimeUtc()));
    QVERIFY(store->setLastReadSeq(u"c1"_qs, u"alice-id"_qs, 1));
    QVERIFY(store->markRefreshTokenUsed("hash"));
    QVERIFY(store->revokeFamily(u"f1"_qs));
    // Failed: a store that cannot answer.
    store->close();
    QVERIFY(store->setPassword(u"alice-id"_qs, "h").failed());
}

void tst_ChatStoreContract::listReadsTellEmptyFromFailed()
{
    // An empty list is an answer ("nothing there": an empty page, no
    // channels); Failed is not. The same for lastReadSeq (NotFound: not a
    // member) and familyActive (false: revoked or unknown).
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    QVERIFY(store->addUser(user(u"bob"_qs), &error));
    QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs}), &error));
    StoredMessage m = message(u"c1"_qs, u"alice-id"_qs, u"t"_qs, u"1"_qs);
    QVERIFY(store->appendMessage(&m));
    QVERIFY(store->addFamily(u"f1"_qs, u"alice-id"_qs, {}));
    // Empty, but answered.
    const auto noUsers = store->users(u"zzz"_qs, {}, 10, true);
    QVERIFY(noUsers.has_value());
    QVERIFY(noUsers->isEmpty());
    const auto noChannels = store->channelsOf(u"bob-id"_qs);
    QVERIFY(noChannels.has_value());
    QVERIFY(noChannels->isEmpty());
    QCOMPARE(store->contactsOf(u"bob-id"_qs).value(), (QStringList{u"bob-id"_qs}));
    const auto noHistory = store->history(u"c1"_qs, 1, 10);
    QVERIFY(noHistory.has_value());
    QVERIFY(noHistory->isEmpty());
    const auto noneAfter = store->messagesAfter(u"c1"_qs, 1, 10);
    QVERIFY(noneAfter.has_value());
    QVERIFY(noneAfter->isEmpty());
    const auto noChanges = store->changedSince(u"c1"_qs, 1, 1, 10);
    QVERIFY(noChanges.has_value());
    QVERIFY(noChanges->isEmpty());
    QVERIFY(store->lastReadSeq(u"c1"_qs, u"bob-id"_qs).notFound());
    QCOMPARE(store->lastReadSeq(u"c1"_qs, u"alice-id"_qs).value(), 0);
    QCOMPARE(store->familyActive(u"nope"_qs).value(), false);
    QCOMPARE(store->familyActive(u"f1"_qs).value(), true);
    QCOMPARE(store->allChannels().value().size(), 1);
    // A store that cannot answer says Failed, never an empty list, 0 or false.
    store->close();
    QVERIFY(store->users({}, {}, 10, true).failed());
    QVERIFY(store->channelsOf(u"alice-id"_qs).failed());
    QVERIFY(store->allChannels().failed());
    QVERIFY(store->contactsOf(u"alice-id"_qs).failed());
    QVERIFY(store->history(u"c1"_qs, 0, 10).failed());
    QVERIFY(store->messagesAfter(u"c1"_qs, 0, 10).failed());
    QVERIFY(store->changedSince(u"c1"_qs, 0, 1, 10).failed());
    QVERIFY(store->lastReadSeq(u"c1"_qs, u"alice-id"_qs).failed());
    QVERIFY(store->familyActive(u"f1"_qs).failed());
    QVERIFY(store->familyActive(u"nope"_qs).failed());
}

void tst_ChatStoreContract::refreshTokens()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    const QDateTime expires = QDateTime::fromMSecsSinceEpoch(1'900'000'000'000, Qt::UTC);
    store->addFamily(u"f1"_qs, u"alice-id"_qs, u"laptop"_qs);
    store->addRefreshToken("hash-1", u"f1"_qs, expires);
    store->addRefreshToken("hash-2", u"f1"_qs, expires);
    QVERIFY(store->familyActive(u"f1"_qs).value());
    auto record = store->refreshToken("hash-1");
    QVERIFY(record);
    QCOMPARE(record->familyId, u"f1"_qs);
    QCOMPARE(record->userId, u"alice-id"_qs);
    QVERIFY(!record->used);
    QVERIFY(!record->familyRevoked);
    QCOMPARE(record->expiresAt, expires);
    QVERIFY(!store->refreshToken("unknown"));
    store->markRefreshTokenUsed("hash-1");
    QVERIFY(store->refreshToken("hash-1")->used);
    QVERIFY(!store->refreshToken("hash-2")->used);
    store->revokeFamily(u"f1"_qs);
    QVERIFY(!store->familyActive(u"f1"_qs).value());
    QVERIFY(store->refreshToken("hash-2")->familyRevoked);
    QVERIFY(!store->familyActive(u"nope"_qs).value());
}

void tst_ChatStoreContract::expiredRefreshTokensAreDeleted()
{
    // The token cleanup job (one node of a cluster, behind the jobs lease):
    // expired tokens go, live ones stay, and a second run changes nothing.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);
    store->addFamily(u"f1"_qs, u"alice-id"_qs, {});
    store->addRefreshToken("old", u"f1"_qs, now.addSecs(-1));
    store->addRefreshToken("spent-old", u"f1"_qs, now.addDays(-3));
    store->markRefreshTokenUsed("spent-old");
    store->addRefreshToken("live", u"f1"_qs, now.addSecs(60));
    QVERIFY(!store->deleteExpiredRefreshTokens(now).failed());
    QVERIFY(!store->refreshToken("old"));
    QVERIFY(!store->refreshToken("old").failed());
    QVERIFY(!store->refreshToken("spent-old"));
    QVERIFY(store->refreshToken("live"));
    QVERIFY(!store->deleteExpiredRefreshTokens(now).failed());
    QVERIFY(store->refreshToken("live"));
    QVERIFY(store->familyActive(u"f1"_qs).value());
}

void tst_ChatStoreContract::familyOfDisabledUserIsInactive()
{
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"alice"_qs), &error));
    store->addFamily(u"f1"_qs, u"alice-id"_qs, {});
    QVERIFY(store->familyActive(u"f1"_qs).value());
    QVERIFY(store->setDisabled(u"alice-id"_qs, true));
    QVERIFY(!store->familyActive(u"f1"_qs).value());
    QVERIFY(store->setDisabled(u"alice-id"_qs, false));
    QVERIFY(store->familyActive(u"f1"_qs).value());
}

void tst_ChatStoreContract::whenDurableRunsAfterTheWrite()
{
    // What whenDurable() reports is visible to another process once it runs.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->flush());
    StoredMessage m = message(u"c1"_qs, u"a"_qs, u"t"_qs, u"x"_qs);
    QVERIFY(store->appendMessage(&m));
    bool seenElsewhere = false;
    bool ran = false;
    store->whenDurable([&] {
        const auto other = openAnother();
        seenElsewhere = other && other->messageById(u"c1"_qs, m.id).has_value();
        ran = true;
    });
    QTRY_VERIFY(ran);
    QVERIFY(seenElsewhere);
    // Nothing pending: runs at once.
    bool immediate = false;
    store->whenDurable([&] { immediate = true; });
    QVERIFY(immediate);
}

void tst_ChatStoreContract::asyncAppendsAnswerInCallOrder()
{
    // The send path (issue 16): answers come back on this thread, durable, in
    // the order of the calls and of the whenDurable() continuations between
    // them; a refused one uses up no seq.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->flush());
    QStringList log;
    QStringList allocated;
    QString firstId;
    bool seenElsewhere = false;
    const auto append = [&](const QString &channelId, const QString &clientMsgId) {
        store->appendMessageAsync(
            message(channelId, u"a"_qs, u"t"_qs, clientMsgId), {},
            [&allocated, clientMsgId](const StoredMessage &m) {
                allocated << u"%1 %2"_qs.arg(clientMsgId).arg(m.seq);
            },
            [&, clientMsgId](StoreResult<void> result, const StoredMessage &m) {
                if (!result) {
                    log << u"%1 %2"_qs.arg(result.conflict() ? u"conflict"_qs : u"refused"_qs,
                                           clientMsgId);
                    return;
                }
                // Its seq and ev were announced before it was durable.
                const bool announced = allocated.contains(u"%1 %2"_qs.arg(clientMsgId).arg(m.seq));
                log << u"stored %1 %2 %3 %4"_qs.arg(clientMsgId)
                           .arg(m.seq)
                           .arg(m.ev)
                           .arg(announced ? u"announced"_qs : u"unannounced"_qs);
                if (clientMsgId == u"x1") {
                    firstId = m.id;
                    const auto other = openAnother();
                    seenElsewhere = other && other->messageById(u"c1"_qs, m.id).has_value();
                }
            });
    };
    append(u"c1"_qs, u"x1"_qs);
    store->whenDurable([&log] { log << u"durable"_qs; });
    append(u"c1"_qs, u"x1"_qs); // a resend
    append(u"nope"_qs, u"x2"_qs); // no such channel
    append(u"c1"_qs, u"x3"_qs);
    QTRY_COMPARE(log.size(), 5);
    QCOMPARE(log,
             (QStringList{u"stored x1 1 1 announced"_qs, u"durable"_qs, u"conflict x1"_qs,
                          u"refused x2"_qs, u"stored x3 2 2 announced"_qs}));
    QCOMPARE(allocated, (QStringList{u"x1 1"_qs, u"x3 2"_qs}));
    QVERIFY(seenElsewhere);
    QCOMPARE(store->messageByClientId(u"a"_qs, u"x1"_qs)->id, firstId);
    QCOMPARE(store->channelById(u"c1"_qs)->lastSeq, 2);
}

void tst_ChatStoreContract::jobsSeeEarlierWritesAndAnswerInCallOrder()
{
    // ChatStore::runJob (issue 16): a job sees every write submitted before it
    // (a send still on its way included), writes like a direct call, and its
    // answer comes back on this thread in call order with the send answers
    // and whenDurable() continuations.
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addChannel(channel(u"c1"_qs), &error));
    QVERIFY(store->flush());
    QThread *const loopThread = QThread::currentThread();
    QStringList log;
    store->appendMessageAsync(message(u"c1"_qs, u"a"_qs, u"t"_qs, u"x1"_qs), {}, {},
                              [&log](StoreResult<void> result, const StoredMessage &m) {
                                  log << u"send %1 %2"_qs.arg(bool(result)).arg(m.seq);
                              });
    // Reads the send queued before it, then edits it: a write inside a job.
    auto ranOn = std::make_shared<std::atomic<QThread *>>(nullptr);
    store->run(
        [ranOn](ChatStore &s) {
            ranOn->store(QThread::currentThread());
            const auto sent = s.messageByClientId(u"a"_qs, u"x1"_qs);
            if (!sent)
                return QString(u"not seen"_qs);
            const auto edited = s.editMessage(u"c1"_qs, sent->id, u"edited"_qs,
                                              QDateTime::currentDateTimeUtc(), {});
            return edited ? u"edited rev %1 ev %2"_qs.arg(edited->rev).arg(edited->ev)
                          : QString(u"edit failed"_qs);
        },
        [&log, loopThread](QString result) {
            log << result;
            if (QThread::currentThread() != loopThread)
                log << u"answered off the loop"_qs;
        });
    store->whenDurable([&log] { log << u"durable"_qs; });
    store->run([](ChatStore &s) { return s.channelById(u"nope"_qs).has_value(); },
               [&log](bool found) { log << (found ? u"found"_qs : u"not found"_qs); });
    QTRY_COMPARE(log.size(), 4);
    QCOMPARE(
        log,
        (QStringList{u"send 1 1"_qs, u"edited rev 2 ev 2"_qs, u"durable"_qs, u"not found"_qs}));
    // The edit is stored, and seen by a direct read afterwards.
    const auto sent = store->messageByClientId(u"a"_qs, u"x1"_qs);
    QVERIFY(sent);
    QCOMPARE(sent->text, u"edited"_qs);
    QCOMPARE(store->channelById(u"c1"_qs)->lastEv, 2);
    // PostgreSQL: the job ran on the writer's thread, not the event loop's;
    // SQLite has no thread of its own and runs it on the loop.
    QFETCH_GLOBAL(QString, backend);
    if (backend == u"postgres")
        QVERIFY(ranOn->load() != loopThread);
    else
        QCOMPARE(ranOn->load(), loopThread);
}

void tst_ChatStoreContract::everythingSurvivesAReopen()
{
    QString id;
    QString error;
    {
        ChatStore *store = open();
        QVERIFY(store);
        StoredUser alice = user(u"alice"_qs);
        alice.admin = true;
        QVERIFY(store->addUser(alice, &error));
        QVERIFY(store->addChannel(channel(u"c1"_qs, {u"alice-id"_qs}), &error));
        StoredMessage m = message(u"c1"_qs, u"alice-id"_qs, u"text"_qs, u"1"_qs);
        QVERIFY(store->appendMessage(&m));
        QVERIFY(store->editMessage(u"c1"_qs, m.id, u"edited"_qs, {}, {}));
        StoredMessage gone = message(u"c1"_qs, u"alice-id"_qs, u"gone"_qs, u"2"_qs);
        QVERIFY(store->appendMessage(&gone));
        QVERIFY(store->deleteMessage(u"c1"_qs, gone.id));
        store->setLastReadSeq(u"c1"_qs, u"alice-id"_qs, 2);
        store->addFamily(u"f1"_qs, u"alice-id"_qs, u"laptop"_qs);
        store->addRefreshToken("hash", u"f1"_qs, QDateTime::currentDateTimeUtc().addDays(1));
        id = m.id;
        store->close(); // commits what is pending
        m_store.reset();
    }
    ChatStore *store = open();
    QVERIFY(store);
    QVERIFY(store->userByName(u"alice"_qs)->admin);
    const auto c1 = store->channelById(u"c1"_qs, u"alice-id"_qs);
    QVERIFY(c1);
    QCOMPARE(c1->members, (QStringList{u"alice-id"_qs}));
    QCOMPARE(c1->lastSeq, 2);
    QCOMPARE(c1->lastEv, 4);
    QCOMPARE(c1->lastReadSeq, 2);
    const auto page = store->history(u"c1"_qs, 0, 10).value();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page[0].id, id);
    QCOMPARE(page[0].text, u"edited"_qs);
    QCOMPARE(page[0].rev, 2);
    QCOMPARE(page[0].ev, 2);
    QVERIFY(page[0].editedAt.isValid());
    QVERIFY(page[1].deleted);
    QCOMPARE(page[1].text, QString());
    QCOMPARE(page[1].ev, 4);
    QVERIFY(store->familyActive(u"f1"_qs).value());
    QCOMPARE(store->refreshToken("hash")->familyId, u"f1"_qs);
    // Counters carry on where they were.
    StoredMessage next = message(u"c1"_qs, u"alice-id"_qs, u"next"_qs, u"3"_qs);
    QVERIFY(store->appendMessage(&next));
    QCOMPARE(next.seq, 3);
    QCOMPARE(next.ev, 5);
}

void tst_ChatStoreContract::changeFeedSignalsAnotherProcessCommit()
{
    // The admin CLI is another process on the same storage; what it commits
    // reaches the serving store's change feed (within the backend's bound).
    ChatStore *store = open();
    QVERIFY(store);
    QString error;
    QVERIFY(store->addUser(user(u"mallory"_qs), &error));
    QVERIFY(store->flush());
    QSignalSpy changed(store->changeFeed(), &ChangeFeed::changed);
    {
        const auto admin = openAnother(); // what `natterd user disable` opens
        QVERIFY(admin);
        QVERIFY(admin->setDisabled(u"mallory-id"_qs, true));
        QVERIFY(admin->flush());
    }
    QVERIFY(changed.wait(10000));
    QCOMPARE(store->disabledUserIds().value(), QSet<QString>{u"mallory-id"_qs});
}

QTEST_GUILESS_MAIN(tst_ChatStoreContract)
#include "tst_ChatStoreContract.moc"
