// The "Notifications" submenu of a channel: All messages / Only mentions /
// Nothing, the current §8 level checked. Choosing one asks the server through
// ChatSession::setNotifyLevel; the check follows the server's answer (and
// changes made on another device) the next time the menu opens. Used by
// ChatWindow in the channel list's context menu and in the menu bar (for the open
// channel); owned by the menu it sits in.
#pragma once

#include <QMenu>

class QActionGroup;

namespace Natter {

class ChatSession;

class NotifyLevelMenu : public QMenu
{
    Q_OBJECT
public:
    // `channelId` empty: acts on `session->activeChannel()` at the time it opens.
    NotifyLevelMenu(ChatSession *session, const QString &channelId, QWidget *parent = nullptr);

    QAction *allAction() const { return m_all; }
    QAction *mentionsAction() const { return m_mentions; }
    QAction *nothingAction() const { return m_nothing; }
    // Checks the channel's current level and enables the entries when there is a channel.
    void refresh();

private:
    QString target() const;

    ChatSession *m_session;
    QString m_channelId;
    QAction *m_all;
    QAction *m_mentions;
    QAction *m_nothing;
};

} // namespace Natter
