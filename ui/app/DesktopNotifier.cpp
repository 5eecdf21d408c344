#include "DesktopNotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QSystemTrayIcon>
#include <QVariantMap>

#include <optional>

Q_LOGGING_CATEGORY(lcNotify, "natter.notify", QtInfoMsg)

namespace Natter {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

QDBusMessage call(const QString &method)
{
    return QDBusMessage::createMethodCall(kService, kPath, kInterface, method);
}
} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{
    if (!m_bus.isConnected())
        return;
    // Ids we gave out become free again when the person dismisses a notification
    // or it expires: forget them, so a later withdraw() closes nothing of another app.
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                  SLOT(onNotificationClosed(uint, uint)));
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
}

void DesktopNotifier::setFallbackTray(QSystemTrayIcon *tray)
{
    if (m_tray)
        disconnect(m_tray, nullptr, this, nullptr);
    m_tray = tray;
    if (m_tray)
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_lastTrayKey.isEmpty())
                Q_EMIT activated(m_lastTrayKey);
        });
}

void DesktopNotifier::show(const QString &key, const QString &title, const QString &body)
{
    const Pending p{key, title, body};
    if (!m_bus.isConnected()) {
        showInTray(p);
        return;
    }
    m_withdrawOnArrival.remove(key);
    if (m_inFlight.contains(key)) {
        // Its id is not known yet: replace it once it is, rather than opening a
        // second notification for the same key.
        m_updateOnArrival.insert(key, p);
        return;
    }
    m_inFlight.insert(key);
    if (m_capabilitiesKnown) {
        sendNotify(p);
        return;
    }
    m_waiting.append(p);
    queryCapabilities();
}

void DesktopNotifier::queryCapabilities()
{
    if (m_askingCapabilities)
        return;
    m_askingCapabilities = true;
    // Whether bodies are markup decides whether message text must be escaped:
    // "<b>" typed in a chat must reach the screen as typed.
    auto *watcher =
        new QDBusPendingCallWatcher(m_bus.asyncCall(call(QStringLiteral("GetCapabilities"))), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        m_askingCapabilities = false;
        const QDBusPendingReply<QStringList> reply = *w;
        const QList<Pending> waiting = std::exchange(m_waiting, {});
        if (reply.isError()) {
            // No service (or a broken one): try again with the next notification.
            qCDebug(lcNotify) << "no notification service:" << reply.error().name();
            for (const Pending &p : waiting) {
                m_inFlight.remove(p.key);
                if (!m_withdrawOnArrival.remove(p.key))
                    showInTray(p);
            }
            return;
        }
        m_capabilitiesKnown = true;
        m_markup = reply.value().contains(QStringLiteral("body-markup"));
        for (const Pending &p : waiting)
            sendNotify(p);
    });
}

void DesktopNotifier::sendNotify(const Pending &p)
{
    if (m_withdrawOnArrival.remove(p.key)) {
        m_inFlight.remove(p.key);
        return; // deleted before it was even shown
    }
    QDBusMessage msg = call(QStringLiteral("Notify"));
    // No "urgency" hint: normal, which a do-not-disturb mode holds back (critical
    // would break through it).
    QVariantMap hints{
        {QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName()},
        {QStringLiteral("category"), QStringLiteral("im.received")},
    };
    // Silent unless the person asked for a sound: a service may otherwise play
    // its own default. The name is the sound theme's one for an instant message.
    if (m_sound)
        hints.insert(QStringLiteral("sound-name"), QStringLiteral("message-new-instant"));
    else
        hints.insert(QStringLiteral("suppress-sound"), true);
    // A second notification for the same key replaces the first.
    const uint replaces = m_ids.value(p.key);
    // "default": the action of clicking the notification itself.
    const QStringList actions{QStringLiteral("default"), tr("Open")};
    msg << QCoreApplication::applicationName() << replaces << QStringLiteral("natter") << p.title
        << (m_markup ? p.body.toHtmlEscaped() : p.body) << actions << hints
        << qint32(-1); // the service's default expiry
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(msg), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, p](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                onNotifyFinished(w, p);
            });
}

void DesktopNotifier::onNotifyFinished(QDBusPendingCallWatcher *watcher, const Pending &p)
{
    m_inFlight.remove(p.key);
    const QDBusPendingReply<uint> reply = *watcher;
    const std::optional<Pending> update = m_updateOnArrival.contains(p.key)
        ? std::optional<Pending>(m_updateOnArrival.take(p.key))
        : std::nullopt;
    if (reply.isError()) {
        // The service went away: ask again next time, and use the tray meanwhile.
        qCDebug(lcNotify) << "Notify failed:" << reply.error().name();
        m_capabilitiesKnown = false;
        if (!m_withdrawOnArrival.remove(p.key))
            showInTray(update.value_or(p));
        return;
    }
    const uint id = reply.value();
    if (const uint old = m_ids.value(p.key); old != 0 && old != id)
        m_keys.remove(old);
    m_ids.insert(p.key, id);
    m_keys.insert(id, p.key);
    Q_EMIT shown(p.key, id);
    if (m_withdrawOnArrival.remove(p.key))
        withdraw(p.key); // the message was deleted while the service was answering
    else if (update)
        show(update->key, update->title, update->body); // replaces `id`
}

void DesktopNotifier::withdraw(const QString &key)
{
    m_updateOnArrival.remove(key);
    if (m_inFlight.contains(key)) {
        m_withdrawOnArrival.insert(key);
        return;
    }
    const uint id = m_ids.value(key);
    if (id == 0)
        return;
    forget(id);
    auto *watcher = new QDBusPendingCallWatcher(
        m_bus.asyncCall(call(QStringLiteral("CloseNotification")) << id), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, key, id](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<> reply = *w;
                if (reply.isError())
                    qCDebug(lcNotify) << "CloseNotification failed:" << reply.error().name();
                else
                    Q_EMIT withdrawn(key, id);
            });
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    forget(id);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    // Only our own notifications: the signal goes to every client of the service.
    const QString key = m_keys.value(id);
    if (key.isEmpty() || action != u"default")
        return;
    Q_EMIT activated(key);
}

void DesktopNotifier::forget(uint id)
{
    const QString key = m_keys.take(id);
    if (!key.isEmpty() && m_ids.value(key) == id)
        m_ids.remove(key);
}

void DesktopNotifier::showInTray(const Pending &p)
{
    if (m_tray && m_tray->isVisible()) {
        m_lastTrayKey = p.key;
        m_tray->showMessage(p.title, p.body, QSystemTrayIcon::Information, 5000);
    }
    Q_EMIT shownInTray(p.key);
}

} // namespace Natter
