// Paints one message row: day separator, gap marker, author line for the first
// message of a group, the formatted text ("(edited)" after an edited message,
// "Message deleted" in place of a deleted one), and the delivery state of our
// own messages. Row heights are cached per message revision (§6 rev) and width,
// so scrolling a long channel does not lay out text again. Links are clickable; nothing remote is
// ever loaded. Owned by ChatWindow's message view.
#pragma once

#include "AttachmentPainter.h"

#include <QCache>
#include <QHash>
#include <QPointer>
#include <QStyledItemDelegate>
#include <QTextDocument>

class QTimer;

namespace Natter {

class ThumbnailCache;

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;
    // A read-only, selectable view of one message's text (opened on double-click),
    // so part of a message can be selected and copied. It never writes back.
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;

    // One reaction chip under a message (§7 reactions): where it is drawn (view
    // coordinates), its emoji, and who reacted.
    struct Chip
    {
        QRect rect;
        QString emoji;
        int count = 0;
        bool mine = false;
        QStringList names;
    };
    QList<Chip> reactionChips(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // "alice, bob reacted with 👍": the tooltip of a chip.
    static QString chipTooltip(const Chip &chip);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Where the quoted excerpt of a reply (§7 `R`) is drawn (view coordinates);
    // empty when the message is no reply. Clicking it asks to jump to the target.
    QRect replyQuoteRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // "Alice: the start of her message" / "Alice: deleted" – what the quote says.
    static QString quoteText(const QModelIndex &index);
    // Highlights message `messageId` for a moment (after a jump to it).
    void flash(const QString &messageId);
    QString flashingId() const { return m_flashId; }

    // The link under `pos` (view coordinates) in the row at `index`, if any.
    QString linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                   const QPoint &pos) const;
    // §9: where the message's files are drawn (view coordinates), in order.
    QList<AttachmentPainter::Box> attachmentBoxes(const QStyleOptionViewItem &option,
                                                  const QModelIndex &index) const;
    // Where images get their pictures (not owned; null: placeholders only).
    void setThumbnails(ThumbnailCache *thumbnails);
    // What the box of a picture (AttachmentsRole entry `file`) says while its
    // picture is not shown.
    AttachmentPainter::Placeholder placeholderFor(const QVariantMap &file) const;
    void clearCache();

    // "(edited)" after an edited message; "Message deleted" in place of a deleted one.
    static QString editedMarker();
    static QString deletedText();
    // The accent of a message that mentions me (a tint over the row, a bar at its edge).
    static QColor mentionColor();

Q_SIGNALS:
    void linkActivated(const QString &url);
    // A reaction chip was clicked: toggle my reaction `emoji` on message `messageId`.
    void reactionToggled(const QString &messageId, const QString &emoji);
    // The quote of a reply was clicked: show message `messageId` (the target).
    void replyQuoteClicked(const QString &messageId);
    // A file of the message at `index` was clicked (`file`: an AttachmentsRole entry).
    void attachmentClicked(const QModelIndex &index, const QVariantMap &file);

private:
    struct Layout
    {
        int dayHeight = 0;
        int gapHeight = 0;
        int headerHeight = 0;
        int quoteTop = 0; // relative to the row; 0 height when no reply
        int quoteHeight = 0;
        int textTop = 0;
        int textHeight = 0;
        int attachmentsTop = 0; // relative to the row; 0 height without files
        int attachmentsHeight = 0;
        int reactionsTop = 0; // relative to the row
        int reactionsHeight = 0;
        int height = 0;
    };
    Layout layoutFor(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QTextDocument *document(const QStyleOptionViewItem &option, const QModelIndex &index,
                            int textWidth) const;
    // Only text with formatting or links, or an "(edited)" marker, needs a QTextDocument.
    static bool hasMarkup(const QString &text);
    static bool needsDocument(const QModelIndex &index);
    // What the row shows as its text (used for measuring and plain painting).
    static QString displayText(const QModelIndex &index);
    static QString cacheKey(const QModelIndex &index, int width);
    int textWidth(const QStyleOptionViewItem &option) const;
    // Chips laid out from (0, 0), wrapping at `width`; rects relative to the chip area.
    static QList<Chip> layoutChips(const QStyleOptionViewItem &option, const QModelIndex &index,
                                   int width);

    QString m_flashId;
    QTimer *m_flashTimer = nullptr;
    QPointer<ThumbnailCache> m_thumbnails;
    mutable QHash<QString, int> m_textHeights; // key: identity + width
    mutable QCache<QString, QTextDocument> m_documents{300};
};

} // namespace Natter
