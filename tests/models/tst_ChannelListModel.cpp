#include "models/ChannelListModel.h"
#include "models/PresenceModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;

namespace {
const QDateTime kBase = QDateTime(QDate(2026, 11, 21), QTime(12, 0), Qt::UTC);

Channel chan(const QString &id, const QString &name, qint64 lastSeq = 0, qint64 readSeq = 0)
{
    Channel c;
    c.id = id;
    c.name = name;
    c.members = {QStringLiteral("me"), QStringLiteral("bob")};
    c.lastSeq = lastSeq;
    c.lastReadSeq = readSeq;
    return c;
}

Message msg(const QString &channel, qint64 seq, const QString &author, int secs)
{
    Message m;
    m.id = QStringLiteral("%1-%2").arg(channel).arg(seq);
    m.channel = channel;
    m.seq = seq;
    m.author = author;
    m.text = QStringLiteral("hi %1").arg(seq);
    m.ts = kBase.addSecs(secs);
    return m;
}

QStringList order(const ChannelListModel &model)
{
    QStringList ids;
    for (int i = 0; i < model.rowCount(); ++i)
        ids.append(model.index(i).data(ChannelListModel::IdRole).toString());
    return ids;
}
} // namespace

class tst_ChannelListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unreadFromSnapshotAndLive();
    void ownMessagesAreNotUnread();
    void sortedByLastActivity();
    void readMarkersOnlyMoveForward();
    void directChannelShowsPeerNameAndPresence();
    void removedChannelLeavesTheListAndTheTotal();
    void mutedChannelsStayOutOfTheTotal();
};

void tst_ChannelListModel::unreadFromSnapshotAndLive()
{
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy total(&model, &ChannelListModel::totalUnreadChanged);
    model.setChannels({chan(QStringLiteral("c1"), QStringLiteral("general"), 10, 7),
                       chan(QStringLiteral("c2"), QStringLiteral("random"), 4, 4)});
    QCOMPARE(model.totalUnread(), 3);
    model.messageArrived(msg(QStringLiteral("c2"), 5, QStringLiteral("bob"), 1));
    QCOMPARE(model.totalUnread(), 4);
    QCOMPARE(
        model.index(model.rowOf(QStringLiteral("c2"))).data(ChannelListModel::UnreadRole).toInt(),
        1);
    model.markRead(QStringLiteral("c1"), 10);
    QCOMPARE(model.totalUnread(), 1);
    QCOMPARE(total.last().at(0).toInt(), 1);
}

void tst_ChannelListModel::mutedChannelsStayOutOfTheTotal()
{
    // §8 notify: the title and tray total follow each channel's level.
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Channel loud = chan(QStringLiteral("c1"), QStringLiteral("general"), 10, 7);
    Channel quiet = chan(QStringLiteral("c2"), QStringLiteral("random"), 9, 4);
    quiet.mentionCount = 2;
    model.setChannels({loud, quiet});
    QCOMPARE(model.totalUnread(), 8);
    QSignalSpy total(&model, &ChannelListModel::totalUnreadChanged);
    quiet.notify = NotifyLevel::Mentions;
    model.upsertChannel(quiet);
    QCOMPARE(model.totalUnread(), 5); // 3 unread in general + 2 mentions in random
    quiet.notify = NotifyLevel::None;
    model.upsertChannel(quiet);
    QCOMPARE(model.totalUnread(), 3);
    QCOMPARE(total.last().at(0).toInt(), 3);
    // Its own badge still says what is unread there.
    QCOMPARE(
        model.index(model.rowOf(QStringLiteral("c2"))).data(ChannelListModel::UnreadRole).toInt(),
        5);
}

void tst_ChannelListModel::ownMessagesAreNotUnread()
{
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setChannels({chan(QStringLiteral("c1"), QStringLiteral("general"), 3, 3)});
    model.messageArrived(msg(QStringLiteral("c1"), 4, QStringLiteral("me"), 1));
    QCOMPARE(model.totalUnread(), 0);
}

void tst_ChannelListModel::sortedByLastActivity()
{
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setChannels({chan(QStringLiteral("a"), QStringLiteral("alpha")),
                       chan(QStringLiteral("b"), QStringLiteral("beta")),
                       chan(QStringLiteral("c"), QStringLiteral("gamma"))});
    QCOMPARE(order(model),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    model.messageArrived(msg(QStringLiteral("c"), 1, QStringLiteral("bob"), 10));
    QCOMPARE(order(model).first(), QStringLiteral("c"));
    model.messageArrived(msg(QStringLiteral("b"), 1, QStringLiteral("bob"), 20));
    QCOMPARE(order(model),
             (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
    model.messageArrived(msg(QStringLiteral("a"), 1, QStringLiteral("bob"), 30));
    QCOMPARE(order(model),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(model.index(0).data(ChannelListModel::LastMessageTextRole).toString(),
             QStringLiteral("hi 1"));
}

void tst_ChannelListModel::readMarkersOnlyMoveForward()
{
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setChannels({chan(QStringLiteral("c1"), QStringLiteral("general"), 10, 5)});
    model.markRead(QStringLiteral("c1"), 8);
    model.markRead(QStringLiteral("c1"), 6);
    QCOMPARE(model.totalUnread(), 2);
}

void tst_ChannelListModel::directChannelShowsPeerNameAndPresence()
{
    PresenceModel users;
    ChannelListModel model(QStringLiteral("me"), &users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Channel dm = chan(QStringLiteral("d1"), QString());
    dm.kind = ChannelKind::Direct;
    model.setChannels({dm});
    users.setUsers({{QStringLiteral("bob"),
                     QStringLiteral("bob"),
                     QStringLiteral("Bob"),
                     PresenceStatus::Offline,
                     {}}});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    users.applyPresence({QStringLiteral("bob"), PresenceStatus::Online, kBase});
    QVERIFY(!changed.isEmpty());
    const QModelIndex idx = model.index(0);
    QCOMPARE(idx.data(ChannelListModel::NameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(idx.data(ChannelListModel::PeerStatusRole).toInt(), int(PresenceStatus::Online));
}

void tst_ChannelListModel::removedChannelLeavesTheListAndTheTotal()
{
    ChannelListModel model(QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy total(&model, &ChannelListModel::totalUnreadChanged);
    model.setChannels({chan(QStringLiteral("c1"), QStringLiteral("general"), 10, 7),
                       chan(QStringLiteral("c2"), QStringLiteral("ops"), 4, 2)});
    QCOMPARE(model.totalUnread(), 5);
    model.removeChannel(QStringLiteral("c2"));
    QCOMPARE(order(model), QStringList{QStringLiteral("c1")});
    QCOMPARE(model.totalUnread(), 3);
    QCOMPARE(total.last().at(0).toInt(), 3);
    model.removeChannel(QStringLiteral("unknown")); // nothing happens
    QCOMPARE(model.rowCount(), 1);
}

QTEST_GUILESS_MAIN(tst_ChannelListModel)
#include "tst_ChannelListModel.moc"
