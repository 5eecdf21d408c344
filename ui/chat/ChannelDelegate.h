// Paints one row of the channel list: a presence dot for direct channels ('#'
// for channels), the name (bold when there is something unread), an unread
// badge and a one-line preview of the last message. Owned by ChatWindow.
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

    static QColor presenceColor(int status);
};

} // namespace Natter
