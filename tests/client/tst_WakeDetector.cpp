// Sleep detection from the two clocks.
#include "net/WakeDetector.h"

#include <QTest>

using namespace Natter;

class tst_WakeDetector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detects_data();
    void detects();
};

void tst_WakeDetector::detects_data()
{
    QTest::addColumn<qint64>("wallDelta");
    QTest::addColumn<qint64>("monotonicDelta");
    QTest::addColumn<bool>("woke");
    QTest::newRow("awake") << qint64(5000) << qint64(5000) << false;
    QTest::newRow("small drift") << qint64(6000) << qint64(5000) << false;
    QTest::newRow("slept a minute") << qint64(65000) << qint64(5000) << true;
    QTest::newRow("clock set back") << qint64(-3600000) << qint64(5000) << false;
}

void tst_WakeDetector::detects()
{
    QFETCH(qint64, wallDelta);
    QFETCH(qint64, monotonicDelta);
    QFETCH(bool, woke);
    WakeDetector detector(5000);
    QVERIFY(!detector.sample(1000000, 500));
    QCOMPARE(detector.sample(1000000 + wallDelta, 500 + monotonicDelta), woke);
}

QTEST_GUILESS_MAIN(tst_WakeDetector)
#include "tst_WakeDetector.moc"
