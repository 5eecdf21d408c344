#include "ImageViewer.h"

#include <QDialogButtonBox>
#include <QImageReader>
#include <QKeySequence>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace Natter {

// Paints an image scaled to fit (never enlarged past its own size), centred.
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
        update();
    }
    QImage image() const { return m_image; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        if (m_image.isNull())
            return;
        QPainter painter(this);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        QSize size = m_image.size();
        if (size.width() > width() || size.height() > height())
            size.scale(this->size(), Qt::KeepAspectRatio);
        const QRect target(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2),
                           size);
        painter.drawImage(target, m_image);
    }

private:
    QImage m_image;
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
    m_canvas = new ImageCanvas(this);
    m_canvas->setAccessibleName(name);
    m_canvas->setImage(preview);
    layout->addWidget(m_canvas, 1);
    m_status = new QLabel(tr("Loading the picture…"), this);
    m_status->setObjectName(QStringLiteral("imageViewerStatus"));
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("&Save…"), QDialogButtonBox::ActionRole);
    m_save->setObjectName(QStringLiteral("imageViewerSave"));
    m_save->setToolTip(tr("Save the picture (Ctrl+S)"));
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setToolTip(tr("Close (Esc)"));
    layout->addWidget(buttons);
    connect(m_save, &QPushButton::clicked, this, [this] { Q_EMIT saveRequested(m_file); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *save = new QShortcut(QKeySequence::Save, this);
    connect(save, &QShortcut::activated, m_save, &QPushButton::click);
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
    //: Under the picture; %1 width, %2 height in pixels.
    m_status->setText(tr("%1 × %2 pixels").arg(image.width()).arg(image.height()));
    return true;
}

void ImageViewer::showProblem(const QString &text)
{
    m_status->setText(text);
}

} // namespace Natter

#include "ImageViewer.moc"
