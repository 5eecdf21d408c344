// The files waiting to go with the next message of each channel (§9), shown
// as chips above the composer. Files come from the paperclip button (Attach
// files…, Ctrl+Shift+A: a file dialog), from dropping files anywhere on the
// window and from pasting into the composer (files, or an image, which is
// sent as PNG). Each upload starts at once; a failure removes its chip and
// says why, and the draft stays as it was.
//
// Sending waits for uploads still running: a person who pastes a screenshot
// and presses Enter means "send this", not "try again in a second". While it
// waits the composer is read-only, so what goes is what they saw; a failure
// or a cancelled upload stops the wait and gives the draft back. Owned by
// ChatWindow, which asks holdSend() and fileIds() when it sends.
#pragma once

#include <QList>
#include <QToolButton>
#include <QWidget>

class QAction;
class QImage;
class QLabel;
class QMimeData;
class QHBoxLayout;

namespace Natter {

class AttachmentChip;
class ChatSession;
class Composer;

class AttachmentTray : public QWidget
{
    Q_OBJECT
public:
    AttachmentTray(ChatSession *session, Composer *composer, QWidget *parent = nullptr);

    // The paperclip: a button for the composer's row (its action carries the
    // shortcut and the accessible name).
    QToolButton *attachButton() const { return m_button; }
    QAction *attachAction() const { return m_action; }

    // Shows the files of `channelId` (each channel keeps its own).
    void setChannel(const QString &channelId);
    void addFiles(const QStringList &paths);
    // A pasted image, uploaded as a PNG file.
    void addImage(const QImage &image);
    // Files dropped anywhere on `window` are attached (the composer takes its
    // own drops through the paste path).
    void acceptDropsOn(QWidget *window);

    // The open channel's chips, in order.
    QList<AttachmentChip *> chips() const;
    bool hasFiles() const { return !chips().isEmpty(); }
    bool isUploading() const;
    // The ids of the open channel's uploaded files, in order (for send).
    QStringList fileIds() const;
    // Called when sending: true when uploads are still running; then the send
    // waits and readyToSend() follows once all are up (or nothing, if one fails).
    bool holdSend();
    bool isHoldingSend() const { return !m_waitingChannel.isEmpty(); }
    // The message went: the open channel's files are done with.
    void takeSent();
    // The last failure, in words (empty when none since the last file added).
    QString errorText() const;

    // The local files a drop or paste carries (empty: none).
    static QStringList localFiles(const QMimeData *mime);

Q_SIGNALS:
    // An upload failed: why, in plain words. The draft is untouched.
    void uploadFailed(const QString &explanation);
    // A held send may go now: every file of its channel is up.
    void readyToSend();
    // A held send is no longer held (sent, cancelled, or its channel left):
    // the composer takes text again.
    void holdReleased();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void add(const QString &path, const QString &name, QObject *keepAlive);
    void remove(AttachmentChip *chip);
    void onUploaded();
    void stopHolding();
    void refresh();
    void chooseFiles();

    ChatSession *m_session;
    Composer *m_composer;
    QToolButton *m_button;
    QAction *m_action;
    QHBoxLayout *m_row;
    QLabel *m_error;
    QList<AttachmentChip *> m_chips; // all channels
    QString m_channel;
    QString m_waitingChannel; // a send held until this channel's uploads are done
};

} // namespace Natter
