#include "ScreenReaderListener.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QUuid>

namespace {
const QString kRegistry = QStringLiteral("org.a11y.atspi.Registry");
const QString kRegistryPath = QStringLiteral("/org/a11y/atspi/registry");
const QString kEventObject = QStringLiteral("org.a11y.atspi.Event.Object");
const QString kAccessible = QStringLiteral("org.a11y.atspi.Accessible");
} // namespace

ScreenReaderListener::ScreenReaderListener(QObject *parent)
    : QObject(parent)
    , m_connectionName(QStringLiteral("screen-reader-")
                       + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_bus(m_connectionName)
{ }

ScreenReaderListener::~ScreenReaderListener()
{
    QDBusConnection::disconnectFromBus(m_connectionName);
}

bool ScreenReaderListener::connectTo(const QString &address)
{
    m_bus = QDBusConnection::connectToBus(address, m_connectionName);
    if (!m_bus.isConnected()) {
        m_error = QStringLiteral("cannot connect to the accessibility bus: ")
            + m_bus.lastError().message();
        return false;
    }
    // Any application, any object (empty service and path match all).
    const bool ok =
        m_bus.connect(QString(), QString(), kEventObject, QStringLiteral("StateChanged"), this,
                      SLOT(onStateChanged(QDBusMessage)))
        && m_bus.connect(QString(), QString(), kEventObject, QStringLiteral("PropertyChange"), this,
                         SLOT(onPropertyChange(QDBusMessage)));
    if (!ok)
        m_error = QStringLiteral("cannot listen for AT-SPI events: ") + m_bus.lastError().message();
    return ok;
}

bool ScreenReaderListener::registerEvent(const QString &event)
{
    // The registry is another process (started on demand by this first call):
    // a blocking call is fine here.
    QDBusMessage call = QDBusMessage::createMethodCall(kRegistry, kRegistryPath, kRegistry,
                                                       QStringLiteral("RegisterEvent"));
    call << event;
    const QDBusMessage reply = m_bus.call(call, QDBus::Block, 20000);
    if (reply.type() != QDBusMessage::ReplyMessage) {
        m_error = QStringLiteral("RegisterEvent(%1): %2").arg(event, reply.errorMessage());
        return false;
    }
    return true;
}

void ScreenReaderListener::onStateChanged(const QDBusMessage &message)
{
    // (s state, i on, i unused, v data, (so) application)
    const QVariantList args = message.arguments();
    if (args.size() < 2 || args.at(0).toString() != u"showing" || args.at(1).toInt() != 1)
        return;
    lookUp(QStringLiteral("showing"), message.service(), message.path());
}

void ScreenReaderListener::onPropertyChange(const QDBusMessage &message)
{
    const QVariantList args = message.arguments();
    if (args.isEmpty() || args.at(0).toString() != u"accessible-name")
        return;
    lookUp(QStringLiteral("name"), message.service(), message.path());
}

void ScreenReaderListener::lookUp(const QString &event, const QString &service, const QString &path)
{
    // Asked the way a screen reader asks: the Name property, then the role name.
    QDBusMessage getName = QDBusMessage::createMethodCall(
        service, path, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    getName << kAccessible << QStringLiteral("Name");
    auto *nameCall = new QDBusPendingCallWatcher(m_bus.asyncCall(getName), this);
    connect(nameCall, &QDBusPendingCallWatcher::finished, this,
            [this, event, service, path](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<QDBusVariant> name = *w;
                if (name.isError())
                    return; // the object is gone already
                const QString text = name.value().variant().toString();
                auto *roleCall = new QDBusPendingCallWatcher(
                    m_bus.asyncCall(QDBusMessage::createMethodCall(service, path, kAccessible,
                                                                   QStringLiteral("GetRoleName"))),
                    this);
                connect(
                    roleCall, &QDBusPendingCallWatcher::finished, this,
                    [this, event, text](QDBusPendingCallWatcher *r) {
                        r->deleteLater();
                        const QDBusPendingReply<QString> role = *r;
                        m_heard.append({event, role.isError() ? QString() : role.value(), text});
                    });
            });
}

bool ScreenReaderListener::heardNotification(const QString &name) const
{
    return std::any_of(m_heard.begin(), m_heard.end(), [&name](const Heard &h) {
        return h.event == u"showing" && h.role == u"notification" && h.name == name;
    });
}

QStringList ScreenReaderListener::notifications() const
{
    QStringList out;
    for (const Heard &h : m_heard) {
        if (h.event == u"showing" && h.role == u"notification")
            out.append(h.name);
    }
    return out;
}
