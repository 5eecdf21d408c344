#include "models/PresenceModel.h"
#include "models/TypingThrottle.h"
#include "models/TypingTracker.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;

namespace {
TypingEvent start(const QString &user, int ms = 6000, const QString &channel = QStringLiteral("c1"))
{
    return {channel, user, TypingState::Start, ms};
}
} // namespace

class tst_TypingTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void humanText_data();
    void humanText();
    void expiresOnItsOwn();
    void refreshedStartExtendsExpiry();
    void clearedByMessageStopAndDisconnect();
    void throttleSendsStartAtMostEveryThreeSeconds();
    void presenceModelFollowsEvents();

private:
    PresenceModel m_users;
};

void tst_TypingTracker::initTestCase()
{
    QAbstractItemModelTester tester(&m_users,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_users.setUsers({{QStringLiteral("a"),
                       QStringLiteral("alice"),
                       QStringLiteral("Alice"),
                       PresenceStatus::Online,
                       {}},
                      {QStringLiteral("b"),
                       QStringLiteral("bob"),
                       QStringLiteral("Bob"),
                       PresenceStatus::Online,
                       {}},
                      {QStringLiteral("c"),
                       QStringLiteral("carol"),
                       QStringLiteral("Carol"),
                       PresenceStatus::Online,
                       {}}});
}

void tst_TypingTracker::humanText_data()
{
    QTest::addColumn<QStringList>("typists");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nobody") << QStringList{} << QString();
    QTest::newRow("one") << QStringList{QStringLiteral("a")} << QStringLiteral("Alice is typing…");
    QTest::newRow("two") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                         << QStringLiteral("Alice and Bob are typing…");
    QTest::newRow("three") << QStringList{QStringLiteral("a"), QStringLiteral("b"),
                                          QStringLiteral("c")}
                           << QStringLiteral("Several people are typing…");
}

void tst_TypingTracker::humanText()
{
    QFETCH(QStringList, typists);
    QFETCH(QString, expected);
    TypingTracker tracker(&m_users);
    for (const QString &u : typists)
        tracker.apply(start(u));
    QCOMPARE(tracker.typingText(QStringLiteral("c1")), expected);
    QCOMPARE(tracker.typingText(QStringLiteral("other")), QString());
}

void tst_TypingTracker::expiresOnItsOwn()
{
    TypingTracker tracker(&m_users);
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    tracker.apply(start(QStringLiteral("a"), 150));
    QCOMPARE(tracker.typists(QStringLiteral("c1")), QStringList{QStringLiteral("a")});
    // No `stop` ever arrives: the entry must still go away by itself.
    QTRY_VERIFY_WITH_TIMEOUT(tracker.typists(QStringLiteral("c1")).isEmpty(), 5000);
    QCOMPARE(changed.size(), 2);
}

void tst_TypingTracker::refreshedStartExtendsExpiry()
{
    TypingTracker tracker(&m_users);
    tracker.apply(start(QStringLiteral("a"), 100));
    tracker.apply(start(QStringLiteral("b"), 60000));
    tracker.apply(start(QStringLiteral("a"), 60000)); // a typed again: 60 s from now
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    // Nothing expires within the first entry's original lifetime.
    QVERIFY(!changed.wait(400));
    QCOMPARE(tracker.typists(QStringLiteral("c1")).size(), 2);
}

void tst_TypingTracker::clearedByMessageStopAndDisconnect()
{
    TypingTracker tracker(&m_users);
    tracker.apply(start(QStringLiteral("a")));
    tracker.apply(start(QStringLiteral("b")));
    tracker.apply(start(QStringLiteral("c"), 6000, QStringLiteral("c2")));
    tracker.messageArrived(QStringLiteral("c1"), QStringLiteral("a"));
    QCOMPARE(tracker.typists(QStringLiteral("c1")), QStringList{QStringLiteral("b")});
    tracker.apply({QStringLiteral("c1"), QStringLiteral("b"), TypingState::Stop, 0});
    QVERIFY(tracker.typists(QStringLiteral("c1")).isEmpty());
    QSignalSpy changed(&tracker, &TypingTracker::typingChanged);
    tracker.clear();
    QVERIFY(tracker.typists(QStringLiteral("c2")).isEmpty());
    QCOMPARE(changed.size(), 1);
}

void tst_TypingTracker::throttleSendsStartAtMostEveryThreeSeconds()
{
    using A = TypingThrottle::Action;
    TypingThrottle t;
    QCOMPARE(t.draftChanged(false, 0), A::SendStart);
    QCOMPARE(t.draftChanged(false, 1000), A::None);
    QCOMPARE(t.draftChanged(false, 2999), A::None);
    QCOMPARE(t.draftChanged(false, 3000), A::SendStart);
    QCOMPARE(t.draftSent(), A::SendStop);
    QCOMPARE(t.draftSent(), A::None); // nothing owed twice
    QCOMPARE(t.draftChanged(false, 3100), A::SendStart); // a new draft starts again at once
    QCOMPARE(t.draftChanged(true, 3200), A::SendStop); // emptied
    QCOMPARE(t.draftChanged(true, 3300), A::None);
}

void tst_TypingTracker::presenceModelFollowsEvents()
{
    PresenceModel users;
    QAbstractItemModelTester tester(&users, QAbstractItemModelTester::FailureReportingMode::QtTest);
    users.setUsers(
        {{QStringLiteral("a"), QStringLiteral("alice"), QString(), PresenceStatus::Online, {}}});
    QCOMPARE(users.displayName(QStringLiteral("a")), QStringLiteral("alice"));
    const QDateTime seen = QDateTime::currentDateTimeUtc();
    users.applyPresence({QStringLiteral("a"), PresenceStatus::Offline, seen});
    QCOMPARE(users.status(QStringLiteral("a")), PresenceStatus::Offline);
    QCOMPARE(users.user(QStringLiteral("a")).lastSeen, seen);
    users.applyPresence({QStringLiteral("stranger"), PresenceStatus::Online, seen});
    QCOMPARE(users.rowCount(), 1);
    users.applyPresence({QStringLiteral("a"), PresenceStatus::Online, {}});
    users.markAllUnknown();
    QCOMPARE(users.status(QStringLiteral("a")), PresenceStatus::Offline);
}

QTEST_GUILESS_MAIN(tst_TypingTracker)
#include "tst_TypingTracker.moc"
