#include "MessageActions.h"

#include "Composer.h"
#include "EditBar.h"
#include "session/ChatSession.h"

#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTextCursor>
#include <QTextDocument>

namespace Natter {

using Role = MessageListModel::Role;
using Delivery = MessageListModel::DeliveryState;

namespace {
bool isUserMessage(const QModelIndex &index)
{
    return index.isValid() && !index.data(Role::DeletedRole).toBool()
        && index.data(Role::KindRole).toInt() == int(MessageKind::User);
}

// The row of the message with this id (or, while unsent, this client_msg_id).
QModelIndex find(const QAbstractItemModel *model, const QString &id, const QString &clientMsgId)
{
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const QModelIndex idx = model->index(row, 0);
        if ((!id.isEmpty() && idx.data(Role::IdRole).toString() == id)
            || (!clientMsgId.isEmpty()
                && idx.data(Role::ClientMsgIdRole).toString() == clientMsgId))
            return idx;
    }
    return {};
}
} // namespace

MessageActions::MessageActions(ChatSession *session, Composer *composer, EditBar *editBar,
                               QWidget *dialogParent)
    : QObject(dialogParent)
    , m_session(session)
    , m_composer(composer)
    , m_editBar(editBar)
    , m_dialogParent(dialogParent)
{
    m_editBar->hide();
    connect(m_editBar, &EditBar::cancelRequested, this, [this] {
        cancelEdit();
        m_composer->setFocus(Qt::OtherFocusReason);
    });
    connect(m_composer, &Composer::editCancelRequested, this, &MessageActions::cancelEdit);
}

bool MessageActions::canEdit(const QModelIndex &index) const
{
    return isUserMessage(index) && index.data(Role::IsOwnRole).toBool()
        && Delivery(index.data(Role::DeliveryStateRole).toInt()) != Delivery::Failed;
}

bool MessageActions::canDelete(const QModelIndex &index) const
{
    if (!isUserMessage(index)
        || Delivery(index.data(Role::DeliveryStateRole).toInt()) == Delivery::Failed)
        return false;
    // §7: the author, or a server admin.
    return index.data(Role::IsOwnRole).toBool() || m_session->isAdmin();
}

void MessageActions::beginEdit(const QString &channelId, const QModelIndex &index)
{
    if (!canEdit(index))
        return;
    // A send waits for its uploads (the composer is read-only): what the
    // composer holds then is what goes, so no edit may take its place.
    if (m_composer->isReadOnly()) {
        Q_EMIT notice(tr("A message is waiting to be sent; edit once it has gone."));
        return;
    }
    if (!isEditing())
        m_savedDraft = m_composer->toPlainText();
    m_channelId = channelId;
    m_messageId = index.data(Role::IdRole).toString();
    m_clientMsgId = index.data(Role::ClientMsgIdRole).toString();
    // The text as it is now, never an older copy (the research's stale-edit-box bug).
    m_originalText = index.data(Role::TextRole).toString();
    {
        // Not typing a new message: no typing indicator for an edit.
        const QSignalBlocker block(m_composer);
        m_composer->setPlainText(m_originalText);
    }
    m_composer->moveCursor(QTextCursor::End);
    m_composer->setEditing(true);
    m_editBar->show();
    m_composer->setFocus(Qt::OtherFocusReason);
    // Announced by ChatWindow's Announcer ("Editing message — Esc to cancel"):
    // Qt 6.4's AT-SPI bridge drops QAccessible::Alert (tst_ScreenReader).
    Q_EMIT editingChanged(true);
}

bool MessageActions::editLast(const QString &channelId, const QAbstractItemModel *model)
{
    if (!model)
        return false;
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const QModelIndex idx = model->index(row, 0);
        if (canEdit(idx)) {
            beginEdit(channelId, idx);
            return true;
        }
    }
    return false;
}

void MessageActions::saveEdit()
{
    if (!isEditing())
        return;
    const QString text = m_composer->toPlainText();
    if (text.trimmed().isEmpty())
        return;
    // The message may have been confirmed while it was being edited: use its id now.
    const QModelIndex idx = find(m_session->messages(m_channelId), m_messageId, m_clientMsgId);
    if (!idx.isValid() || idx.data(Role::DeletedRole).toBool()) {
        if (text == m_originalText) {
            Q_EMIT notice(tr("The message was deleted, so the change was not saved."));
            endEdit();
        } else {
            Q_EMIT notice(tr("The message was deleted, so the change was not saved. What you "
                             "wrote is kept in the message box."));
            endEdit(text);
        }
        return;
    }
    if (text != m_originalText) {
        m_session->editMessage(m_channelId, idx.data(Role::IdRole).toString(),
                               idx.data(Role::ClientMsgIdRole).toString(), text);
    }
    endEdit(); // and the draft kept aside comes back
}

void MessageActions::cancelEdit()
{
    if (!isEditing())
        return;
    endEdit();
    Q_EMIT notice(tr("Edit cancelled."));
}

void MessageActions::endEdit(const QString &kept)
{
    const QString draft = withKept(m_savedDraft, kept);
    m_channelId.clear();
    m_messageId.clear();
    m_clientMsgId.clear();
    m_originalText.clear();
    m_savedDraft.clear();
    {
        const QSignalBlocker block(m_composer);
        m_composer->setPlainText(draft);
    }
    m_composer->moveCursor(QTextCursor::End);
    m_composer->setEditing(false);
    m_editBar->hide();
    Q_EMIT editingChanged(false);
}

void MessageActions::confirmDelete(const QString &channelId, const QModelIndex &index)
{
    if (!canDelete(index))
        return;
    const QString id = index.data(Role::IdRole).toString();
    const QString clientMsgId = index.data(Role::ClientMsgIdRole).toString();
    const bool own = index.data(Role::IsOwnRole).toBool();
    QMessageBox box(QMessageBox::Warning, tr("Delete message"),
                    own ? tr("Delete this message for everyone? This cannot be undone.")
                        //: %1 is the author of the message an admin is about to delete.
                        : tr("Delete this message by %1 for everyone? This cannot be undone.")
                              .arg(index.data(Role::AuthorNameRole).toString()),
                    QMessageBox::Cancel, m_dialogParent);
    QPushButton *remove = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.setEscapeButton(QMessageBox::Cancel);
    box.setInformativeText(index.data(Role::TextRole).toString().left(200));
    box.exec();
    if (box.clickedButton() != remove)
        return;
    if (isEditing()
        && ((!id.isEmpty() && id == m_messageId)
            || (!clientMsgId.isEmpty() && clientMsgId == m_clientMsgId)))
        endEdit();
    m_session->deleteMessage(channelId, id, clientMsgId);
}

void MessageActions::onMessageDeleted(const QString &channelId, const QString &messageId)
{
    if (!isEditing() || channelId != m_channelId || messageId != m_messageId)
        return;
    const QString typed = m_composer->toPlainText();
    if (typed.trimmed().isEmpty() || typed == m_originalText) {
        endEdit();
        Q_EMIT notice(tr("The message you were editing was deleted."));
        return;
    }
    endEdit(typed);
    Q_EMIT notice(tr("The message you were editing was deleted. What you wrote is kept in the "
                     "message box."));
}

void MessageActions::keepUnsaved(const QString &text)
{
    if (isEditing()) {
        m_savedDraft = withKept(m_savedDraft, text);
        return;
    }
    // Added at the end, not set: the composer keeps its undo history and cursor.
    // No typing indicator for it: the person did not type it now.
    const QSignalBlocker block(m_composer);
    QTextCursor end(m_composer->document());
    end.movePosition(QTextCursor::End);
    end.insertText(m_composer->document()->isEmpty() ? text : u'\n' + text);
}

QString MessageActions::withKept(const QString &draft, const QString &kept)
{
    if (kept.isEmpty())
        return draft;
    return draft.isEmpty() ? kept : draft + u'\n' + kept;
}

} // namespace Natter
