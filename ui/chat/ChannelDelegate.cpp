#include "ChannelDelegate.h"

#include "models/ChannelListModel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace Natter {

namespace {
constexpr int kPad = 8;
constexpr int kDot = 10;
using Role = ChannelListModel::Role;
} // namespace

QColor ChannelDelegate::presenceColor(int status)
{
    switch (PresenceStatus(status)) {
    case PresenceStatus::Online:
        return QColor(0x2e, 0xa0, 0x43);
    case PresenceStatus::Away:
        return QColor(0xe0, 0xa0, 0x20);
    case PresenceStatus::Offline:
        break;
    }
    return QColor(0x90, 0x90, 0x90);
}

QString ChannelDelegate::mentionBadgeText(int mentions)
{
    //: Badge in the channel list: how many unread messages mention you.
    return tr("@%1").arg(mentions > 999 ? QStringLiteral("999+") : QString::number(mentions));
}

QColor ChannelDelegate::mentionBadgeColor()
{
    return QColor(0x7a, 0x3c, 0xd0);
}

QColor ChannelDelegate::unreadBadgeColor()
{
    return QColor(0xd0, 0x30, 0x30);
}

bool ChannelDelegate::unreadQuiet(const QModelIndex &index)
{
    return NotifyLevel(index.data(Role::NotifyLevelRole).toInt()) != NotifyLevel::All;
}

bool ChannelDelegate::mentionsQuiet(const QModelIndex &index)
{
    return NotifyLevel(index.data(Role::NotifyLevelRole).toInt()) == NotifyLevel::None;
}

namespace {
// A badge: filled with `fill` and white text, or quiet: a thin outline and text
// in the placeholder colour, so it does not draw the eye.
void drawBadge(QPainter *painter, const QStyleOptionViewItem &option, const QRect &badge,
               const QString &label, const QColor &fill, bool quiet, bool selected)
{
    const qreal radius = badge.height() / 2.0;
    if (quiet) {
        const QColor ink =
            option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
        painter->setPen(QPen(ink, 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        painter->setPen(ink);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, radius, radius);
        painter->setPen(Qt::white);
    }
    painter->drawText(badge, Qt::AlignCenter, label);
}
} // namespace

bool ChannelDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        const int unread = index.data(Role::UnreadRole).toInt();
        const int mentions = index.data(Role::MentionCountRole).toInt();
        QStringList parts;
        if (unread > 0)
            parts.append(tr("Unread: %n", nullptr, unread));
        if (mentions > 0)
            parts.append(tr("Mentions of you: %n", nullptr, mentions));
        switch (NotifyLevel(index.data(Role::NotifyLevelRole).toInt())) {
        case NotifyLevel::Mentions:
            parts.append(tr("notifies only for mentions"));
            break;
        case NotifyLevel::None:
            parts.append(tr("muted"));
            break;
        case NotifyLevel::All:
            break;
        }
        if (!parts.isEmpty()) {
            QToolTip::showText(event->globalPos(), parts.join(QStringLiteral(", ")), view);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

QSize ChannelDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {200, fm.height() * 2 + 3 * kPad / 2};
}

void ChannelDelegate::paint(QPainter *painter, const QStyleOptionViewItem &opt,
                            const QModelIndex &index) const
{
    QStyleOptionViewItem option = opt;
    initStyleOption(&option, index);
    option.text.clear();
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, option.widget);

    const QRect r = option.rect.adjusted(kPad, kPad / 2, -kPad, -kPad / 2);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    const int unread = index.data(Role::UnreadRole).toInt();
    const bool direct = ChannelKind(index.data(Role::KindRole).toInt()) == ChannelKind::Direct;
    const QFontMetrics fm(option.font);
    const int lineH = fm.height();

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // Presence dot or channel mark.
    const QRect mark(r.left(), r.top() + (lineH - kDot) / 2, kDot, kDot);
    if (direct) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(presenceColor(index.data(Role::PeerStatusRole).toInt()));
        painter->drawEllipse(mark);
    } else {
        painter->setPen(option.palette.color(textRole));
        painter->drawText(QRect(r.left(), r.top(), kDot + 2, lineH), Qt::AlignCenter,
                          QStringLiteral("#"));
    }

    // Badge.
    int badgeWidth = 0;
    if (unread > 0) {
        QFont bf = option.font;
        bf.setBold(true);
        bf.setPointSizeF(bf.pointSizeF() * 0.85);
        const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        const QFontMetrics bfm(bf);
        badgeWidth = qMax(lineH, bfm.horizontalAdvance(count) + 12);
        const QRect badge(r.right() - badgeWidth, r.top(), badgeWidth, lineH);
        painter->setFont(bf);
        drawBadge(painter, option, badge, count, unreadBadgeColor(), unreadQuiet(index), selected);
    }

    // Mention badge (§7 mention_count), left of the unread badge, in its own colour.
    const int mentions = index.data(Role::MentionCountRole).toInt();
    if (mentions > 0) {
        QFont bf = option.font;
        bf.setBold(true);
        bf.setPointSizeF(bf.pointSizeF() * 0.85);
        const QString label = mentionBadgeText(mentions);
        const int w = qMax(lineH, QFontMetrics(bf).horizontalAdvance(label) + 12);
        const int right = r.right() - badgeWidth - (badgeWidth ? 4 : 0);
        const QRect badge(right - w, r.top(), w, lineH);
        painter->setFont(bf);
        drawBadge(painter, option, badge, label, mentionBadgeColor(), mentionsQuiet(index),
                  selected);
        badgeWidth += w + (badgeWidth ? 4 : 0);
    }

    // Name, bold when unread (not in a muted channel).
    QFont nameFont = option.font;
    nameFont.setBold(unread > 0 && !mentionsQuiet(index));
    painter->setFont(nameFont);
    painter->setPen(option.palette.color(textRole));
    const QRect nameRect(r.left() + kDot + 8, r.top(), r.width() - kDot - 8 - badgeWidth - 4,
                         lineH);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(nameFont).elidedText(index.data(Role::NameRole).toString(),
                                                        Qt::ElideRight, nameRect.width()));

    // Preview.
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    painter->setFont(small);
    painter->setPen(selected ? option.palette.color(QPalette::HighlightedText)
                             : option.palette.color(QPalette::PlaceholderText));
    const QRect preview(nameRect.left(), r.top() + lineH + kPad / 2, r.width() - kDot - 8, lineH);
    QString text = index.data(Role::LastMessageTextRole).toString().simplified();
    painter->drawText(preview, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(text, Qt::ElideRight, preview.width()));
    painter->restore();
}

} // namespace Natter
