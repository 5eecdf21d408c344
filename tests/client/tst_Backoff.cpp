// Reconnect delays: exponential ceilings, full jitter under them, the cap, the
// floor that prevents a tight loop, and the reset after a long connection.
#include "net/Backoff.h"

#include <QTest>

using namespace Natter;

class tst_Backoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ceilingDoublesUpToCap_data();
    void ceilingDoublesUpToCap();
    void delaysStayWithinFloorAndCeiling();
    void jitterSpreadsDelays();
    void resetsOnlyAfterLongConnection_data();
    void resetsOnlyAfterLongConnection();
    void sameSeedSameDelays();
};

void tst_Backoff::ceilingDoublesUpToCap_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<int>("ceiling");
    QTest::newRow("first") << 0 << 500;
    QTest::newRow("second") << 1 << 1000;
    QTest::newRow("third") << 2 << 2000;
    QTest::newRow("sixth") << 5 << 16000;
    QTest::newRow("seventh reaches cap") << 6 << 30000;
    QTest::newRow("far beyond") << 200 << 30000;
}

void tst_Backoff::ceilingDoublesUpToCap()
{
    QFETCH(int, attempt);
    QFETCH(int, ceiling);
    Backoff backoff(Backoff::Policy{}, 1);
    for (int i = 0; i < attempt; ++i)
        backoff.nextDelayMs();
    QCOMPARE(backoff.attempts(), attempt);
    QCOMPARE(backoff.currentCeilingMs(), ceiling);
}

void tst_Backoff::delaysStayWithinFloorAndCeiling()
{
    Backoff backoff(Backoff::Policy{}, 42);
    for (int i = 0; i < 1000; ++i) {
        const int ceiling = backoff.currentCeilingMs();
        const int delay = backoff.nextDelayMs();
        QVERIFY2(delay >= backoff.policy().floorMs && delay <= ceiling,
                 qPrintable(QStringLiteral("attempt %1: %2 not in [%3, %4]")
                                .arg(i)
                                .arg(delay)
                                .arg(backoff.policy().floorMs)
                                .arg(ceiling)));
    }
}

void tst_Backoff::jitterSpreadsDelays()
{
    // Full jitter: at the cap, delays spread over the whole range instead of
    // clustering at the cap (clients cut together must not return together).
    Backoff backoff(Backoff::Policy{}, 7);
    for (int i = 0; i < 10; ++i)
        backoff.nextDelayMs();
    int low = 0;
    int high = 0;
    for (int i = 0; i < 1000; ++i) {
        const int delay = backoff.nextDelayMs();
        low += delay < 10000;
        high += delay > 20000;
    }
    QVERIFY(low > 200);
    QVERIFY(high > 200);
}

void tst_Backoff::resetsOnlyAfterLongConnection_data()
{
    QTest::addColumn<qint64>("connectedForMs");
    QTest::addColumn<int>("attemptsAfter");
    QTest::newRow("dropped at once") << qint64(100) << 5;
    QTest::newRow("just under a minute") << qint64(59999) << 5;
    QTest::newRow("a minute") << qint64(60000) << 0;
    QTest::newRow("an hour") << qint64(3600000) << 0;
}

void tst_Backoff::resetsOnlyAfterLongConnection()
{
    QFETCH(qint64, connectedForMs);
    QFETCH(int, attemptsAfter);
    Backoff backoff;
    for (int i = 0; i < 5; ++i)
        backoff.nextDelayMs();
    backoff.connectionEnded(connectedForMs);
    QCOMPARE(backoff.attempts(), attemptsAfter);
}

void tst_Backoff::sameSeedSameDelays()
{
    Backoff a(Backoff::Policy{}, 99);
    Backoff b(Backoff::Policy{}, 99);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(a.nextDelayMs(), b.nextDelayMs());
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_Backoff.moc"
