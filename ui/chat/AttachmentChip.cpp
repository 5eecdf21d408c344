#include "AttachmentChip.h"

#include "net/FileUploader.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

namespace Natter {

AttachmentChip::AttachmentChip(const QUrl &serverUrl, AccessTokenProvider *tokens,
                               const QString &channel, const QString &path, const QString &name,
                               QWidget *parent)
    : QFrame(parent)
    , m_uploader(new FileUploader(serverUrl, tokens, this))
    , m_channel(channel)
    , m_path(path)
    , m_label(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_button(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(6, 2, 2, 2);
    row->setSpacing(4);
    row->addWidget(m_label);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(80);
    m_progress->setMaximumHeight(m_label->fontMetrics().height() / 2 + 2);
    row->addWidget(m_progress);
    m_button->setFlat(true);
    row->addWidget(m_button);
    m_label->setText(name); // until start(): the name given
    m_file.name = name;

    connect(m_uploader, &FileUploader::progress, this, [this](qint64 sent, qint64 total) {
        m_progress->setValue(total > 0 ? int(sent * 1000 / total) : 0);
        if (sent > 0 && m_waiting) {
            m_waiting = false;
            updateTexts();
        }
    });
    connect(m_uploader, &FileUploader::waiting, this, [this](int seconds) {
        m_waiting = true;
        m_waitSecs = seconds;
        updateTexts();
    });
    connect(m_uploader, &FileUploader::finished, this, [this](const Attachment &file) {
        m_file = file;
        m_state = State::Uploaded;
        updateTexts();
        Q_EMIT uploaded();
    });
    connect(m_uploader, &FileUploader::failed, this,
            [this](FileUploader::Error, const QString &explanation) {
                m_state = State::Failed;
                updateTexts();
                Q_EMIT failed(explanation);
            });
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_state == State::Uploaded && m_uploader) {
            // Never sent: the server need not keep it. The request outlives
            // this chip, which goes now: the tray keeps it until answered.
            FileUploader *uploader = m_uploader;
            uploader->setParent(this->parent());
            connect(uploader, &FileUploader::discarded, uploader, &QObject::deleteLater);
            uploader->discard();
            m_uploader = nullptr;
        } else if (m_uploader) {
            m_uploader->cancel();
        }
        Q_EMIT removeRequested();
    });
}

void AttachmentChip::start()
{
    m_state = State::Uploading;
    updateTexts();
    m_uploader->start(m_channel, m_path, m_file.name);
}

QString AttachmentChip::name() const
{
    return !m_uploader || m_uploader->name().isEmpty() ? m_file.name : m_uploader->name();
}

qint64 AttachmentChip::size() const
{
    return m_state == State::Uploaded || !m_uploader ? m_file.size : m_uploader->size();
}

void AttachmentChip::updateTexts()
{
    const QString size =
        QLocale().formattedDataSize(this->size(), 1, QLocale::DataSizeTraditionalFormat);
    //: A file waiting to be sent: its name and its size, e.g. "plan.pdf, 1.2 MB".
    m_label->setText(tr("%1, %2").arg(name(), size));
    m_progress->setVisible(m_state == State::Uploading);
    m_progress->setAccessibleName(tr("Upload of %1").arg(name()));
    // The server takes a few uploads of one person at a time: this one goes
    // again by itself (FileUploader).
    const QString waiting = m_state == State::Uploading && m_waiting
        ? tr("Waiting for the server: the upload starts again in %n second(s).", nullptr,
             m_waitSecs)
        : QString();
    m_progress->setAccessibleDescription(waiting);
    m_progress->setToolTip(waiting);
    if (m_state == State::Uploading) {
        m_button->setText(tr("Cancel"));
        m_button->setAccessibleName(tr("Cancel the upload of %1").arg(name()));
    } else {
        m_button->setText(QStringLiteral("×"));
        m_button->setAccessibleName(tr("Remove %1").arg(name()));
    }
    m_button->setToolTip(m_button->accessibleName());
    setAccessibleName(m_label->text());
}

} // namespace Natter
