// Under the channel's name: its topic (§8), and for an archived channel a banner
// saying it is read-only, with the composer disabled meanwhile. Follows the
// channel list model, so a topic change or an archive from anyone shows at once.
// Owned by ChatWindow, which tells it the open channel.
#pragma once

#include <QWidget>

class QLabel;

namespace Natter {

class ChatSession;

class ChannelInfoBar : public QWidget
{
    Q_OBJECT
public:
    // `composer` is disabled while the open channel is archived (not owned).
    ChannelInfoBar(ChatSession *session, QWidget *composer, QWidget *parent = nullptr);

    void setChannel(const QString &channelId);
    QString topicText() const;
    bool bannerShown() const;
    QLabel *banner() const { return m_banner; }

private:
    void update();

    ChatSession *m_session;
    QWidget *m_composer;
    QLabel *m_topic;
    QLabel *m_banner;
    QString m_channel;
};

} // namespace Natter
