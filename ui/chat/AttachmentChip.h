// One file waiting to go with the next message (§9): its name and size, a
// progress bar while it uploads (FileUploader: streamed, with the session's
// token; its tooltip says so while the server asks it to wait) and one button,
// Cancel while uploading and Remove once it is up (which takes the file back
// off the server: FileUploader::discard()).
// The upload starts at once. Owned by AttachmentTray, which removes the chip
// when it fails or is removed.
#pragma once

#include "protocol/Types.h"

#include <QFrame>
#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;
class QUrl;

namespace Natter {

class AccessTokenProvider;
class FileUploader;

class AttachmentChip : public QFrame
{
    Q_OBJECT
public:
    enum class State { Uploading, Uploaded, Failed };

    // Uploads `path` to `channel` under `name` (empty: the file's own name).
    AttachmentChip(const QUrl &serverUrl, AccessTokenProvider *tokens, const QString &channel,
                   const QString &path, const QString &name, QWidget *parent = nullptr);

    void start();
    State state() const { return m_state; }
    QString channel() const { return m_channel; }
    QString name() const;
    qint64 size() const;
    // The uploaded file's id (empty until Uploaded).
    QString fileId() const { return m_file.id; }
    QPushButton *button() const { return m_button; }
    QProgressBar *progressBar() const { return m_progress; }

Q_SIGNALS:
    void uploaded();
    // `explanation`: plain words (too large with the server's limit, no space, …).
    void failed(const QString &explanation);
    // The button: the upload was cancelled (if it ran), or the file is being
    // taken back off the server (if it was up); the chip should go.
    void removeRequested();

private:
    void updateTexts();

    QPointer<FileUploader> m_uploader; // handed to the tray when a removal takes the file back
    QString m_channel;
    QString m_path;
    State m_state = State::Uploading;
    bool m_waiting = false; // a 429 is being waited out
    int m_waitSecs = 0;
    Attachment m_file;
    QLabel *m_label;
    QProgressBar *m_progress;
    QPushButton *m_button;
};

} // namespace Natter
