#include "AttachmentController.h"

#include "AttachmentPainter.h"
#include "ImageViewer.h"
#include "MessageDelegate.h"
#include "ThumbnailCache.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "net/FileDownloader.h"
#include "session/ChatSession.h"

#include <QAbstractItemView>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QProgressDialog>
#include <QPushButton>
#include <QStandardPaths>
#include <QUrl>

namespace Natter {

namespace {
QString fileName(const QVariantMap &file)
{
    return file.value(QStringLiteral("name")).toString();
}

QString fileId(const QVariantMap &file)
{
    return file.value(QStringLiteral("id")).toString();
}
} // namespace

AttachmentController::AttachmentController(ChatSession *session, QAbstractItemView *view,
                                           MessageDelegate *delegate, QWidget *window)
    : QObject(window)
    , m_session(session)
    , m_view(view)
    , m_window(window)
{
    const QUrl server = session->connection()->options().serverUrl;
    m_thumbnails =
        new ThumbnailCache(session->connection()->tokenProvider(), server,
                           ThumbnailCache::directoryFor(server, session->self().id), this);
    delegate->setThumbnails(m_thumbnails);
    // Back after an outage or a natterd restart: pictures that could not be
    // fetched meanwhile are asked for again.
    connect(session->connection(), &ConnectionManager::resumed, m_thumbnails,
            &ThumbnailCache::retryFailedFetches);
    connect(delegate, &MessageDelegate::attachmentClicked, this,
            [this](const QModelIndex &, const QVariantMap &file) { activate(file); });
    view->installEventFilter(this);
    m_chooser = [this](const QString &suggested) {
        //: Title of the Save as… dialog for a file of a message.
        return QFileDialog::getSaveFileName(m_window, tr("Save File"), suggested);
    };
}

AttachmentController::~AttachmentController()
{
    if (m_viewer)
        m_viewer->close();
}

ImageViewer *AttachmentController::viewer() const
{
    return m_viewer;
}

QProgressDialog *AttachmentController::progressDialog() const
{
    return m_progress;
}

QMessageBox *AttachmentController::savedBox() const
{
    return m_savedBox;
}

bool AttachmentController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        auto *ke = static_cast<QKeyEvent *>(event);
        const bool enter = ke->key() == Qt::Key_Return || ke->key() == Qt::Key_Enter;
        if (enter && (ke->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier
            && !m_view->currentIndex().data(MessageListModel::AttachmentsRole).toList().isEmpty()) {
            activateCurrent();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void AttachmentController::activateCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    const QVariantList files = current.data(MessageListModel::AttachmentsRole).toList();
    if (files.size() == 1) {
        activate(files.first().toMap());
        return;
    }
    // Several files: the person picks one (arrow keys and Enter work in the menu).
    QMenu menu(m_view);
    menu.setAccessibleName(tr("Files of this message"));
    for (const QVariant &v : files) {
        const QVariantMap file = v.toMap();
        QAction *action =
            menu.addAction(file.value(QStringLiteral("image")).toBool()
                               //: A file in the menu of a message's files; %1 its name.
                               ? tr("Open %1").arg(fileName(file))
                               : tr("Save %1…").arg(fileName(file)));
        connect(action, &QAction::triggered, this, [this, file] { activate(file); });
    }
    menu.exec(m_view->viewport()->mapToGlobal(m_view->visualRect(current).center()));
}

void AttachmentController::activate(const QVariantMap &file)
{
    if (file.value(QStringLiteral("image")).toBool())
        openViewer(file);
    else
        save(file);
}

QString AttachmentController::viewerCopy(const QString &id) const
{
    return m_viewerDir.isValid() ? m_viewerDir.filePath(id) : QString();
}

void AttachmentController::openViewer(const QVariantMap &file)
{
    if (m_viewer)
        m_viewer->close();
    const QString id = fileId(file);
    m_viewer = new ImageViewer(
        file,
        file.value(QStringLiteral("thumbnail")).toBool() ? m_thumbnails->thumbnail(id) : QImage(),
        m_window);
    connect(m_viewer, &ImageViewer::saveRequested, this, &AttachmentController::save);
    m_viewer->show();
    m_viewer->activateWindow();
    const QString copy = viewerCopy(id);
    if (copy.isEmpty()) {
        m_viewer->showProblem(tr("There is no room for a temporary copy of the picture."));
        return;
    }
    if (QFileInfo::exists(copy)) {
        m_viewer->showFile(copy);
        return;
    }
    // The full picture, into a private copy that goes with the window.
    auto *fetch = new FileDownloader(m_session->connection()->tokenProvider(),
                                     m_session->connection()->options().serverUrl, nullptr, this);
    m_viewerDownload = fetch;
    QPointer<ImageViewer> viewer = m_viewer;
    connect(fetch, &FileDownloader::finished, this, [fetch, viewer, copy] {
        fetch->deleteLater();
        if (viewer)
            viewer->showFile(copy);
    });
    connect(fetch, &FileDownloader::failed, this,
            [fetch, viewer](FileDownloader::Error, const QString &message) {
                fetch->deleteLater();
                if (viewer)
                    viewer->showProblem(message);
            });
    connect(m_viewer, &QObject::destroyed, fetch, [fetch] {
        if (fetch->isRunning()) {
            fetch->cancel();
            fetch->deleteLater();
        }
    });
    fetch->download(id, copy, file.value(QStringLiteral("size")).toLongLong());
}

QString AttachmentController::suggestedPath(const QVariantMap &file) const
{
    // §9 names are base names already; never trust that for a path.
    QString name = QFileInfo(fileName(file)).fileName();
    name.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char('\\'), QLatin1Char('_'));
    while (name.startsWith(QLatin1Char('.')))
        name.remove(0, 1);
    if (name.isEmpty())
        name = tr("file");
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    return dir + QLatin1Char('/') + name;
}

void AttachmentController::save(const QVariantMap &file)
{
    const QString path = m_chooser ? m_chooser(suggestedPath(file)) : QString();
    if (path.isEmpty())
        return;
    const QString copy = viewerCopy(fileId(file));
    if (m_viewer && m_viewer->fileId() == fileId(file) && m_viewer->isLoaded()
        && QFileInfo::exists(copy)) {
        // The viewer already holds the whole file: save that copy.
        QFile::remove(path);
        if (QFile::copy(copy, path)) {
            reportSaved(file, path);
            return;
        }
    }
    download(file, path);
}

void AttachmentController::download(const QVariantMap &file, const QString &path)
{
    auto *job = new FileDownloader(m_session->connection()->tokenProvider(),
                                   m_session->connection()->options().serverUrl, nullptr, this);
    const qint64 size = file.value(QStringLiteral("size")).toLongLong();
    auto *progress =
        new QProgressDialog(m_viewer ? static_cast<QWidget *>(m_viewer.data()) : m_window);
    progress->setObjectName(QStringLiteral("downloadProgress"));
    //: Progress of saving a file of a message; %1 its name.
    progress->setLabelText(tr("Saving %1…").arg(fileName(file)));
    progress->setAccessibleName(tr("Saving %1").arg(fileName(file)));
    progress->setWindowTitle(tr("Saving"));
    progress->setCancelButtonText(tr("Cancel"));
    progress->setRange(0, 1000);
    progress->setMinimumDuration(400);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    m_progress = progress;
    connect(job, &FileDownloader::progress, progress, [progress](qint64 received, qint64 total) {
        if (total > 0)
            progress->setValue(int(received * 1000 / total));
    });
    connect(progress, &QProgressDialog::canceled, job, [this, job, progress, file] {
        progress->disconnect(job);
        job->cancel();
        job->deleteLater();
        progress->close();
        //: Status bar: the person stopped saving a file; %1 its name.
        Q_EMIT notice(tr("Stopped saving %1.").arg(fileName(file)));
    });
    connect(job, &FileDownloader::finished, this, [this, job, progress, file, path] {
        job->deleteLater();
        if (progress) {
            progress->disconnect(job); // closing a progress dialog says "canceled"
            progress->close();
        }
        reportSaved(file, path);
    });
    connect(job, &FileDownloader::failed, this,
            [this, job, progress, file, path](FileDownloader::Error error, const QString &message) {
                job->deleteLater();
                if (progress) {
                    progress->disconnect(job);
                    progress->close();
                }
                reportFailed(file, path, message, error == FileDownloader::Error::Network);
            });
    job->download(fileId(file), path, size);
}

void AttachmentController::reportSaved(const QVariantMap &file, const QString &path)
{
    //: Status bar after a file was saved; %1 its name, %2 the path.
    Q_EMIT notice(tr("Saved %1 to %2.").arg(fileName(file), QDir::toNativeSeparators(path)));
    Q_EMIT saved(path);
    if (m_viewer && m_viewer->fileId() == fileId(file))
        return; // saved from the viewer: the picture is already open
    if (m_savedBox)
        m_savedBox->close();
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("fileSavedBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Information);
    box->setWindowTitle(tr("File Saved"));
    box->setText(tr("Saved %1 to %2.").arg(fileName(file), QDir::toNativeSeparators(path)));
    if (mayOpen(path, file.value(QStringLiteral("mime")).toString())) {
        QPushButton *open = box->addButton(tr("&Open"), QMessageBox::AcceptRole);
        open->setObjectName(QStringLiteral("openSavedFile"));
        connect(open, &QPushButton::clicked, this, [path] {
            // The local copy, with the desktop's own application for its type.
            QDesktopServices::openUrl(QUrl::fromLocalFile(path));
        });
    } else {
        box->setInformativeText(
            tr("Natter does not open programs, scripts or launchers: they could run code on "
               "your computer. Open it yourself only if you trust where it came from."));
    }
    box->addButton(QMessageBox::Close);
    m_savedBox = box;
    box->open();
}

void AttachmentController::reportFailed(const QVariantMap &file, const QString &path,
                                        const QString &message, bool canRetry)
{
    auto *box = new QMessageBox(m_window);
    box->setObjectName(QStringLiteral("fileFailedBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("File Not Saved"));
    //: %1 the file's name, %2 why (a sentence).
    box->setText(tr("%1 was not saved. %2").arg(fileName(file), message));
    if (canRetry) {
        QPushButton *retry = box->addButton(tr("&Try Again"), QMessageBox::AcceptRole);
        // The same path: the download continues where it stopped.
        connect(retry, &QPushButton::clicked, this, [this, file, path] { download(file, path); });
    }
    box->addButton(QMessageBox::Close);
    box->open();
    Q_EMIT notice(box->text());
}

bool AttachmentController::mayOpen(const QString &path, const QString &mime)
{
    static const QStringList kRunnable = {
        QStringLiteral("application/x-executable"),
        QStringLiteral("application/x-pie-executable"),
        QStringLiteral("application/x-sharedlib"),
        QStringLiteral("application/x-shellscript"),
        QStringLiteral("application/x-desktop"),
        QStringLiteral("application/x-ms-dos-executable"),
        QStringLiteral("application/x-msdownload"),
        QStringLiteral("application/x-msi"),
        QStringLiteral("application/x-ms-shortcut"),
        QStringLiteral("application/java-archive"),
        QStringLiteral("application/x-java-archive"),
        QStringLiteral("application/vnd.appimage"),
        QStringLiteral("application/x-iso9660-appimage"),
        QStringLiteral("application/vnd.debian.binary-package"),
        QStringLiteral("application/x-rpm"),
        QStringLiteral("application/x-perl"),
        QStringLiteral("application/x-ruby"),
        QStringLiteral("application/x-php"),
        QStringLiteral("application/x-csh"),
        QStringLiteral("application/javascript"),
        QStringLiteral("text/javascript"),
        QStringLiteral("text/x-python"),
        QStringLiteral("text/x-python3"),
        QStringLiteral("application/x-python-code"),
        QStringLiteral("text/x-perl"),
        QStringLiteral("application/x-bat"),
        QStringLiteral("application/x-powershell"),
    };
    static const QStringList kRunnableSuffixes = {
        QStringLiteral("sh"),  QStringLiteral("bash"),    QStringLiteral("zsh"),
        QStringLiteral("csh"), QStringLiteral("ksh"),     QStringLiteral("py"),
        QStringLiteral("pyc"), QStringLiteral("pl"),      QStringLiteral("rb"),
        QStringLiteral("php"), QStringLiteral("js"),      QStringLiteral("jar"),
        QStringLiteral("exe"), QStringLiteral("com"),     QStringLiteral("bat"),
        QStringLiteral("cmd"), QStringLiteral("msi"),     QStringLiteral("ps1"),
        QStringLiteral("vbs"), QStringLiteral("desktop"), QStringLiteral("appimage"),
        QStringLiteral("run"), QStringLiteral("bin"),     QStringLiteral("deb"),
        QStringLiteral("rpm"), QStringLiteral("apk"),     QStringLiteral("lnk"),
        QStringLiteral("scr"), QStringLiteral("command"), QStringLiteral("so"),
    };
    const QFileInfo info(path);
    if (info.isExecutable() || kRunnableSuffixes.contains(info.suffix().toLower()))
        return false;
    QFile file(path);
    const QByteArray head = file.open(QIODevice::ReadOnly) ? file.read(4096) : QByteArray();
    if (head.startsWith("#!"))
        return false; // a script, whatever its name says
    const QMimeDatabase db;
    // What the server detected, what the name and the bytes say here: all must be harmless.
    for (const QMimeType &type :
         {db.mimeTypeForName(mime), db.mimeTypeForFile(path), db.mimeTypeForData(head)}) {
        if (!type.isValid())
            continue;
        for (const QString &runnable : kRunnable) {
            if (type.inherits(runnable))
                return false;
        }
    }
    return true;
}

} // namespace Natter
