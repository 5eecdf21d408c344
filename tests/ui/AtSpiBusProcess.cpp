#include "AtSpiBusProcess.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QDBusVariant>
#include <QSignalSpy>
#include <QUuid>

#include <csignal>
#include <unistd.h>

namespace {
const QString kService = QStringLiteral("org.a11y.Bus");
const QString kPath = QStringLiteral("/org/a11y/bus");
const QString kLauncher = QStringLiteral("/usr/libexec/at-spi-bus-launcher");
const QString kRegistry = QStringLiteral("org.a11y.atspi.Registry");
} // namespace

AtSpiBusProcess::AtSpiBusProcess(const QDBusConnection &session)
    : m_session(session)
{ }

AtSpiBusProcess::~AtSpiBusProcess()
{
    stop();
}

bool AtSpiBusProcess::start()
{
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
        m_error = QStringLiteral("the accessibility test needs the X display the test runner "
                                 "(xvfb-run) provides: Qt's AT-SPI bridge exists under xcb only");
        return false;
    }
    if (m_session.interface()->isServiceRegistered(kService)) {
        m_error = QStringLiteral("an accessibility bus already runs on this session bus "
                                 "(started on demand by someone?); the test needs its own");
        return false;
    }
    QDBusServiceWatcher watcher(kService, m_session, QDBusServiceWatcher::WatchForRegistration);
    QSignalSpy registered(&watcher, &QDBusServiceWatcher::serviceRegistered);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Its Status comes from GSettings: keep it in memory, away from any dconf.
    env.insert(QStringLiteral("GSETTINGS_BACKEND"), QStringLiteral("memory"));
    m_process->setProcessEnvironment(env);
    // Its own process group: the accessibility bus and every service the bus
    // starts (the registry, even one activated again by a late call while the
    // test tears down) are in it, so stop() can end them all. A straggler
    // would keep the test's stderr open, and ctest waits for that.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    m_process->start(kLauncher, {QStringLiteral("--launch-immediately")});
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("at-spi-bus-launcher did not start (is at-spi2-core "
                                 "installed? scripts/install-deps.sh): ")
            + m_process->errorString();
        return false;
    }
    if (!m_session.interface()->isServiceRegistered(kService) && !registered.wait(10000)) {
        m_error = QStringLiteral("at-spi-bus-launcher did not take org.a11y.Bus");
        return false;
    }
    const QDBusMessage reply = m_session.call(
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("GetAddress")));
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) {
        m_error = QStringLiteral("org.a11y.Bus.GetAddress failed: ") + reply.errorMessage();
        return false;
    }
    m_address = reply.arguments().constFirst().toString();
    return !m_address.isEmpty();
}

void AtSpiBusProcess::stop()
{
    if (!m_process)
        return;
    stopRegistry();
    QDBusServiceWatcher watcher(kService, m_session, QDBusServiceWatcher::WatchForUnregistration);
    QSignalSpy gone(&watcher, &QDBusServiceWatcher::serviceUnregistered);
    // SIGTERM: the launcher stops the accessibility bus it started, and the
    // registry leaves with its bus.
    const pid_t group = pid_t(m_process->processId());
    m_process->terminate();
    if (!m_process->waitForFinished(10000))
        m_process->kill();
    m_process->waitForFinished(10000);
    if (group > 0)
        ::kill(-group, SIGKILL); // whatever the launcher left behind in its group
    if (m_session.interface()->isServiceRegistered(kService))
        gone.wait(10000);
    m_process.reset();
}

bool AtSpiBusProcess::setScreenReaderEnabled(bool on)
{
    QDBusMessage set = QDBusMessage::createMethodCall(
        kService, kPath, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Set"));
    set << QStringLiteral("org.a11y.Status") << QStringLiteral("ScreenReaderEnabled")
        << QVariant::fromValue(QDBusVariant(on));
    const QDBusMessage reply = m_session.call(set);
    if (reply.type() != QDBusMessage::ReplyMessage) {
        m_error = QStringLiteral("org.a11y.Status.ScreenReaderEnabled: ") + reply.errorMessage();
        return false;
    }
    return true;
}

void AtSpiBusProcess::stopRegistry()
{
    if (m_address.isEmpty())
        return;
    const QString name =
        QStringLiteral("atspi-bus-process-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QDBusConnection bus = QDBusConnection::connectToBus(m_address, name);
        QDBusServiceWatcher watcher(kRegistry, bus, QDBusServiceWatcher::WatchForUnregistration);
        QSignalSpy gone(&watcher, &QDBusServiceWatcher::serviceUnregistered);
        const uint pid = bus.isConnected() ? bus.interface()->servicePid(kRegistry).value() : 0;
        // The registry this test's first call to it started (bus activation).
        if (pid > 0 && ::kill(pid_t(pid), SIGTERM) == 0
            && bus.interface()->isServiceRegistered(kRegistry))
            gone.wait(10000);
    }
    QDBusConnection::disconnectFromBus(name);
}
