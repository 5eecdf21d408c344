// TokenBucket: 20 frames/s sustained, bursts of 40 (contract §4).
#include "hub/TokenBucket.h"

#include <QtTest>

using Natter::Server::TokenBucket;

class tst_TokenBucket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenRefused();
    void refillRate_data();
    void refillRate();
    void neverAboveBurst();
};

void tst_TokenBucket::burstThenRefused()
{
    TokenBucket bucket(20, 40, 0);
    for (int i = 0; i < 40; ++i)
        QVERIFY(bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(0));
    QVERIFY(!bucket.tryTake(49)); // 0.98 tokens
    QVERIFY(bucket.tryTake(50)); // one token per 50 ms
    QVERIFY(!bucket.tryTake(50));
}

void tst_TokenBucket::refillRate_data()
{
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<int>("allowed");
    QTest::newRow("100 ms") << qint64(100) << 2;
    QTest::newRow("1 s") << qint64(1000) << 20;
    QTest::newRow("1.5 s") << qint64(1500) << 30;
    QTest::newRow("10 s caps at burst") << qint64(10000) << 40;
}

void tst_TokenBucket::refillRate()
{
    QFETCH(qint64, elapsedMs);
    QFETCH(int, allowed);
    TokenBucket bucket(20, 40, 0);
    while (bucket.tryTake(0)) { }
    int n = 0;
    while (bucket.tryTake(elapsedMs))
        ++n;
    QCOMPARE(n, allowed);
}

void tst_TokenBucket::neverAboveBurst()
{
    TokenBucket bucket(20, 40, 0);
    QCOMPARE(bucket.available(1000000), 40.0);
}

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
