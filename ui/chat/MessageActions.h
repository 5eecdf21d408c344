// What the person can do to a message in the open channel, and who may do what
// (§7): edit their own messages (the composer switches to editing, with the
// EditBar above it), delete their own (admins: anyone's) after a confirmation.
// Runs the edit from start to save or cancel, and keeps the person's draft
// aside meanwhile. Owned by ChatWindow; talks to ChatSession, never to a socket.
#pragma once

#include <QModelIndex>
#include <QObject>
#include <QPointer>

class QAbstractItemModel;
class QWidget;

namespace Natter {

class ChatSession;
class Composer;
class EditBar;

class MessageActions : public QObject
{
    Q_OBJECT
public:
    MessageActions(ChatSession *session, Composer *composer, EditBar *editBar,
                   QWidget *dialogParent);

    // Own, sent or on its way, not deleted, not a system message.
    bool canEdit(const QModelIndex &index) const;
    // Own or (for an admin) anyone's; not deleted, not a system message, not a
    // failed send (that one has Discard).
    bool canDelete(const QModelIndex &index) const;

    bool isEditing() const { return !m_clientMsgId.isEmpty() || !m_messageId.isEmpty(); }
    QString editingMessageId() const { return m_messageId; }
    // While editing: the new message's draft, set aside until the edit ends.
    QString draftAside() const { return m_savedDraft; }

    // Puts the message's current text into the composer for editing.
    void beginEdit(const QString &channelId, const QModelIndex &index);
    // Up in an empty composer: edit the newest own message of `model`; false if none.
    bool editLast(const QString &channelId, const QAbstractItemModel *model);
    // Sends the composer's text as the edit (Enter) and leaves editing.
    void saveEdit();
    // Leaves editing and puts the draft back (Esc, Cancel, channel switch).
    void cancelEdit();
    // Asks "Delete this message?" (Cancel is the default) and deletes on yes.
    void confirmDelete(const QString &channelId, const QModelIndex &index);

    // The message was deleted (here, elsewhere, or by an admin): stop editing it.
    // What was typed into the edit is kept as the draft.
    void onMessageDeleted(const QString &channelId, const QString &messageId);
    // Text that could not be saved (an edit the server refused for good) goes
    // back where the person writes: after the composer's draft, or after the
    // draft set aside while another edit is open. Nothing is lost or sent.
    void keepUnsaved(const QString &text);
    // `draft` with `kept` after it, on a line of its own.
    static QString withKept(const QString &draft, const QString &kept);

Q_SIGNALS:
    // Something to tell the person in the status bar.
    void notice(const QString &text);
    void editingChanged(bool editing);

private:
    // Leaves editing; the draft set aside comes back, with `kept` after it.
    void endEdit(const QString &kept = {});

    ChatSession *m_session;
    Composer *m_composer;
    EditBar *m_editBar;
    QPointer<QWidget> m_dialogParent;
    QString m_channelId;
    QString m_messageId;
    QString m_clientMsgId;
    QString m_originalText;
    QString m_savedDraft;
};

} // namespace Natter
