// LoginThrottle: 10 failures per username or 50 per peer within 15 minutes → 429;
// attempts are reserved before hashing and count until released.
#include "auth/LoginThrottle.h"

#include <QtTest>

using Natter::Server::LoginThrottle;

class tst_LoginThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void perUsername();
    void perPeer();
    void successResetsUsernameOnly();
    void windowSlides_data();
    void windowSlides();
    void usernameCaseInsensitive();
    void reservationsHoldTheLimit();
    void failedReservationsBecomeFailures();
    void successReleasesAndClearsOnlyFailures();
    void attemptNotMadeCountsNothing();
    void reservationsPerPeer();
};

void tst_LoginThrottle::perUsername()
{
    LoginThrottle t(10, 50, 900);
    for (int i = 0; i < 9; ++i)
        t.recordFailure(u"alice"_qs, u"1.1.1.1"_qs, 100);
    QCOMPARE(t.retryAfter(u"alice"_qs, u"1.1.1.1"_qs, 100), 0);
    t.recordFailure(u"alice"_qs, u"2.2.2.2"_qs, 100);
    QCOMPARE(t.retryAfter(u"alice"_qs, u"3.3.3.3"_qs, 100), 900);
    QCOMPARE(t.retryAfter(u"alice"_qs, u"3.3.3.3"_qs, 400), 600);
    QCOMPARE(t.retryAfter(u"bob"_qs, u"1.1.1.1"_qs, 100), 0);
}

void tst_LoginThrottle::perPeer()
{
    LoginThrottle t(10, 50, 900);
    for (int i = 0; i < 50; ++i)
        t.recordFailure(QStringLiteral("user%1").arg(i), u"6.6.6.6"_qs, 10);
    QVERIFY(t.retryAfter(u"fresh"_qs, u"6.6.6.6"_qs, 10) > 0);
    QCOMPARE(t.retryAfter(u"fresh"_qs, u"7.7.7.7"_qs, 10), 0);
}

void tst_LoginThrottle::successResetsUsernameOnly()
{
    LoginThrottle t(3, 5, 900);
    for (int i = 0; i < 3; ++i)
        t.recordFailure(u"alice"_qs, u"p"_qs, 0);
    QVERIFY(t.retryAfter(u"alice"_qs, u"q"_qs, 0) > 0);
    t.recordSuccess(u"alice"_qs);
    QCOMPARE(t.retryAfter(u"alice"_qs, u"q"_qs, 0), 0);
    // The peer's count is not reset by a success.
    t.recordFailure(u"bob"_qs, u"p"_qs, 0);
    t.recordFailure(u"carol"_qs, u"p"_qs, 0);
    QVERIFY(t.retryAfter(u"dave"_qs, u"p"_qs, 0) > 0);
}

void tst_LoginThrottle::windowSlides_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("blocked");
    QTest::newRow("inside") << qint64(899) << true;
    QTest::newRow("edge") << qint64(900) << false;
    QTest::newRow("after") << qint64(2000) << false;
}

void tst_LoginThrottle::windowSlides()
{
    QFETCH(qint64, now);
    QFETCH(bool, blocked);
    LoginThrottle t(2, 50, 900);
    t.recordFailure(u"a"_qs, u"p"_qs, 0);
    t.recordFailure(u"a"_qs, u"p"_qs, 0);
    QCOMPARE(t.retryAfter(u"a"_qs, u"p"_qs, now) > 0, blocked);
}

void tst_LoginThrottle::usernameCaseInsensitive()
{
    LoginThrottle t(2, 50, 900);
    t.recordFailure(u"Alice"_qs, u"p"_qs, 0);
    t.recordFailure(u"alice"_qs, u"p"_qs, 0);
    QVERIFY(t.retryAfter(u"ALICE"_qs, u"q"_qs, 1) > 0);
}

void tst_LoginThrottle::reservationsHoldTheLimit()
{
    // Ten attempts being verified at once fill alice's limit: the eleventh is
    // refused before any of them is answered, and nothing is reserved for it.
    LoginThrottle t(10, 50, 900);
    for (int i = 0; i < 10; ++i)
        QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
    QVERIFY(t.reserve(u"Alice"_qs, u"p"_qs, 0) > 0);
    QCOMPARE(t.reserve(u"bob"_qs, u"p"_qs, 0), 0);
    t.release(u"alice"_qs, u"p"_qs, LoginThrottle::Attempt::NotMade, 0);
    QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
}

void tst_LoginThrottle::failedReservationsBecomeFailures()
{
    LoginThrottle t(3, 50, 900);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 100), 0);
    // While they are verified the wait is short: they end within moments.
    QCOMPARE(t.retryAfter(u"alice"_qs, u"p"_qs, 100), 1);
    for (int i = 0; i < 3; ++i)
        t.release(u"alice"_qs, u"p"_qs, LoginThrottle::Attempt::Failed, 100);
    QCOMPARE(t.retryAfter(u"alice"_qs, u"q"_qs, 100), 900);
    QCOMPARE(t.reserve(u"alice"_qs, u"q"_qs, 999), 1);
    QCOMPARE(t.reserve(u"alice"_qs, u"q"_qs, 1000), 0);
}

void tst_LoginThrottle::successReleasesAndClearsOnlyFailures()
{
    LoginThrottle t(3, 50, 900);
    t.recordFailure(u"alice"_qs, u"p"_qs, 0);
    QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
    QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
    QVERIFY(t.reserve(u"alice"_qs, u"p"_qs, 0) > 0);
    t.release(u"alice"_qs, u"p"_qs, LoginThrottle::Attempt::Succeeded, 0);
    // The failure is cleared, the other attempt still being verified still counts.
    QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
    QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
    QVERIFY(t.reserve(u"alice"_qs, u"p"_qs, 0) > 0);
}

void tst_LoginThrottle::attemptNotMadeCountsNothing()
{
    LoginThrottle t(1, 1, 900);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(t.reserve(u"alice"_qs, u"p"_qs, 0), 0);
        t.release(u"alice"_qs, u"p"_qs, LoginThrottle::Attempt::NotMade, 0);
    }
    QCOMPARE(t.retryAfter(u"alice"_qs, u"p"_qs, 0), 0);
}

void tst_LoginThrottle::reservationsPerPeer()
{
    LoginThrottle t(10, 2, 900);
    QCOMPARE(t.reserve(u"a"_qs, u"6.6.6.6"_qs, 0), 0);
    QCOMPARE(t.reserve(u"b"_qs, u"6.6.6.6"_qs, 0), 0);
    QVERIFY(t.reserve(u"c"_qs, u"6.6.6.6"_qs, 0) > 0);
    QCOMPARE(t.reserve(u"c"_qs, u"7.7.7.7"_qs, 0), 0);
    // A failure stays counted for the peer; a success only frees its slot.
    t.release(u"a"_qs, u"6.6.6.6"_qs, LoginThrottle::Attempt::Failed, 0);
    t.release(u"b"_qs, u"6.6.6.6"_qs, LoginThrottle::Attempt::Succeeded, 0);
    QCOMPARE(t.reserve(u"c"_qs, u"6.6.6.6"_qs, 0), 0);
    QVERIFY(t.reserve(u"d"_qs, u"6.6.6.6"_qs, 0) > 0);
}

QTEST_GUILESS_MAIN(tst_LoginThrottle)
#include "tst_loginthrottle.moc"
