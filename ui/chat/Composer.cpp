#include "Composer.h"

#include <QAccessible>
#include <QKeyEvent>

namespace Natter {

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setAccessibleName(tr("Message"));
    updateTexts();
    const int lines = 3;
    setMaximumHeight(fontMetrics().lineSpacing() * lines + 2 * frameWidth() + 12);
}

void Composer::setEditing(bool editing)
{
    if (editing == m_editing)
        return;
    m_editing = editing;
    updateTexts();
    QAccessibleEvent ev(this, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&ev);
}

void Composer::updateTexts()
{
    if (m_editing) {
        setPlaceholderText(tr("Edit the message… (Enter saves, Esc cancels)"));
        setAccessibleDescription(
            tr("Editing a message you sent. Enter saves the change, Esc cancels it."));
    } else {
        setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
        setAccessibleDescription(tr("Type a message. Enter sends it, Shift+Enter starts a new "
                                    "line, Up in an empty box edits your last message."));
    }
}

bool Composer::event(QEvent *event)
{
    // Esc is the window's "jump to newest" shortcut; while editing it cancels the edit.
    if (event->type() == QEvent::ShortcutOverride && m_editing
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    return QPlainTextEdit::event(event);
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        if (!toPlainText().trimmed().isEmpty())
            Q_EMIT submitted();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && m_editing) {
        Q_EMIT editCancelRequested();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier && !m_editing
        && document()->isEmpty()) {
        Q_EMIT editLastRequested();
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace Natter
