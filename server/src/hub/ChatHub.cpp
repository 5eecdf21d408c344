#include "hub/ChatHub.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "auth/AuthService.h"
#include "hub/ChatFrameHandler.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <algorithm>
#include <iterator>

namespace Natter::Server {

namespace {
constexpr int kResumeLimit = 500; // newest messages replayed per channel
}

ChatHub::ChatHub(ChatStore *store, AuthService *auth, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_settings(settings)
    , m_fanout(&m_sessions, &m_members)
    , m_frames(new ChatFrameHandler(store, &m_fanout, this,
                                    ChatFrameHandler::Settings{settings.editWindowMs}, this))
    , m_presence(settings.presenceGraceMs)
    , m_typing(settings.typingExpiryMs)
{
    // The stamp first: a commit landing between the two reads is seen as a change.
    m_changeStamp = store->externalChangeStamp();
    if (const auto memberships = store->allMemberships())
        m_members.reload(*memberships);
    else
        m_changeStamp = 0; // unknown: the first check reads everything again
    m_clock.start();
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &ChatHub::expireTimers);
    connect(auth, &AuthService::familyRevoked, this, &ChatHub::closeFamily);
    connect(&m_adminWatch, &QTimer::timeout, this, &ChatHub::checkExternalChanges);
    m_adminWatch.start(1000);
}

void ChatHub::checkExternalChanges()
{
    const qint64 stamp = m_store->externalChangeStamp();
    if (stamp == m_changeStamp || stamp == 0)
        return;
    // A failed read must not look like "nobody is in any channel" (which would
    // tell everyone they left everything): keep what we have, try again later.
    const auto memberships = m_store->allMemberships();
    const auto disabled = m_store->disabledUserIds();
    if (!memberships || !disabled) {
        qCWarning(lcServerWs).noquote() << "event=external_change_unreadable";
        return;
    }
    m_changeStamp = stamp;
    // `natterd channel add/join/leave` may have run: tell those concerned.
    for (const MembershipCache::Change &change : m_members.reload(*memberships))
        announceMembership(change);
    // `natterd user disable`: close their sockets.
    for (const QString &user : *disabled)
        m_fanout.closeUser(user, 4401, QStringLiteral("account disabled"));
}

void ChatHub::announceMembership(const MembershipCache::Change &change)
{
    // Each user whose channel list changed, and each member whose channel's
    // member list changed, gets the channel as they now see it. A user no longer
    // in `members` has left it; `users` introduces people the receiver may not
    // know yet (everyone to a newcomer, the newcomers to the others).
    QStringList joined;
    QStringList left;
    std::set_difference(change.after.cbegin(), change.after.cend(), change.before.cbegin(),
                        change.before.cend(), std::back_inserter(joined));
    std::set_difference(change.before.cbegin(), change.before.cend(), change.after.cbegin(),
                        change.after.cend(), std::back_inserter(left));
    qCInfo(lcServerWs).noquote().nospace()
        << "event=membership_changed channel=" << change.channel << " joined=" << joined.size()
        << " left=" << left.size();
    std::optional<StoredChannel> channel = m_store->channelById(change.channel);
    if (!channel)
        return;
    // joined and left are sorted (set differences of sorted lists).
    const auto in = [](const QStringList &sorted, const QString &user) {
        return std::binary_search(sorted.cbegin(), sorted.cend(), user);
    };
    enum Role { Newcomer, Member, Gone };
    // A channel with thousands of members: encode each distinct frame once
    // (they differ only by the receiver's role and read marker).
    QHash<QPair<int, qint64>, QString> encoded;
    std::optional<QJsonArray> everyone;
    std::optional<QJsonArray> newcomers;
    const auto frameFor = [&](Role role, qint64 lastReadSeq) -> const QString & {
        const QPair<int, qint64> key(role, lastReadSeq);
        auto it = encoded.find(key);
        if (it != encoded.end())
            return *it;
        channel->lastReadSeq = lastReadSeq;
        std::optional<QJsonArray> users;
        if (role == Newcomer) {
            if (!everyone)
                everyone = usersWithPresence(change.after);
            users = everyone;
        } else if (role == Member && !joined.isEmpty()) {
            if (!newcomers)
                newcomers = usersWithPresence(joined);
            users = newcomers;
        }
        return *encoded.insert(key,
                               QString::fromUtf8(ServerCodec::channelFrame(
                                   QJsonValue::Undefined, ServerCodec::channel(*channel), users)));
    };
    // A newcomer's connections hold the channel up to the last_seq in its frame
    // (older messages come with `history`), as after `connected`. Members keep
    // what they hold: a message still on its way to them must not be skipped.
    const QStringList affected = change.before + joined;
    for (const QString &user : affected) {
        if (m_sessions.connectionsOf(user).isEmpty())
            continue;
        const Role role = in(joined, user) ? Newcomer : in(left, user) ? Gone : Member;
        const QString &text =
            frameFor(role, role == Gone ? 0 : m_store->lastReadSeq(channel->id, user));
        m_fanout.toUsers(
            {user},
            LiveFrame{role == Newcomer ? LiveFrame::Kind::Channel : LiveFrame::Kind::Other,
                      channel->id, channel->lastSeq, text});
    }
}

QJsonArray ChatHub::usersWithPresence(const QStringList &ids)
{
    QJsonArray result;
    for (const QString &id : ids) {
        if (const auto u = m_store->userById(id))
            result.append(ServerCodec::userWithPresence(
                *u, PresenceTracker::toString(m_presence.status(id)), lastSeen(id)));
    }
    return result;
}

void ChatHub::channelCreated(const StoredChannel &channel)
{
    m_members.setMembers(channel.id, channel.members);
}

ChatHub::~ChatHub()
{
    // Sockets torn down with the hub must not call back into it.
    for (ClientConnection *c : m_sessions.all())
        disconnect(c, nullptr, this, nullptr);
}

void ChatHub::addSocket(QWebSocket *socket, QTcpSocket *tcp)
{
    const QString id = RandomId::hex(8);
    auto *connection = new ClientConnection(socket, tcp, id, m_settings.limits, this);
    m_sessions.add(connection);
    connect(connection, &ClientConnection::frameReceived, this, &ChatHub::onFrame);
    connect(connection, &ClientConnection::closed, this, &ChatHub::onClosed);
    qCInfo(lcServerWs).noquote().nospace()
        << "event=ws_open conn=" << id << " peer=" << ServerLog::value(connection->peer());
    Q_EMIT connectionCountChanged(m_sessions.count());
}

void ChatHub::onFrame(ClientConnection *connection, const QByteArray &data, bool binary)
{
    qCDebug(lcServerWs).noquote().nospace()
        << "event=frame conn=" << connection->id() << " bytes=" << data.size();
    if (!connection->isAuthenticated()) {
        authenticate(connection, data, binary);
        return;
    }
    switch (connection->admit()) {
    case ClientConnection::Admission::Accepted:
        // An admin command that just finished (`channel join`, `user disable`)
        // must hold for this frame already, not only after the next poll: asking
        // SQLite whether anyone else committed costs a few microseconds.
        checkExternalChanges();
        if (connection->isClosing())
            return; // its account was just disabled
        m_frames->handle(connection, data, binary);
        return;
    case ClientConnection::Admission::Refused:
        connection->send(ServerCodec::errorFrame(QJsonValue(), QStringLiteral("rate_limited"),
                                                 tr("Too many frames; slow down.")));
        return;
    case ClientConnection::Admission::Flooding:
        qCInfo(lcServerWs).noquote().nospace() << "event=flood_close conn=" << connection->id();
        connection->close(4429, QStringLiteral("rate limit exceeded"));
        return;
    }
}

void ChatHub::authenticate(ClientConnection *connection, const QByteArray &data, bool binary)
{
    const auto fail = [connection](const QString &reason, int code, const QString &closeReason) {
        connection->send(ServerCodec::authFailedFrame(reason));
        connection->close(code, closeReason);
        qCInfo(lcServerWs).noquote().nospace()
            << "event=auth_failed conn=" << connection->id() << " reason=" << reason;
    };
    const auto frame = ServerCodec::decodeAuthenticate(data, binary);
    if (!frame) {
        fail(QStringLiteral("authentication_required"), 1008,
             QStringLiteral("authentication required"));
        return;
    }
    if (!frame->token || frame->token->isEmpty()) {
        fail(QStringLiteral("invalid_token"), 4401, QStringLiteral("invalid token"));
        return;
    }
    const auto access = m_auth->checkAccessToken(frame->token->toUtf8());
    if (access.status == TokenSigner::Status::Expired) {
        fail(QStringLiteral("token_expired"), 4401, QStringLiteral("token expired"));
        return;
    }
    if (access.status != TokenSigner::Status::Valid || !m_store->userById(access.userId)) {
        fail(QStringLiteral("invalid_token"), 4401, QStringLiteral("invalid token"));
        return;
    }
    connection->setAuthenticated(access.userId, access.familyId);
    // Snapshot and replay only what is committed: wait for the open batch.
    QPointer<ClientConnection> guard(connection);
    m_store->whenDurable([this, guard, request = *frame] {
        if (guard && !guard->isClosing())
            completeAuthentication(guard, request);
    });
}

void ChatHub::completeAuthentication(ClientConnection *connection, const AuthenticateFrame &request)
{
    const QString userId = connection->userId();
    const auto self = m_store->userById(userId);
    if (!self) {
        connection->close(4401, QStringLiteral("invalid token"));
        return;
    }
    m_sessions.addAuthenticated(connection);
    const auto changed = m_presence.connectionOpened(userId, connection->id());
    m_lastSeen[userId] = QDateTime::currentDateTimeUtc();

    const QList<StoredChannel> channels = m_store->channelsOf(userId);
    QJsonArray channelArray;
    for (const StoredChannel &c : channels) {
        channelArray.append(ServerCodec::channel(c));
        connection->markDelivered(c.id, c.lastSeq);
    }
    const QJsonArray userArray = usersWithPresence(m_store->contactsOf(userId));
    QJsonObject me = ServerCodec::userWithPresence(
        *self, PresenceTracker::toString(m_presence.status(userId)), lastSeen(userId));
    connection->send(ServerCodec::connectedFrame(
        me, connection->id(), m_settings.limits.heartbeatIntervalMs, channelArray, userArray));
    qCInfo(lcServerWs).noquote().nospace()
        << "event=ws_authenticated conn=" << connection->id() << " user=" << userId;

    // Live frames wait while the replay runs and go after `resumed`, minus the
    // messages the replay (or the snapshot above) already gave (DeliveryGate).
    connection->beginReplay();
    for (const StoredChannel &c : channels) {
        const auto from = request.resume.constFind(c.id);
        if (from == request.resume.cend())
            continue; // unknown and non-member channels are ignored
        // §6: with resume_ev, the older messages changed since the client's last_ev
        // follow the seq replay, in ev order, in their current state; past the
        // limit the client reloads the channel instead (`resync`).
        QList<StoredMessage> changed;
        const auto lastEv = request.resumeEv.constFind(c.id);
        if (lastEv != request.resumeEv.cend()) {
            const int limit = m_settings.resumeChangeLimit;
            changed = m_store->changedSince(c.id, *lastEv, *from, limit + 1);
            if (changed.size() > limit) {
                qCInfo(lcServerWs).noquote().nospace()
                    << "event=resync conn=" << connection->id() << " channel=" << c.id;
                connection->send(ServerCodec::resyncFrame(c.id));
                continue;
            }
        }
        for (const StoredMessage &m : m_store->messagesAfter(c.id, *from, kResumeLimit))
            connection->sendReplayed(m.channel, m.seq, ServerCodec::messageFrame(m));
        for (const StoredMessage &m : std::as_const(changed))
            connection->send(ServerCodec::messageUpdatedFrame(
                QJsonValue::Undefined,
                m.deleted ? ServerCodec::Change::Delete : ServerCodec::Change::Edit, m));
    }
    // `resumed` ends the replay, or follows `connected` at once without one.
    connection->send(ServerCodec::resumedFrame());
    connection->endReplay();
    if (changed)
        broadcastPresence(userId, *changed);
}

void ChatHub::onClosed(ClientConnection *connection)
{
    m_sessions.remove(connection);
    const QString userId = connection->userId();
    if (!userId.isEmpty()) {
        // Only the connection that sent `start` ends the typing state (contract §5).
        for (const auto &entry : m_typing.connectionClosed(connection->id()))
            sendTypingStop(entry.channel, entry.user);
        if (m_presence.status(userId) == PresenceTracker::Status::Online)
            m_lastSeen[userId] = QDateTime::currentDateTimeUtc();
        m_presence.connectionClosed(userId, connection->id(), m_clock.elapsed());
        scheduleTimers();
    }
    qCInfo(lcServerWs).noquote().nospace() << "event=ws_closed conn=" << connection->id();
    connection->deleteLater();
    Q_EMIT connectionCountChanged(m_sessions.count());
}

int ChatHub::closeAll(int code, const QString &reason)
{
    const auto all = m_sessions.all();
    for (ClientConnection *c : all)
        c->close(code, reason);
    return int(all.size());
}

void ChatHub::closeFamily(const QString &familyId, int code)
{
    const QString reason =
        code == 1000 ? QStringLiteral("logged out") : QStringLiteral("token revoked");
    m_fanout.closeFamily(familyId, code, reason);
}

void ChatHub::sendToUsers(const QStringList &users, const QByteArray &frame)
{
    m_fanout.toUsers(users, LiveFrame{LiveFrame::Kind::Other, {}, 0, QString::fromUtf8(frame)});
}

void ChatHub::typingStarted(ClientConnection *connection, const QString &channel)
{
    m_typing.start(channel, connection->userId(), connection->id(), m_clock.elapsed());
    scheduleTimers();
    QStringList others = m_members.members(channel);
    others.removeAll(connection->userId()); // not to the typist's own devices
    sendToUsers(
        others,
        ServerCodec::typingStartFrame(channel, connection->userId(), m_settings.typingExpiryMs));
}

void ChatHub::typingStopped(const QString &channel, const QString &user)
{
    if (m_typing.stop(channel, user))
        sendTypingStop(channel, user);
}

void ChatHub::sendTypingStop(const QString &channel, const QString &user)
{
    QStringList others = m_members.members(channel);
    others.removeAll(user);
    sendToUsers(others, ServerCodec::typingStopFrame(channel, user));
}

void ChatHub::presenceChanged(ClientConnection *connection, PresenceTracker::Status status)
{
    const QString user = connection->userId();
    const bool wasOnline = m_presence.status(user) == PresenceTracker::Status::Online;
    const auto changed = m_presence.setStatus(user, connection->id(), status);
    if (wasOnline || status == PresenceTracker::Status::Online)
        m_lastSeen[user] = QDateTime::currentDateTimeUtc();
    if (changed)
        broadcastPresence(user, *changed);
}

QDateTime ChatHub::lastSeen(const QString &user)
{
    auto it = m_lastSeen.constFind(user);
    if (it != m_lastSeen.cend())
        return *it;
    const auto stored = m_store->userById(user);
    const QDateTime seen = stored ? stored->lastSeen : QDateTime();
    m_lastSeen.insert(user, seen);
    return seen;
}

void ChatHub::broadcastPresence(const QString &user, PresenceTracker::Status status)
{
    const QDateTime seen = lastSeen(user);
    if (status != PresenceTracker::Status::Online && seen.isValid())
        m_store->setLastSeen(user, seen);
    sendToUsers(m_store->contactsOf(user),
                ServerCodec::presenceFrame(user, PresenceTracker::toString(status), seen));
}

void ChatHub::expireTimers()
{
    const qint64 now = m_clock.elapsed();
    for (const auto &entry : m_typing.takeExpired(now))
        sendTypingStop(entry.channel, entry.user);
    for (const QString &user : m_presence.takeExpired(now))
        broadcastPresence(user, PresenceTracker::Status::Offline);
    scheduleTimers();
}

void ChatHub::scheduleTimers()
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
