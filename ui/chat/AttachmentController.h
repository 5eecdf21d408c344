// What the person does with the §9 files of messages in the chat window: an
// image opens in the ImageViewer (click it, or Enter on the focused message);
// any other file is saved where the person chooses (Save as…), with progress
// and Cancel, and resumes after a dropped connection when tried again. A saved
// file may then be opened with the desktop's application (QDesktopServices on
// the local copy, never the network), except programs, scripts and launchers,
// which are only ever saved. Owns the ThumbnailCache the message delegate
// paints from; talks to natterd only through FileDownloader.
//
// Created by ChatWindow for its message view.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QVariantMap>

#include <functional>

class QAbstractItemView;
class QMessageBox;
class QProgressDialog;
class QWidget;

namespace Natter {

class ChatSession;
class FileDownloader;
class ImageViewer;
class MessageDelegate;
class ThumbnailCache;

class AttachmentController : public QObject
{
    Q_OBJECT
public:
    AttachmentController(ChatSession *session, QAbstractItemView *view, MessageDelegate *delegate,
                         QWidget *window);
    ~AttachmentController() override;

    ThumbnailCache *thumbnails() const { return m_thumbnails; }

    // Opens an image in the viewer; saves any other file. `file`: an
    // AttachmentsRole entry.
    void activate(const QVariantMap &file);
    // Asks where to save `file`, then downloads it there.
    void save(const QVariantMap &file);

    // Asks the person for a path to save to, given a suggestion; empty = cancelled.
    // The default is a Save as… file dialog; tests choose a path themselves.
    using PathChooser = std::function<QString(const QString &suggestedPath)>;
    void setPathChooser(PathChooser chooser) { m_chooser = std::move(chooser); }

    // The open viewer (null: none), the progress of the running save, and the
    // box that reports the last save ("Saved …", with Open where allowed).
    ImageViewer *viewer() const;
    QProgressDialog *progressDialog() const;
    QMessageBox *savedBox() const;

    // Whether a saved file may be opened with the desktop's application: never a
    // program, script, launcher or package, judged by the server's type, the
    // file's own content and name, and its permissions.
    static bool mayOpen(const QString &path, const QString &mime);

Q_SIGNALS:
    // A file was saved completely at `path`.
    void saved(const QString &path);
    // Something to tell the person (the status bar shows it).
    void notice(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activateCurrent();
    void openViewer(const QVariantMap &file);
    void download(const QVariantMap &file, const QString &path);
    void reportSaved(const QVariantMap &file, const QString &path);
    void reportFailed(const QVariantMap &file, const QString &path, const QString &message,
                      bool canRetry);
    QString suggestedPath(const QVariantMap &file) const;
    QString viewerCopy(const QString &fileId) const;

    ChatSession *m_session;
    QAbstractItemView *m_view;
    QWidget *m_window;
    ThumbnailCache *m_thumbnails;
    PathChooser m_chooser;
    QPointer<ImageViewer> m_viewer;
    QPointer<FileDownloader> m_viewerDownload;
    QPointer<QProgressDialog> m_progress;
    QPointer<QMessageBox> m_savedBox;
    QTemporaryDir m_viewerDir; // full pictures for the viewer; gone with the window
};

} // namespace Natter
