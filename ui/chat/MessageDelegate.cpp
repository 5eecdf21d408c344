#include "MessageDelegate.h"

#include "MessageFormatter.h"
#include "SafeTextDocument.h"
#include "ThumbnailCache.h"
#include "app/Avatar.h"
#include "models/MessageListModel.h"

#include <QAbstractItemView>
#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTimer>
#include <QToolTip>

namespace Natter {

namespace {
constexpr int kMargin = 10;
constexpr int kIndent = 12;
constexpr int kStatusWidth = 90;
constexpr int kGroupSpacing = 6;
constexpr int kChipGap = 4;
constexpr int kChipPad = 7;

using Role = MessageListModel::Role;
using Delivery = MessageListModel::DeliveryState;

QFont smaller(const QFont &f)
{
    QFont s = f;
    s.setPointSizeF(f.pointSizeF() * 0.85);
    return s;
}

QFont italic(const QFont &f)
{
    QFont s = f;
    s.setItalic(true);
    return s;
}

// The placeholder colour as an opaque colour (rich text drops its alpha).
QColor subtleColor(const QPalette &pal)
{
    const QColor text = pal.color(QPalette::Text);
    const QColor base = pal.color(QPalette::Base);
    return QColor((text.red() + base.red()) / 2, (text.green() + base.green()) / 2,
                  (text.blue() + base.blue()) / 2);
}

bool isDeleted(const QModelIndex &index)
{
    return index.data(Role::DeletedRole).toBool();
}

// A tombstone is never "edited": it shows only that it was deleted.
bool isEdited(const QModelIndex &index)
{
    return !isDeleted(index) && index.data(Role::EditedAtRole).toDateTime().isValid();
}
} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_flashTimer(new QTimer(this))
{
    m_flashTimer->setSingleShot(true);
    m_flashTimer->setInterval(1500);
    connect(m_flashTimer, &QTimer::timeout, this, [this] {
        m_flashId.clear();
        if (auto *view = qobject_cast<QAbstractItemView *>(this->parent()))
            view->viewport()->update();
    });
}

void MessageDelegate::flash(const QString &messageId)
{
    m_flashId = messageId;
    m_flashTimer->start();
    if (auto *view = qobject_cast<QAbstractItemView *>(parent()))
        view->viewport()->update();
}

QString MessageDelegate::quoteText(const QModelIndex &index)
{
    const QVariantMap reply = index.data(Role::ReplyToRole).toMap();
    if (reply.isEmpty())
        return {};
    const QString author = reply.value(QStringLiteral("authorName")).toString();
    if (reply.value(QStringLiteral("deleted")).toBool())
        //: The quote of a reply whose target was deleted; %1 its author.
        return tr("%1: deleted").arg(author);
    //: The quote of a reply; %1 the author of the message answered, %2 its start.
    return tr("%1: %2").arg(author, reply.value(QStringLiteral("excerpt")).toString().simplified());
}

QRect MessageDelegate::replyQuoteRect(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    const Layout l = layoutFor(option, index);
    if (!l.quoteHeight)
        return {};
    return {option.rect.left() + kMargin + kIndent, option.rect.top() + l.quoteTop,
            textWidth(option), l.quoteHeight};
}

void MessageDelegate::clearCache()
{
    m_textHeights.clear();
    m_documents.clear();
}

QString MessageDelegate::cacheKey(const QModelIndex &index, int width)
{
    // A pending row and its confirmed copy have the same text, but the id makes
    // them impossible to confuse; `rev` changes with every edit and the delete
    // (§6), so an edited message is never drawn from its old layout; the width
    // changes the wrapping.
    const QString id = index.data(Role::IdRole).toString();
    return (id.isEmpty() ? index.data(Role::ClientMsgIdRole).toString() : id) + QLatin1Char('#')
        + QString::number(index.data(Role::RevRole).toLongLong()) + QLatin1Char('@')
        + QString::number(width);
}

int MessageDelegate::textWidth(const QStyleOptionViewItem &option) const
{
    return qMax(80, option.rect.width() - 2 * kMargin - kIndent - kStatusWidth);
}

QTextDocument *MessageDelegate::document(const QStyleOptionViewItem &option,
                                         const QModelIndex &index, int width) const
{
    const QString key = cacheKey(index, width);
    if (QTextDocument *doc = m_documents.object(key))
        return doc;
    auto *doc = new SafeTextDocument;
    doc->setDefaultFont(option.font);
    doc->setDocumentMargin(0);
    doc->setUndoRedoEnabled(false);
    if (MessageKind(index.data(Role::KindRole).toInt()) == MessageKind::System) {
        // §7 system messages ("alice joined"): plain text in the user's language,
        // quieter than what people wrote; never Markdown (names are not markup).
        QTextCursor cursor(doc);
        QTextCharFormat quiet;
        quiet.setForeground(subtleColor(option.palette));
        QFont font = option.font;
        font.setItalic(true);
        quiet.setFont(font);
        cursor.insertText(index.data(Role::TextRole).toString(), quiet);
    } else {
        MessageFormatter::render(doc, index.data(Role::TextRole).toString(),
                                 option.palette.color(QPalette::Link));
    }
    if (isEdited(index)) {
        QTextCursor cursor(doc);
        cursor.movePosition(QTextCursor::End);
        QTextCharFormat marker;
        marker.setForeground(subtleColor(option.palette));
        marker.setFont(smaller(option.font));
        cursor.insertText(QLatin1Char(' ') + editedMarker(), marker);
    }
    doc->setTextWidth(width);
    m_documents.insert(key, doc);
    return doc;
}

MessageDelegate::Layout MessageDelegate::layoutFor(const QStyleOptionViewItem &option,
                                                   const QModelIndex &index) const
{
    Layout l;
    const QFontMetrics fm(option.font);
    const QFontMetrics small(smaller(option.font));
    if (index.data(Role::DaySeparatorRole).toBool())
        l.dayHeight = small.height() + 2 * kGroupSpacing;
    if (index.data(Role::GapBeforeRole).toBool())
        l.gapHeight = small.height() + kGroupSpacing;
    if (index.data(Role::FirstOfGroupRole).toBool())
        l.headerHeight = fm.height() + kGroupSpacing;
    l.textTop = l.dayHeight + l.gapHeight + l.headerHeight;
    if (!isDeleted(index) && !index.data(Role::ReplyToRole).toMap().isEmpty()) {
        // §7 `R`: one quoted line above the text.
        l.quoteTop = l.textTop;
        l.quoteHeight = QFontMetrics(smaller(option.font)).height() + 4;
        l.textTop += l.quoteHeight + 2;
    }

    const int width = textWidth(option);
    const QString key = cacheKey(index, width);
    auto it = m_textHeights.constFind(key);
    int textHeight;
    if (it != m_textHeights.constEnd()) {
        textHeight = *it;
    } else {
        // Cheap and exact for plain text; an estimate for formatted text, which
        // paint() corrects (for the few rows actually shown) if it is off.
        const QString text = displayText(index);
        if (!text.contains(QLatin1Char('\n')) && fm.horizontalAdvance(text) <= width)
            textHeight = fm.height();
        else
            textHeight =
                fm.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, text).height();
        m_textHeights.insert(key, textHeight);
    }
    const QVariantList files =
        isDeleted(index) ? QVariantList() : index.data(Role::AttachmentsRole).toList();
    if (!files.isEmpty() && index.data(Role::TextRole).toString().isEmpty() && !isEdited(index))
        textHeight = 0; // §9: a message of files alone has no text line
    l.textHeight = textHeight;
    l.height = l.textTop + (textHeight ? qMax(textHeight, fm.height()) + 2 : 0);
    if (!files.isEmpty()) {
        // §9 files under the text: pictures at their final size, cards for the rest.
        l.attachmentsTop = l.height + kChipGap;
        l.attachmentsHeight = AttachmentPainter::height(
            AttachmentPainter::layout(files, smaller(option.font), width));
        l.height = l.attachmentsTop + l.attachmentsHeight + 2;
    }
    if (!isDeleted(index)) {
        const QList<Chip> chips = layoutChips(option, index, width);
        if (!chips.isEmpty()) {
            l.reactionsTop = l.height + kChipGap;
            l.reactionsHeight = chips.last().rect.bottom() + 1;
            l.height = l.reactionsTop + l.reactionsHeight + kChipGap;
        }
    }
    return l;
}

QList<MessageDelegate::Chip> MessageDelegate::layoutChips(const QStyleOptionViewItem &option,
                                                          const QModelIndex &index, int width)
{
    QList<Chip> chips;
    const QVariantList reactions = index.data(Role::ReactionsRole).toList();
    if (reactions.isEmpty())
        return chips;
    const QFontMetrics fm(smaller(option.font));
    const int h = fm.height() + 6;
    int x = 0;
    int y = 0;
    for (const QVariant &v : reactions) {
        const QVariantMap r = v.toMap();
        Chip chip;
        chip.emoji = r.value(QStringLiteral("emoji")).toString();
        chip.count = r.value(QStringLiteral("count")).toInt();
        chip.mine = r.value(QStringLiteral("mine")).toBool();
        chip.names = r.value(QStringLiteral("names")).toStringList();
        const int w =
            fm.horizontalAdvance(chip.emoji + QLatin1Char(' ') + QString::number(chip.count))
            + 2 * kChipPad;
        if (x > 0 && x + w > width) {
            x = 0;
            y += h + kChipGap;
        }
        chip.rect = QRect(x, y, w, h);
        x += w + kChipGap;
        chips.append(chip);
    }
    return chips;
}

QList<MessageDelegate::Chip> MessageDelegate::reactionChips(const QStyleOptionViewItem &option,
                                                            const QModelIndex &index) const
{
    const Layout l = layoutFor(option, index);
    QList<Chip> chips = layoutChips(option, index, textWidth(option));
    const QPoint origin(option.rect.left() + kMargin + kIndent, option.rect.top() + l.reactionsTop);
    for (Chip &chip : chips)
        chip.rect.translate(origin);
    return chips;
}

QString MessageDelegate::chipTooltip(const Chip &chip)
{
    //: Tooltip of a reaction under a message; %1 who reacted (a list), %2 the emoji.
    return tr("%1 reacted with %2").arg(QLocale().createSeparatedList(chip.names), chip.emoji);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        for (const Chip &chip : reactionChips(option, index)) {
            if (chip.rect.contains(event->pos())) {
                QToolTip::showText(event->globalPos(), chipTooltip(chip), view, chip.rect);
                return true;
            }
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return {option.rect.width(), layoutFor(option, index).height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &opt,
                            const QModelIndex &index) const
{
    QStyleOptionViewItem option = opt;
    initStyleOption(&option, index);
    const Layout l = layoutFor(option, index);
    const QRect r = option.rect;
    const QPalette &pal = option.palette;
    const QFont smallFont = smaller(option.font);
    const QLocale locale;

    painter->save();
    const QRect body = r.adjusted(0, l.dayHeight + l.gapHeight, 0, 0);
    if (option.state & QStyle::State_Selected) {
        painter->fillRect(body, pal.highlight().color().lighter(170));
    } else if (!m_flashId.isEmpty() && index.data(Role::IdRole).toString() == m_flashId) {
        // Just jumped to from a reply's quote.
        QColor flash = pal.highlight().color();
        flash.setAlpha(90);
        painter->fillRect(body, flash);
    } else if (index.data(Role::MentionsMeRole).toBool() && !isDeleted(index)) {
        // A message that mentions me (§7 `mentions`): a tint and a bar at the edge.
        QColor tint = mentionColor();
        tint.setAlpha(40);
        painter->fillRect(body, tint);
    }
    if (index.data(Role::MentionsMeRole).toBool() && !isDeleted(index))
        painter->fillRect(QRect(body.left(), body.top(), 3, body.height()), mentionColor());

    int y = r.top();
    painter->setFont(smallFont);
    if (l.dayHeight) {
        const QDate day = index.data(Role::TimestampRole).toDateTime().toLocalTime().date();
        const QString label = locale.toString(day, QLocale::LongFormat);
        const QRect band(r.left(), y, r.width(), l.dayHeight);
        painter->setPen(pal.color(QPalette::Mid));
        painter->drawLine(band.left() + kMargin, band.center().y(), band.right() - kMargin,
                          band.center().y());
        const int w = QFontMetrics(smallFont).horizontalAdvance(label) + 16;
        const QRect pill(band.center().x() - w / 2, band.top() + kGroupSpacing / 2, w,
                         band.height() - kGroupSpacing);
        painter->fillRect(pill, pal.base());
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(pill, Qt::AlignCenter, label);
        y += l.dayHeight;
    }
    if (l.gapHeight) {
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(QRect(r.left() + kMargin, y, r.width() - 2 * kMargin, l.gapHeight),
                          Qt::AlignCenter,
                          tr("Some earlier messages are not loaded yet — scroll up to load them"));
        y += l.gapHeight;
    }
    const QDateTime ts = index.data(Role::TimestampRole).toDateTime().toLocalTime();
    if (l.headerHeight) {
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(pal.color(QPalette::Text));
        const QString author = index.data(Role::AuthorNameRole).toString();
        QRect header(r.left() + kMargin, y + kGroupSpacing / 2, r.width() - 2 * kMargin,
                     l.headerHeight - kGroupSpacing / 2);
        // The author's generated avatar (initials, their colour), then the name
        // in the same colour (lighter on a dark background).
        const QString authorId = index.data(Role::AuthorIdRole).toString();
        const int side = qMax(0, header.height() - 2);
        Avatar::paint(painter, QRect(header.left(), header.top() + 1, side, side), author,
                      authorId);
        header.setLeft(header.left() + side + 6);
        QColor nameColor = Avatar::colorFor(authorId);
        if (pal.color(QPalette::Base).lightness() < 128)
            nameColor = nameColor.lighter(170);
        painter->setPen(nameColor);
        painter->drawText(header, Qt::AlignLeft | Qt::AlignVCenter, author);
        const int authorWidth = QFontMetrics(bold).horizontalAdvance(author);
        painter->setFont(smallFont);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(header.adjusted(authorWidth + 8, 0, 0, 0),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          locale.toString(ts.time(), QLocale::ShortFormat));
    }

    if (l.quoteHeight) {
        const QRect quote = replyQuoteRect(option, index);
        painter->fillRect(QRect(quote.left(), quote.top() + 1, 3, quote.height() - 2),
                          pal.color(QPalette::Mid));
        painter->setFont(italic(smallFont));
        painter->setPen(pal.color(QPalette::PlaceholderText));
        const QRect line = quote.adjusted(8, 0, 0, 0);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(painter->font())
                              .elidedText(quoteText(index), Qt::ElideRight, line.width()));
    }

    const int width = textWidth(option);
    const auto state = Delivery(index.data(Role::DeliveryStateRole).toInt());
    const QColor textColor =
        pal.color(state == Delivery::Pending ? QPalette::PlaceholderText : QPalette::Text);
    const QString text = displayText(index);
    const QRect textRect(r.left() + kMargin + kIndent, r.top() + l.textTop, width, l.textHeight);
    if (isDeleted(index)) {
        // §7: a tombstone keeps its place (seq) and author; its text is gone.
        painter->setFont(italic(option.font));
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(textRect, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
    } else if (!needsDocument(index)) {
        painter->setFont(option.font);
        painter->setPen(textColor);
        painter->drawText(textRect, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text);
    } else {
        QTextDocument *doc = document(option, index, width);
        const int exact = qCeil(doc->size().height());
        if (exact != l.textHeight) {
            // The estimate was off (bold or code changes the wrapping): remember
            // the exact height and let the view re-lay out just this row.
            m_textHeights.insert(cacheKey(index, width), exact);
            QMetaObject::invokeMethod(const_cast<MessageDelegate *>(this), "sizeHintChanged",
                                      Qt::QueuedConnection, Q_ARG(QModelIndex, index));
        }
        painter->translate(textRect.topLeft());
        QAbstractTextDocumentLayout::PaintContext ctx;
        ctx.palette = pal;
        ctx.palette.setColor(QPalette::Text, textColor);
        ctx.clip = QRectF(0, 0, width, l.textHeight);
        doc->documentLayout()->draw(painter, ctx);
        painter->translate(-textRect.topLeft());
    }

    if (l.attachmentsHeight > 0) {
        for (const AttachmentPainter::Box &box : attachmentBoxes(option, index)) {
            if (!box.image) {
                AttachmentPainter::paintCard(painter, box, pal, smallFont);
                continue;
            }
            const QString fileId = box.file.value(QStringLiteral("id")).toString();
            const bool hasThumbnail = box.file.value(QStringLiteral("thumbnail")).toBool();
            const QImage picture =
                m_thumbnails && hasThumbnail ? m_thumbnails->thumbnail(fileId) : QImage();
            AttachmentPainter::paintImage(painter, box, pal, smallFont, picture,
                                          placeholderFor(box.file));
        }
    }

    if (l.reactionsHeight > 0) {
        // §7 reactions: emoji and count, highlighted when I reacted.
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setFont(smallFont);
        const QColor accent = pal.color(QPalette::Highlight);
        for (const Chip &chip : reactionChips(option, index)) {
            const QRectF box = QRectF(chip.rect).adjusted(0.5, 0.5, -0.5, -0.5);
            QColor fill = chip.mine ? accent : pal.color(QPalette::Button);
            if (chip.mine)
                fill.setAlpha(60);
            painter->setPen(chip.mine ? accent : pal.color(QPalette::Mid));
            painter->setBrush(fill);
            painter->drawRoundedRect(box, box.height() / 2, box.height() / 2);
            painter->setPen(pal.color(QPalette::Text));
            painter->drawText(chip.rect, Qt::AlignCenter,
                              chip.emoji + QLatin1Char(' ') + QString::number(chip.count));
        }
        painter->setRenderHint(QPainter::Antialiasing, false);
    }
    if (r.height() != l.height) {
        // The row grew or shrank (a reaction came or went): lay it out again.
        QMetaObject::invokeMethod(const_cast<MessageDelegate *>(this), "sizeHintChanged",
                                  Qt::QueuedConnection, Q_ARG(QModelIndex, index));
    }

    // A system message (§7) is the server's record of what someone did, never
    // something they sent: no delivery state beside it.
    const bool system = MessageKind(index.data(Role::KindRole).toInt()) == MessageKind::System;
    if (index.data(Role::IsOwnRole).toBool() && !isDeleted(index) && !system) {
        const QRect status(r.right() - kStatusWidth - kMargin + 8, r.top() + l.textTop,
                           kStatusWidth, QFontMetrics(smallFont).height());
        painter->setFont(smallFont);
        QString text;
        switch (state) {
        case Delivery::Pending:
            painter->setPen(pal.color(QPalette::PlaceholderText));
            text = tr("Sending…");
            break;
        case Delivery::Sent:
            painter->setPen(pal.color(QPalette::PlaceholderText));
            //: Delivery state of a message the server has stored.
            text = tr("✓ Sent");
            break;
        case Delivery::Failed:
            painter->setPen(QColor(0xd0, 0x30, 0x30));
            text = tr("⚠ Not sent");
            break;
        }
        painter->drawText(status, Qt::AlignRight | Qt::AlignVCenter, text);
    }
    painter->restore();
}

QColor MessageDelegate::mentionColor()
{
    return QColor(0xe0, 0x9a, 0x10);
}

QString MessageDelegate::editedMarker()
{
    //: Shown after the text of a message that was changed after it was sent.
    return tr("(edited)");
}

QString MessageDelegate::deletedText()
{
    //: Shown in place of a message that was deleted.
    return tr("Message deleted");
}

QString MessageDelegate::displayText(const QModelIndex &index)
{
    if (isDeleted(index))
        return deletedText();
    const QString text = index.data(Role::TextRole).toString();
    return isEdited(index) ? text + QLatin1Char(' ') + editedMarker() : text;
}

bool MessageDelegate::needsDocument(const QModelIndex &index)
{
    return !isDeleted(index)
        && (isEdited(index) || hasMarkup(index.data(Role::TextRole).toString()));
}

bool MessageDelegate::hasMarkup(const QString &text)
{
    return MessageFormatter::mayHaveMarkup(text);
}

void MessageDelegate::setThumbnails(ThumbnailCache *thumbnails)
{
    if (m_thumbnails)
        m_thumbnails->disconnect(this);
    m_thumbnails = thumbnails;
    if (!thumbnails)
        return;
    const auto repaint = [this] {
        // The placeholder already has the picture's size: a repaint, no re-layout.
        if (auto *view = qobject_cast<QAbstractItemView *>(parent()))
            view->viewport()->update();
    };
    connect(thumbnails, &ThumbnailCache::thumbnailReady, this, repaint);
    connect(thumbnails, &ThumbnailCache::thumbnailFailed, this, repaint);
    // Painting asks the cache again for the pictures in sight that had failed.
    connect(thumbnails, &ThumbnailCache::retryDue, this, repaint);
}

AttachmentPainter::Placeholder MessageDelegate::placeholderFor(const QVariantMap &file) const
{
    using Placeholder = AttachmentPainter::Placeholder;
    const QString fileId = file.value(QStringLiteral("id")).toString();
    if (!file.value(QStringLiteral("thumbnail")).toBool()
        || (m_thumbnails && m_thumbnails->hasFailedForGood(fileId)))
        return Placeholder::Unavailable;
    if (m_thumbnails && m_thumbnails->hasFailed(fileId))
        return Placeholder::Retrying;
    return Placeholder::Loading;
}

QList<AttachmentPainter::Box> MessageDelegate::attachmentBoxes(const QStyleOptionViewItem &option,
                                                               const QModelIndex &index) const
{
    if (isDeleted(index))
        return {};
    const Layout l = layoutFor(option, index);
    if (!l.attachmentsHeight)
        return {};
    QList<AttachmentPainter::Box> boxes = AttachmentPainter::layout(
        index.data(Role::AttachmentsRole).toList(), smaller(option.font), textWidth(option));
    const QPoint origin(option.rect.left() + kMargin + kIndent,
                        option.rect.top() + l.attachmentsTop);
    for (AttachmentPainter::Box &box : boxes)
        box.rect.translate(origin);
    return boxes;
}

QString MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                const QPoint &pos) const
{
    if (!needsDocument(index))
        return {};
    const Layout l = layoutFor(option, index);
    const int width = textWidth(option);
    const QPointF local =
        pos - QPointF(option.rect.left() + kMargin + kIndent, option.rect.top() + l.textTop);
    return document(option, index, width)->documentLayout()->anchorAt(local);
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() == Qt::LeftButton) {
            const QRect quote = replyQuoteRect(option, index);
            if (quote.contains(me->position().toPoint())) {
                Q_EMIT replyQuoteClicked(
                    index.data(Role::ReplyToRole).toMap().value(QStringLiteral("id")).toString());
                return true;
            }
            for (const Chip &chip : reactionChips(option, index)) {
                if (chip.rect.contains(me->position().toPoint())) {
                    Q_EMIT reactionToggled(index.data(Role::IdRole).toString(), chip.emoji);
                    return true;
                }
            }
            for (const AttachmentPainter::Box &box : attachmentBoxes(option, index)) {
                if (box.rect.contains(me->position().toPoint())) {
                    Q_EMIT attachmentClicked(index, box.file);
                    return true;
                }
            }
            const QString url = linkAt(option, index, me->position().toPoint());
            if (!url.isEmpty()) {
                // Only http(s) and mailto are ever opened (issue 13 "Markdown, safely").
                if (MessageFormatter::isOpenableLink(QUrl(url)))
                    Q_EMIT linkActivated(url);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace Natter

namespace Natter {

QWidget *MessageDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                       const QModelIndex &index) const
{
    auto *view = new QTextBrowser(parent);
    // QTextBrowser's own loadResource reads files: the document refuses first.
    view->setDocument(new SafeTextDocument(view));
    view->setObjectName(QStringLiteral("messageTextView"));
    view->setAccessibleName(tr("Message text"));
    view->setFrameShape(QFrame::NoFrame);
    view->setReadOnly(true);
    view->setOpenLinks(false);
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard
                                  | Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->document()->setDocumentMargin(0);
    view->document()->setDefaultFont(option.font);
    QPalette pal = view->palette();
    pal.setColor(QPalette::Base, option.palette.color(QPalette::Base));
    view->setPalette(pal);
    connect(view, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (MessageFormatter::isOpenableLink(url))
            Q_EMIT const_cast<MessageDelegate *>(this)->linkActivated(url.toString());
    });
    Q_UNUSED(index)
    return view;
}

void MessageDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *view = static_cast<QTextBrowser *>(editor);
    if (isDeleted(index))
        view->setPlainText(deletedText());
    else
        MessageFormatter::render(view->document(), index.data(Role::TextRole).toString(),
                                 view->palette().color(QPalette::Link));
}

void MessageDelegate::setModelData(QWidget *, QAbstractItemModel *, const QModelIndex &) const
{
    // Read-only: messages are never edited here.
}

void MessageDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                           const QModelIndex &index) const
{
    const Layout l = layoutFor(option, index);
    editor->setGeometry(option.rect.left() + kMargin + kIndent, option.rect.top() + l.textTop,
                        textWidth(option),
                        qMax(l.textHeight, QFontMetrics(option.font).height()) + 2);
}

} // namespace Natter
