#include "Composer.h"

#include <QKeyEvent>

namespace Natter {

Composer::Composer(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setAccessibleName(tr("Message"));
    setAccessibleDescription(tr("Type a message. Enter sends it, Shift+Enter starts a new line."));
    const int lines = 3;
    setMaximumHeight(fontMetrics().lineSpacing() * lines + 2 * frameWidth() + 12);
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
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace Natter
