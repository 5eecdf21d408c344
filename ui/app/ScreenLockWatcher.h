// Tells when the desktop session is locked or unlocked, where the platform says
// so: the freedesktop (and GNOME) screensaver's ActiveChanged signal on the
// session bus. Without such a service it simply never fires. Owned by
// DesktopController, which turns a lock into presence `away`.
#pragma once

#include <QObject>

namespace Natter {

class ScreenLockWatcher : public QObject
{
    Q_OBJECT
public:
    explicit ScreenLockWatcher(QObject *parent = nullptr);

Q_SIGNALS:
    void lockedChanged(bool locked);

private Q_SLOTS:
    void onActiveChanged(bool active);
};

} // namespace Natter
