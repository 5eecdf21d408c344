// The message composer: Enter sends, Shift+Enter starts a new line. It also
// edits: Up in an empty composer asks to edit the last own message, and while
// editing, Enter saves and Esc cancels (MessageActions runs the edit).
#pragma once

#include <QPlainTextEdit>

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

Q_SIGNALS:
    // Enter was pressed (without Shift) on a non-empty draft: send, or save the edit.
    void submitted();
    // Up was pressed in an empty composer: edit the last own message.
    void editLastRequested();
    // Esc while editing.
    void editCancelRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void updateTexts();

    bool m_editing = false;
};

} // namespace Natter
