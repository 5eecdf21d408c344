// Desktop notifications for new messages that can be withdrawn again: when a
// message is deleted (§7), the notification shown for it is closed, so its text
// does not linger on screen. Speaks org.freedesktop.Notifications on a D-Bus
// session bus, keeping message id -> notification id; where no notification
// service answers on the bus, falls back to the tray icon's balloon, which
// cannot be withdrawn. Created by DesktopController for each signed-in session
// and used by ChatWindow.
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

    // Shows a notification for the message `key` (its server id). Asynchronous:
    // shown() follows once the service has accepted it.
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

private Q_SLOTS:
    // org.freedesktop.Notifications.NotificationClosed: expired, dismissed or closed.
    void onNotificationClosed(uint id, uint reason);

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
    QList<Pending> m_waiting; // shows queued until the capabilities are known
    QSet<QString> m_inFlight; // Notify sent, no answer yet
    QSet<QString> m_withdrawOnArrival; // withdrawn while its Notify was in flight
    QHash<QString, uint> m_ids; // message id -> notification id
    QHash<uint, QString> m_keys; // notification id -> message id
};

} // namespace Natter
