// The per-profile SQLite file: the outbox keeps its order and its states across
// reopening the file (an application restart), and the history cache keeps the
// newest messages and the channel list.
#include "store/LocalStore.h"

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

QTEST_GUILESS_MAIN(tst_LocalStore)
#include "tst_LocalStore.moc"
