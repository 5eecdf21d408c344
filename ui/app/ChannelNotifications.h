// Turns ChatSession's notifiable messages into one desktop notification per
// channel: the first message shows "Alice in #random", more replace it with the
// count and the latest lines; a deleted message leaves it (§7), and once the
// channel is read (here or on another device) or left, it is closed. A click on
// it asks for the channel to be opened. Honours the "notifications on/off"
// setting and whether message text may be shown. Created by DesktopController
// next to the DesktopNotifier it drives; owns neither.
#pragma once

#include "protocol/Types.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace Natter {

class ChatSession;
class DesktopNotifier;

class ChannelNotifications : public QObject
{
    Q_OBJECT
public:
    ChannelNotifications(ChatSession *session, DesktopNotifier *notifier,
                         QObject *parent = nullptr);

    // Off: nothing new is shown (what is on screen is closed).
    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    // Off: notifications say who wrote where, never what.
    void setShowText(bool show);
    // The messages the channel's notification currently stands for (ids, oldest first).
    QStringList shownMessages(const QString &channelId) const;

Q_SIGNALS:
    // The person clicked the notification of `channelId`.
    void openRequested(const QString &channelId);

private:
    struct Entry
    {
        QString messageId;
        QString author; // display name
        QString text;
    };
    void onNotifiable(const Message &message, const QString &channelName);
    void onDeleted(const QString &channelId, const QString &messageId);
    // Unread counts changed: a channel read to the end needs no notification.
    void closeReadChannels();
    void refresh(const QString &channelId);
    void close(const QString &channelId);

    ChatSession *m_session;
    DesktopNotifier *m_notifier;
    QHash<QString, QList<Entry>> m_groups; // channel id -> what its notification shows
    QHash<QString, QString> m_names; // channel id -> its name as shown
    bool m_enabled = true;
    bool m_showText = true;
};

} // namespace Natter
