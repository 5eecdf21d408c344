#include "TrayIconBadge.h"

#include <QPainter>
#include <QPixmap>

namespace Natter {

QColor TrayIconBadge::badgeColor()
{
    return QColor(0xd0, 0x30, 0x30);
}

QIcon TrayIconBadge::withCount(const QIcon &base, int count, int size)
{
    if (count <= 0)
        return base;
    QPixmap pixmap = base.pixmap(size, size);
    if (pixmap.isNull()) {
        pixmap = QPixmap(size, size);
        pixmap.fill(Qt::transparent);
    }
    const QString label = count > 99 ? QStringLiteral("99+") : QString::number(count);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QFont f = p.font();
    f.setBold(true);
    f.setPixelSize(size * 3 / 8);
    p.setFont(f);
    const int h = size / 2;
    const int w = qMax(h, QFontMetrics(f).horizontalAdvance(label) + size / 8);
    const QRect disc(size - w, size - h, w, h);
    p.setPen(Qt::NoPen);
    p.setBrush(badgeColor());
    p.drawRoundedRect(disc, h / 2.0, h / 2.0);
    p.setPen(Qt::white);
    p.drawText(disc, Qt::AlignCenter, label);
    p.end();
    return QIcon(pixmap);
}

} // namespace Natter
