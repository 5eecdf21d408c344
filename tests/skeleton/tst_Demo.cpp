// The README's first command, `scripts/demo.sh`, on a machine without a display:
// it must start natterd with the demo data, sign alice and bob in, leave a
// screenshot of each signed-in window that decodes as PNG, say where they are,
// and leave nothing running. (A window saves its screenshot only after its
// connection has `resumed`, so a picture under its name means a signed-in
// window with the conversation loaded.)
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Demo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headlessDemoLeavesTwoSignedInScreenshots();
};

void tst_Demo::headlessDemoLeavesTwoSignedInScreenshots()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // No display: the demo's headless path (its own Xvfb, D-Bus session and keyring).
    for (const QString &name :
         {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s, u"DBUS_SESSION_BUS_ADDRESS"_s})
        env.remove(name);
    env.insert(u"NATTER_BUILD_DIR"_s, QStringLiteral(NATTER_BUILD_DIR));
    env.insert(u"NATTER_DEMO_DIR"_s, dir.filePath(u"demo"_s));
    env.insert(u"NATTER_DEMO_PORT"_s, u"0"_s); // any free port
    QProcess demo;
    demo.setProcessEnvironment(env);
    demo.setWorkingDirectory(dir.path());
    demo.start(QStringLiteral(NATTER_SOURCE_DIR "/scripts/demo.sh"), {});
    QVERIFY2(demo.waitForFinished(90000), "the demo did not finish within 90 s");
    const QString out = QString::fromUtf8(demo.readAllStandardOutput());
    const QString err = QString::fromUtf8(demo.readAllStandardError());
    QVERIFY2(demo.exitStatus() == QProcess::NormalExit && demo.exitCode() == 0,
             qPrintable(out + err));

    // It says where the screenshots are; both decode and show a whole window.
    const QRegularExpressionMatch shots =
        QRegularExpression(u"Screenshots: (\\S+) and (\\S+)"_s).match(out);
    QVERIFY2(shots.hasMatch(), qPrintable(out));
    for (const QString &path : {shots.captured(1), shots.captured(2)}) {
        QImage image;
        QVERIFY2(image.load(path, "PNG"), qPrintable(path));
        // The chat window (980×640), not a login dialog.
        QVERIFY2(image.width() >= 900 && image.height() >= 600,
                 qPrintable(u"%1: %2×%3"_s.arg(path).arg(image.width()).arg(image.height())));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4) {
            for (int x = 0; x < image.width(); x += 4)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY2(colours.size() > 8, qPrintable(path)); // painted, not a blank surface
    }
    QVERIFY(shots.captured(1).endsWith(u"alice.png"_s));
    QVERIFY(shots.captured(2).endsWith(u"bob.png"_s));

    // natterd is gone with the demo: its port refuses connections.
    const QRegularExpressionMatch url =
        QRegularExpression(u"natterd is running at http://127\\.0\\.0\\.1:(\\d+)"_s).match(out);
    QVERIFY2(url.hasMatch(), qPrintable(out));
    QTcpSocket probe;
    probe.connectToHost(u"127.0.0.1"_s, quint16(url.captured(1).toUInt()));
    QVERIFY(!probe.waitForConnected(5000));
    QCOMPARE(probe.error(), QAbstractSocket::ConnectionRefusedError);
}

QTEST_GUILESS_MAIN(tst_Demo)
#include "tst_Demo.moc"
