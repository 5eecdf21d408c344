// DesktopNotifier against a real notification daemon (dunst) on the test's
// session bus: a notification shown for a message is closed again when the
// message is deleted, also when the deletion overtakes the daemon's answer; and
// with no notification service on a bus, the tray is used instead.
#include "DunstProcess.h"

#include <algorithm>

#include "app/DesktopNotifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

namespace {
// NotificationClosed(id, reason): what the daemon itself says it did.
struct ClosedWatcher : QObject
{
    Q_OBJECT
public:
    explicit ClosedWatcher(QDBusConnection bus)
    {
        bus.connect(QStringLiteral("org.freedesktop.Notifications"),
                    QStringLiteral("/org/freedesktop/Notifications"),
                    QStringLiteral("org.freedesktop.Notifications"),
                    QStringLiteral("NotificationClosed"), this, SLOT(onClosed(uint, uint)));
    }
    QHash<uint, uint> reasons; // id -> reason (1 expired, 2 dismissed, 3 closed by a call)
Q_SIGNALS:
    void closed(uint id, uint reason);
private Q_SLOTS:
    void onClosed(uint id, uint reason)
    {
        reasons.insert(id, reason);
        Q_EMIT closed(id, reason);
    }
};
} // namespace

class tst_DesktopNotifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void deletedMessageWithdrawsItsNotification();
    void withdrawOvertakingTheDaemonsAnswer();
    void notificationDismissedByThePersonIsForgotten();
    void busWithoutNotificationServiceUsesTheTray();

private:
    std::unique_ptr<DunstProcess> m_dunst;
};

void tst_DesktopNotifier::initTestCase()
{
    if (!QDBusConnection::sessionBus().isConnected())
        QFAIL("this test needs the D-Bus session the test runner provides");
}

void tst_DesktopNotifier::init()
{
    m_dunst = std::make_unique<DunstProcess>();
    QVERIFY2(m_dunst->start(), qPrintable(m_dunst->errorString()));
}

void tst_DesktopNotifier::cleanup()
{
    m_dunst.reset();
}

void tst_DesktopNotifier::deletedMessageWithdrawsItsNotification()
{
    ClosedWatcher daemon(QDBusConnection::sessionBus());
    DesktopNotifier notifier(QDBusConnection::sessionBus());
    QSignalSpy shown(&notifier, &DesktopNotifier::shown);
    // Markup in a message reaches the screen as typed.
    notifier.show(QStringLiteral("msg-1"), QStringLiteral("Alice in random"),
                  QStringLiteral("see <b>this</b> & that"));
    QVERIFY(shown.wait(10000));
    const uint id = shown.at(0).at(1).toUInt();
    QVERIFY(id != 0);
    QCOMPARE(shown.at(0).at(0).toString(), QStringLiteral("msg-1"));
    QCOMPARE(notifier.notificationId(QStringLiteral("msg-1")), id);
    // The session bus is shared with other GUI tests running at the same time,
    // whose windows may notify into this dunst too: look at this test's
    // notifications by id, never at dunst's totals.
    QVERIFY(!m_dunst->inHistory(id)); // on screen

    // The message is deleted: the daemon takes the notification off the screen.
    QSignalSpy withdrawn(&notifier, &DesktopNotifier::withdrawn);
    QSignalSpy closed(&daemon, &ClosedWatcher::closed);
    notifier.withdraw(QStringLiteral("msg-1"));
    QVERIFY(withdrawn.wait(10000));
    QCOMPARE(withdrawn.at(0).at(1).toUInt(), id);
    QTRY_VERIFY_WITH_TIMEOUT(daemon.reasons.contains(id), 10000);
    QCOMPARE(daemon.reasons.value(id), 3u); // closed by a call to CloseNotification
    // dunst signals the close before its lists catch up: wait for it to move
    // the notification off the screen into its history.
    QTRY_VERIFY_WITH_TIMEOUT(m_dunst->inHistory(id), 10000);
    const auto history = m_dunst->history();
    const auto ours = std::find_if(history.cbegin(), history.cend(),
                                   [id](const DunstNotification &n) { return n.id == id; });
    QVERIFY(ours != history.cend());
    QCOMPARE(ours->summary, QStringLiteral("Alice in random"));
    // dunst renders markup in bodies: it got the text escaped, so it showed it as
    // typed, not a bold "this".
    QCOMPARE(ours->body, QStringLiteral("see &lt;b&gt;this&lt;/b&gt; &amp; that"));
    QCOMPARE(notifier.notificationId(QStringLiteral("msg-1")), 0u);
}

void tst_DesktopNotifier::withdrawOvertakingTheDaemonsAnswer()
{
    ClosedWatcher daemon(QDBusConnection::sessionBus());
    DesktopNotifier notifier(QDBusConnection::sessionBus());
    QSignalSpy shown(&notifier, &DesktopNotifier::shown);
    QSignalSpy withdrawn(&notifier, &DesktopNotifier::withdrawn);
    notifier.show(QStringLiteral("first"), QStringLiteral("t"), QStringLiteral("b"));
    QVERIFY(shown.wait(10000));
    const uint firstId = shown.at(0).at(1).toUInt();
    // Deleted in the same turn of the event loop as it was shown: the daemon has
    // not answered Notify yet, and the notification must not stay up.
    notifier.show(QStringLiteral("second"), QStringLiteral("Bob in general"),
                  QStringLiteral("oops"));
    notifier.withdraw(QStringLiteral("second"));
    QVERIFY(withdrawn.wait(10000));
    QCOMPARE(withdrawn.at(0).at(0).toString(), QStringLiteral("second"));
    const uint id = withdrawn.at(0).at(1).toUInt();
    QTRY_VERIFY_WITH_TIMEOUT(daemon.reasons.contains(id), 10000);
    // dunst signals the close before its lists catch up: wait for the history.
    QTRY_VERIFY_WITH_TIMEOUT(m_dunst->inHistory(id), 10000);
    // The first one is untouched: still on screen, never closed.
    QVERIFY(!m_dunst->inHistory(firstId));
    QVERIFY(!daemon.reasons.contains(firstId));
    QCOMPARE(notifier.notificationId(QStringLiteral("first")), firstId);
}

void tst_DesktopNotifier::notificationDismissedByThePersonIsForgotten()
{
    ClosedWatcher daemon(QDBusConnection::sessionBus());
    DesktopNotifier notifier(QDBusConnection::sessionBus());
    QSignalSpy shown(&notifier, &DesktopNotifier::shown);
    notifier.show(QStringLiteral("m"), QStringLiteral("t"), QStringLiteral("b"));
    QVERIFY(shown.wait(10000));
    const uint id = shown.at(0).at(1).toUInt();
    QVERIFY(m_dunst->dismissNewest());
    QTRY_VERIFY_WITH_TIMEOUT(daemon.reasons.contains(id), 10000);
    QCOMPARE(daemon.reasons.value(id), 2u); // dismissed by the person
    // The notifier heard it too (it listens on the same bus, connected earlier).
    QTRY_COMPARE(notifier.notificationId(QStringLiteral("m")), 0u);
}

void tst_DesktopNotifier::busWithoutNotificationServiceUsesTheTray()
{
    // A bus of its own with no notification service (and none to start on demand).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath(QStringLiteral("bus.conf")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("<busconfig><type>session</type>"
                 "<listen>unix:dir="
                 + QFile::encodeName(dir.path())
                 + "</listen>"
                   "<auth>EXTERNAL</auth>"
                   "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                   "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>");
    config.close();
    QProcess daemon;
    daemon.start(QStringLiteral("dbus-daemon"),
                 {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"),
                  QStringLiteral("--print-address")});
    QVERIFY(daemon.waitForStarted(10000));
    while (!daemon.canReadLine())
        QVERIFY(daemon.waitForReadyRead(10000));
    const QString address = QString::fromUtf8(daemon.readLine()).trimmed();
    {
        QDBusConnection bus = QDBusConnection::connectToBus(address, QStringLiteral("no-service"));
        QVERIFY(bus.isConnected());
        DesktopNotifier notifier(bus);
        QSignalSpy inTray(&notifier, &DesktopNotifier::shownInTray);
        QSignalSpy shown(&notifier, &DesktopNotifier::shown);
        notifier.show(QStringLiteral("m"), QStringLiteral("t"), QStringLiteral("b"));
        QVERIFY(inTray.wait(10000));
        QCOMPARE(inTray.at(0).at(0).toString(), QStringLiteral("m"));
        QCOMPARE(shown.size(), 0);
        QCOMPARE(notifier.notificationId(QStringLiteral("m")), 0u);
    }
    QDBusConnection::disconnectFromBus(QStringLiteral("no-service"));
    daemon.terminate();
    QVERIFY(daemon.waitForFinished(10000));
}

QTEST_MAIN(tst_DesktopNotifier)
#include "tst_DesktopNotifier.moc"
