// The context menu of the channel list: the channel's notification level (§8
// notify), Invite people… and Leave channel. Opens with the mouse (right click
// on a row) and from the keyboard on the current row (the Menu key, Shift+F10),
// so every channel action has a keyboard path without opening the channel.
// Owned by ChatWindow; the actions themselves are ChannelActions'.
#pragma once

#include <QObject>
#include <QPointer>

class QListView;
class QMenu;
class QPoint;

namespace Natter {

class ChannelActions;
class ChatSession;

class ChannelListMenu : public QObject
{
    Q_OBJECT
public:
    ChannelListMenu(ChatSession *session, ChannelActions *actions, QListView *view,
                    QObject *parent = nullptr);

    // The menu while it is open (else null), for tests and assistive technology.
    QMenu *openMenu() const { return m_open; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // `pos` in the view's viewport; null: at the current row (keyboard).
    void show(const QPoint *pos);

    ChatSession *m_session;
    ChannelActions *m_actions;
    QListView *m_view;
    QPointer<QMenu> m_open;
};

} // namespace Natter
