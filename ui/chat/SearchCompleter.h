// The completion list under the search field: when the word at the cursor
// starts with `from:` it offers the people the session knows (username and
// display name), with `in:` the person's channels by name (§10 filters). Up and
// Down move in it, Enter or Tab put `from:bob ` / `in:general ` in place of the
// word, Esc closes it; it never starts a search itself (the panel treats an
// insertion as typing). A list inside the panel rather than a popup window, so
// the focus never leaves the field. Owned by SearchPanel, which forwards the
// field's keys to handleKey().
#pragma once

#include <QListWidget>

#include <utility>

class QKeyEvent;
class QLineEdit;

namespace Natter {

class ChatSession;

class SearchCompleter : public QListWidget
{
    Q_OBJECT
public:
    SearchCompleter(ChatSession *session, QLineEdit *field, QWidget *parent = nullptr);

    // Offers what fits the word at the field's cursor, or hides when nothing does.
    void refresh();
    // A key pressed in the field; true when the completion used it.
    bool handleKey(QKeyEvent *event);
    // Puts row `row`'s completion in place of the word at the cursor.
    void accept(int row);
    // The text row `row` inserts (`from:bob `, `in:general `).
    QString insertionAt(int row) const;

    // The filter value as §10 reads it: quoted when it holds anything but
    // letters, digits, `_`, `-` and `.` (a space would end the word).
    static QString quoted(const QString &value);

Q_SIGNALS:
    // The field's text changed through a completion.
    void inserted();

private:
    // [start, end) of the word around the cursor.
    std::pair<int, int> wordAtCursor() const;

    ChatSession *m_session;
    QLineEdit *m_field;
    int m_maxRows = 8;
};

} // namespace Natter
