#include "hub/PresenceService.h"

#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/Fanout.h"
#include "hub/MembershipCache.h"
#include "hub/ServerCodec.h"
#include "hub/SharedPresence.h"
#include "store/ChatStore.h"

#include <QPointer>

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

void PresenceService::connectionOpened(const QString &user, const QString &connection, Opened then)
{
    const auto changed = m_presence.connectionOpened(user, connection);
    m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    if (m_shared) {
        // The cluster decides whether this is a transition and tells every
        // node, this one included (sharedTransition).
        m_shared->connectionOpened(user, connection,
                                   [then = std::move(then)] { then(std::nullopt); });
        return;
    }
    then(changed);
}

void PresenceService::setShared(SharedPresence *shared)
{
    m_shared = shared;
    m_shared->setHandlers([this](const QString &user, PresenceTracker::Status status,
                                 const QDateTime &seen,
                                 bool own) { sharedTransition(user, status, seen, own); },
                          [this](const QStringList &users, const QByteArray &frame) {
                              m_fanout->nodeLocal()->toUsers(users, other(frame));
                          });
}

void PresenceService::sharedTransition(const QString &user, PresenceTracker::Status status,
                                       const QDateTime &seen, bool own)
{
    if (seen.isValid())
        m_lastSeen[user] = seen;
    // The node that made the change keeps last_seen in the store (once, not
    // once per node); every node tells its own sockets.
    const bool store = own && status != PresenceTracker::Status::Online && seen.isValid();
    tellContacts(user, status, store ? seen : QDateTime(), true);
}

void PresenceService::tellContacts(const QString &user, PresenceTracker::Status status,
                                   const QDateTime &lastSeenToStore, bool nodeLocal)
{
    // Issue 16: the last_seen write and the contacts read run as one store
    // job (off the event loop on PostgreSQL); the frame goes in its
    // continuation, so a user's presence frames keep their order.
    const QDateTime known = m_lastSeen.value(user);
    struct Found
    {
        StoreResult<QStringList> contacts;
        QDateTime stored; // when this node knew no last_seen
    };
    QPointer<PresenceService> self(this);
    m_store->run(
        [user, known, write = lastSeenToStore](ChatStore &s) {
            if (write.isValid())
                s.setLastSeen(user, write);
            Found found{s.contactsOf(user), {}};
            if (!known.isValid()) {
                if (const auto u = s.userById(user))
                    found.stored = u->lastSeen;
            }
            return found;
        },
        [self, user, status, nodeLocal](Found found) {
            if (!self)
                return;
            if (!found.contacts) {
                // Nobody to tell is not the answer, and telling everyone would
                // leak presence to strangers. Presence is a live hint that the
                // user's next change (or a reconnect's `connected`) corrects,
                // so this one is lost and logged.
                qCWarning(lcServerWs).noquote().nospace()
                    << "event=presence_not_sent reason=storage_failed user=" << user;
                return;
            }
            const LiveFrame frame = other(ServerCodec::presenceFrame(
                user, PresenceTracker::toString(status), self->lastSeen(user, found.stored)));
            if (nodeLocal)
                self->m_fanout->nodeLocal()->toUsers(*found.contacts, frame);
            else
                self->m_fanout->toUsers(*found.contacts, frame);
        });
}

PresenceTracker::Status PresenceService::currentStatus(const QString &user) const
{
    const PresenceTracker::Status local = m_presence.status(user);
    if (!m_shared)
        return local;
    // This node's own connections count at once (the cluster hears of them a
    // moment later); everyone else's as the cluster last said.
    const PresenceTracker::Status shared = m_shared->status(user);
    if (local == PresenceTracker::Status::Online || shared == PresenceTracker::Status::Online)
        return PresenceTracker::Status::Online;
    if (local == PresenceTracker::Status::Away || shared == PresenceTracker::Status::Away)
        return PresenceTracker::Status::Away;
    return PresenceTracker::Status::Offline;
}

void PresenceService::sendTyping(const QString &channel, const QString &user,
                                 const QStringList &recipients, qint64 expiresInMs,
                                 const QByteArray &frame)
{
    if (!m_shared) {
        m_fanout->toUsers(recipients, other(frame));
        return;
    }
    m_fanout->nodeLocal()->toUsers(recipients, other(frame));
    m_shared->relayTyping(channel, user, recipients, expiresInMs, frame);
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
    if (m_shared)
        m_shared->connectionClosed(user, connection);
}

QJsonObject PresenceService::userWithPresence(const StoredUser &user)
{
    return ServerCodec::userWithPresence(user, PresenceTracker::toString(currentStatus(user.id)),
                                         lastSeen(user.id, user.lastSeen));
}

QJsonArray PresenceService::usersWithPresence(const QList<StoredUser> &users)
{
    QJsonArray result;
    for (const StoredUser &u : users)
        result.append(userWithPresence(u));
    return result;
}

void PresenceService::typingStarted(ClientConnection *connection, const QString &channel)
{
    m_typing.start(channel, connection->userId(), connection->id(), m_clock.elapsed());
    scheduleTimers();
    QStringList others = m_members->members(channel);
    others.removeAll(connection->userId()); // not to the typist's own devices
    sendTyping(channel, connection->userId(), others, m_typingExpiryMs,
               ServerCodec::typingStartFrame(channel, connection->userId(), m_typingExpiryMs));
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
    sendTyping(channel, user, others, 0, ServerCodec::typingStopFrame(channel, user));
}

void PresenceService::presenceChanged(ClientConnection *connection, PresenceTracker::Status status)
{
    const QString user = connection->userId();
    const bool wasOnline = m_presence.status(user) == PresenceTracker::Status::Online;
    const auto changed = m_presence.setStatus(user, connection->id(), status);
    if (wasOnline || status == PresenceTracker::Status::Online)
        m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    if (m_shared) {
        m_shared->statusChanged(user, connection->id(), status);
        return;
    }
    if (changed)
        announce(user, *changed);
}

QDateTime PresenceService::lastSeen(const QString &user, const QDateTime &stored)
{
    if (m_shared) {
        // Another node may have seen the user more recently than this one.
        const QDateTime shared = m_shared->lastSeen(user);
        if (shared.isValid() && shared > m_lastSeen.value(user))
            m_lastSeen[user] = shared;
    }
    auto it = m_lastSeen.constFind(user);
    if (it != m_lastSeen.cend() && it->isValid())
        return *it;
    if (stored.isValid())
        m_lastSeen.insert(user, stored);
    return stored;
}

void PresenceService::announce(const QString &user, PresenceTracker::Status status)
{
    const QDateTime seen = lastSeen(user);
    const bool store = status != PresenceTracker::Status::Online && seen.isValid();
    tellContacts(user, status, store ? seen : QDateTime(), false);
}

void PresenceService::expireTimers()
{
    const qint64 now = m_clock.elapsed();
    for (const auto &entry : m_typing.takeExpired(now))
        sendTypingStop(entry.channel, entry.user);
    for (const QString &user : m_presence.takeExpired(now)) {
        // Several nodes: the cluster's grace decides (the user may be online
        // on another node); this node's own view just forgets the user.
        if (!m_shared)
            announce(user, PresenceTracker::Status::Offline);
    }
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
