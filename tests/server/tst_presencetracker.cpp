// PresenceTracker: aggregation over connections and the offline grace period.
#include "hub/PresenceTracker.h"

#include <QtTest>

using Natter::Server::PresenceTracker;
using Status = PresenceTracker::Status;

class tst_PresenceTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aggregation_data();
    void aggregation();
    void offlineOnlyAfterGrace();
    void reconnectWithinGraceIsSilent();
    void nextDeadline();
};

void tst_PresenceTracker::aggregation_data()
{
    QTest::addColumn<QList<int>>("statuses"); // per connection: 1 online, 2 away
    QTest::addColumn<int>("expected");
    QTest::newRow("one online") << QList<int>{1} << int(Status::Online);
    QTest::newRow("one away") << QList<int>{2} << int(Status::Away);
    QTest::newRow("away + online") << QList<int>{2, 1} << int(Status::Online);
    QTest::newRow("all away") << QList<int>{2, 2, 2} << int(Status::Away);
}

void tst_PresenceTracker::aggregation()
{
    QFETCH(QList<int>, statuses);
    QFETCH(int, expected);
    PresenceTracker t(5000);
    for (int i = 0; i < statuses.size(); ++i)
        t.setStatus(u"u"_qs, QString::number(i), Status(statuses[i]));
    QCOMPARE(int(t.status(u"u"_qs)), expected);
}

void tst_PresenceTracker::offlineOnlyAfterGrace()
{
    PresenceTracker t(5000);
    QCOMPARE(t.connectionOpened(u"u"_qs, u"c1"_qs), std::optional<Status>(Status::Online));
    QCOMPARE(t.connectionOpened(u"u"_qs, u"c2"_qs), std::nullopt);
    t.connectionClosed(u"u"_qs, u"c1"_qs, 1000);
    QCOMPARE(t.nextDeadline(), -1); // another connection is still open
    t.connectionClosed(u"u"_qs, u"c2"_qs, 2000);
    QCOMPARE(t.status(u"u"_qs), Status::Online);
    QVERIFY(t.takeExpired(6999).isEmpty());
    QCOMPARE(t.takeExpired(7000), QStringList{u"u"_qs});
    QCOMPARE(t.status(u"u"_qs), Status::Offline);
    QVERIFY(t.takeExpired(100000).isEmpty());
}

void tst_PresenceTracker::reconnectWithinGraceIsSilent()
{
    PresenceTracker t(5000);
    t.connectionOpened(u"u"_qs, u"c1"_qs);
    t.connectionClosed(u"u"_qs, u"c1"_qs, 0);
    QCOMPARE(t.connectionOpened(u"u"_qs, u"c2"_qs), std::nullopt);
    QVERIFY(t.takeExpired(10000).isEmpty());
    // Away before leaving, back online after: announced.
    QCOMPARE(t.setStatus(u"u"_qs, u"c2"_qs, Status::Away), std::optional<Status>(Status::Away));
    t.connectionClosed(u"u"_qs, u"c2"_qs, 0);
    QCOMPARE(t.connectionOpened(u"u"_qs, u"c3"_qs), std::optional<Status>(Status::Online));
}

void tst_PresenceTracker::nextDeadline()
{
    PresenceTracker t(100);
    t.connectionOpened(u"a"_qs, u"1"_qs);
    t.connectionOpened(u"b"_qs, u"2"_qs);
    t.connectionClosed(u"a"_qs, u"1"_qs, 50);
    t.connectionClosed(u"b"_qs, u"2"_qs, 10);
    QCOMPARE(t.nextDeadline(), 110);
}

QTEST_GUILESS_MAIN(tst_PresenceTracker)
#include "tst_presencetracker.moc"
