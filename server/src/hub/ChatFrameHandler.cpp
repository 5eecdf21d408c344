#include "hub/ChatFrameHandler.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/EmojiRule.h"
#include "hub/Fanout.h"
#include "hub/MembershipCache.h"
#include "hub/MentionScanner.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <QPointer>
#include <QSet>

#include <algorithm>

namespace Natter::Server {

namespace {
constexpr int kDefaultHistory = 50;
constexpr int kMaxHistory = 200;

// Which per-user budget a frame draws on (issue 12); nullopt: only the
// per-connection limit applies. `dm` and `channel_create` both make a channel.
template<typename Frame> std::optional<UserLimits::Kind> userLimitOf(const Frame &)
{
    using F = std::decay_t<Frame>;
    if constexpr (
        std::is_same_v<
            F,
            ClientFrame::
                Send> || std::is_same_v<F, ClientFrame::Edit> || std::is_same_v<F, ClientFrame::Delete>)
        return UserLimits::Kind::Message;
    else if constexpr (std::is_same_v<F, ClientFrame::Presence>)
        return UserLimits::Kind::Presence;
    else if constexpr (std::is_same_v<
                           F, ClientFrame::Dm> || std::is_same_v<F, ClientFrame::ChannelCreate>)
        return UserLimits::Kind::Channel;
    else
        return std::nullopt;
}

template<typename Frame> QJsonValue refOf(const Frame &frame)
{
    return frame.ref;
}
} // namespace

ChatFrameHandler::ChatFrameHandler(ChatStore *store, Fanout *fanout, MembershipCache *members,
                                   PresenceService *presence, UserLimits *userLimits,
                                   const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_fanout(fanout)
    , m_members(members)
    , m_presence(presence)
    , m_userLimits(userLimits)
    , m_settings(settings)
    , m_channels(store, fanout, members, presence,
                 ChannelFrameHandler::Settings{settings.onlyAdminsCreateChannels})
{ }

void ChatFrameHandler::sendError(ClientConnection *c, const QJsonValue &ref, const QString &code,
                                 const QString &message)
{
    c->send(ServerCodec::errorFrame(ref, code, message));
}

void ChatFrameHandler::handle(ClientConnection *c, const QByteArray &data, bool binary)
{
    const ClientFrameVariant frame = ServerCodec::decode(data, binary);
    if (!admitForUser(c, frame))
        return;
    std::visit([this, c](const auto &f) { on(c, f); }, frame);
}

bool ChatFrameHandler::admitForUser(ClientConnection *c, const ClientFrameVariant &frame)
{
    const auto kind = std::visit([](const auto &f) { return userLimitOf(f); }, frame);
    if (!kind || m_userLimits->admit(c->userId(), *kind))
        return true;
    // Answered like the per-connection limit (§3 `rate_limited`), with the ref.
    const QJsonValue ref = std::visit([](const auto &f) { return refOf(f); }, frame);
    sendError(c, ref, QStringLiteral("rate_limited"),
              tr("Too many messages from your account; slow down."));
    return false;
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Malformed &f)
{
    if (f.reason == ClientFrame::Malformed::Reason::NotAnObject)
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("Frames must be JSON objects."));
    else
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The frame has no type."));
    closeIfAbusive(c);
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Unknown &f)
{
    sendError(c, f.ref, QStringLiteral("unknown_type"), tr("Unknown frame type."));
    closeIfAbusive(c);
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Ping &f)
{
    c->send(ServerCodec::pongFrame(f.ref));
}

void ChatFrameHandler::closeIfAbusive(ClientConnection *c)
{
    // docs/protocol.md §4: repeated protocol abuse is a policy violation (1008). A
    // client with a bug gets errors it can act on; one that keeps sending
    // garbage is disconnected.
    if (c->recordProtocolError())
        c->close(1008, QStringLiteral("protocol abuse"));
}

bool ChatFrameHandler::checkMember(ClientConnection *c, const QJsonValue &ref,
                                   const std::optional<QString> &channel)
{
    if (!channel || channel->isEmpty()) {
        sendError(c, ref, QStringLiteral("bad_request"), tr("A channel is required."));
        return false;
    }
    if (!m_members->contains(*channel, c->userId())) {
        if (!m_store->channelById(*channel))
            sendError(c, ref, QStringLiteral("not_found"), tr("No such channel."));
        else
            sendError(c, ref, QStringLiteral("not_member"), tr("You are not in this channel."));
        return false;
    }
    return true;
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Send &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    std::optional<StoredReplyTarget> replyTo;
    if (!replyTarget(c, f, &replyTo))
        return;
    if (refuseArchived(c, f.ref, *f.channel))
        return;
    // §9: a message with files may have no text.
    const bool hasText = f.text && !f.text->isEmpty();
    const bool textOptional =
        f.attachmentsValid && !f.attachments.isEmpty() && (!f.text || f.text->isEmpty());
    if ((!hasText && !textOptional) || !f.clientMsgId || f.clientMsgId->isEmpty()
        || f.clientMsgId->size() > 200) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A send needs a text and a client_msg_id."));
        return;
    }
    if (hasText && ServerCodec::codePoints(*f.text) > kMaxTextCodePoints) {
        sendError(c, f.ref, QStringLiteral("too_large"),
                  tr("Messages are limited to %1 characters.").arg(kMaxTextCodePoints));
        return;
    }
    ChatStore *store = m_store;
    const QJsonValue ref = f.ref;
    QPointer<ClientConnection> guard(c);
    // `json`: the message encoded once for the ack and the fan-out (empty: encode here).
    const auto ack = [guard, ref](const StoredMessage &m, const QByteArray &json = {}) {
        if (!guard)
            return;
        guard->deliver(
            LiveFrame{LiveFrame::Kind::Ack, m.channel, m.seq,
                      ServerCodec::ackFrame(ref, m.clientMsgId,
                                            json.isEmpty() ? ServerCodec::messageJson(m) : json)});
    };
    // Idempotency: a (author, client_msg_id) seen before is answered with the
    // original message under the new ref; nobody gets a second `message`.
    // Without files the store's UNIQUE (author, client_msg_id) finds a resend
    // (the Conflict branch below), which spares every new message a lookup
    // (docs/benchmarks.md "Where the v2 fan-out CPU goes"). With files look
    // first: checkAttachments would refuse the files the original now holds.
    if (!f.attachments.isEmpty()) {
        if (const auto existing = store->messageByClientId(c->userId(), *f.clientMsgId)) {
            store->whenDurable([ack, m = *existing] { ack(m); });
            return;
        }
    }
    if (!checkAttachments(c, f))
        return;
    StoredMessage message;
    message.channel = *f.channel;
    message.author = c->userId();
    message.text = f.text.value_or(QString());
    message.clientMsgId = *f.clientMsgId;
    message.replyTo = replyTo;
    message.mentions = mentionsIn(message.channel, message.author, message.text);
    // The message and its files (§9) are stored together or not at all. On
    // PostgreSQL the transaction runs on the store's writer thread and the
    // answer comes back here later (issue 16); the connection may have closed
    // meanwhile (`guard`). The store answers in call order, so a connection's
    // acks keep the order of its sends and a channel's messages reach the
    // fan-out in seq order (ChatStore::appendMessageAsync).
    QPointer<ChatFrameHandler> self(this);
    const QString sender = c->id();
    const QString author = c->userId();
    const QString clientMsgId = *f.clientMsgId;
    // `allocated`: the message has its ev; the cluster fan-out waits for it
    // rather than fill it from the store (Fanout::expectLocal).
    auto allocated = [self](const StoredMessage &m) {
        if (self)
            self->m_fanout->expectLocal(m.channel, m.ev);
    };
    auto done = [self, store, guard, ref, ack, sender, author,
                 clientMsgId](StoreResult<void> appended, const StoredMessage &message) {
        if (!self)
            return;
        if (!appended) {
            // A resend (§3): answer with the original.
            if (appended.conflict()) {
                if (const auto existing = store->messageByClientId(author, clientMsgId)) {
                    store->whenDurable([ack, m = *existing] { ack(m); });
                    return;
                }
            }
            if (!guard)
                return;
            // The store failing is retryable (the client keeps the send pending);
            // NotFound (no such channel, a file that cannot be attached) is not.
            if (appended.failed() || appended.conflict())
                self->storageUnavailable(guard, ref);
            else
                self->sendError(guard, ref, QStringLiteral("bad_request"),
                                tr("The message could not be stored."));
            return;
        }
        // Durable: nothing leaves before the message is committed.
        const QByteArray json = ServerCodec::messageJson(message);
        LiveFrame frame{LiveFrame::Kind::Message, message.channel, message.seq,
                        ServerCodec::messageFrame(json)};
        frame.ev = message.ev;
        self->m_fanout->toChannelWithAck(message.channel, frame, sender,
                                         [ack, message, json] { ack(message, json); });
        self->m_presence->typingStopped(message.channel, message.author);
    };
    store->appendMessageAsync(std::move(message), f.attachments, std::move(allocated),
                              std::move(done));
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Typing &f)
{
    if (!f.state) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("state must be start or stop."));
        return;
    }
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (*f.state == ClientFrame::Typing::State::Start)
        m_presence->typingStarted(c, *f.channel);
    else
        m_presence->typingStopped(*f.channel, c->userId());
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Presence &f)
{
    if (!f.status) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("status must be online or away."));
        return;
    }
    m_presence->presenceChanged(c, *f.status);
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::History &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (!f.numbersValid) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("before_seq and limit are numbers."));
        return;
    }
    int limit = f.limit ? int(std::clamp<qint64>(*f.limit, 0, kMaxHistory)) : kDefaultHistory;
    if (limit <= 0)
        limit = kDefaultHistory;
    const qint64 beforeSeq = qMax<qint64>(0, f.beforeSeq.value_or(0));
    auto page = m_store->history(*f.channel, beforeSeq, limit + 1);
    if (!page) {
        // Never an empty page: the client would take it as the channel's start
        // and stop paging. §3 has no server-error code; bad_request is the one
        // this server already answers when the storage fails (see send and
        // findTarget): it keeps the connection, and the client shows the error
        // and may ask again. not_found would claim the channel is gone.
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The history could not be read."));
        return;
    }
    QList<StoredMessage> messages = std::move(*page);
    const bool hasMore = messages.size() > limit;
    if (hasMore)
        messages.removeFirst();
    c->send(ServerCodec::historyFrame(f.ref, *f.channel, messages, hasMore));
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Read &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (!f.seq) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("seq must be a number."));
        return;
    }
    const QString channel = *f.channel;
    ChatStore *store = m_store;
    const auto info = store->channelById(channel, c->userId());
    if (!info) {
        sendError(c, f.ref, QStringLiteral("not_found"), tr("No such channel."));
        return;
    }
    // Markers only move forward; past the end is clamped to last_seq.
    const qint64 seq = qMin(*f.seq, info->lastSeq);
    if (seq <= info->lastReadSeq)
        return;
    store->setLastReadSeq(channel, c->userId(), seq);
    const LiveFrame relay{LiveFrame::Kind::Other, channel, 0,
                          ServerCodec::readFrame(channel, c->userId(), seq)};
    const QString user = c->userId();
    const QString reader = c->id();
    store->whenDurable([this, relay, user, reader] {
        // To the reader's other connections only (§3).
        m_fanout->toUsers({user}, relay, reader);
    });
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Dm &f)
{
    if (!f.user || f.user->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("A user is required."));
        return;
    }
    const QString peer = *f.user;
    if (peer == c->userId()) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A direct channel needs another user."));
        return;
    }
    ChatStore *store = m_store;
    const auto peerUser = store->userById(peer);
    if (!peerUser || peerUser->disabled) {
        sendError(c, f.ref, QStringLiteral("not_found"), tr("No such user."));
        return;
    }
    if (const auto existing = store->directChannel(c->userId(), peer)) {
        c->send(ServerCodec::channelFrame(f.ref, ServerCodec::channel(*existing),
                                          m_presence->usersWithPresence(existing->members)));
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
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The channel could not be created."));
        return;
    }
    // The two may share no other channel: introduce them to each other.
    const QJsonArray users = m_presence->usersWithPresence(channel.members);
    const QJsonObject object = ServerCodec::channel(channel);
    const QByteArray withRef = ServerCodec::channelFrame(f.ref, object, users);
    const LiveFrame plain{LiveFrame::Kind::Channel, channel.id, 0,
                          ServerCodec::channelFrame(QJsonValue::Undefined, object, users)};
    QPointer<ClientConnection> guard(c);
    const QString requester = c->id();
    store->whenDurable([this, guard, withRef, plain, channel, requester] {
        m_members->setMembers(channel.id, channel.members);
        if (guard)
            guard->send(withRef);
        // Everyone else (the peer's and the requester's other devices) hears of it once.
        m_fanout->toUsers(channel.members, plain, requester);
    });
}

std::optional<StoredMessage> ChatFrameHandler::findTarget(ClientConnection *c,
                                                          const QJsonValue &ref,
                                                          const QString &channel,
                                                          const std::optional<QString> &id)
{
    if (!id || id->isEmpty()) {
        sendError(c, ref, QStringLiteral("bad_request"), tr("A message id is required."));
        return std::nullopt;
    }
    // A tombstone cannot be edited or deleted again (§7, §13).
    auto message = m_store->messageById(channel, *id);
    if (message.failed()) {
        // The storage could not answer: never claim the message does not exist.
        sendError(c, ref, QStringLiteral("bad_request"), tr("The message could not be read."));
        return std::nullopt;
    }
    if (!message || message->deleted) {
        sendError(c, ref, QStringLiteral("not_found"), tr("No such message."));
        return std::nullopt;
    }
    return *message;
}

void ChatFrameHandler::publishUpdate(ClientConnection *c, const QJsonValue &ref,
                                     ServerCodec::Change kind, const StoredMessage &m)
{
    const LiveFrame own{LiveFrame::Kind::Update, m.channel, m.seq,
                        ServerCodec::messageUpdatedFrame(ref, kind, m)};
    const LiveFrame others{LiveFrame::Kind::Update, m.channel, m.seq,
                           ServerCodec::messageUpdatedFrame(QJsonValue::Undefined, kind, m), m.ev};
    QPointer<ClientConnection> guard(c);
    const QString actor = c->id();
    m_store->whenDurable([this, guard, own, others, actor] {
        if (guard)
            guard->deliver(own);
        // The actor's other devices included; only the actor's connection has the ref.
        m_fanout->toChannel(others.channel, others, actor);
    });
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Edit &f)
{
    // Error precedence (§13): not_member, not_found, forbidden, then validation.
    if (!checkMember(c, f.ref, f.channel))
        return;
    const auto target = findTarget(c, f.ref, *f.channel, f.id);
    if (!target)
        return;
    if (target->author != c->userId() || target->kind != u"user") {
        sendError(c, f.ref, QStringLiteral("forbidden"), tr("Only the author can edit a message."));
        return;
    }
    if (refuseArchived(c, f.ref, target->channel))
        return;
    if (!f.text || f.text->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("An edit needs a text."));
        return;
    }
    if (ServerCodec::codePoints(*f.text) > kMaxTextCodePoints) {
        sendError(c, f.ref, QStringLiteral("too_large"),
                  tr("Messages are limited to %1 characters.").arg(kMaxTextCodePoints));
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_settings.editWindowMs >= 0 && target->ts.msecsTo(now) >= m_settings.editWindowMs) {
        sendError(c, f.ref, QStringLiteral("edit_window_expired"),
                  tr("This message is too old to be edited."));
        return;
    }
    if (*f.text == target->text) {
        // No change (§13): the sender alone gets the current state, same rev.
        c->deliver(
            LiveFrame{LiveFrame::Kind::Update, target->channel, target->seq,
                      ServerCodec::messageUpdatedFrame(f.ref, ServerCodec::Change::Edit, *target)});
        return;
    }
    // §7: an edit recomputes the mentions.
    const auto updated = m_store->editMessage(target->channel, target->id, *f.text, now,
                                              mentionsIn(target->channel, target->author, *f.text));
    if (!updated) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The edit could not be stored."));
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=message_edited conn=" << c->id() << " channel=" << updated->channel
        << " seq=" << updated->seq << " rev=" << updated->rev;
    publishUpdate(c, f.ref, ServerCodec::Change::Edit, *updated);
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Delete &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    const auto target = findTarget(c, f.ref, *f.channel, f.id);
    if (!target)
        return;
    // The author or a server admin (read now: `natterd user promote` holds at once).
    bool allowed = target->kind == u"user" && target->author == c->userId();
    if (!allowed && target->kind == u"user") {
        const auto self = m_store->userById(c->userId());
        allowed = self && self->admin;
    }
    if (!allowed) {
        sendError(c, f.ref, QStringLiteral("forbidden"),
                  tr("Only the author or an admin can delete a message."));
        return;
    }
    const auto deleted = m_store->deleteMessage(target->channel, target->id);
    if (!deleted) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The delete could not be stored."));
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=message_deleted conn=" << c->id() << " channel=" << deleted->channel
        << " seq=" << deleted->seq << " by_author=" << (target->author == c->userId());
    if (!target->attachments.isEmpty()) {
        // §9: the files go with the message, once the delete is committed.
        QStringList ids;
        for (const StoredFile &file : target->attachments)
            ids << file.id;
        QPointer<ChatFrameHandler> self(this);
        m_store->whenDurable([self, ids] {
            if (self)
                Q_EMIT self->filesReleased(ids);
        });
    }
    publishUpdate(c, f.ref, ServerCodec::Change::Delete, *deleted);
}

} // namespace Natter::Server

namespace Natter::Server {

bool ChatFrameHandler::checkAttachments(ClientConnection *c, const ClientFrame::Send &f)
{
    if (!f.attachmentsValid || f.attachments.size() > kMaxAttachments
        || QSet<QString>(f.attachments.cbegin(), f.attachments.cend()).size()
            != f.attachments.size()) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("attachments is a list of at most %1 file ids.").arg(kMaxAttachments));
        return false;
    }
    for (const QString &id : f.attachments) {
        const auto file = m_store->fileById(id);
        if (!file || file->channel != *f.channel || file->uploader != c->userId()
            || !file->messageId.isEmpty()) {
            sendError(c, f.ref, QStringLiteral("bad_request"),
                      tr("A file to attach must be one you uploaded to this channel and not "
                         "attached yet."));
            return false;
        }
    }
    return true;
}

bool ChatFrameHandler::replyTarget(ClientConnection *c, const ClientFrame::Send &f,
                                   std::optional<StoredReplyTarget> *target)
{
    if (!f.replyTo)
        return true;
    // A repeated send is answered with the original message (§3), whatever
    // became of its target since.
    if (f.clientMsgId && m_store->messageByClientId(c->userId(), *f.clientMsgId))
        return true;
    // §7: the target must be in the same channel and not deleted (not_found
    // comes before the validation errors, §13).
    auto message = f.replyTo->isEmpty() ? StoreResult<StoredMessage>(StoreError::NotFound)
                                        : m_store->messageById(*f.channel, *f.replyTo);
    if (message.failed()) {
        storageUnavailable(c, f.ref);
        return false;
    }
    if (!message || message->deleted) {
        sendError(c, f.ref, QStringLiteral("not_found"), tr("No such message to reply to."));
        return false;
    }
    *target = StoredReplyTarget{message->id, message->seq, message->author, message->text, false};
    return true;
}

void ChatFrameHandler::storageUnavailable(ClientConnection *c, const QJsonValue &ref)
{
    // The storage could not answer (a database restarting, issue 16): nothing
    // was stored. rate_limited is the code on which clients keep the send
    // pending and try again (§3), which is what this needs; bad_request would
    // make them give the message up.
    sendError(c, ref, QStringLiteral("rate_limited"),
              tr("The server cannot store this right now; it will be sent again."));
}

bool ChatFrameHandler::refuseArchived(ClientConnection *c, const QJsonValue &ref,
                                      const QString &channel)
{
    const auto archived = m_store->channelArchived(channel);
    if (archived.failed()) {
        storageUnavailable(c, ref);
        return true;
    }
    if (archived.value_or(false)) {
        sendError(c, ref, QStringLiteral("archived"), tr("This channel is archived."));
        return true;
    }
    return false;
}

QStringList ChatFrameHandler::mentionsIn(const QString &channel, const QString &author,
                                         const QString &text)
{
    const MentionScanner::Result found = MentionScanner::scan(text);
    const QStringList members = m_members->members(channel);
    QStringList mentioned;
    if (found.channel)
        mentioned = members;
    for (const QString &name : found.names) {
        // Usernames are unique case-insensitively; only members are mentioned.
        const auto user = m_store->userByName(name);
        if (user && members.contains(user->id) && !mentioned.contains(user->id))
            mentioned.append(user->id);
    }
    mentioned.removeAll(author); // authors never mention themselves (§13)
    mentioned.sort();
    return mentioned;
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::React &f)
{
    // Error precedence (§13): not_member, not_found, forbidden, then validation.
    if (!checkMember(c, f.ref, f.channel))
        return;
    const auto target = findTarget(c, f.ref, *f.channel, f.id);
    if (!target)
        return;
    if (target->kind != u"user") {
        sendError(c, f.ref, QStringLiteral("forbidden"),
                  tr("System messages cannot be reacted to."));
        return;
    }
    if (refuseArchived(c, f.ref, target->channel))
        return;
    if (!f.on || !f.emoji || !EmojiRule::isValid(*f.emoji)) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A reaction needs one emoji (one character, at most %1 bytes) and on.")
                      .arg(EmojiRule::kMaxBytes));
        return;
    }
    const auto updated = m_store->setReaction(target->channel, target->id, c->userId(), *f.emoji,
                                              *f.on, kMaxDistinctReactions);
    if (updated.notFound()) {
        sendError(c, f.ref, QStringLiteral("not_found"), tr("No such message."));
        return;
    }
    if (updated.conflict()) {
        sendError(c, f.ref, QStringLiteral("too_many_reactions"),
                  tr("A message has at most %1 different reactions.").arg(kMaxDistinctReactions));
        return;
    }
    if (!updated) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("The reaction could not be stored."));
        return;
    }
    if (updated->rev == target->rev) {
        // No change (§13): the sender alone gets the current state, same rev.
        c->deliver(LiveFrame{
            LiveFrame::Kind::Update, updated->channel, updated->seq,
            ServerCodec::messageUpdatedFrame(f.ref, ServerCodec::Change::Reaction, *updated)});
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=message_reacted conn=" << c->id() << " channel=" << updated->channel
        << " seq=" << updated->seq << " rev=" << updated->rev << " on=" << *f.on;
    publishUpdate(c, f.ref, ServerCodec::Change::Reaction, *updated);
}

} // namespace Natter::Server
