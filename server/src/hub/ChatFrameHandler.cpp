#include "hub/ChatFrameHandler.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "hub/ChatHub.h"
#include "hub/ClientConnection.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <algorithm>

namespace Natter::Server {

namespace {
constexpr int kDefaultHistory = 50;
constexpr int kMaxHistory = 200;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

ChatFrameHandler::ChatFrameHandler(ChatHub *hub, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
{ }

void ChatFrameHandler::sendError(ClientConnection *c, const QJsonObject &frame, const QString &code,
                                 const QString &message)
{
    c->send(
        ServerCodec::encode(ServerCodec::error(frame.value(QStringLiteral("ref")), code, message)));
}

void ChatFrameHandler::handle(ClientConnection *c, const QByteArray &data, bool binary)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = binary ? QJsonDocument() : QJsonDocument::fromJson(data, &parseError);
    if (binary || parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        sendError(c, {}, QStringLiteral("bad_request"), tr("Frames must be JSON objects."));
        closeIfAbusive(c);
        return;
    }
    const QJsonObject frame = doc.object();
    const QString type = str(frame, "type");
    if (type == u"send")
        handleSend(c, frame);
    else if (type == u"typing")
        handleTyping(c, frame);
    else if (type == u"presence")
        handlePresence(c, frame);
    else if (type == u"history")
        handleHistory(c, frame);
    else if (type == u"read")
        handleRead(c, frame);
    else if (type == u"dm")
        handleDm(c, frame);
    else if (type == u"ping") {
        QJsonObject pong{{QStringLiteral("type"), QStringLiteral("pong")}};
        if (frame.contains(QStringLiteral("ref")))
            pong.insert(QStringLiteral("ref"), frame.value(QStringLiteral("ref")));
        c->send(ServerCodec::encode(pong));
    } else if (type.isEmpty() && !frame.value(QStringLiteral("type")).isString()) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("The frame has no type."));
        closeIfAbusive(c);
    } else {
        sendError(c, frame, QStringLiteral("unknown_type"), tr("Unknown frame type."));
        closeIfAbusive(c);
    }
}

void ChatFrameHandler::closeIfAbusive(ClientConnection *c)
{
    // PROTOCOL.md §4: repeated protocol abuse is a policy violation (1008). A
    // client with a bug gets errors it can act on; one that keeps sending
    // garbage is disconnected.
    if (c->recordProtocolError())
        c->close(1008, QStringLiteral("protocol abuse"));
}

bool ChatFrameHandler::checkMember(ClientConnection *c, const QJsonObject &frame, QString *channel)
{
    const QJsonValue value = frame.value(QStringLiteral("channel"));
    if (!value.isString() || value.toString().isEmpty()) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("A channel is required."));
        return false;
    }
    *channel = value.toString();
    if (!m_hub->isMember(*channel, c->userId())) {
        if (!m_hub->store()->channelById(*channel))
            sendError(c, frame, QStringLiteral("not_found"), tr("No such channel."));
        else
            sendError(c, frame, QStringLiteral("not_member"), tr("You are not in this channel."));
        return false;
    }
    return true;
}

void ChatFrameHandler::handleSend(ClientConnection *c, const QJsonObject &frame)
{
    QString channel;
    if (!checkMember(c, frame, &channel))
        return;
    const QJsonValue text = frame.value(QStringLiteral("text"));
    const QJsonValue clientMsgId = frame.value(QStringLiteral("client_msg_id"));
    if (!text.isString() || text.toString().isEmpty() || !clientMsgId.isString()
        || clientMsgId.toString().isEmpty() || clientMsgId.toString().size() > 200) {
        sendError(c, frame, QStringLiteral("bad_request"),
                  tr("A send needs a text and a client_msg_id."));
        return;
    }
    if (ServerCodec::codePoints(text.toString()) > kMaxTextCodePoints) {
        sendError(c, frame, QStringLiteral("too_large"),
                  tr("Messages are limited to %1 characters.").arg(kMaxTextCodePoints));
        return;
    }
    ChatStore *store = m_hub->store();
    const QJsonValue ref = frame.value(QStringLiteral("ref"));
    QPointer<ClientConnection> guard(c);
    const auto ack = [guard, ref](const StoredMessage &m) {
        if (!guard)
            return;
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("ack")},
                      {QStringLiteral("client_msg_id"), m.clientMsgId},
                      {QStringLiteral("message"), ServerCodec::message(m)}};
        if (!ref.isUndefined())
            o.insert(QStringLiteral("ref"), ref);
        guard->setDeliveredSeq(m.channel, m.seq);
        guard->send(ServerCodec::encode(o));
    };
    // Idempotency: a (author, client_msg_id) seen before is answered with the
    // original message under the new ref; nobody gets a second `message`.
    if (const auto existing = store->messageByClientId(c->userId(), clientMsgId.toString())) {
        store->whenDurable([ack, m = *existing] { ack(m); });
        return;
    }
    StoredMessage message;
    message.channel = channel;
    message.author = c->userId();
    message.text = text.toString();
    message.clientMsgId = clientMsgId.toString();
    if (!store->appendMessage(&message)) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("The message could not be stored."));
        return;
    }
    // Nothing leaves before the batch holding this message is committed.
    store->whenDurable([this, guard, ack, message] {
        ack(message);
        m_hub->fanOutMessage(ServerCodec::message(message), message.channel, message.seq,
                             guard.data());
        m_hub->typingStopped(message.channel, message.author);
    });
}

void ChatFrameHandler::handleTyping(ClientConnection *c, const QJsonObject &frame)
{
    QString channel;
    const QString state = str(frame, "state");
    if (state != u"start" && state != u"stop") {
        sendError(c, frame, QStringLiteral("bad_request"), tr("state must be start or stop."));
        return;
    }
    if (!checkMember(c, frame, &channel))
        return;
    if (state == u"start")
        m_hub->typingStarted(c, channel);
    else
        m_hub->typingStopped(channel, c->userId());
}

void ChatFrameHandler::handlePresence(ClientConnection *c, const QJsonObject &frame)
{
    const QString status = str(frame, "status");
    if (status != u"online" && status != u"away") {
        sendError(c, frame, QStringLiteral("bad_request"), tr("status must be online or away."));
        return;
    }
    m_hub->presenceChanged(
        c, status == u"online" ? PresenceTracker::Status::Online : PresenceTracker::Status::Away);
}

void ChatFrameHandler::handleHistory(ClientConnection *c, const QJsonObject &frame)
{
    QString channel;
    if (!checkMember(c, frame, &channel))
        return;
    const QJsonValue before = frame.value(QStringLiteral("before_seq"));
    const QJsonValue limitValue = frame.value(QStringLiteral("limit"));
    if ((!before.isUndefined() && !before.isNull() && !before.isDouble())
        || (!limitValue.isUndefined() && !limitValue.isNull() && !limitValue.isDouble())) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("before_seq and limit are numbers."));
        return;
    }
    int limit = limitValue.isDouble()
        ? int(std::clamp<qint64>(limitValue.toInteger(), 0, kMaxHistory))
        : kDefaultHistory;
    if (limit <= 0)
        limit = kDefaultHistory;
    const qint64 beforeSeq = qMax<qint64>(0, before.toInteger());
    QList<StoredMessage> messages = m_hub->store()->history(channel, beforeSeq, limit + 1);
    const bool hasMore = messages.size() > limit;
    if (hasMore)
        messages.removeFirst();
    QJsonArray array;
    for (const StoredMessage &m : messages)
        array.append(ServerCodec::message(m));
    QJsonObject reply{{QStringLiteral("type"), QStringLiteral("history")},
                      {QStringLiteral("channel"), channel},
                      {QStringLiteral("messages"), array},
                      {QStringLiteral("has_more"), hasMore}};
    if (frame.contains(QStringLiteral("ref")))
        reply.insert(QStringLiteral("ref"), frame.value(QStringLiteral("ref")));
    c->send(ServerCodec::encode(reply));
}

void ChatFrameHandler::handleRead(ClientConnection *c, const QJsonObject &frame)
{
    QString channel;
    if (!checkMember(c, frame, &channel))
        return;
    if (!frame.value(QStringLiteral("seq")).isDouble()) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("seq must be a number."));
        return;
    }
    ChatStore *store = m_hub->store();
    const auto info = store->channelById(channel, c->userId());
    if (!info) {
        sendError(c, frame, QStringLiteral("not_found"), tr("No such channel."));
        return;
    }
    // Markers only move forward; past the end is clamped to last_seq.
    const qint64 seq = qMin(frame.value(QStringLiteral("seq")).toInteger(), info->lastSeq);
    if (seq <= info->lastReadSeq)
        return;
    store->setLastReadSeq(channel, c->userId(), seq);
    const QByteArray relay =
        ServerCodec::encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("read")},
                                        {QStringLiteral("channel"), channel},
                                        {QStringLiteral("user"), c->userId()},
                                        {QStringLiteral("seq"), seq}});
    QPointer<ClientConnection> guard(c);
    const QString user = c->userId();
    store->whenDurable([this, guard, relay, user] {
        for (ClientConnection *other : m_hub->connectionsOf(user)) {
            if (other != guard.data())
                other->send(relay);
        }
    });
}

void ChatFrameHandler::handleDm(ClientConnection *c, const QJsonObject &frame)
{
    const QJsonValue peerValue = frame.value(QStringLiteral("user"));
    if (!peerValue.isString() || peerValue.toString().isEmpty()) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("A user is required."));
        return;
    }
    const QString peer = peerValue.toString();
    if (peer == c->userId()) {
        sendError(c, frame, QStringLiteral("bad_request"),
                  tr("A direct channel needs another user."));
        return;
    }
    ChatStore *store = m_hub->store();
    const auto peerUser = store->userById(peer);
    if (!peerUser || peerUser->disabled) {
        sendError(c, frame, QStringLiteral("not_found"), tr("No such user."));
        return;
    }
    QJsonObject reply{{QStringLiteral("type"), QStringLiteral("channel")}};
    QJsonObject withRef = reply;
    if (frame.contains(QStringLiteral("ref")))
        withRef.insert(QStringLiteral("ref"), frame.value(QStringLiteral("ref")));
    if (const auto existing = store->directChannel(c->userId(), peer)) {
        withRef.insert(QStringLiteral("channel"), ServerCodec::channel(*existing));
        withRef.insert(QStringLiteral("users"), m_hub->usersWithPresence(existing->members));
        c->send(ServerCodec::encode(withRef));
        return;
    }
    StoredChannel channel;
    channel.id = RandomId::hex();
    channel.direct = true;
    channel.members = QStringList{c->userId(), peer};
    channel.members.sort();
    const auto self = store->userById(c->userId());
    QStringList names{self ? self->username : c->userId(), peerUser->username};
    names.sort();
    channel.name = names.join(QStringLiteral(", "));
    QString error;
    if (!store->addChannel(channel, &error)) {
        sendError(c, frame, QStringLiteral("bad_request"), tr("The channel could not be created."));
        return;
    }
    // The two may share no other channel: introduce them to each other.
    const QJsonArray users = m_hub->usersWithPresence(channel.members);
    for (QJsonObject *o : {&withRef, &reply}) {
        o->insert(QStringLiteral("channel"), ServerCodec::channel(channel));
        o->insert(QStringLiteral("users"), users);
    }
    QPointer<ClientConnection> guard(c);
    store->whenDurable([this, guard, withRef, reply, channel] {
        m_hub->channelCreated(channel);
        if (guard)
            guard->send(ServerCodec::encode(withRef));
        // Everyone else (the peer's and the requester's other devices) hears of it once.
        m_hub->sendToUsers(channel.members, ServerCodec::encode(reply), guard.data());
    });
}

} // namespace Natter::Server
