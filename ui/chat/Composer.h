// The message composer: Enter sends, Shift+Enter starts a new line. It also
// edits: Up in an empty composer asks to edit the last own message, and while
// editing, Enter saves and Esc cancels (MessageActions runs the edit). Typing
// `@` and the start of a username opens a completion over the people known
// (display names shown, usernames inserted; arrows, Enter/Tab, Esc). Pasted
// or dropped files and pasted images are handed on (filesPasted, imagePasted)
// for AttachmentTray to attach, not inserted as text.
#pragma once

#include <QImage>
#include <QPlainTextEdit>
#include <QStringList>

class QAbstractItemModel;
class QCompleter;

namespace Natter {

class Composer : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    // Switches between writing a new message and editing one (placeholder and
    // screen-reader description follow; Esc belongs to the composer while editing).
    void setEditing(bool editing);
    bool isEditing() const { return m_editing; }
    // Who `@` completes to: `people` lists them (DisplayRole shown), `usernameRole`
    // holds the username that is inserted.
    void setMentionCandidates(QAbstractItemModel *people, int usernameRole);
    QCompleter *mentionCompleter() const { return m_completer; }
    // §9: files wait to go with the draft, so Enter sends even without text.
    void setHasAttachments(bool has) { m_hasAttachments = has; }
    // §3: the most characters (Unicode code points) natterd takes in a message.
    static constexpr qsizetype kMaxCodePoints = 4000;
    // The draft's length as natterd counts it.
    qsizetype codePoints() const { return toPlainText().toUcs4().size(); }

Q_SIGNALS:
    // Enter was pressed (without Shift) on a non-empty draft: send, or save the edit.
    void submitted();
    // Up was pressed in an empty composer: edit the last own message.
    void editLastRequested();
    // Esc while editing.
    void editCancelRequested();
    // Local files were pasted or dropped here (never inserted as text).
    void filesPasted(const QStringList &paths);
    // An image was pasted (a screenshot copied to the clipboard).
    void imagePasted(const QImage &image);

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;

private:
    void updateTexts();
    // "@bo" when the cursor ends a mention being typed (§13 name rule); else empty.
    QString mentionPrefix() const;
    void updateMentionPopup();
    void insertMention(const QString &username);

    bool m_editing = false;
    bool m_hasAttachments = false;
    QCompleter *m_completer = nullptr;
};

} // namespace Natter
