// Where unread messages start in the open channel: a "New messages" line above
// the first message that was unread when the channel was opened, and a "Jump to
// first unread" button over the message view while that message is scrolled out
// of sight above. The line stays until another channel opens, even though the
// messages count as read once seen. Lives on the message view (a child of its
// viewport, so the delegate needs no knowledge of it); owned by ChatWindow.
#pragma once

#include <QObject>
#include <QPersistentModelIndex>
#include <QPointer>

class QAbstractItemModel;
class QFrame;
class QLabel;
class QListView;
class QPushButton;

namespace Natter {

class UnreadMarker : public QObject
{
    Q_OBJECT
public:
    explicit UnreadMarker(QListView *view);

    // A channel was opened whose read marker stood at `lastReadSeq` with `unread`
    // messages after it (0: nothing unread, no line). `selfId`'s own messages
    // never start the unread part.
    void begin(qint64 lastReadSeq, int unread, const QString &selfId);
    void clear();

    // The row the line stands above (invalid: none).
    QModelIndex firstUnread() const;
    QWidget *line() const;
    QPushButton *jumpButton() const { return m_jump; }
    // Scrolls the first unread message into view at the top and focuses it.
    // False when there is none.
    bool jump();

Q_SIGNALS:
    // The person jumped (button or action): the view no longer sticks to the bottom.
    void jumped();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void locate();
    void place();

    QListView *m_view;
    QFrame *m_line;
    QLabel *m_label;
    QPushButton *m_jump;
    QPersistentModelIndex m_row;
    QPointer<QAbstractItemModel> m_model;
    qint64 m_lastReadSeq = -1; // -1: no unread part
    QString m_selfId;
};

} // namespace Natter
