// The small toolbar over a message (issue 13): Add reaction, Reply, and for
// one's own messages Edit and Delete. It shows over the message under the mouse
// and over the current message while the view has the keyboard focus, so the
// same actions are in sight for both; the keys are those of the context menu
// (R reply, E edit, Delete, and "+" for a reaction, handled here). Screen
// readers hear it appear (QAccessible::ObjectShow) with a name that says whose
// message it acts on. A child of the message view's viewport, owned by it;
// ChatWindow decides what each action does and which are allowed.
#pragma once

#include <QFrame>
#include <QPersistentModelIndex>

#include <functional>

class QAbstractItemModel;
class QListView;
class QToolButton;

namespace Natter {

class MessageToolbar : public QFrame
{
    Q_OBJECT
public:
    using Check = std::function<bool(const QModelIndex &)>;

    explicit MessageToolbar(QListView *view);

    // Which actions the message at an index allows (ChatWindow's rules, §7).
    void setChecks(Check canReact, Check canReply, Check canEdit, Check canDelete);
    // Keeps up with the view's model (rows come and go, messages change).
    void watchModel(QAbstractItemModel *model);

    // The message the toolbar acts on (invalid while hidden).
    QModelIndex target() const { return m_target; }
    QToolButton *reactButton() const { return m_react; }
    QToolButton *replyButton() const { return m_reply; }
    QToolButton *editButton() const { return m_edit; }
    QToolButton *deleteButton() const { return m_delete; }

    // Shows the toolbar over the message at `index` (hides it for an invalid one).
    void showFor(const QModelIndex &index);

Q_SIGNALS:
    void reactRequested(const QModelIndex &index);
    void replyRequested(const QModelIndex &index);
    void editRequested(const QModelIndex &index);
    void deleteRequested(const QModelIndex &index);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QToolButton *addButton(const QString &glyph, const QString &name, const QString &shortcut);
    void refresh();
    void place();

    QListView *m_view;
    QPersistentModelIndex m_target;
    Check m_canReact;
    Check m_canReply;
    Check m_canEdit;
    Check m_canDelete;
    QToolButton *m_react = nullptr;
    QToolButton *m_reply = nullptr;
    QToolButton *m_edit = nullptr;
    QToolButton *m_delete = nullptr;
};

} // namespace Natter
