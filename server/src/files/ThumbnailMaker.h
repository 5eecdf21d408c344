// Makes the §9 thumbnail of an uploaded image, off the event loop (FileHandlers
// runs make() on its own one-thread pool, so at most one image is decoded at a
// time).
//
// Reads only the header first and refuses anything over kMaxPixels, so a
// decompression bomb (a small file that claims gigapixels) is never decoded;
// QImageReader's allocation limit backs that up. The image is decoded at the
// thumbnail's size where the format can (JPEG), turned upright (EXIF
// orientation), scaled to fit 400×400 and re-encoded from bare pixels, so no
// metadata (EXIF, GPS, text chunks) survives. Stateless.
#pragma once

#include <QString>

namespace Natter::Server {

class ThumbnailMaker
{
public:
    static constexpr qint64 kMaxPixels = 40'000'000;
    static constexpr int kMaxSide = 400;

    struct Result
    {
        int width = 0; // the image upright; 0 when it could not be read
        int height = 0;
        bool thumbnail = false; // written to thumbnailPath
    };

    // Reads `imagePath`, writes its thumbnail to `thumbnailPath` (JPEG for
    // JPEG sources, PNG otherwise). Blocking: run it on a pool thread.
    static Result make(const QString &imagePath, const QString &thumbnailPath);
};

} // namespace Natter::Server
