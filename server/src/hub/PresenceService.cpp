#include "hub/PresenceService.h"

#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/Fanout.h"
#include "hub/MembershipCache.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <algorithm>

namespace Natter::Server {

namespace {
LiveFrame other(const QByteArray &frame)
{
    return LiveFrame{LiveFrame::Kind::Other, {}, 0, frame};
}
} // namespace

PresenceService::PresenceService(ChatStore *store, Fanout *fanout, const MembershipCache *members,
                                 qint64 presenceGraceMs, qint64 typingExpiryMs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_fanout(fanout)
    , m_members(members)
    , m_typingExpiryMs(typingExpiryMs)
    , m_presence(presenceGraceMs)
    , m_typing(typingExpiryMs)
{
    m_clock.start();
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &PresenceService::expireTimers);
}

std::optional<PresenceTracker::Status> PresenceService::connectionOpened(const QString &user,
                                                                         const QString &connection)
{
    const auto changed = m_presence.connectionOpened(user, connection);
    m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    return changed;
}

void PresenceService::connectionClosed(const QString &user, const QString &connection)
{
    // Only the connection that sent `start` ends the typing state (contract §5).
    for (const auto &entry : m_typing.connectionClosed(connection))
        sendTypingStop(entry.channel, entry.user);
    if (m_presence.status(user) == PresenceTracker::Status::Online)
        m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    m_presence.connectionClosed(user, connection, m_clock.elapsed());
    scheduleTimers();
}

QJsonObject PresenceService::userWithPresence(const StoredUser &user)
{
    return ServerCodec::userWithPresence(
        user, PresenceTracker::toString(m_presence.status(user.id)), lastSeen(user.id));
}

QJsonArray PresenceService::usersWithPresence(const QStringList &ids)
{
    QJsonArray result;
    for (const QString &id : ids) {
        if (const auto u = m_store->userById(id))
            result.append(userWithPresence(*u));
    }
    return result;
}

void PresenceService::typingStarted(ClientConnection *connection, const QString &channel)
{
    m_typing.start(channel, connection->userId(), connection->id(), m_clock.elapsed());
    scheduleTimers();
    QStringList others = m_members->members(channel);
    others.removeAll(connection->userId()); // not to the typist's own devices
    m_fanout->toUsers(
        others,
        other(ServerCodec::typingStartFrame(channel, connection->userId(), m_typingExpiryMs)));
}

void PresenceService::typingStopped(const QString &channel, const QString &user)
{
    if (m_typing.stop(channel, user))
        sendTypingStop(channel, user);
}

void PresenceService::sendTypingStop(const QString &channel, const QString &user)
{
    QStringList others = m_members->members(channel);
    others.removeAll(user);
    m_fanout->toUsers(others, other(ServerCodec::typingStopFrame(channel, user)));
}

void PresenceService::presenceChanged(ClientConnection *connection, PresenceTracker::Status status)
{
    const QString user = connection->userId();
    const bool wasOnline = m_presence.status(user) == PresenceTracker::Status::Online;
    const auto changed = m_presence.setStatus(user, connection->id(), status);
    if (wasOnline || status == PresenceTracker::Status::Online)
        m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    if (changed)
        announce(user, *changed);
}

QDateTime PresenceService::lastSeen(const QString &user)
{
    auto it = m_lastSeen.constFind(user);
    if (it != m_lastSeen.cend())
        return *it;
    const auto stored = m_store->userById(user);
    const QDateTime seen = stored ? stored->lastSeen : QDateTime();
    m_lastSeen.insert(user, seen);
    return seen;
}

void PresenceService::announce(const QString &user, PresenceTracker::Status status)
{
    const QDateTime seen = lastSeen(user);
    if (status != PresenceTracker::Status::Online && seen.isValid())
        m_store->setLastSeen(user, seen);
    const auto contacts = m_store->contactsOf(user);
    if (!contacts) {
        // Nobody to tell is not the answer, and telling everyone would leak
        // presence to strangers. Presence is a live hint that the user's next
        // change (or a reconnect's `connected`) corrects, so this one is lost
        // and logged.
        qCWarning(lcServerWs).noquote().nospace()
            << "event=presence_not_sent reason=storage_failed user=" << user;
        return;
    }
    m_fanout->toUsers(
        *contacts,
        other(ServerCodec::presenceFrame(user, PresenceTracker::toString(status), seen)));
}

void PresenceService::expireTimers()
{
    const qint64 now = m_clock.elapsed();
    for (const auto &entry : m_typing.takeExpired(now))
        sendTypingStop(entry.channel, entry.user);
    for (const QString &user : m_presence.takeExpired(now))
        announce(user, PresenceTracker::Status::Offline);
    scheduleTimers();
}

void PresenceService::scheduleTimers()
{
    qint64 next = m_typing.nextDeadline();
    const qint64 presence = m_presence.nextDeadline();
    if (next < 0 || (presence >= 0 && presence < next))
        next = presence;
    if (next < 0) {
        m_expiryTimer.stop();
        return;
    }
    m_expiryTimer.start(int(std::clamp<qint64>(next - m_clock.elapsed(), 0, 24LL * 3600 * 1000)));
}

} // namespace Natter::Server
