#include "Composer.h"

#include <QAbstractItemView>
#include <QAccessible>
#include <QCompleter>
#include <QKeyEvent>
#include <QMimeData>
#include <QTextBlock>

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

void Composer::setMentionCandidates(QAbstractItemModel *people, int usernameRole)
{
    delete m_completer;
    m_completer = new QCompleter(people, this);
    m_completer->setCompletionRole(usernameRole);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(this);
    m_completer->popup()->setAccessibleName(tr("People to mention"));
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &Composer::insertMention);
}

QString Composer::mentionPrefix() const
{
    const QTextCursor c = textCursor();
    const QString before = c.block().text().left(c.positionInBlock());
    const qsizetype at = before.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return {};
    auto nameChar = [](QChar ch) {
        return (ch.unicode() < 128 && ch.isLetterOrNumber()) || ch == u'.' || ch == u'_'
            || ch == u'-';
    };
    // §13: `@` starts a mention only after a character that is no letter, digit, . _ -.
    if (at > 0 && (nameChar(before.at(at - 1)) || before.at(at - 1).isLetterOrNumber()))
        return {};
    const QString name = before.mid(at + 1);
    for (const QChar ch : name) {
        if (!nameChar(ch))
            return {};
    }
    return QLatin1Char('@') + name;
}

void Composer::updateMentionPopup()
{
    if (!m_completer)
        return;
    const QString prefix = mentionPrefix();
    if (prefix.size() < 2) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(prefix.mid(1));
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect r = cursorRect();
    r.setWidth(qMax(200, m_completer->popup()->sizeHintForColumn(0) + 24));
    m_completer->complete(r);
}

void Composer::insertMention(const QString &username)
{
    QTextCursor c = textCursor();
    c.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(mentionPrefix().size()));
    c.insertText(QLatin1Char('@') + username + QLatin1Char(' '));
    setTextCursor(c);
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

namespace {
QStringList localFiles(const QMimeData *source)
{
    QStringList paths;
    for (const QUrl &url : source->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}
} // namespace

bool Composer::canInsertFromMimeData(const QMimeData *source) const
{
    return source->hasImage() || !localFiles(source).isEmpty()
        || QPlainTextEdit::canInsertFromMimeData(source);
}

void Composer::insertFromMimeData(const QMimeData *source)
{
    // Files first (a file manager's copy also carries their paths as text);
    // an image only when there is no text with it (a spreadsheet's copy
    // carries a picture of the cells, but the person means the text).
    if (const QStringList files = localFiles(source); !files.isEmpty()) {
        Q_EMIT filesPasted(files);
        return;
    }
    if (source->hasImage() && !source->hasText()) {
        Q_EMIT imagePasted(qvariant_cast<QImage>(source->imageData()));
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

void Composer::keyPressEvent(QKeyEvent *event)
{
    if (m_completer && m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer's popup takes these
            return;
        default:
            break;
        }
    }
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        if (!toPlainText().trimmed().isEmpty() || (m_hasAttachments && !m_editing))
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
    updateMentionPopup();
}

} // namespace Natter
