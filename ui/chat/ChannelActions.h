// The "Conversations" menu of the main window and what its entries do (§8):
// New direct message…, Create channel…, Browse channels…, Invite people…, Edit
// channel…, Archive, Leave, and the members panel's toggle. Also the "Message"
// entry for a person wherever a name is shown. Owned by ChatWindow, which tells
// it the open channel; it opens its dialogs and asks ChatSession.
#pragma once

#include <QObject>
#include <QSet>

class QAction;
class QMainWindow;
class QMenu;

namespace Natter {

class ChatSession;
class ChannelInfoBar;
class MembersPanel;

class ChannelActions : public QObject
{
    Q_OBJECT
public:
    ChannelActions(ChatSession *session, QMainWindow *window, QWidget *composer,
                   QObject *parent = nullptr);

    // The topic and archived banner, for the window to place under the header.
    ChannelInfoBar *infoBar() const { return m_infoBar; }
    MembersPanel *membersPanel() const { return m_members; }
    // Adds the menu to the window's menu bar (after the window's own menus).
    void installMenu();
    void setChannel(const QString &channelId);
    // Adds "Message NAME" (opens the direct conversation) unless `userId` is us.
    void addMessagePersonAction(QMenu *menu, const QString &userId);
    // Adds "Invite people…" and "Leave channel" for `channelId` (any channel in
    // the list, not only the open one; nothing for a direct conversation). For
    // the channel list's context menu (ChannelListMenu).
    void addChannelActions(QMenu *menu, const QString &channelId);

    void newDirectMessage();
    void createChannel();
    void browseChannels();
    void invitePeople();
    void editChannel();
    void toggleArchived();
    void leaveChannel();

Q_SIGNALS:
    // Plain words for the status bar and screen readers.
    void notice(const QString &text);

private:
    void updateState();
    void inviteTo(const QString &channelId);
    void leave(const QString &channelId);

    ChatSession *m_session;
    QMainWindow *m_window;
    ChannelInfoBar *m_infoBar;
    MembersPanel *m_members;
    QString m_channel;
    QSet<QString> m_leaving; // channels we asked to leave (not removed by someone)
    QAction *m_invite = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_archive = nullptr;
    QAction *m_leave = nullptr;
};

} // namespace Natter
