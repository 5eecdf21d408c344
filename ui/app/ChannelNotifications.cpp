#include "ChannelNotifications.h"

#include "DesktopNotifier.h"
#include "session/ChatSession.h"

namespace Natter {

namespace {
constexpr int kLinesShown = 3; // the newest messages a grouped notification lists
constexpr int kTextShown = 200; // characters of one message's text
} // namespace

ChannelNotifications::ChannelNotifications(ChatSession *session, DesktopNotifier *notifier,
                                           QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_notifier(notifier)
{
    connect(m_session, &ChatSession::notifiableMessage, this, &ChannelNotifications::onNotifiable);
    connect(m_session, &ChatSession::messageDeleted, this, &ChannelNotifications::onDeleted);
    ChannelListModel *channels = m_session->channels();
    // Read here or on another device (`read` frames move the marker), or left.
    connect(channels, &QAbstractItemModel::dataChanged, this,
            &ChannelNotifications::closeReadChannels);
    connect(channels, &QAbstractItemModel::modelReset, this,
            &ChannelNotifications::closeReadChannels);
    connect(channels, &QAbstractItemModel::rowsRemoved, this,
            &ChannelNotifications::closeReadChannels);
    connect(m_notifier, &DesktopNotifier::activated, this, [this](const QString &key) {
        if (m_session->channels()->contains(key))
            Q_EMIT openRequested(key);
    });
}

void ChannelNotifications::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled) {
        const QStringList open = m_groups.keys();
        for (const QString &channel : open)
            close(channel);
    }
}

void ChannelNotifications::setShowText(bool show)
{
    m_showText = show;
}

QStringList ChannelNotifications::shownMessages(const QString &channelId) const
{
    QStringList ids;
    for (const Entry &e : m_groups.value(channelId))
        ids.append(e.messageId);
    return ids;
}

void ChannelNotifications::onNotifiable(const Message &message, const QString &channelName)
{
    if (!m_enabled)
        return;
    QList<Entry> &group = m_groups[message.channel];
    // An edit that adds a mention (§7) stands in for the earlier copy.
    group.removeIf([&](const Entry &e) { return e.messageId == message.id; });
    group.append({message.id, m_session->people()->displayName(message.author), message.text});
    m_names.insert(message.channel, channelName);
    refresh(message.channel);
}

void ChannelNotifications::onDeleted(const QString &channelId, const QString &messageId)
{
    auto it = m_groups.find(channelId);
    if (it == m_groups.end())
        return;
    // §7: a deleted message's text must not stay on screen.
    if (it->removeIf([&](const Entry &e) { return e.messageId == messageId; }) == 0)
        return;
    if (it->isEmpty())
        close(channelId);
    else
        refresh(channelId);
}

void ChannelNotifications::closeReadChannels()
{
    const ChannelListModel *channels = m_session->channels();
    const QStringList open = m_groups.keys();
    for (const QString &channel : open) {
        const int row = channels->rowOf(channel);
        if (row < 0 || channels->index(row).data(ChannelListModel::UnreadRole).toInt() == 0)
            close(channel);
    }
}

void ChannelNotifications::refresh(const QString &channelId)
{
    const QList<Entry> &group = m_groups.value(channelId);
    const QString where = m_names.value(channelId);
    QString title;
    QString body;
    if (group.size() == 1) {
        //: A desktop notification's title: %1 wrote in channel %2.
        title = tr("%1 in %2").arg(group.constFirst().author, where);
        body = m_showText ? group.constFirst().text.left(kTextShown) : tr("New message");
    } else {
        //: A desktop notification's title: how many new messages in channel %1.
        title = tr("%n new messages in %1", nullptr, int(group.size())).arg(where);
        QStringList lines;
        for (qsizetype i = qMax<qsizetype>(0, group.size() - kLinesShown); i < group.size(); ++i) {
            const Entry &e = group.at(i);
            //: One line of a grouped notification: author, then the message text.
            lines.append(m_showText ? tr("%1: %2").arg(e.author, e.text.left(kTextShown))
                                    : e.author);
        }
        body = lines.join(QLatin1Char('\n'));
    }
    m_notifier->show(channelId, title, body);
}

void ChannelNotifications::close(const QString &channelId)
{
    if (m_groups.remove(channelId) == 0)
        return;
    m_names.remove(channelId);
    m_notifier->withdraw(channelId);
}

} // namespace Natter
