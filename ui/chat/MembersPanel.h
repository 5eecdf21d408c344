// The members of the open channel, as a dock beside the conversation: a
// presence dot, the name, and when someone offline was last seen. Enter (or
// "Message" in the context menu: right click, the Menu key, Shift+F10) opens
// the direct conversation with that person.
// Owned by ChatWindow (through ChannelActions, which shows and hides it).
#pragma once

#include <QDockWidget>

class QListWidget;

namespace Natter {

class ChatSession;

class MembersPanel : public QDockWidget
{
    Q_OBJECT
public:
    MembersPanel(ChatSession *session, QWidget *parent = nullptr);

    void setChannel(const QString &channelId);
    QListWidget *list() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void showMenu(const QPoint &pos);

    ChatSession *m_session;
    QListWidget *m_list;
    QString m_channel;
};

} // namespace Natter
