#include "hub/SessionStarter.h"

#include "ServerLog.h"
#include "auth/AuthService.h"
#include "hub/ClientConnection.h"
#include "hub/MembershipCache.h"
#include "hub/MembershipWatcher.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "hub/SessionRegistry.h"
#include "hub/UserLimits.h"
#include "store/ChatStore.h"

#include <QPointer>

#include <algorithm>

namespace Natter::Server {

namespace {
constexpr int kResumeLimit = 500; // newest messages replayed per channel

// The storage could not answer while a session was being set up. Nothing is
// wrong with the client or its token, so neither 4401 (it would refresh, and
// log the user out if that fails too) nor 1008 fits, and a `connected` built
// from a failed read would claim the user has no channels. §4's 1001 ("server
// going away") is the code whose client behaviour is what we want: reconnect
// with backoff, keep the token, resume from where it was. 1011 (internal
// error) is not in §4, so a client's reaction to it is not defined.
constexpr int kStorageUnavailable = 1001;

void closeUnavailable(ClientConnection *connection, const char *what)
{
    qCWarning(lcServerWs).noquote().nospace()
        << "event=ws_storage_failed conn=" << connection->id() << " read=" << what;
    connection->close(kStorageUnavailable, QStringLiteral("storage unavailable"));
}
} // namespace

SessionStarter::SessionStarter(ChatStore *store, AuthService *auth, SessionRegistry *sessions,
                               PresenceService *presence, const MembershipCache *members,
                               MembershipWatcher *watcher, UserLimits *userLimits,
                               const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_sessions(sessions)
    , m_presence(presence)
    , m_members(members)
    , m_watcher(watcher)
    , m_userLimits(userLimits)
    , m_settings(settings)
{ }

void SessionStarter::authenticate(ClientConnection *connection, const QByteArray &data, bool binary)
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
    // The signature and expiry here; whether the token's family is still
    // active is a store read, done in the job below (AuthService::checkFamily).
    const auto access = m_auth->verifyAccessToken(frame->token->toUtf8());
    if (access.status == TokenSigner::Status::Expired) {
        fail(QStringLiteral("token_expired"), 4401, QStringLiteral("token expired"));
        return;
    }
    if (access.status != TokenSigner::Status::Valid) {
        fail(QStringLiteral("invalid_token"), 4401, QStringLiteral("invalid token"));
        return;
    }
    // Per-user session starts: each reads a snapshot and replays up to 500
    // messages a channel on the event loop, so a client reconnecting in a loop
    // (an audit: four loops held natterd at a full core) is told to wait, with
    // §4's 4429, after which clients reconnect with their long backoff.
    if (!m_userLimits->admit(access.userId, UserLimits::Kind::Session)) {
        fail(QStringLiteral("rate_limited"), 4429, QStringLiteral("too many sign-ins"));
        return;
    }
    // Per-user connection cap (issue 12): the new socket is refused, the user's
    // open ones keep working. Closing the oldest instead would let a user with
    // one device more than the cap knock their devices off in turn, forever.
    // 1008 is §4's policy close: clients reconnect with backoff and show the
    // reason; `auth_failed` names it, as for the other refusals of §2.
    if (!m_userLimits->claimConnection(access.userId)) {
        fail(QStringLiteral("too_many_connections"), 1008, QStringLiteral("too many connections"));
        return;
    }
    // From here the slot is the connection's: ChatHub releases it when the
    // authenticated connection closes.
    connection->setAuthenticated(access.userId, access.familyId);
    // Registered before the store job reads the snapshot, with every live
    // frame held back until `resumed` (DeliveryGate): a message committed after
    // the job's reads reaches it live (on a cluster node, through another
    // node's publish that may arrive before the job answers), one the snapshot
    // or the replay already holds is dropped there.
    m_sessions->addAuthenticated(connection);
    connection->beginReplay();
    // The connection's next frames wait for `connected` (FrameHold).
    connection->hold().begin();
    // Snapshot and replay only what is committed: the job runs after every
    // write submitted before it, its answer once they are durable.
    const AuthenticateFrame request = *frame;
    const int changeLimit = m_settings.resumeChangeLimit;
    QPointer<ClientConnection> guard(connection);
    QPointer<SessionStarter> self(this);
    m_store->run([access, request, changeLimit](
                     ChatStore &store) { return read(store, access, request, changeLimit); },
                 [self, guard](const Snapshot &snapshot) {
                     if (!guard)
                         return;
                     if (self && !guard->isClosing())
                         self->completeAuthentication(guard, snapshot);
                     else
                         guard->hold().end();
                 });
}

SessionStarter::Snapshot SessionStarter::read(ChatStore &store, AuthService::Access access,
                                              const AuthenticateFrame &request, int changeLimit)
{
    // Runs on the store's worker thread on PostgreSQL: the store and the
    // values it is given only.
    Snapshot snapshot;
    const QString userId = access.userId;
    // A revoked family (logout, refresh-token reuse) is refused like a token
    // of no user (4401); an unknown answer closes as unavailable (1001), so a
    // fine client retries instead of signing in again.
    AuthService::checkFamily(store, &access);
    if (access.unavailable) {
        snapshot.self = StoreError::Failed;
        return snapshot;
    }
    if (access.status != TokenSigner::Status::Valid)
        return snapshot; // self stays NotFound: invalid_token
    snapshot.self = store.userById(userId);
    // The worker's session may have died since its last job (PostgreSQL
    // restarted while it idled): its first statement finds out, marks the
    // connection broken, and the next one reconnects. Nothing was read or
    // written yet, so ask once more rather than close the new connection.
    if (snapshot.self.failed())
        snapshot.self = store.userById(userId);
    if (!snapshot.self)
        return snapshot;
    // Read everything before the connection counts as online: a failed read
    // closes it without a `connected` that would claim the user has no
    // channels or contacts, without a half replay, and without a presence flap.
    const auto channels = store.channelsOf(userId);
    if (!channels) {
        snapshot.failed = "channels";
        return snapshot;
    }
    snapshot.channels = *channels;
    const auto contacts = store.contactsOf(userId);
    if (!contacts) {
        snapshot.failed = "contacts";
        return snapshot;
    }
    for (const QString &id : *contacts) {
        if (const auto u = store.userById(id))
            snapshot.contacts.append(*u);
    }
    for (const StoredChannel &c : snapshot.channels) {
        const auto from = request.resume.constFind(c.id);
        if (from == request.resume.cend())
            continue; // unknown and non-member channels are ignored
        Snapshot::Replay replay;
        replay.channel = c.id;
        // §6: with resume_ev, the older messages changed since the client's last_ev
        // follow the seq replay, in ev order, in their current state; past the
        // limit the client reloads the channel instead (`resync`).
        // A failed read ends the session (1001, see kStorageUnavailable): the
        // client reconnects and resumes from the same seq and ev, so nothing is
        // skipped, where a replay that left messages out would be final.
        const auto lastEv = request.resumeEv.constFind(c.id);
        if (lastEv != request.resumeEv.cend()) {
            auto changed = store.changedSince(c.id, *lastEv, *from, changeLimit + 1);
            if (!changed) {
                snapshot.failed = "changes";
                return snapshot;
            }
            if (changed->size() > changeLimit) {
                replay.resync = true;
                snapshot.replays.append(replay);
                continue;
            }
            replay.changes = std::move(*changed);
        }
        const auto missed = store.messagesAfter(c.id, *from, kResumeLimit);
        if (!missed) {
            snapshot.failed = "messages";
            return snapshot;
        }
        replay.missed = *missed;
        snapshot.replays.append(replay);
    }
    return snapshot;
}

void SessionStarter::completeAuthentication(ClientConnection *connection, const Snapshot &snapshot)
{
    // Each way out ends the hold: frames queued behind a closed connection
    // are dropped (ChatHub), those behind `connected` run after it.
    if (snapshot.self.failed()) {
        closeUnavailable(connection, "user");
        connection->hold().end();
        return;
    }
    if (!snapshot.self) {
        connection->send(ServerCodec::authFailedFrame(QStringLiteral("invalid_token")));
        connection->close(4401, QStringLiteral("invalid token"));
        connection->hold().end();
        return;
    }
    if (snapshot.failed) {
        closeUnavailable(connection, snapshot.failed);
        connection->hold().end();
        return;
    }
    // The snapshot comes from the store; sends and typing are checked against
    // the MembershipCache, which hears of the admin CLI's `channel add/join`
    // through the change feed, up to its bound later. A channel listed here but
    // not yet in the cache would refuse the user's first message (`not_member`):
    // catch up first (the watcher's own store job), then answer.
    const QString userId = connection->userId();
    if (!std::all_of(snapshot.channels.cbegin(), snapshot.channels.cend(),
                     [&](const StoredChannel &c) { return m_members->contains(c.id, userId); })) {
        QPointer<ClientConnection> guard(connection);
        QPointer<SessionStarter> self(this);
        m_watcher->reread([self, guard, snapshot] {
            if (!guard)
                return;
            if (self && !guard->isClosing())
                self->finish(guard, snapshot);
            else
                guard->hold().end();
        });
        return;
    }
    finish(connection, snapshot);
}

void SessionStarter::finish(ClientConnection *connection, const Snapshot &snapshot)
{
    // One node: the continuation runs at once. On a node of a cluster it runs
    // once Redis holds the connection (or could not take it: bounded by the
    // Redis reply timeout, ClusterPresence): a status change of the user's
    // other devices, made after this client's `connected`, is then aggregated
    // with this connection and cannot make the user flap (away, online, away).
    // Live frames and the connection's next frames keep waiting meanwhile.
    QPointer<ClientConnection> guard(connection);
    QPointer<SessionStarter> self(this);
    m_presence->connectionOpened(
        connection->userId(), connection->id(),
        [self, guard, snapshot](std::optional<PresenceTracker::Status> presence) {
            if (!guard)
                return;
            if (self && !guard->isClosing())
                self->sendSession(guard, snapshot, presence);
            else
                guard->hold().end();
        });
}

void SessionStarter::sendSession(ClientConnection *connection, const Snapshot &snapshot,
                                 std::optional<PresenceTracker::Status> presence)
{
    const QString userId = connection->userId();
    QJsonArray channelArray;
    for (const StoredChannel &c : snapshot.channels) {
        channelArray.append(ServerCodec::channel(c));
        connection->markDelivered(c.id, c.lastSeq);
    }
    const QJsonArray userArray = m_presence->usersWithPresence(snapshot.contacts);
    connection->send(ServerCodec::connectedFrame(m_presence->userWithPresence(*snapshot.self),
                                                 connection->id(), m_settings.heartbeatIntervalMs,
                                                 channelArray, userArray));
    qCInfo(lcServerWs).noquote().nospace()
        << "event=ws_authenticated conn=" << connection->id() << " user=" << userId;

    // Live frames waited since the connection was registered and go after
    // `resumed`, minus the messages the replay (or the snapshot above) already
    // gave (DeliveryGate).
    for (const Snapshot::Replay &replay : snapshot.replays) {
        if (replay.resync) {
            qCInfo(lcServerWs).noquote().nospace()
                << "event=resync conn=" << connection->id() << " channel=" << replay.channel;
            connection->send(ServerCodec::resyncFrame(replay.channel));
            continue;
        }
        for (const StoredMessage &m : replay.missed)
            connection->sendReplayed(m.channel, m.seq, ServerCodec::messageFrame(m));
        for (const StoredMessage &m : replay.changes)
            connection->send(ServerCodec::messageUpdatedFrame(
                QJsonValue::Undefined,
                m.deleted ? ServerCodec::Change::Delete : ServerCodec::Change::Edit, m));
    }
    // `resumed` ends the replay, or follows `connected` at once without one.
    connection->send(ServerCodec::resumedFrame());
    connection->endReplay();
    if (presence)
        m_presence->announce(userId, *presence);
    connection->hold().end();
}

} // namespace Natter::Server
