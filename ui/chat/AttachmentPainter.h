// How a message's §9 files look in the message view: an image as its picture
// (a placeholder of the picture's final size until it has loaded, so rows never
// jump), any other file as a card with a type icon, its name and size. Plain
// layout and painting functions over MessageListModel::AttachmentsRole, used by
// MessageDelegate; holds no state.
#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QList>
#include <QRect>
#include <QVariantMap>

class QPainter;
class QPalette;
class QFont;

namespace Natter {

class AttachmentPainter
{
    Q_DECLARE_TR_FUNCTIONS(AttachmentPainter)
public:
    static constexpr int kMaxImageWidth = 360;
    static constexpr int kMaxImageHeight = 240;
    static constexpr int kCardWidth = 320;
    static constexpr int kGap = 6;

    // One file as drawn: where (relative to the attachment area) and what.
    struct Box
    {
        QRect rect;
        QVariantMap file; // an entry of AttachmentsRole
        bool image = false;
    };

    // The boxes of `files`, one below the other, within `width`.
    static QList<Box> layout(const QVariantList &files, const QFont &font, int width);
    // The height of that layout (0 without files).
    static int height(const QList<Box> &boxes);

    // What the placeholder of a picture that is not shown says.
    enum class Placeholder {
        Loading, // on its way: the file's name
        Retrying, // natterd could not be reached; asked again when it can
        Unavailable, // it will not come (no thumbnail, gone, not a picture)
    };
    static QString placeholderText(const Box &box, Placeholder placeholder);
    // `thumbnail` may be null: then the placeholder, the picture's size.
    static void paintImage(QPainter *painter, const Box &box, const QPalette &palette,
                           const QFont &font, const QImage &thumbnail, Placeholder placeholder);
    static void paintCard(QPainter *painter, const Box &box, const QPalette &palette,
                          const QFont &font);

    // "notes.pdf, PDF document, 12.3 KB": what a screen reader says about a file.
    static QString describe(const QVariantMap &file);
    // "Attachments: …" for a message's screen-reader description; empty without files.
    static QString summary(const QVariantList &files);
    // "12.3 KB" in the user's locale.
    static QString sizeText(qint64 bytes);
    // The display size of an image whose picture is `width`×`height` (0: unknown).
    static QSize imageSize(int width, int height);
};

} // namespace Natter
