// ChatSession, the §8 part: channels people create, join, leave, invite to,
// rename, describe and archive, and the directories to find them and people.
#include "ChatSession.h"

#include "util/Logging.h"

namespace Natter {

DirectoryClient *ChatSession::directory()
{
    if (!m_directory)
        m_directory = new DirectoryClient(m_connection->tokenProvider(),
                                          m_connection->options().serverUrl, this);
    return m_directory;
}

void ChatSession::createChannel(const QString &name, bool isPrivate, const QString &topic,
                                const QStringList &memberIds)
{
    const QString ref = m_connection->createChannel(name, isPrivate, topic, memberIds);
    m_openRefs.insert(ref, {});
    m_channelRefs.insert(ref, {});
}

void ChatSession::joinChannel(const QString &channelId)
{
    if (m_channels.contains(channelId)) {
        Q_EMIT channelOpened(channelId); // already in it: nothing to ask
        return;
    }
    const QString ref = m_connection->joinChannel(channelId);
    m_openRefs.insert(ref, channelId);
    m_channelRefs.insert(ref, channelId);
}

void ChatSession::leaveChannel(const QString &channelId)
{
    m_channelRefs.insert(m_connection->leaveChannel(channelId), channelId);
}

void ChatSession::inviteToChannel(const QString &channelId, const QStringList &userIds)
{
    if (userIds.isEmpty())
        return;
    m_channelRefs.insert(m_connection->inviteToChannel(channelId, userIds), channelId);
}

void ChatSession::updateChannel(const QString &channelId, const std::optional<QString> &name,
                                const std::optional<QString> &topic)
{
    if (!name && !topic)
        return;
    m_channelRefs.insert(m_connection->updateChannel(channelId, name, topic), channelId);
}

void ChatSession::archiveChannel(const QString &channelId, bool archived)
{
    m_channelRefs.insert(m_connection->archiveChannel(channelId, archived), channelId);
}

bool ChatSession::canManageChannel(const QString &channelId) const
{
    if (!m_channels.contains(channelId))
        return false;
    const Channel c = m_channels.channel(channelId);
    if (c.kind == ChannelKind::Direct)
        return false;
    return m_self.admin || (!c.owner.isEmpty() && c.owner == m_self.id);
}

void ChatSession::onChannelRemoved(const ChannelRemovedEvent &event)
{
    m_channelRefs.remove(event.ref);
    m_notifyRefs.remove(event.ref);
    if (!m_channels.contains(event.channel))
        return;
    const QString name = m_channels.displayName(event.channel);
    m_channels.removeChannel(event.channel);
    Q_EMIT channelLeft(event.channel, name);
}

void ChatSession::onChannelError(const ErrorEvent &event)
{
    if (!event.ref.isEmpty() && event.ref == m_dmRef) {
        m_dmRef.clear();
        Q_EMIT channelActionFailed(QString(),
                                   event.code == u"not_found"
                                       ? tr("This person is not on this server (any more).")
                                       : channelActionRefusal(event.code));
        return;
    }
    if (event.ref.isEmpty() || !m_channelRefs.contains(event.ref))
        return;
    const QString channelId = m_channelRefs.take(event.ref);
    m_openRefs.remove(event.ref);
    if (m_notifyRefs.remove(event.ref)) {
        //: %1 is a channel name or, for a direct conversation, a person's name;
        //: %2 says why (a sentence)
        Q_EMIT channelActionFailed(
            channelId,
            tr("The notifications of %1 stay as they were. %2")
                .arg(m_channels.displayName(channelId), channelActionRefusal(event.code)));
        return;
    }
    Q_EMIT channelActionFailed(channelId, channelActionRefusal(event.code));
}

QString ChatSession::channelActionRefusal(const QString &code)
{
    if (code == u"name_taken")
        return tr("There is already a channel with this name.");
    if (code == u"bad_request")
        return tr("The server did not accept this (a channel name is 1 to 64 lower-case letters, "
                  "digits, “-” or “_”, starting with a letter or digit).");
    if (code == u"too_large")
        return tr("The topic is too long (at most 250 characters).");
    if (code == u"forbidden")
        return tr("You are not allowed to do this in this channel.");
    if (code == u"archived")
        return tr("This channel is archived: nobody can join it or be invited to it.");
    if (code == u"not_found")
        return tr("This channel does not exist, or is private.");
    if (code == u"not_member")
        return tr("You are not a member of this channel.");
    if (code == u"rate_limited") // natterd's limit, or its storage unable to take it now
        return tr("The server cannot take this right now; please try again in a moment.");
    return tr("The server refused this (%1).").arg(code);
}

} // namespace Natter
