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

#include <QScopeGuard>
#include <QSet>

#include <algorithm>

namespace Natter::Server {

namespace {
constexpr int kDefaultHistory = 50;
constexpr int kMaxHistory = 200;

// Which per-user budget a frame draws on (issue 12); nullopt: only the
// per-connection limit applies. Every frame that is stored and fanned out, or
// fanned out to a channel, counts: a user with 32 sockets would otherwise get 32
// connections' rate of fan-out (`react` and `typing` were left out at first).
template<typename Frame> std::optional<UserLimits::Kind> userLimitOf(const Frame &)
{
    using F = std::decay_t<Frame>;
    using namespace ClientFrame;
    if constexpr (
        std::is_same_v<
            F,
            Send> || std::is_same_v<F, Edit> || std::is_same_v<F, Delete> || std::is_same_v<F, React>)
        return UserLimits::Kind::Message;
    else if constexpr (std::is_same_v<F, Presence>)
        return UserLimits::Kind::Presence;
    else if constexpr (
        std::is_same_v<
            F,
            Dm> || std::is_same_v<F, ChannelCreate> || std::is_same_v<F, Join> || std::is_same_v<F, Leave> || std::is_same_v<F, Invite> || std::is_same_v<F, ChannelUpdate> || std::is_same_v<F, Archive> || std::is_same_v<F, Notify>)
        return UserLimits::Kind::Channel;
    else if constexpr (std::is_same_v<F, Typing>)
        return UserLimits::Kind::Typing;
    else
        return std::nullopt; // history, read, ping: answered to the asker only
}

template<typename Frame> QJsonValue refOf(const Frame &frame)
{
    return frame.ref;
}

// What the store work of a frame found; the continuation on the event loop
// turns it into the answer. One list for the message frames: each uses some.
enum class Outcome {
    Done, // stored (or read) as asked
    Unchanged, // §13 no change: the sender alone gets the current state
    Resend, // §3 a client_msg_id seen before: answered with the original
    Unavailable, // the storage could not answer or write: retryable (rate_limited)
    NoMessage, // not_found: no such (live) message
    NoReplyTarget, // not_found: no such message to reply to (§7)
    Forbidden,
    Archived, // §13
    BadRequest, // the frame's own validation, checked after the store's
    TooLarge,
    BadAttachments, // §9
    WindowExpired, // §7 edit window
    TooManyReactions,
    NotStored, // refused for good by the store (a send's file gone: bad_request)
};

// The frame's validation that needs no store, computed on the loop and
// answered in its place in the error precedence (§13: after not_found,
// forbidden and archived, which need the store).
enum class TextCheck { Ok, Missing, TooLong };

// A store job's answer: the outcome and the message it is about.
struct MessageResult
{
    Outcome outcome = Outcome::Done;
    StoredMessage message;
};

// §7 mentions, the part that needs the store (in a job): the members `scan`
// found in a text (every member for `@channel`), never the author; sorted
// user ids. `members`: the channel's, from the MembershipCache.
QStringList resolveMentions(ChatStore &store, const MentionScanner::Result &scan,
                            const QStringList &members, const QString &author)
{
    QStringList mentioned;
    if (scan.channel)
        mentioned = members;
    for (const QString &name : scan.names) {
        // Usernames are unique case-insensitively; only members are mentioned.
        const auto user = store.userByName(name);
        if (user && members.contains(user->id) && !mentioned.contains(user->id))
            mentioned.append(user->id);
    }
    mentioned.removeAll(author); // authors never mention themselves (§13)
    mentioned.sort();
    return mentioned;
}

// The live message an edit, delete or react is about (in a job): nullopt
// when there is one (in *target), else why not. A tombstone cannot be
// edited, deleted or reacted to (§7, §13).
std::optional<Outcome> readTarget(ChatStore &store, const QString &channel, const QString &id,
                                  StoredMessage *target)
{
    auto message = store.messageById(channel, id);
    // The storage could not answer: never claim the message does not exist,
    // and let the client try again (as a send).
    if (message.failed())
        return Outcome::Unavailable;
    if (!message || message->deleted)
        return Outcome::NoMessage;
    *target = std::move(*message);
    return std::nullopt;
}

// §13: send, edit and react are refused in an archived channel (in a job).
std::optional<Outcome> archivedCheck(ChatStore &store, const QString &channel)
{
    const auto archived = store.channelArchived(channel);
    if (archived.failed())
        return Outcome::Unavailable;
    if (archived.value_or(false))
        return Outcome::Archived;
    return std::nullopt;
}

// What a send needs from the frame and the loop, for its store job.
struct SendPlan
{
    QString channel;
    QString author;
    std::optional<QString> clientMsgId;
    QString text;
    std::optional<QString> replyTo;
    QStringList files;
    bool filesShapeValid = true; // ≤ 10 distinct ids (§9)
    Outcome invalid = Outcome::Done; // BadRequest or TooLarge: refused after archived
    MentionScanner::Result mentions;
    QStringList members; // only when `mentions` found any
};

// A send's store work (§3, §7, §9, §13), in one job with its append: the
// checks in the order of the error precedence, then the append.
MessageResult sendJob(ChatStore &store, const ChatStore::Append &append, const SendPlan &plan)
{
    StoredMessage message;
    message.channel = plan.channel;
    message.author = plan.author;
    message.text = plan.text;
    message.clientMsgId = plan.clientMsgId.value_or(QString());
    if (plan.replyTo) {
        // A repeated send is answered with the original message (§3),
        // whatever became of its target since: no target needed then.
        const bool resend =
            plan.clientMsgId && store.messageByClientId(plan.author, *plan.clientMsgId);
        if (!resend) {
            // §7: the target must be in the same channel and not deleted
            // (not_found comes before the validation errors, §13).
            auto target = plan.replyTo->isEmpty() ? StoreResult<StoredMessage>(StoreError::NotFound)
                                                  : store.messageById(plan.channel, *plan.replyTo);
            if (target.failed())
                return {Outcome::Unavailable, {}};
            if (!target || target->deleted)
                return {Outcome::NoReplyTarget, {}};
            message.replyTo =
                StoredReplyTarget{target->id, target->seq, target->author, target->text, false};
        }
    }
    // The archived check: read here where a refusal that comes after it is
    // possible; otherwise the append checks it in the statement that takes
    // the seq (ChatStore::Append), and only a refused append reads it.
    const bool readArchived =
        plan.invalid != Outcome::Done || !plan.files.isEmpty() || !plan.filesShapeValid;
    if (readArchived) {
        if (const auto refused = archivedCheck(store, plan.channel))
            return {*refused, {}};
    }
    if (plan.invalid != Outcome::Done)
        return {plan.invalid, {}};
    QList<StoredFile> attachments;
    if (!plan.files.isEmpty()) {
        // Idempotency with files: look first, the files now belong to the
        // original. (Without files the UNIQUE (author, client_msg_id) finds a
        // resend: the Conflict below, which spares every new message a read.)
        if (auto existing = store.messageByClientId(plan.author, message.clientMsgId))
            return {Outcome::Resend, std::move(*existing)};
    }
    // §9: at most 10 distinct files the sender uploaded for this channel and
    // not yet attached.
    if (!plan.filesShapeValid)
        return {Outcome::BadAttachments, {}};
    for (const QString &id : plan.files) {
        auto file = store.fileById(id);
        if (!file || file->channel != plan.channel || file->uploader != plan.author
            || !file->messageId.isEmpty())
            return {Outcome::BadAttachments, {}};
        attachments.append(std::move(*file));
    }
    message.mentions = resolveMentions(store, plan.mentions, plan.members, plan.author);
    // The message and its files (§9) are stored together or not at all.
    const StoreResult<void> appended = append(&message, plan.files, !readArchived);
    if (!appended) {
        if (appended.conflict()) {
            // A resend (§3): answer with the original.
            if (auto existing = store.messageByClientId(plan.author, message.clientMsgId))
                return {Outcome::Resend, std::move(*existing)};
            return {Outcome::Unavailable, {}};
        }
        // The store failing is retryable (the client keeps the send pending).
        if (appended.failed())
            return {Outcome::Unavailable, {}};
        // NotFound: the channel is archived (the rare path that tells it
        // from a missing one), gone, or a file cannot be attached.
        if (!readArchived) {
            if (const auto refused = archivedCheck(store, plan.channel))
                return {*refused, {}};
        }
        return {Outcome::NotStored, {}};
    }
    // The files as attached: the rows read above, now this message's.
    for (StoredFile &file : attachments) {
        file.messageId = message.id;
        message.attachments.append(std::move(file));
    }
    return {Outcome::Done, std::move(message)};
}
} // namespace

struct ChatFrameHandler::NotDone
{
    Outcome outcome;
    ServerCodec::Change change; // the kind the unchanged message is answered as
    QString forbidden; // why the actor may not (§13 forbidden)
    QString notStored; // any other outcome: the change could not be stored
};

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
    if (m_members->contains(*channel, c->userId()))
        return true;
    // Not a member: whether the channel exists at all (not_found before
    // not_member) is the store's to say.
    QPointer<ClientConnection> guard(c);
    const QString id = *channel;
    m_store->run([id](ChatStore &store) { return store.channelById(id).has_value(); },
                 [guard, ref](bool exists) {
                     if (!guard)
                         return;
                     if (!exists)
                         sendError(guard, ref, QStringLiteral("not_found"), tr("No such channel."));
                     else
                         sendError(guard, ref, QStringLiteral("not_member"),
                                   tr("You are not in this channel."));
                 });
    return false;
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Send &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    // The frame's own validation, answered after the store's not_found and
    // archived (§13) by the job.
    SendPlan plan;
    plan.channel = *f.channel;
    plan.author = c->userId();
    plan.clientMsgId = f.clientMsgId;
    plan.text = f.text.value_or(QString());
    plan.replyTo = f.replyTo;
    plan.files = f.attachments;
    // §9: a message with files may have no text.
    const bool hasText = f.text && !f.text->isEmpty();
    const bool textOptional =
        f.attachmentsValid && !f.attachments.isEmpty() && (!f.text || f.text->isEmpty());
    if ((!hasText && !textOptional) || !f.clientMsgId || f.clientMsgId->isEmpty()
        || f.clientMsgId->size() > 200)
        plan.invalid = Outcome::BadRequest;
    else if (hasText && ServerCodec::codePoints(*f.text) > kMaxTextCodePoints)
        plan.invalid = Outcome::TooLarge;
    plan.filesShapeValid = f.attachmentsValid && f.attachments.size() <= kMaxAttachments
        && QSet<QString>(f.attachments.cbegin(), f.attachments.cend()).size()
            == f.attachments.size();
    if (plan.invalid == Outcome::Done) {
        plan.mentions = MentionScanner::scan(plan.text);
        if (plan.mentions.channel || !plan.mentions.names.isEmpty())
            plan.members = m_members->members(plan.channel);
    }

    const QJsonValue ref = f.ref;
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QString sender = c->id();
    // `json`: the message encoded once for the ack and the fan-out (empty: encode here).
    const auto ack = [guard, ref](const StoredMessage &m, const QByteArray &json = {}) {
        if (!guard)
            return;
        guard->deliver(
            LiveFrame{LiveFrame::Kind::Ack, m.channel, m.seq,
                      ServerCodec::ackFrame(ref, m.clientMsgId,
                                            json.isEmpty() ? ServerCodec::messageJson(m) : json)});
    };
    // On the loop, once the outcome is durable. The connection may have closed
    // meanwhile (`guard`), the handler gone (`self`, at shutdown).
    const auto answer = [self, guard, ref, ack, sender](const MessageResult &result) {
        if (!self)
            return;
        const StoredMessage &message = result.message;
        switch (result.outcome) {
        case Outcome::Done: {
            // Durable: nothing leaves before the message is committed.
            const QByteArray json = ServerCodec::messageJson(message);
            LiveFrame frame{LiveFrame::Kind::Message, message.channel, message.seq,
                            ServerCodec::messageFrame(json)};
            frame.ev = message.ev;
            self->m_fanout->toChannelWithAck(message.channel, frame, sender,
                                             [ack, message, json] { ack(message, json); });
            self->m_presence->typingStopped(message.channel, message.author);
            return;
        }
        case Outcome::Resend:
            // Under the new ref; nobody gets a second `message`.
            ack(message);
            return;
        default:
            break;
        }
        if (!guard)
            return;
        switch (result.outcome) {
        case Outcome::NoReplyTarget:
            sendError(guard, ref, QStringLiteral("not_found"), tr("No such message to reply to."));
            break;
        case Outcome::Archived:
            sendError(guard, ref, QStringLiteral("archived"), tr("This channel is archived."));
            break;
        case Outcome::BadRequest:
            sendError(guard, ref, QStringLiteral("bad_request"),
                      tr("A send needs a text and a client_msg_id."));
            break;
        case Outcome::TooLarge:
            sendError(guard, ref, QStringLiteral("too_large"),
                      tr("Messages are limited to %1 characters.").arg(kMaxTextCodePoints));
            break;
        case Outcome::BadAttachments:
            sendError(guard, ref, QStringLiteral("bad_request"),
                      tr("A file to attach must be one you uploaded to this channel and not "
                         "attached yet."));
            break;
        case Outcome::Unavailable:
            storageUnavailable(guard, ref);
            break;
        default:
            // NotFound on the append (a file that cannot be attached): not retryable.
            sendError(guard, ref, QStringLiteral("bad_request"),
                      tr("The message could not be stored."));
            break;
        }
    };
    // `allocated`: the message has its ev; the cluster fan-out waits for it
    // rather than fill it from the store (Fanout::expectLocal).
    auto allocated = [self](const StoredMessage &m) {
        if (self)
            self->m_fanout->expectLocal(m.channel, m.ev);
    };
    // One job for the reads and the append: on PostgreSQL it runs on the
    // store's writer thread and the answer comes back here later (issue 16).
    // The store answers in call order, so a connection's acks keep the order
    // of its sends and a channel's messages reach the fan-out in seq order.
    m_store->runSendJob(
        [plan = std::move(plan),
         answer](ChatStore &store, const ChatStore::Append &append) -> ChatStore::Continuation {
            return [answer, result = sendJob(store, append, plan)] {
                answer(result);
            };
        },
        std::move(allocated));
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
    const QString channel = *f.channel;
    const QJsonValue ref = f.ref;
    QPointer<ClientConnection> guard(c);
    m_store->run([channel, beforeSeq,
                  limit](ChatStore &store) { return store.history(channel, beforeSeq, limit + 1); },
                 [guard, ref, channel, limit](StoreResult<QList<StoredMessage>> page) {
                     if (!guard)
                         return;
                     if (!page) {
                         // Never an empty page: the client would take it as the channel's
                         // start and stop paging. §3 has no server-error code; bad_request
                         // is the one this server already answers when the storage fails
                         // (see send and edit): it keeps the connection, and the client
                         // shows the error and may ask again. not_found would claim the
                         // channel is gone.
                         sendError(guard, ref, QStringLiteral("bad_request"),
                                   tr("The history could not be read."));
                         return;
                     }
                     QList<StoredMessage> messages = std::move(*page);
                     const bool hasMore = messages.size() > limit;
                     if (hasMore)
                         messages.removeFirst();
                     guard->send(ServerCodec::historyFrame(ref, channel, messages, hasMore));
                 });
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
    const QString user = c->userId();
    const qint64 asked = *f.seq;
    // The seq the marker moved to; 0: it did not move; -1: no such channel.
    const auto work = [channel, user, asked](ChatStore &store) -> qint64 {
        const auto info = store.channelById(channel, user);
        if (!info)
            return -1;
        // Markers only move forward; past the end is clamped to last_seq.
        const qint64 seq = qMin(asked, info->lastSeq);
        if (seq <= info->lastReadSeq)
            return 0;
        return store.setLastReadSeq(channel, user, seq) ? seq : 0;
    };
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QJsonValue ref = f.ref;
    const QString reader = c->id();
    m_store->run(work, [self, guard, ref, channel, user, reader](qint64 seq) {
        if (seq < 0) {
            if (guard)
                sendError(guard, ref, QStringLiteral("not_found"), tr("No such channel."));
            return;
        }
        if (seq == 0 || !self)
            return;
        // To the reader's other connections only (§3).
        const LiveFrame relay{LiveFrame::Kind::Other, channel, 0,
                              ServerCodec::readFrame(channel, user, seq)};
        self->m_fanout->toUsers({user}, relay, reader);
    });
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Dm &f)
{
    if (!f.user || f.user->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("A user is required."));
        return;
    }
    const QString peer = *f.user;
    const QString me = c->userId();
    if (peer == me) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A direct channel needs another user."));
        return;
    }
    struct DmResult
    {
        enum { NoUser, Existing, Created, Failed } outcome = Failed;
        StoredChannel channel;
        QList<StoredUser> users; // the two members, for the channel frame
    };
    const auto work = [peer, me](ChatStore &store) -> DmResult {
        const auto peerUser = store.userById(peer);
        if (!peerUser || peerUser->disabled)
            return {DmResult::NoUser, {}, {}};
        const auto self = store.userById(me);
        // The members as the channel frame lists them, read here, not on the
        // event loop (PresenceService adds their presence there).
        QList<StoredUser> users;
        if (self)
            users.append(*self);
        users.append(*peerUser);
        if (auto existing = store.directChannel(me, peer))
            return {DmResult::Existing, std::move(*existing), users};
        StoredChannel channel;
        channel.id = RandomId::hex();
        channel.direct = true;
        channel.members = QStringList{me, peer};
        channel.members.sort();
        QStringList names{self ? self->username : me, peerUser->username};
        names.sort();
        channel.name = names.join(QStringLiteral(", "));
        // The channel with both members, or nothing (ChatStore::Atomic).
        ChatStore::Atomic atomic(store);
        QString error;
        if (!atomic.ok() || !store.addChannel(channel, &error) || !atomic.commit())
            return {DmResult::Failed, {}, {}};
        return {DmResult::Created, std::move(channel), users};
    };
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QJsonValue ref = f.ref;
    const QString requester = c->id();
    // A new direct channel changes the MembershipCache: the connection's next
    // frames (a send into it) wait for the continuation (FrameHold).
    c->hold().begin();
    m_store->run(work, [self, guard, ref, requester](const DmResult &result) {
        const auto release = qScopeGuard([&guard] {
            if (guard)
                guard->hold().end();
        });
        if (!self)
            return;
        if (result.outcome == DmResult::NoUser || result.outcome == DmResult::Failed) {
            if (!guard)
                return;
            if (result.outcome == DmResult::NoUser)
                sendError(guard, ref, QStringLiteral("not_found"), tr("No such user."));
            else // the storage failed: retryable, as for every channel frame
                sendError(guard, ref, QStringLiteral("rate_limited"),
                          tr("The conversation could not be stored now."));
            return;
        }
        const StoredChannel &channel = result.channel;
        // In the channel's member order, as the frame always listed them.
        QList<StoredUser> members;
        for (const QString &id : channel.members) {
            for (const StoredUser &u : result.users) {
                if (u.id == id)
                    members.append(u);
            }
        }
        const QJsonArray users = self->m_presence->usersWithPresence(members);
        const QJsonObject object = ServerCodec::channel(channel);
        if (result.outcome == DmResult::Existing) {
            if (guard)
                guard->send(ServerCodec::channelFrame(ref, object, users));
            return;
        }
        // The two may share no other channel: introduce them to each other.
        self->m_members->setMembers(channel.id, channel.members);
        if (guard)
            guard->send(ServerCodec::channelFrame(ref, object, users));
        // Everyone else (the peer's and the requester's other devices) hears of it once.
        const LiveFrame plain{LiveFrame::Kind::Channel, channel.id, 0,
                              ServerCodec::channelFrame(QJsonValue::Undefined, object, users)};
        self->m_fanout->toUsers(channel.members, plain, requester);
        self->m_fanout->membershipChanged(channel.id);
    });
}

void ChatFrameHandler::publishUpdate(const QPointer<ClientConnection> &actor,
                                     const QString &actorId, const QJsonValue &ref,
                                     ServerCodec::Change kind, const StoredMessage &m)
{
    if (actor)
        actor->deliver(LiveFrame{LiveFrame::Kind::Update, m.channel, m.seq,
                                 ServerCodec::messageUpdatedFrame(ref, kind, m)});
    // The actor's other devices included; only the actor's connection has the ref.
    const LiveFrame others{LiveFrame::Kind::Update, m.channel, m.seq,
                           ServerCodec::messageUpdatedFrame(QJsonValue::Undefined, kind, m), m.ev};
    m_fanout->toChannel(others.channel, others, actorId);
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Edit &f)
{
    // Error precedence (§13): not_member, not_found, forbidden, then validation.
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (!f.id || f.id->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("A message id is required."));
        return;
    }
    const TextCheck textCheck = !f.text || f.text->isEmpty()    ? TextCheck::Missing
        : ServerCodec::codePoints(*f.text) > kMaxTextCodePoints ? TextCheck::TooLong
                                                                : TextCheck::Ok;
    const QString channel = *f.channel;
    const QString id = *f.id;
    const QString text = f.text.value_or(QString());
    const QString author = c->userId();
    MentionScanner::Result mentions;
    QStringList members;
    if (textCheck == TextCheck::Ok) {
        mentions = MentionScanner::scan(text);
        if (mentions.channel || !mentions.names.isEmpty())
            members = m_members->members(channel);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 editWindowMs = m_settings.editWindowMs;
    const auto work = [channel, id, text, author, textCheck, mentions, members, now,
                       editWindowMs](ChatStore &store) -> MessageResult {
        StoredMessage target;
        if (const auto refused = readTarget(store, channel, id, &target))
            return {*refused, {}};
        if (target.author != author || target.kind != u"user")
            return {Outcome::Forbidden, {}};
        if (const auto refused = archivedCheck(store, target.channel))
            return {*refused, {}};
        if (textCheck != TextCheck::Ok)
            return {textCheck == TextCheck::Missing ? Outcome::BadRequest : Outcome::TooLarge, {}};
        if (editWindowMs >= 0 && target.ts.msecsTo(now) >= editWindowMs)
            return {Outcome::WindowExpired, {}};
        // No change (§13): the sender alone gets the current state, same rev.
        if (text == target.text)
            return {Outcome::Unchanged, std::move(target)};
        // §7: an edit recomputes the mentions.
        auto updated = store.editMessage(target.channel, target.id, text, now,
                                         resolveMentions(store, mentions, members, author));
        if (!updated) // deleted meanwhile (PostgreSQL: another node), or not stored
            return {updated.failed() ? Outcome::Unavailable : Outcome::NoMessage, {}};
        return {Outcome::Done, std::move(*updated)};
    };
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QJsonValue ref = f.ref;
    const QString actor = c->id();
    m_store->run(work, [self, guard, ref, actor](const MessageResult &result) {
        if (!self)
            return;
        const StoredMessage &m = result.message;
        if (result.outcome == Outcome::Done) {
            qCInfo(lcServerWs).noquote().nospace()
                << "event=message_edited conn=" << actor << " channel=" << m.channel
                << " seq=" << m.seq << " rev=" << m.rev;
            self->publishUpdate(guard, actor, ref, ServerCodec::Change::Edit, m);
            return;
        }
        if (!guard)
            return;
        switch (result.outcome) {
        case Outcome::BadRequest:
            sendError(guard, ref, QStringLiteral("bad_request"), tr("An edit needs a text."));
            break;
        case Outcome::TooLarge:
            sendError(guard, ref, QStringLiteral("too_large"),
                      tr("Messages are limited to %1 characters.").arg(kMaxTextCodePoints));
            break;
        case Outcome::WindowExpired:
            sendError(guard, ref, QStringLiteral("edit_window_expired"),
                      tr("This message is too old to be edited."));
            break;
        default:
            answerNotDone(guard, ref, m,
                          {result.outcome, ServerCodec::Change::Edit,
                           tr("Only the author can edit a message."),
                           tr("The edit could not be stored.")});
            break;
        }
    });
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::Delete &f)
{
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (!f.id || f.id->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("A message id is required."));
        return;
    }
    struct DeleteResult
    {
        Outcome outcome = Outcome::Done;
        StoredMessage message;
        QStringList files; // §9: the files that went with it
        bool byAuthor = false;
    };
    const QString channel = *f.channel;
    const QString id = *f.id;
    const QString user = c->userId();
    const auto work = [channel, id, user](ChatStore &store) -> DeleteResult {
        StoredMessage target;
        if (const auto refused = readTarget(store, channel, id, &target))
            return {*refused, {}, {}, false};
        // The author or a server admin (read now: `natterd user promote` holds at once).
        bool allowed = target.kind == u"user" && target.author == user;
        if (!allowed && target.kind == u"user") {
            const auto self = store.userById(user);
            allowed = self && self->admin;
        }
        if (!allowed)
            return {Outcome::Forbidden, {}, {}, false};
        auto deleted = store.deleteMessage(target.channel, target.id);
        if (!deleted)
            return {deleted.failed() ? Outcome::Unavailable : Outcome::NoMessage, {}, {}, false};
        QStringList files;
        for (const StoredFile &file : target.attachments)
            files << file.id;
        return {Outcome::Done, std::move(*deleted), files, target.author == user};
    };
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QJsonValue ref = f.ref;
    const QString actor = c->id();
    m_store->run(work, [self, guard, ref, actor](const DeleteResult &result) {
        if (!self)
            return;
        const StoredMessage &m = result.message;
        if (result.outcome == Outcome::Done) {
            qCInfo(lcServerWs).noquote().nospace()
                << "event=message_deleted conn=" << actor << " channel=" << m.channel
                << " seq=" << m.seq << " by_author=" << result.byAuthor;
            // §9: the files go with the message, now that the delete is committed.
            if (!result.files.isEmpty())
                Q_EMIT self->filesReleased(result.files);
            self->publishUpdate(guard, actor, ref, ServerCodec::Change::Delete, m);
            return;
        }
        if (!guard)
            return;
        answerNotDone(guard, ref, m,
                      {result.outcome, ServerCodec::Change::Delete,
                       tr("Only the author or an admin can delete a message."),
                       tr("The delete could not be stored.")});
    });
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

void ChatFrameHandler::answerNotDone(ClientConnection *c, const QJsonValue &ref,
                                     const StoredMessage &m, const NotDone &notDone)
{
    switch (notDone.outcome) {
    case Outcome::Unchanged:
        // §13 no change: the actor alone gets the current state, same rev.
        c->deliver(LiveFrame{LiveFrame::Kind::Update, m.channel, m.seq,
                             ServerCodec::messageUpdatedFrame(ref, notDone.change, m)});
        break;
    case Outcome::NoMessage:
        sendError(c, ref, QStringLiteral("not_found"), tr("No such message."));
        break;
    case Outcome::Forbidden:
        sendError(c, ref, QStringLiteral("forbidden"), notDone.forbidden);
        break;
    case Outcome::Unavailable:
        storageUnavailable(c, ref);
        break;
    case Outcome::Archived:
        sendError(c, ref, QStringLiteral("archived"), tr("This channel is archived."));
        break;
    default:
        sendError(c, ref, QStringLiteral("bad_request"), notDone.notStored);
        break;
    }
}

void ChatFrameHandler::on(ClientConnection *c, const ClientFrame::React &f)
{
    // Error precedence (§13): not_member, not_found, forbidden, then validation.
    if (!checkMember(c, f.ref, f.channel))
        return;
    if (!f.id || f.id->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("A message id is required."));
        return;
    }
    const bool valid = f.on && f.emoji && EmojiRule::isValid(*f.emoji);
    const QString channel = *f.channel;
    const QString id = *f.id;
    const QString user = c->userId();
    const QString emoji = f.emoji.value_or(QString());
    const bool on = f.on.value_or(false);
    const auto work = [channel, id, user, emoji, on, valid](ChatStore &store) -> MessageResult {
        StoredMessage target;
        if (const auto refused = readTarget(store, channel, id, &target))
            return {*refused, {}};
        if (target.kind != u"user")
            return {Outcome::Forbidden, {}};
        if (const auto refused = archivedCheck(store, target.channel))
            return {*refused, {}};
        if (!valid)
            return {Outcome::BadRequest, {}};
        auto updated =
            store.setReaction(target.channel, target.id, user, emoji, on, kMaxDistinctReactions);
        if (updated.notFound())
            return {Outcome::NoMessage, {}};
        if (updated.conflict())
            return {Outcome::TooManyReactions, {}};
        if (!updated)
            return {Outcome::Unavailable, {}};
        // No change (§13): the sender alone gets the current state, same rev.
        if (updated->rev == target.rev)
            return {Outcome::Unchanged, std::move(*updated)};
        return {Outcome::Done, std::move(*updated)};
    };
    QPointer<ClientConnection> guard(c);
    QPointer<ChatFrameHandler> self(this);
    const QJsonValue ref = f.ref;
    const QString actor = c->id();
    m_store->run(work, [self, guard, ref, actor, on](const MessageResult &result) {
        if (!self)
            return;
        const StoredMessage &m = result.message;
        if (result.outcome == Outcome::Done) {
            qCInfo(lcServerWs).noquote().nospace()
                << "event=message_reacted conn=" << actor << " channel=" << m.channel
                << " seq=" << m.seq << " rev=" << m.rev << " on=" << on;
            self->publishUpdate(guard, actor, ref, ServerCodec::Change::Reaction, m);
            return;
        }
        if (!guard)
            return;
        switch (result.outcome) {
        case Outcome::BadRequest:
            sendError(guard, ref, QStringLiteral("bad_request"),
                      tr("A reaction needs one emoji (one character, at most %1 bytes) and on.")
                          .arg(EmojiRule::kMaxBytes));
            break;
        case Outcome::TooManyReactions:
            sendError(
                guard, ref, QStringLiteral("too_many_reactions"),
                tr("A message has at most %1 different reactions.").arg(kMaxDistinctReactions));
            break;
        default:
            answerNotDone(guard, ref, m,
                          {result.outcome, ServerCodec::Change::Reaction,
                           tr("System messages cannot be reacted to."),
                           tr("The reaction could not be stored.")});
            break;
        }
    });
}

} // namespace Natter::Server
