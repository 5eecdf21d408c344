#include "SearchResultDelegate.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QPainter>
#include <QPoint>
#include <QStyle>
#include <QTextLayout>
#include <QtMath>

namespace Natter {

SearchResultDelegate::SearchResultDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QColor SearchResultDelegate::emphasisColor(const QPalette &)
{
    // A marker-pen yellow under black text reads on light and dark palettes alike.
    return QColor(0xff, 0xd5, 0x4f);
}

qreal SearchResultDelegate::layoutSnippet(QTextLayout *layout, const QStyleOptionViewItem &option,
                                          const QModelIndex &index, int width) const
{
    layout->setText(index.data(SnippetRole).toString());
    layout->setFont(option.font);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout->setTextOption(textOption);
    QList<QTextLayout::FormatRange> formats;
    QFont bold = option.font;
    bold.setBold(true);
    const int length = int(layout->text().size());
    for (const QVariant &v : index.data(EmphasisRole).toList()) {
        const QPoint range = v.toPoint();
        if (range.x() < 0 || range.y() <= 0 || range.x() + range.y() > length)
            continue;
        QTextLayout::FormatRange f;
        f.start = range.x();
        f.length = range.y();
        f.format.setFont(bold);
        f.format.setBackground(emphasisColor(option.palette));
        f.format.setForeground(QColor(Qt::black));
        formats << f;
    }
    layout->setFormats(formats);
    qreal height = 0;
    layout->beginLayout();
    for (QTextLine line = layout->createLine(); line.isValid(); line = layout->createLine()) {
        line.setLineWidth(qMax(10, width));
        line.setPosition(QPointF(0, height));
        height += line.height();
    }
    layout->endLayout();
    return height;
}

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear(); // the background and focus frame only; the text is ours
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QRect area = option.rect.adjusted(kMargin, kMargin / 2, -kMargin, -kMargin / 2);
    painter->save();
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    painter->setFont(small);
    painter->setPen(
        option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
    const QFontMetrics fm(small);
    const QString header =
        fm.elidedText(index.data(HeaderRole).toString(), Qt::ElideRight, area.width());
    painter->drawText(QRect(area.left(), area.top(), area.width(), fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, header);

    QTextLayout layout;
    layoutSnippet(&layout, option, index, area.width());
    painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    layout.draw(painter, QPointF(area.left(), area.top() + fm.height() + kGap));
    painter->restore();
}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    int width = option.rect.width();
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        width = view->viewport()->width();
    width = qMax(120, width) - 2 * kMargin;
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    QTextLayout layout;
    const qreal text = layoutSnippet(&layout, option, index, width);
    const int height = QFontMetrics(small).height() + kGap + qCeil(text) + kMargin;
    return {width + 2 * kMargin, height};
}

} // namespace Natter
