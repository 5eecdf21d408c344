#include "hub/SessionStarter.h"

#include "ServerLog.h"
#include "auth/AuthService.h"
#include "hub/ClientConnection.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "hub/SessionRegistry.h"
#include "store/ChatStore.h"

#include <QPointer>

namespace Natter::Server {

namespace {
constexpr int kResumeLimit = 500; // newest messages replayed per channel
}

SessionStarter::SessionStarter(ChatStore *store, AuthService *auth, SessionRegistry *sessions,
                               PresenceService *presence, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_sessions(sessions)
    , m_presence(presence)
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

void SessionStarter::completeAuthentication(ClientConnection *connection,
                                            const AuthenticateFrame &request)
{
    const QString userId = connection->userId();
    const auto self = m_store->userById(userId);
    if (!self) {
        connection->close(4401, QStringLiteral("invalid token"));
        return;
    }
    m_sessions->addAuthenticated(connection);
    const auto presence = m_presence->connectionOpened(userId, connection->id());

    const QList<StoredChannel> channels = m_store->channelsOf(userId);
    QJsonArray channelArray;
    for (const StoredChannel &c : channels) {
        channelArray.append(ServerCodec::channel(c));
        connection->markDelivered(c.id, c.lastSeq);
    }
    const QJsonArray userArray = m_presence->usersWithPresence(m_store->contactsOf(userId));
    connection->send(ServerCodec::connectedFrame(m_presence->userWithPresence(*self),
                                                 connection->id(), m_settings.heartbeatIntervalMs,
                                                 channelArray, userArray));
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
        QList<StoredMessage> changes;
        const auto lastEv = request.resumeEv.constFind(c.id);
        if (lastEv != request.resumeEv.cend()) {
            const int limit = m_settings.resumeChangeLimit;
            changes = m_store->changedSince(c.id, *lastEv, *from, limit + 1);
            if (changes.size() > limit) {
                qCInfo(lcServerWs).noquote().nospace()
                    << "event=resync conn=" << connection->id() << " channel=" << c.id;
                connection->send(ServerCodec::resyncFrame(c.id));
                continue;
            }
        }
        for (const StoredMessage &m : m_store->messagesAfter(c.id, *from, kResumeLimit))
            connection->sendReplayed(m.channel, m.seq, ServerCodec::messageFrame(m));
        for (const StoredMessage &m : std::as_const(changes))
            connection->send(ServerCodec::messageUpdatedFrame(
                QJsonValue::Undefined,
                m.deleted ? ServerCodec::Change::Delete : ServerCodec::Change::Edit, m));
    }
    // `resumed` ends the replay, or follows `connected` at once without one.
    connection->send(ServerCodec::resumedFrame());
    connection->endReplay();
    if (presence)
        m_presence->announce(userId, *presence);
}

} // namespace Natter::Server
