#include "DunstProcess.h"

#include <QDBusArgument>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QDBusVariant>
#include <QFile>
#include <QSignalSpy>

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kDunst = QStringLiteral("org.dunstproject.cmd0");

// Values inside the a{sv} maps may arrive wrapped in one more variant.
QVariant plain(const QVariant &v)
{
    if (v.canConvert<QDBusVariant>())
        return v.value<QDBusVariant>().variant();
    return v;
}
} // namespace

DunstProcess::DunstProcess(const QDBusConnection &bus)
    : m_bus(bus)
{ }

DunstProcess::~DunstProcess()
{
    stop();
}

bool DunstProcess::start()
{
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
        m_error = QStringLiteral("dunst needs the X display the test runner (xvfb-run) provides");
        return false;
    }
    if (m_bus.interface()->isServiceRegistered(kService)) {
        // Most likely the bus started one on demand (D-Bus activation) for an
        // earlier notification, which works when dbus-run-session itself was
        // started with a DISPLAY: run the tests from an environment without one.
        m_error = QStringLiteral("another notification service already runs on this bus "
                                 "(started on demand? see DunstProcess.cpp)");
        return false;
    }
    const QString config = m_dir.filePath(QStringLiteral("dunstrc"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    // timeout 0: never expire; the test decides when a notification goes.
    // markup = full, as Debian's default configuration: bodies are markup.
    file.write("[global]\n    follow = none\n    idle_threshold = 0\n    markup = full\n"
               "    notification_limit = 0\n"
               "[urgency_low]\n    timeout = 0\n"
               "[urgency_normal]\n    timeout = 0\n"
               "[urgency_critical]\n    timeout = 0\n");
    file.close();

    QDBusServiceWatcher watcher(kService, m_bus, QDBusServiceWatcher::WatchForRegistration);
    QSignalSpy registered(&watcher, &QDBusServiceWatcher::serviceRegistered);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start(
        QStringLiteral("dunst"),
        {QStringLiteral("-config"), config, QStringLiteral("-verbosity"), QStringLiteral("crit")});
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("dunst did not start (is the package installed?): ")
            + m_process->errorString();
        return false;
    }
    if (!m_bus.interface()->isServiceRegistered(kService) && !registered.wait(10000)) {
        m_error = QStringLiteral("dunst did not take org.freedesktop.Notifications");
        return false;
    }
    return true;
}

void DunstProcess::stop()
{
    if (!m_process)
        return;
    QDBusServiceWatcher watcher(kService, m_bus, QDBusServiceWatcher::WatchForUnregistration);
    QSignalSpy gone(&watcher, &QDBusServiceWatcher::serviceUnregistered);
    m_process->terminate();
    if (!m_process->waitForFinished(10000))
        m_process->kill();
    m_process->waitForFinished(10000);
    // Its bus name goes with it; wait so the next test starts from a clean bus.
    if (m_bus.interface()->isServiceRegistered(kService))
        gone.wait(10000);
    m_process.reset();
}

int DunstProcess::displayedCount() const
{
    QDBusMessage get = QDBusMessage::createMethodCall(
        kService, kPath, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    get << kDunst << QStringLiteral("displayedLength");
    const QDBusMessage reply = m_bus.call(get);
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return -1;
    return int(plain(reply.arguments().constFirst()).toUInt());
}

QList<DunstNotification> DunstProcess::history() const
{
    const QDBusMessage reply = m_bus.call(QDBusMessage::createMethodCall(
        kService, kPath, kDunst, QStringLiteral("NotificationListHistory")));
    QList<DunstNotification> out;
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return out;
    const QDBusArgument arg = reply.arguments().constFirst().value<QDBusArgument>();
    arg.beginArray();
    while (!arg.atEnd()) {
        QVariantMap map;
        arg >> map;
        DunstNotification n;
        n.id = plain(map.value(QStringLiteral("id"))).toUInt();
        n.summary = plain(map.value(QStringLiteral("summary"))).toString();
        n.body = plain(map.value(QStringLiteral("body"))).toString();
        out.append(n);
    }
    arg.endArray();
    return out;
}

bool DunstProcess::inHistory(uint id) const
{
    const auto list = history();
    return std::any_of(list.begin(), list.end(),
                       [id](const DunstNotification &n) { return n.id == id; });
}

bool DunstProcess::dismissNewest() const
{
    const QDBusMessage reply = m_bus.call(QDBusMessage::createMethodCall(
        kService, kPath, kDunst, QStringLiteral("NotificationCloseLast")));
    return reply.type() == QDBusMessage::ReplyMessage;
}
