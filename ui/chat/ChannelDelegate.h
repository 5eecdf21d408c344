// Paints one row of the channel list: a presence dot for direct channels ('#'
// for channels), the name (bold when there is something unread), an unread
// badge, a distinct mention badge ("@3", §7 mention_count) beside it, and a
// one-line preview of the last message. A channel whose §8 notify level is not
// "all" draws its badges quiet (grey outline, no bold name): what is unread there
// is not asking for attention. Owned by ChatWindow.
#pragma once

#include <QStyledItemDelegate>

namespace Natter {

class ChannelDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    static QColor presenceColor(int status);
    // The mention badge: its text ("@3") and colour.
    static QString mentionBadgeText(int mentions);
    static QColor mentionBadgeColor();
    // The unread badge's fill: red, or (`quiet`) none, drawn as a grey outline.
    static QColor unreadBadgeColor();
    // Badges of this row are drawn quiet: its notify level is mentions (the unread
    // badge) or nothing (both badges).
    static bool unreadQuiet(const QModelIndex &index);
    static bool mentionsQuiet(const QModelIndex &index);
};

} // namespace Natter
