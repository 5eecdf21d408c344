// Paints one search result (§10) in the SearchPanel's list: a line with the
// channel, the author and the time, then the snippet with the matched words
// emphasised. The snippet is laid out as plain text (QTextLayout with format
// ranges): nothing a message contains is read as HTML or markdown. Owned by
// the SearchPanel's list view.
#pragma once

#include <QStyledItemDelegate>

class QTextLayout;

namespace Natter {

class SearchResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // Item data roles the delegate reads (SearchPanel fills them).
    enum Role {
        ChannelIdRole = Qt::UserRole + 1, // QString
        MessageIdRole, // QString
        HeaderRole, // QString: "#channel · Author · time"
        SnippetRole, // QString: plain text
        EmphasisRole, // QVariantList of QPoint(start, length) in UTF-16 units of the snippet
    };

    explicit SearchResultDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The background behind an emphasised word (also for tests).
    static QColor emphasisColor(const QPalette &palette);

private:
    // Lays the snippet out in `width`; returns its height.
    qreal layoutSnippet(QTextLayout *layout, const QStyleOptionViewItem &option,
                        const QModelIndex &index, int width) const;
    static constexpr int kMargin = 8;
    static constexpr int kGap = 2;
};

} // namespace Natter
