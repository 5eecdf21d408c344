#include "AttachmentPainter.h"

#include <QApplication>
#include <QFontMetrics>
#include <QIcon>
#include <QLocale>
#include <QMimeDatabase>
#include <QPainter>
#include <QPalette>
#include <QStyle>

namespace Natter {

namespace {
constexpr int kCardPad = 8;
constexpr int kIconSide = 32;

QString mimeDescription(const QString &mime)
{
    const QMimeType type = QMimeDatabase().mimeTypeForName(mime);
    return type.isValid() ? type.comment() : mime;
}

QIcon iconFor(const QString &mime)
{
    const QMimeType type = QMimeDatabase().mimeTypeForName(mime);
    QIcon icon;
    if (type.isValid()) {
        icon = QIcon::fromTheme(type.iconName());
        if (icon.isNull())
            icon = QIcon::fromTheme(type.genericIconName());
    }
    if (icon.isNull())
        icon = QApplication::style()->standardIcon(QStyle::SP_FileIcon);
    return icon;
}
} // namespace

QSize AttachmentPainter::imageSize(int width, int height)
{
    if (width <= 0 || height <= 0)
        return {kMaxImageWidth * 2 / 3, kMaxImageHeight * 2 / 3};
    // natterd's thumbnail is at most 400×400 (§9) and never larger than the
    // picture: show it at that size, scaled down to fit the box.
    QSize size(width, height);
    size.scale(QSize(qMin(width, kMaxImageWidth), qMin(height, kMaxImageHeight)),
               Qt::KeepAspectRatio);
    return size.expandedTo(QSize(16, 16));
}

QList<AttachmentPainter::Box> AttachmentPainter::layout(const QVariantList &files,
                                                        const QFont &font, int width)
{
    QList<Box> boxes;
    const QFontMetrics fm(font);
    int y = 0;
    for (const QVariant &v : files) {
        Box box;
        box.file = v.toMap();
        box.image = box.file.value(QStringLiteral("image")).toBool();
        QSize size;
        if (box.image) {
            size = imageSize(box.file.value(QStringLiteral("width")).toInt(),
                             box.file.value(QStringLiteral("height")).toInt());
            if (size.width() > width)
                size.scale(width, size.height(), Qt::KeepAspectRatio);
        } else {
            size = QSize(qMin(kCardWidth, width), qMax(kIconSide, 2 * fm.height()) + 2 * kCardPad);
        }
        box.rect = QRect(QPoint(0, y), size);
        y += size.height() + kGap;
        boxes.append(box);
    }
    return boxes;
}

int AttachmentPainter::height(const QList<Box> &boxes)
{
    return boxes.isEmpty() ? 0 : boxes.last().rect.bottom() + 1;
}

QString AttachmentPainter::sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString AttachmentPainter::describe(const QVariantMap &file)
{
    //: A file attached to a message, for screen readers; %1 name, %2 type, %3 size.
    return tr("%1, %2, %3")
        .arg(file.value(QStringLiteral("name")).toString(),
             mimeDescription(file.value(QStringLiteral("mime")).toString()),
             sizeText(file.value(QStringLiteral("size")).toLongLong()));
}

QString AttachmentPainter::summary(const QVariantList &files)
{
    QStringList parts;
    for (const QVariant &v : files)
        parts.append(describe(v.toMap()));
    if (parts.isEmpty())
        return {};
    //: Screen-reader description of a message's files; %1 the list. Enter opens or saves.
    return tr("Attachments: %1. Press Enter to open or save.")
        .arg(parts.join(QStringLiteral("; ")));
}

QString AttachmentPainter::placeholderText(const Box &box, Placeholder placeholder)
{
    switch (placeholder) {
    case Placeholder::Loading:
        break;
    case Placeholder::Retrying:
        //: In place of a picture that could not be loaded for now (natterd unreachable).
        return tr("Picture not loaded yet. Natter will try again.");
    case Placeholder::Unavailable:
        return tr("Picture not available");
    }
    return box.file.value(QStringLiteral("name")).toString();
}

void AttachmentPainter::paintImage(QPainter *painter, const Box &box, const QPalette &palette,
                                   const QFont &font, const QImage &thumbnail,
                                   Placeholder placeholder)
{
    painter->save();
    if (!thumbnail.isNull()) {
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        QSize size = thumbnail.size();
        size.scale(box.rect.size(), Qt::KeepAspectRatio);
        const QRect target(box.rect.center() - QPoint(size.width() / 2, size.height() / 2), size);
        painter->drawImage(target, thumbnail);
    } else {
        // The placeholder has the picture's size: the row keeps its height when it loads.
        painter->fillRect(box.rect, palette.color(QPalette::AlternateBase));
        painter->setPen(palette.color(QPalette::Mid));
        painter->drawRect(box.rect.adjusted(0, 0, -1, -1));
        painter->setFont(font);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(box.rect.adjusted(4, 4, -4, -4), Qt::AlignCenter | Qt::TextWordWrap,
                          placeholderText(box, placeholder));
    }
    painter->restore();
}

void AttachmentPainter::paintCard(QPainter *painter, const Box &box, const QPalette &palette,
                                  const QFont &font)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(palette.color(QPalette::Mid));
    painter->setBrush(palette.color(QPalette::Button));
    painter->drawRoundedRect(QRectF(box.rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    const QRect icon(box.rect.left() + kCardPad, box.rect.center().y() - kIconSide / 2, kIconSide,
                     kIconSide);
    iconFor(box.file.value(QStringLiteral("mime")).toString()).paint(painter, icon);
    const QRect text = box.rect.adjusted(kCardPad * 2 + kIconSide, kCardPad, -kCardPad, -kCardPad);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetrics fm(bold);
    painter->setFont(bold);
    painter->setPen(palette.color(QPalette::ButtonText));
    painter->drawText(QRect(text.left(), text.top(), text.width(), fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(box.file.value(QStringLiteral("name")).toString(),
                                    Qt::ElideMiddle, text.width()));
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const QString details =
        //: Under a file's name on its card; %1 its size, %2 its type.
        tr("%1 · %2").arg(sizeText(box.file.value(QStringLiteral("size")).toLongLong()),
                          mimeDescription(box.file.value(QStringLiteral("mime")).toString()));
    painter->drawText(
        QRect(text.left(), text.top() + fm.height(), text.width(), text.height() - fm.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(font).elidedText(details, Qt::ElideRight, text.width()));
    painter->restore();
}

} // namespace Natter
