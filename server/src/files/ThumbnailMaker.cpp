#include "files/ThumbnailMaker.h"

#include <QImage>
#include <QImageReader>
#include <QSaveFile>

namespace Natter::Server {

namespace {
// Megabytes QImageReader may allocate for one image: a 40 MP image at 4
// bytes a pixel, and a little more.
constexpr int kAllocationLimitMb = 192;
} // namespace

ThumbnailMaker::Result ThumbnailMaker::make(const QString &imagePath, const QString &thumbnailPath)
{
    Result result;
    QImageReader::setAllocationLimit(kAllocationLimitMb);
    QImageReader reader(imagePath);
    reader.setAutoTransform(true);
    const QSize raw = reader.size(); // from the header only
    if (!raw.isValid() || raw.isEmpty())
        return result;
    const bool turned = reader.transformation().testFlag(QImageIOHandler::TransformationRotate90);
    result.width = turned ? raw.height() : raw.width();
    result.height = turned ? raw.width() : raw.height();
    if (qint64(raw.width()) * raw.height() > kMaxPixels)
        return result; // never decoded: no thumbnail
    const QSize box(kMaxSide, kMaxSide);
    const QSize target = raw.width() > kMaxSide || raw.height() > kMaxSide
        ? raw.scaled(box, Qt::KeepAspectRatio)
        : raw;
    const QByteArray format = reader.format();
    // JPEG decodes straight at a smaller size: far less memory than the whole.
    if (reader.supportsOption(QImageIOHandler::ScaledSize) && target != raw)
        reader.setScaledSize(target);
    QImage image = reader.read();
    if (image.isNull())
        return result;
    if (image.width() > kMaxSide || image.height() > kMaxSide)
        image = image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const QImage::Format pixelFormat =
        image.hasAlphaChannel() ? QImage::Format_ARGB32 : QImage::Format_RGB32;
    image = image.convertToFormat(pixelFormat);
    // Bare pixels: a QImage made from them carries none of the source's text
    // keys (PNG tEXt, comments) or other metadata into the encoder.
    const QImage bare =
        QImage(image.constBits(), image.width(), image.height(), image.bytesPerLine(), pixelFormat)
            .copy();
    QSaveFile out(thumbnailPath);
    if (!out.open(QIODevice::WriteOnly))
        return result;
    const bool jpeg = format == "jpeg" || format == "jpg";
    if (!bare.save(&out, jpeg ? "JPEG" : "PNG", jpeg ? 85 : -1) || !out.commit())
        return result;
    result.thumbnail = true;
    return result;
}

} // namespace Natter::Server
