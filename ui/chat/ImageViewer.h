// Shows one §9 image at full size, fitted to the window: the thumbnail at once,
// the picture itself as soon as its bytes have arrived (downloaded by
// AttachmentController into a private temporary copy). Ctrl++ / Ctrl+- and
// Ctrl+wheel zoom (scroll bars when the picture outgrows the window), Ctrl+0
// fits it again. Esc closes it; Save… (Ctrl+S) asks AttachmentController to
// save the file. Owned by
// AttachmentController, deleted when closed.
#pragma once

#include <QDialog>
#include <QImage>
#include <QVariantMap>

class QLabel;
class QPushButton;
class QScrollArea;

namespace Natter {

class ImageCanvas;

class ImageViewer : public QDialog
{
    Q_OBJECT
public:
    // `file`: an AttachmentsRole entry; `preview` may be null.
    ImageViewer(const QVariantMap &file, const QImage &preview, QWidget *parent = nullptr);

    QString fileId() const;
    QVariantMap file() const { return m_file; }
    // The picture from the file's bytes at `path`, decoded under limits; false
    // (and a sentence shown) when it cannot be shown.
    bool showFile(const QString &path);
    void showProblem(const QString &text);
    // The full picture is shown (not just the preview).
    bool isLoaded() const { return m_loaded; }
    QImage image() const;
    QPushButton *saveButton() const { return m_save; }

    // Zoom: fitted to the window (the default), or a fixed scale of the
    // picture's own size, kMinZoom..kMaxZoom.
    bool isFitted() const;
    // The size the picture is painted at now (fitted or zoomed).
    QSize shownImageSize() const;
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    static constexpr double kZoomStep = 1.25;
    static constexpr double kMinZoom = 0.05;
    static constexpr double kMaxZoom = 8.0;

    // At most this many pixels are decoded (natterd refuses thumbnails past the
    // same size, §9: a decompression bomb cannot exhaust memory here either).
    static constexpr qint64 kMaxPixels = 40'000'000;
    static QImage decodeFile(const QString &path, QString *problem);

Q_SIGNALS:
    void saveRequested(const QVariantMap &file);

private:
    // Zooms by `factor` from the scale shown now.
    void zoomBy(double factor);
    void updateStatus();

    QVariantMap m_file;
    QScrollArea *m_scroll = nullptr;
    ImageCanvas *m_canvas = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_save = nullptr;
    bool m_loaded = false;
};

} // namespace Natter
