// Desktop notifications that can be updated and withdrawn again, one per key
// (ChannelNotifications uses the channel id: one notification per channel,
// replaced as messages arrive, closed when they are deleted (§7) or read).
// Speaks org.freedesktop.Notifications on a D-Bus session bus, keeping key ->
// notification id; clicking a notification (its "default" action) is reported
// as activated(key). Never asks for urgency "critical", so the desktop's
// do-not-disturb holds. Where no notification service answers on the bus, falls
// back to the tray icon's balloon, which cannot be withdrawn. Created by
// DesktopController for each signed-in session.
#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

class QDBusPendingCallWatcher;
class QSystemTrayIcon;

namespace Natter {

class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    // `bus` is the session bus in the app; tests may hand in another one.
    explicit DesktopNotifier(const QDBusConnection &bus, QObject *parent = nullptr);

    // Where to show notifications when no notification service is on the bus;
    // may be null (then they are dropped). Not owned.
    void setFallbackTray(QSystemTrayIcon *tray);
    // Whether notifications ask the service to play a sound (off by default): the
    // spec's "sound-name" hint when on, "suppress-sound" when off.
    void setSound(bool on) { m_sound = on; }
    bool sound() const { return m_sound; }

    // Shows a notification for `key`, replacing the one already shown for it (also
    // one whose Notify the service has not answered yet). Asynchronous: shown()
    // follows once the service has accepted it.
    void show(const QString &key, const QString &title, const QString &body);
    // Closes the notification shown for `key`, if one is still open; also one
    // whose show() the service has not answered yet. Nothing for a tray balloon.
    void withdraw(const QString &key);
    // The id the notification service gave `key`'s notification; 0 when it has
    // none open (never shown, not yet accepted, closed, or shown in the tray).
    uint notificationId(const QString &key) const { return m_ids.value(key); }

Q_SIGNALS:
    // The notification service shows the notification for `key` as `notificationId`.
    void shown(const QString &key, uint notificationId);
    // The notification service was asked to close it and confirmed.
    void withdrawn(const QString &key, uint notificationId);
    // There was no notification service: it went to the tray (or nowhere).
    void shownInTray(const QString &key);
    // The person clicked the notification for `key` (or its tray balloon).
    void activated(const QString &key);

private Q_SLOTS:
    // org.freedesktop.Notifications.NotificationClosed: expired, dismissed or closed.
    void onNotificationClosed(uint id, uint reason);
    // org.freedesktop.Notifications.ActionInvoked: "default" is a click on it.
    void onActionInvoked(uint id, const QString &action);

private:
    struct Pending
    {
        QString key;
        QString title;
        QString body;
    };
    void queryCapabilities();
    void sendNotify(const Pending &p);
    void onNotifyFinished(QDBusPendingCallWatcher *watcher, const Pending &p);
    void showInTray(const Pending &p);
    void forget(uint id);

    QDBusConnection m_bus;
    QPointer<QSystemTrayIcon> m_tray;
    bool m_capabilitiesKnown = false;
    bool m_askingCapabilities = false;
    bool m_markup = false; // the service renders markup in bodies: escape ours
    bool m_sound = false;
    QList<Pending> m_waiting; // shows queued until the capabilities are known
    QSet<QString> m_inFlight; // Notify sent, no answer yet
    QSet<QString> m_withdrawOnArrival; // withdrawn while its Notify was in flight
    QHash<QString, Pending> m_updateOnArrival; // shown again while its Notify was in flight
    QString m_lastTrayKey; // the tray balloon shows this key's notification
    QHash<QString, uint> m_ids; // message id -> notification id
    QHash<uint, QString> m_keys; // notification id -> message id
};

} // namespace Natter
