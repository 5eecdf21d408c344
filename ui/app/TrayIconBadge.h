// Draws the unread total onto the tray icon: the app icon with a red disc and
// the count ("99+" beyond 99) in its lower right corner. A helper with no state;
// used by ChatWindow whenever the total changes.
#pragma once

#include <QIcon>

namespace Natter {

class TrayIconBadge
{
public:
    // `base` unchanged for count <= 0.
    static QIcon withCount(const QIcon &base, int count, int size = 64);
    static QColor badgeColor();
};

} // namespace Natter
