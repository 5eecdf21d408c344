#include "ScreenLockWatcher.h"

#include <QDBusConnection>

namespace Natter {

ScreenLockWatcher::ScreenLockWatcher(QObject *parent)
    : QObject(parent)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    // KDE, Xfce and others implement org.freedesktop.ScreenSaver; GNOME its own name.
    bus.connect(QString(), QStringLiteral("/org/freedesktop/ScreenSaver"),
                QStringLiteral("org.freedesktop.ScreenSaver"), QStringLiteral("ActiveChanged"),
                this, SLOT(onActiveChanged(bool)));
    bus.connect(QString(), QStringLiteral("/org/gnome/ScreenSaver"),
                QStringLiteral("org.gnome.ScreenSaver"), QStringLiteral("ActiveChanged"), this,
                SLOT(onActiveChanged(bool)));
}

void ScreenLockWatcher::onActiveChanged(bool active)
{
    Q_EMIT lockedChanged(active);
}

} // namespace Natter
