// The outgoing token bucket: a burst, then the sustained rate, with time passed in.
#include "net/RateLimiter.h"

#include <QTest>

using namespace Natter;

class tst_RateLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenRate();
    void neverAboveBurst();
};

void tst_RateLimiter::burstThenRate()
{
    RateLimiter limiter(10.0, 5);
    for (int i = 0; i < 5; ++i)
        QVERIFY(limiter.tryTake(0));
    QVERIFY(!limiter.tryTake(0));
    QCOMPARE(limiter.msUntilAvailable(0), 100);
    QVERIFY(!limiter.tryTake(99));
    QVERIFY(limiter.tryTake(100));
    QVERIFY(!limiter.tryTake(100));
}

void tst_RateLimiter::neverAboveBurst()
{
    RateLimiter limiter(20.0, 40);
    QVERIFY(limiter.tryTake(0));
    // A long pause refills to the burst, not beyond it.
    int taken = 0;
    while (limiter.tryTake(1000000))
        ++taken;
    QCOMPARE(taken, 40);
    // Over ten seconds the sustained rate holds: 20/s plus nothing.
    int sent = 0;
    for (qint64 t = 1000000; t < 1010000; t += 5)
        sent += limiter.tryTake(t);
    QVERIFY(sent >= 199 && sent <= 201);
}

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_RateLimiter.moc"
