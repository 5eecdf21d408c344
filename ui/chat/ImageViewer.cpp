#include "ImageViewer.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QImageReader>
#include <QKeySequence>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QVBoxLayout>
#include <QWheelEvent>

namespace Natter {

// Paints an image centred, either fitted to its own size (never enlarged past
// the picture's size; the scroll area keeps it the viewport's size) or at a
// fixed scale (then it is as large as the scaled picture and scrolls).
class ImageCanvas : public QWidget
{
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget *parent)
        : QWidget(parent)
    {
        setMinimumSize(200, 150);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setAutoFillBackground(true);
        setBackgroundRole(QPalette::Dark);
    }
    void setImage(const QImage &image)
    {
        m_image = image;
        if (m_scale > 0)
            resize(shownSize());
        update();
    }
    QImage image() const { return m_image; }
    // 0: fitted.
    void setScale(double scale)
    {
        m_scale = scale;
        if (m_scale > 0)
            resize(shownSize());
        update();
    }
    double scale() const { return m_scale; }
    // The scale a fitted picture is shown at in `area`.
    double fittedScale(const QSize &area) const
    {
        if (m_image.isNull())
            return 1.0;
        return std::min({1.0, double(area.width()) / m_image.width(),
                         double(area.height()) / m_image.height()});
    }
    QSize shownSize() const
    {
        if (m_image.isNull())
            return {};
        if (m_scale > 0)
            return (QSizeF(m_image.size()) * m_scale).toSize().expandedTo(QSize(1, 1));
        QSize size = m_image.size();
        if (size.width() > width() || size.height() > height())
            size.scale(this->size(), Qt::KeepAspectRatio);
        return size;
    }

Q_SIGNALS:
    // Ctrl+wheel: `steps` > 0 zooms in.
    void zoomRequested(int steps);

protected:
    void paintEvent(QPaintEvent *) override
    {
        if (m_image.isNull())
            return;
        QPainter painter(this);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        const QSize size = shownSize();
        const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2),
                           size);
        painter.drawImage(target, m_image);
    }
    void wheelEvent(QWheelEvent *event) override
    {
        // Without Ctrl the wheel scrolls: the event goes on to the scroll area.
        if (!(event->modifiers() & Qt::ControlModifier) || event->angleDelta().y() == 0) {
            event->ignore();
            return;
        }
        Q_EMIT zoomRequested(event->angleDelta().y() > 0 ? 1 : -1);
        event->accept();
    }

private:
    QImage m_image;
    double m_scale = 0;
};

ImageViewer::ImageViewer(const QVariantMap &file, const QImage &preview, QWidget *parent)
    : QDialog(parent)
    , m_file(file)
{
    const QString name = file.value(QStringLiteral("name")).toString();
    setObjectName(QStringLiteral("imageViewer"));
    //: Title of the window showing a picture; %1 its file name.
    setWindowTitle(tr("%1 – Natter").arg(name));
    //: Accessible name of the picture viewer; %1 the file name.
    setAccessibleName(tr("Picture %1").arg(name));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("imageViewerScroll"));
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setBackgroundRole(QPalette::Dark);
    m_scroll->setWidgetResizable(true);
    //: Accessible name of the scrollable area holding the picture.
    m_scroll->setAccessibleName(tr("Picture area"));
    m_canvas = new ImageCanvas(m_scroll);
    m_canvas->setAccessibleName(name);
    m_canvas->setImage(preview);
    m_scroll->setWidget(m_canvas);
    layout->addWidget(m_scroll, 1);
    connect(m_canvas, &ImageCanvas::zoomRequested, this,
            [this](int steps) { steps > 0 ? zoomIn() : zoomOut(); });
    m_status = new QLabel(tr("Loading the picture…"), this);
    m_status->setObjectName(QStringLiteral("imageViewerStatus"));
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("&Save…"), QDialogButtonBox::ActionRole);
    m_save->setObjectName(QStringLiteral("imageViewerSave"));
    m_save->setToolTip(tr("Save the picture (Ctrl+S)"));
    auto addZoomButton = [&](const QString &text, const QString &objectName, const QString &toolTip,
                             void (ImageViewer::*slot)()) {
        QPushButton *button = buttons->addButton(text, QDialogButtonBox::ActionRole);
        button->setObjectName(objectName);
        button->setToolTip(toolTip);
        button->setAccessibleName(toolTip);
        button->setAutoDefault(false);
        connect(button, &QPushButton::clicked, this, slot);
    };
    //: Button of the picture viewer.
    addZoomButton(tr("Zoom &out"), QStringLiteral("imageViewerZoomOut"), tr("Zoom out (Ctrl+-)"),
                  &ImageViewer::zoomOut);
    //: Button of the picture viewer: show the whole picture in the window.
    addZoomButton(tr("&Fit"), QStringLiteral("imageViewerFit"), tr("Fit to the window (Ctrl+0)"),
                  &ImageViewer::zoomToFit);
    //: Button of the picture viewer.
    addZoomButton(tr("Zoom &in"), QStringLiteral("imageViewerZoomIn"), tr("Zoom in (Ctrl++)"),
                  &ImageViewer::zoomIn);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setToolTip(tr("Close (Esc)"));
    layout->addWidget(buttons);
    connect(m_save, &QPushButton::clicked, this, [this] { Q_EMIT saveRequested(m_file); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *save = new QShortcut(QKeySequence::Save, this);
    connect(save, &QShortcut::activated, m_save, &QPushButton::click);
    // Ctrl+= too: on most keyboards + needs Shift. The platform's standard keys
    // may be the same as ours: one shortcut per sequence, or Qt calls them
    // ambiguous and neither fires.
    QList<QKeySequence> taken;
    auto addShortcut = [&](const QKeySequence &keys, void (ImageViewer::*slot)()) {
        if (keys.isEmpty() || taken.contains(keys))
            return;
        taken.append(keys);
        auto *shortcut = new QShortcut(keys, this);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    for (const QKeySequence &keys : QKeySequence::keyBindings(QKeySequence::ZoomIn))
        addShortcut(keys, &ImageViewer::zoomIn);
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus), &ImageViewer::zoomIn);
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_Equal), &ImageViewer::zoomIn);
    for (const QKeySequence &keys : QKeySequence::keyBindings(QKeySequence::ZoomOut))
        addShortcut(keys, &ImageViewer::zoomOut);
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus), &ImageViewer::zoomOut);
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_0), &ImageViewer::zoomToFit);
    resize(900, 640);
}

QString ImageViewer::fileId() const
{
    return m_file.value(QStringLiteral("id")).toString();
}

QImage ImageViewer::image() const
{
    return m_canvas->image();
}

QImage ImageViewer::decodeFile(const QString &path, QString *problem)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // QImageReader's own limit (MiB) backs up the pixel check below.
    reader.setAllocationLimit(int(kMaxPixels * 4 / (1024 * 1024)) + 1);
    const QSize size = reader.size();
    if (!size.isValid()) {
        *problem = tr("This file is not a picture Natter can show. Save it to open it elsewhere.");
        return {};
    }
    if (qint64(size.width()) * size.height() > kMaxPixels) {
        *problem = tr("This picture is too large to show here (%1×%2). Save it to open it "
                      "elsewhere.")
                       .arg(size.width())
                       .arg(size.height());
        return {};
    }
    const QImage image = reader.read();
    if (image.isNull())
        *problem = tr("This picture cannot be shown: %1").arg(reader.errorString());
    return image;
}

bool ImageViewer::showFile(const QString &path)
{
    QString problem;
    const QImage image = decodeFile(path, &problem);
    if (image.isNull()) {
        showProblem(problem);
        return false;
    }
    m_canvas->setImage(image);
    m_loaded = true;
    updateStatus();
    return true;
}

bool ImageViewer::isFitted() const
{
    return m_canvas->scale() <= 0;
}

QSize ImageViewer::shownImageSize() const
{
    return m_canvas->shownSize();
}

void ImageViewer::zoomIn()
{
    zoomBy(kZoomStep);
}

void ImageViewer::zoomOut()
{
    zoomBy(1.0 / kZoomStep);
}

void ImageViewer::zoomToFit()
{
    m_canvas->setScale(0);
    m_scroll->setWidgetResizable(true);
    updateStatus();
}

void ImageViewer::zoomBy(double factor)
{
    if (m_canvas->image().isNull())
        return;
    const double now =
        isFitted() ? m_canvas->fittedScale(m_scroll->viewport()->size()) : m_canvas->scale();
    const double scale = std::clamp(now * factor, kMinZoom, kMaxZoom);
    // Keep the point in the middle of the view in the middle.
    QScrollBar *h = m_scroll->horizontalScrollBar();
    QScrollBar *v = m_scroll->verticalScrollBar();
    const double cx = (h->value() + h->pageStep() / 2.0) / std::max(1, m_canvas->width());
    const double cy = (v->value() + v->pageStep() / 2.0) / std::max(1, m_canvas->height());
    m_scroll->setWidgetResizable(false);
    m_canvas->setScale(scale);
    h->setValue(int(cx * m_canvas->width() - h->pageStep() / 2.0));
    v->setValue(int(cy * m_canvas->height() - v->pageStep() / 2.0));
    updateStatus();
}

void ImageViewer::updateStatus()
{
    if (!m_loaded)
        return;
    const QImage image = m_canvas->image();
    if (isFitted()) {
        //: Under the picture; %1 width, %2 height in pixels.
        m_status->setText(tr("%1 × %2 pixels").arg(image.width()).arg(image.height()));
        return;
    }
    //: Under the zoomed picture; %1 width, %2 height in pixels, %3 the zoom in percent.
    m_status->setText(tr("%1 × %2 pixels, zoom %3 %")
                          .arg(image.width())
                          .arg(image.height())
                          .arg(qRound(m_canvas->scale() * 100)));
}

void ImageViewer::showProblem(const QString &text)
{
    m_status->setText(text);
}

} // namespace Natter

#include "ImageViewer.moc"
