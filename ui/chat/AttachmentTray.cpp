#include "AttachmentTray.h"

#include "AttachmentChip.h"
#include "Composer.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QTemporaryFile>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Natter {

namespace {
constexpr int kMaxFiles = 10; // §11: attachments per message
}

AttachmentTray::AttachmentTray(ChatSession *session, Composer *composer, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_composer(composer)
    , m_button(new QToolButton(parent))
    , m_action(new QAction(tr("Attach Files…"), this))
    , m_row(new QHBoxLayout)
    , m_error(new QLabel(this))
{
    m_action->setIcon(QIcon::fromTheme(QStringLiteral("mail-attachment")));
    // Thunderbird's key for attaching; Ctrl+U and Ctrl+O mean other things in text fields.
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_action->setToolTip(tr("Attach files to the message (%1)")
                             .arg(m_action->shortcut().toString(QKeySequence::NativeText)));
    connect(m_action, &QAction::triggered, this, &AttachmentTray::chooseFiles);
    m_button->setDefaultAction(m_action);
    m_button->setAccessibleName(tr("Attach files"));
    m_button->setToolButtonStyle(m_action->icon().isNull() ? Qt::ToolButtonTextOnly
                                                           : Qt::ToolButtonIconOnly);
    m_button->setFocusPolicy(Qt::StrongFocus);

    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(8, 2, 8, 2);
    column->setSpacing(2);
    m_row->setSpacing(6);
    m_row->addStretch(1);
    column->addLayout(m_row);
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Upload problem"));
    column->addWidget(m_error);

    connect(m_composer, &Composer::filesPasted, this, &AttachmentTray::addFiles);
    connect(m_composer, &Composer::imagePasted, this, &AttachmentTray::addImage);
    refresh();
}

void AttachmentTray::setChannel(const QString &channelId)
{
    if (channelId == m_channel)
        return;
    stopHolding(); // a held send belongs to the channel it was made in
    m_channel = channelId;
    m_error->clear();
    refresh();
}

QList<AttachmentChip *> AttachmentTray::chips() const
{
    QList<AttachmentChip *> here;
    for (AttachmentChip *chip : m_chips) {
        if (chip->channel() == m_channel)
            here.append(chip);
    }
    return here;
}

bool AttachmentTray::isUploading() const
{
    const QList<AttachmentChip *> here = chips();
    return std::any_of(here.cbegin(), here.cend(), [](const AttachmentChip *c) {
        return c->state() == AttachmentChip::State::Uploading;
    });
}

QStringList AttachmentTray::fileIds() const
{
    QStringList ids;
    for (const AttachmentChip *chip : chips()) {
        if (chip->state() == AttachmentChip::State::Uploaded)
            ids.append(chip->fileId());
    }
    return ids;
}

QString AttachmentTray::errorText() const
{
    return m_error->text();
}

QStringList AttachmentTray::localFiles(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

void AttachmentTray::acceptDropsOn(QWidget *window)
{
    window->setAcceptDrops(true);
    window->installEventFilter(this);
}

bool AttachmentTray::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
        auto *drag = static_cast<QDragMoveEvent *>(event);
        if (!localFiles(drag->mimeData()).isEmpty() && !m_channel.isEmpty()) {
            drag->acceptProposedAction();
            return true;
        }
    } else if (event->type() == QEvent::Drop) {
        auto *drop = static_cast<QDropEvent *>(event);
        const QStringList paths = localFiles(drop->mimeData());
        if (!paths.isEmpty()) {
            drop->acceptProposedAction();
            addFiles(paths);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void AttachmentTray::chooseFiles()
{
    if (m_channel.isEmpty())
        return;
    const QStringList paths = QFileDialog::getOpenFileNames(window(), tr("Attach Files"));
    addFiles(paths);
    m_composer->setFocus();
}

void AttachmentTray::addFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        add(path, QFileInfo(path).fileName(), nullptr);
}

void AttachmentTray::addImage(const QImage &image)
{
    if (image.isNull())
        return;
    // The image goes up from a file of its own, like any other, so the upload
    // streams; the file lives as long as its chip.
    auto *file = new QTemporaryFile(QDir::tempPath() + QStringLiteral("/natter-paste-XXXXXX.png"));
    if (!file->open() || !image.save(file, "PNG") || !file->flush()) {
        delete file;
        const QString why = tr("The pasted image could not be saved for sending.");
        m_error->setText(why);
        refresh();
        Q_EMIT uploadFailed(why);
        return;
    }
    file->close();
    //: The name a pasted image gets; %1 is the date and time, e.g. "2026-12-05 16.45.10".
    const QString name =
        tr("Pasted image %1.png")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH.mm.ss")));
    add(file->fileName(), name, file);
}

void AttachmentTray::add(const QString &path, const QString &name, QObject *keepAlive)
{
    const auto refuse = [this, keepAlive](const QString &why) {
        delete keepAlive;
        m_error->setText(why);
        refresh();
        Q_EMIT uploadFailed(why);
    };
    if (m_channel.isEmpty()) {
        delete keepAlive;
        return;
    }
    if (m_composer->isEditing()) {
        refuse(tr("Files cannot be added to a message being edited."));
        return;
    }
    if (chips().size() >= kMaxFiles) {
        refuse(tr("A message can carry at most %n file(s).", nullptr, kMaxFiles));
        return;
    }
    m_error->clear();
    const ConnectionManager *connection = m_session->connection();
    auto *chip = new AttachmentChip(connection->options().serverUrl, connection->tokenProvider(),
                                    m_channel, path, name, this);
    if (keepAlive)
        keepAlive->setParent(chip);
    // Tab goes from the paperclip through the chips' buttons, in order.
    const QList<AttachmentChip *> before = chips();
    QWidget *previous = m_button;
    if (!before.isEmpty())
        previous = before.constLast()->button();
    QWidget::setTabOrder(previous, chip->button());
    m_chips.append(chip);
    m_row->insertWidget(m_row->count() - 1, chip);
    connect(chip, &AttachmentChip::uploaded, this, &AttachmentTray::onUploaded);
    connect(chip, &AttachmentChip::removeRequested, this, [this, chip] {
        // A file taken away while a send waited: the person changed the
        // message, so it does not go on its own.
        if (chip->channel() == m_waitingChannel)
            stopHolding();
        remove(chip);
        m_composer->setFocus();
    });
    connect(chip, &AttachmentChip::failed, this, [this, chip](const QString &explanation) {
        if (chip->channel() == m_waitingChannel)
            stopHolding();
        remove(chip);
        if (chip->channel() == m_channel)
            m_error->setText(explanation);
        refresh();
        Q_EMIT uploadFailed(explanation);
    });
    refresh();
    chip->start();
}

void AttachmentTray::remove(AttachmentChip *chip)
{
    if (!m_chips.removeOne(chip))
        return;
    chip->hide();
    chip->deleteLater();
    refresh();
}

void AttachmentTray::onUploaded()
{
    refresh();
    if (m_waitingChannel.isEmpty() || m_waitingChannel != m_channel || isUploading())
        return;
    stopHolding();
    Q_EMIT readyToSend();
}

bool AttachmentTray::holdSend()
{
    if (!isUploading())
        return false;
    if (m_waitingChannel.isEmpty()) {
        m_waitingChannel = m_channel;
        m_composer->setReadOnly(true);
        m_error->setText(tr("Sending as soon as the files have uploaded…"));
        refresh();
    }
    return true;
}

void AttachmentTray::stopHolding()
{
    if (m_waitingChannel.isEmpty())
        return;
    m_waitingChannel.clear();
    m_composer->setReadOnly(false);
    m_error->clear();
    Q_EMIT holdReleased();
}

void AttachmentTray::takeSent()
{
    stopHolding();
    const QList<AttachmentChip *> sent = chips();
    for (AttachmentChip *chip : sent)
        remove(chip);
    m_error->clear();
    refresh();
}

void AttachmentTray::refresh()
{
    for (AttachmentChip *chip : std::as_const(m_chips))
        chip->setVisible(chip->channel() == m_channel);
    m_error->setVisible(!m_error->text().isEmpty());
    setVisible(hasFiles() || !m_error->text().isEmpty());
    m_composer->setHasAttachments(hasFiles());
    m_action->setEnabled(!m_channel.isEmpty());
}

} // namespace Natter
