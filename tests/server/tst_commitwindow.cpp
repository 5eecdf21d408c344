// CommitWindow: the group-commit window follows the write rate (2 ms under
// light load, 5 ms from 500 writes a second), decided per period of 100 ms.
#include "store/sqlite/CommitWindow.h"

#include <QtTest>

using Natter::Server::CommitWindow;

class tst_CommitWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lightUntilAPeriodSaysOtherwise();
    void rateDecidesAtThePeriodsEnd_data();
    void rateDecidesAtThePeriodsEnd();
    void busyUntilTheRateDrops();
    void aPauseEndsTheLongWindow();
};

namespace {
void write(CommitWindow &window, int writes)
{
    for (int i = 0; i < writes; ++i)
        window.wrote();
}
} // namespace

void tst_CommitWindow::lightUntilAPeriodSaysOtherwise()
{
    CommitWindow window(1000);
    QCOMPARE(window.windowUs(1000), CommitWindow::kLightUs);
    // 100 writes in 50 ms is 2,000 a second, but the period is not over.
    write(window, 100);
    QCOMPARE(window.windowUs(1050), CommitWindow::kLightUs);
    QCOMPARE(window.windowUs(1100), CommitWindow::kBusyUs);
}

void tst_CommitWindow::rateDecidesAtThePeriodsEnd_data()
{
    QTest::addColumn<int>("writes");
    QTest::addColumn<qint64>("periodMs");
    QTest::addColumn<qint64>("expectedUs");
    QTest::newRow("250/s") << 25 << qint64(100) << CommitWindow::kLightUs;
    QTest::newRow("490/s") << 49 << qint64(100) << CommitWindow::kLightUs;
    QTest::newRow("500/s") << 50 << qint64(100) << CommitWindow::kBusyUs;
    QTest::newRow("1,000/s") << 100 << qint64(100) << CommitWindow::kBusyUs;
    // A period is as long as it took for a commit to be scheduled after it.
    QTest::newRow("100 in 250 ms (400/s)") << 100 << qint64(250) << CommitWindow::kLightUs;
    QTest::newRow("150 in 250 ms (600/s)") << 150 << qint64(250) << CommitWindow::kBusyUs;
}

void tst_CommitWindow::rateDecidesAtThePeriodsEnd()
{
    QFETCH(int, writes);
    QFETCH(qint64, periodMs);
    QFETCH(qint64, expectedUs);
    CommitWindow window(0);
    write(window, writes);
    QCOMPARE(window.windowUs(periodMs), expectedUs);
}

void tst_CommitWindow::busyUntilTheRateDrops()
{
    CommitWindow window(0);
    write(window, 80);
    QCOMPARE(window.windowUs(100), CommitWindow::kBusyUs);
    // The decision holds for the whole next period...
    write(window, 5);
    QCOMPARE(window.windowUs(150), CommitWindow::kBusyUs);
    write(window, 5);
    // ...and its 10 writes in 100 ms (100/s) end it.
    QCOMPARE(window.windowUs(200), CommitWindow::kLightUs);
}

void tst_CommitWindow::aPauseEndsTheLongWindow()
{
    CommitWindow window(0);
    write(window, 200);
    QCOMPARE(window.windowUs(100), CommitWindow::kBusyUs);
    // The load stops; the first write 3 s later must not wait 5 ms.
    write(window, 1);
    QCOMPARE(window.windowUs(3100), CommitWindow::kLightUs);
}

QTEST_APPLESS_MAIN(tst_CommitWindow)
#include "tst_commitwindow.moc"
