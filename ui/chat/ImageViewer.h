// Shows one §9 image at full size, fitted to the window: the thumbnail at once,
// the picture itself as soon as its bytes have arrived (downloaded by
// AttachmentController into a private temporary copy). Esc closes it; Save…
// (Ctrl+S) asks AttachmentController to save the file. Owned by
// AttachmentController, deleted when closed.
#pragma once

#include <QDialog>
#include <QImage>
#include <QVariantMap>

class QLabel;
class QPushButton;

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

    // At most this many pixels are decoded (natterd refuses thumbnails past the
    // same size, §9: a decompression bomb cannot exhaust memory here either).
    static constexpr qint64 kMaxPixels = 40'000'000;
    static QImage decodeFile(const QString &path, QString *problem);

Q_SIGNALS:
    void saveRequested(const QVariantMap &file);

private:
    QVariantMap m_file;
    ImageCanvas *m_canvas = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_save = nullptr;
    bool m_loaded = false;
};

} // namespace Natter
