// ConnectionManager, part 4: the §8 channel actions (create, join, leave,
// invite, update, archive) and `channel_removed`.
#include "ConnectionManager.h"

#include "store/LocalStore.h"
#include "util/Logging.h"

#include <algorithm>

namespace Natter {

void ConnectionManager::sendWhenLive(const QByteArray &frame)
{
    // Like openDirect(): not an outbox entry. A frame asked for before the resume
    // goes out right after it; one lost with a dropped connection is not resent
    // (the person sees no answer and can ask again).
    if (m_state == State::Connected && m_resumedThisConnection)
        queueFrame(frame);
    else
        m_deferred.append(frame);
}

QString ConnectionManager::createChannel(const QString &name, bool isPrivate, const QString &topic,
                                         const QStringList &members)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeChannelCreate(ref, name, isPrivate, topic, members));
    return ref;
}

QString ConnectionManager::joinChannel(const QString &channel)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeJoin(ref, channel));
    return ref;
}

QString ConnectionManager::leaveChannel(const QString &channel)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeLeave(ref, channel));
    return ref;
}

QString ConnectionManager::inviteToChannel(const QString &channel, const QStringList &userIds)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeInvite(ref, channel, userIds));
    return ref;
}

QString ConnectionManager::updateChannel(const QString &channel, const std::optional<QString> &name,
                                         const std::optional<QString> &topic)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeChannelUpdate(ref, channel, name, topic));
    return ref;
}

QString ConnectionManager::archiveChannel(const QString &channel, bool archived)
{
    const QString ref = nextRef();
    sendWhenLive(Codec::encodeArchive(ref, channel, archived));
    return ref;
}

void ConnectionManager::handleChannelRemoved(const ChannelRemovedEvent &event)
{
    qCInfo(lcNet) << "no longer in a channel:" << event.reason;
    QList<Channel> channels = m_store->cachedChannels();
    const auto gone = std::remove_if(channels.begin(), channels.end(),
                                     [&](const Channel &c) { return c.id == event.channel; });
    if (gone != channels.end()) {
        channels.erase(gone, channels.end());
        m_store->cacheChannels(channels);
    }
    Q_EMIT channelRemoved(event);
}

} // namespace Natter
