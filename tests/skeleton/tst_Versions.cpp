// `--version` of all three programs: one version (the CMake project version),
// printed without a display.
#include <NatterVersion.h>

#include <QProcess>
#include <QTest>

class tst_Versions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void printsTheProjectVersionWithoutADisplay_data();
    void printsTheProjectVersionWithoutADisplay();
};

void tst_Versions::printsTheProjectVersionWithoutADisplay_data()
{
    QTest::addColumn<QString>("program");
    QTest::newRow("natter") << QStringLiteral(NATTER_BIN);
    QTest::newRow("natter-cli") << QStringLiteral(NATTER_CLI_BIN);
    QTest::newRow("natterd") << QStringLiteral(NATTERD_BIN_PATH);
}

void tst_Versions::printsTheProjectVersionWithoutADisplay()
{
    QFETCH(QString, program);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(program, {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    QVERIFY2(out.endsWith(QLatin1Char(' ') + QString::fromLatin1(Natter::kVersion)),
             qPrintable(out));
}

QTEST_GUILESS_MAIN(tst_Versions)
#include "tst_Versions.moc"
