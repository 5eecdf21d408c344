#include "hub/ChannelFrameHandler.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/Fanout.h"
#include "hub/MembershipCache.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "store/ChannelEvents.h"

#include <QPointer>
#include <QRegularExpression>

namespace Natter::Server {

ChannelFrameHandler::ChannelFrameHandler(ChatStore *store, Fanout *fanout, MembershipCache *members,
                                         PresenceService *presence, const Settings &settings)
    : m_store(store)
    , m_fanout(fanout)
    , m_members(members)
    , m_presence(presence)
    , m_settings(settings)
{ }

bool ChannelFrameHandler::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    return re.match(name).hasMatch();
}

void ChannelFrameHandler::sendError(ClientConnection *c, const QJsonValue &ref, const QString &code,
                                    const QString &message)
{
    c->send(ServerCodec::errorFrame(ref, code, message));
}

bool ChannelFrameHandler::storeFailed(ClientConnection *c, const QJsonValue &ref)
{
    // As ChatFrameHandler: bad_request keeps the connection, the client may retry.
    sendError(c, ref, QStringLiteral("bad_request"), tr("The change could not be stored."));
    return false;
}

bool ChannelFrameHandler::isAdmin(const QString &user)
{
    // Read now, so `natterd user promote` holds at once.
    const auto self = m_store->userById(user);
    return self && self->admin;
}

std::optional<StoredChannel> ChannelFrameHandler::visibleChannel(ClientConnection *c,
                                                                 const QJsonValue &ref,
                                                                 const std::optional<QString> &id,
                                                                 bool needMember)
{
    if (!id || id->isEmpty()) {
        sendError(c, ref, QStringLiteral("bad_request"), tr("A channel is required."));
        return std::nullopt;
    }
    auto channel = m_store->channelById(*id, c->userId());
    if (channel.failed()) {
        storeFailed(c, ref);
        return std::nullopt;
    }
    const bool member = channel && channel->members.contains(c->userId());
    // A private channel (or someone else's direct one) does not exist for
    // those outside it (§8: join on private is not_found; never listed).
    if (!channel || (!member && channel->visibility != u"public")) {
        sendError(c, ref, QStringLiteral("not_found"), tr("No such channel."));
        return std::nullopt;
    }
    if (needMember && !member) {
        sendError(c, ref, QStringLiteral("not_member"), tr("You are not in this channel."));
        return std::nullopt;
    }
    return *channel;
}

bool ChannelFrameHandler::mayManage(ClientConnection *c, const QJsonValue &ref,
                                    const StoredChannel &channel)
{
    // §13: owners (members or not) and admins (without being members).
    if (channel.owner == c->userId() || isAdmin(c->userId()))
        return true;
    if (!channel.members.contains(c->userId()))
        sendError(c, ref, QStringLiteral("not_member"), tr("You are not in this channel."));
    else
        sendError(c, ref, QStringLiteral("forbidden"),
                  tr("Only the channel's owner or an admin can do this."));
    return false;
}

bool ChannelFrameHandler::checkUsers(ClientConnection *c, const QJsonValue &ref,
                                     const QStringList &ids)
{
    for (const QString &id : ids) {
        const auto user = m_store->userById(id);
        if (user.failed())
            return storeFailed(c, ref);
        if (!user || user->disabled) {
            sendError(c, ref, QStringLiteral("not_found"), tr("No such user."));
            return false;
        }
    }
    return true;
}

void ChannelFrameHandler::answer(ClientConnection *c, const QJsonValue &ref, const QString &channel,
                                 bool withUsers)
{
    const auto current = m_store->channelById(channel, c->userId());
    if (!current) {
        storeFailed(c, ref);
        return;
    }
    std::optional<QJsonArray> users;
    if (withUsers)
        users = m_presence->usersWithPresence(current->members);
    c->send(ServerCodec::channelFrame(ref, ServerCodec::channel(*current), users));
}

void ChannelFrameHandler::publish(ClientConnection *c, const QJsonValue &ref,
                                  const Outcome &outcome)
{
    const auto base = m_store->channelById(outcome.channel);
    if (!base) {
        storeFailed(c, ref);
        return;
    }
    const QStringList members = base->members;
    // The `channel` frames tell the channel as it was before its system
    // messages, which follow as `message` frames (seq order, no gap).
    const qint64 seqBefore =
        outcome.system.isEmpty() ? base->lastSeq : outcome.system.first().seq - 1;
    const qint64 evBefore = outcome.system.isEmpty() ? base->lastEv : outcome.system.first().ev - 1;
    std::optional<QJsonArray> everyone;
    std::optional<QJsonArray> newcomers;
    QList<QPair<QString, LiveFrame>> frames; // user -> frame (without ref)
    QByteArray actorFrame;
    for (const QString &user : members) {
        auto mine = m_store->channelById(outcome.channel, user);
        if (!mine) {
            storeFailed(c, ref);
            return;
        }
        mine->lastSeq = seqBefore;
        mine->lastEv = evBefore;
        mine->lastReadSeq = qMin(mine->lastReadSeq, seqBefore);
        const bool isNew = outcome.newcomers.contains(user);
        std::optional<QJsonArray> users;
        if (isNew) {
            if (!everyone)
                everyone = m_presence->usersWithPresence(members);
            users = everyone;
        } else if (!outcome.newcomers.isEmpty()) {
            if (!newcomers)
                newcomers = m_presence->usersWithPresence(outcome.newcomers);
            users = newcomers;
        }
        const QJsonObject object = ServerCodec::channel(*mine);
        // A newcomer's connections hold the channel up to seqBefore; members
        // keep what they hold (a message on its way must not be skipped).
        frames.append({user,
                       LiveFrame{isNew ? LiveFrame::Kind::Channel : LiveFrame::Kind::Other,
                                 outcome.channel, seqBefore,
                                 ServerCodec::channelFrame(QJsonValue::Undefined, object, users)}});
        if (user == c->userId())
            actorFrame = ServerCodec::channelFrame(ref, object, users);
    }
    const bool actorRemoved = outcome.removed.contains(c->userId());
    if (actorRemoved) {
        actorFrame = ServerCodec::channelRemovedFrame(ref, outcome.channel, outcome.removedReason);
    } else if (actorFrame.isEmpty()) {
        // An admin managing a channel they are not in.
        auto mine = m_store->channelById(outcome.channel, c->userId());
        if (!mine) {
            storeFailed(c, ref);
            return;
        }
        mine->lastSeq = seqBefore;
        mine->lastEv = evBefore;
        actorFrame = ServerCodec::channelFrame(ref, ServerCodec::channel(*mine), std::nullopt);
    }
    const LiveFrame removedFrame{LiveFrame::Kind::Other, outcome.channel, 0,
                                 ServerCodec::channelRemovedFrame(QJsonValue::Undefined,
                                                                  outcome.channel,
                                                                  outcome.removedReason)};
    QList<LiveFrame> messages;
    for (const StoredMessage &m : outcome.system)
        messages.append(LiveFrame{LiveFrame::Kind::Message, m.channel, m.seq,
                                  ServerCodec::messageFrame(m), m.ev});
    const bool actorIsNew = outcome.newcomers.contains(c->userId());
    QPointer<ClientConnection> guard(c);
    const QString actorConnection = c->id();
    const QString channel = outcome.channel;
    const QStringList removed = outcome.removed;
    m_store->whenDurable([this, guard, actorConnection, actorFrame, actorRemoved, actorIsNew,
                          frames, removed, removedFrame, messages, members, channel, seqBefore] {
        m_members->setMembers(channel, members);
        if (guard) {
            guard->deliver(LiveFrame{actorIsNew && !actorRemoved ? LiveFrame::Kind::Channel
                                                                 : LiveFrame::Kind::Other,
                                     channel, seqBefore, actorFrame});
        }
        for (const auto &[user, frame] : frames)
            m_fanout->toUsers({user}, frame, actorConnection);
        if (!removed.isEmpty())
            m_fanout->toUsers(removed, removedFrame, actorConnection);
        // §13: system messages reach every member, the actor's connections included.
        for (const LiveFrame &m : messages)
            m_fanout->toChannel(channel, m);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::ChannelCreate &f)
{
    if (m_settings.onlyAdminsCreateChannels && !isAdmin(c->userId())) {
        sendError(c, f.ref, QStringLiteral("forbidden"),
                  tr("Only admins can create channels on this server."));
        return;
    }
    if (!f.name || !isValidName(*f.name) || !f.visibility
        || (*f.visibility != u"public" && *f.visibility != u"private") || !f.topicValid
        || !f.membersValid) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A channel needs a name of lowercase letters, digits, - and _ (at most 64) "
                     "and a visibility."));
        return;
    }
    const QString topic = f.topic.value_or(QString());
    if (ServerCodec::codePoints(topic) > kMaxTopicCodePoints) {
        sendError(c, f.ref, QStringLiteral("too_large"),
                  tr("A topic is limited to %1 characters.").arg(kMaxTopicCodePoints));
        return;
    }
    QStringList members = f.members.value_or(QStringList());
    if (!checkUsers(c, f.ref, members))
        return;
    members << c->userId();
    members.removeDuplicates();
    members.sort();
    const auto taken = m_store->channelByNameNoCase(*f.name);
    if (taken.failed()) {
        storeFailed(c, f.ref);
        return;
    }
    if (taken) {
        sendError(c, f.ref, QStringLiteral("name_taken"), tr("That name is taken."));
        return;
    }
    StoredChannel channel;
    channel.id = RandomId::hex();
    channel.name = *f.name;
    channel.visibility = *f.visibility;
    channel.topic = topic;
    channel.owner = c->userId();
    channel.members = members;
    QString error;
    const auto created = ChannelEvents::create(m_store, channel, c->userId(), &error);
    if (created.conflict()) {
        sendError(c, f.ref, QStringLiteral("name_taken"), tr("That name is taken."));
        return;
    }
    if (!created) {
        storeFailed(c, f.ref);
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_created conn=" << c->id() << " channel=" << channel.id
        << " visibility=" << channel.visibility << " members=" << members.size();
    publish(c, f.ref, Outcome{channel.id, members, {}, {}, {*created}});
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Join &f)
{
    const auto channel = visibleChannel(c, f.ref, f.channel, false);
    if (!channel)
        return;
    if (channel->direct) {
        sendError(c, f.ref, QStringLiteral("not_found"), tr("No such channel."));
        return;
    }
    if (channel->members.contains(c->userId())) {
        answer(c, f.ref, channel->id, true); // already a member (§8)
        return;
    }
    if (channel->archived) {
        sendError(c, f.ref, QStringLiteral("archived"), tr("This channel is archived."));
        return;
    }
    const auto joined = ChannelEvents::add(m_store, channel->id, c->userId(), {c->userId()});
    if (!joined) {
        storeFailed(c, f.ref);
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_joined conn=" << c->id() << " channel=" << channel->id;
    publish(c, f.ref, Outcome{channel->id, {c->userId()}, {}, {}, {*joined}});
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Leave &f)
{
    const auto channel = visibleChannel(c, f.ref, f.channel, true);
    if (!channel)
        return;
    if (channel->direct) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A direct conversation cannot be left."));
        return;
    }
    const auto left = ChannelEvents::remove(m_store, channel->id, c->userId(), c->userId());
    if (!left) {
        storeFailed(c, f.ref);
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_left conn=" << c->id() << " channel=" << channel->id;
    publish(c, f.ref, Outcome{channel->id, {}, {c->userId()}, QStringLiteral("left"), {*left}});
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Invite &f)
{
    const auto channel = visibleChannel(c, f.ref, f.channel, true);
    if (!channel)
        return;
    if (channel->direct) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("Nobody can be invited to a direct conversation."));
        return;
    }
    if (channel->archived) {
        sendError(c, f.ref, QStringLiteral("archived"), tr("This channel is archived."));
        return;
    }
    if (!f.users || f.users->isEmpty()) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("Name the people to invite."));
        return;
    }
    if (!checkUsers(c, f.ref, *f.users))
        return;
    QStringList added;
    for (const QString &user : *f.users) {
        if (!channel->members.contains(user) && !added.contains(user))
            added << user;
    }
    added.sort();
    if (added.isEmpty()) {
        answer(c, f.ref, channel->id, false);
        return;
    }
    const auto invited = ChannelEvents::add(m_store, channel->id, c->userId(), added);
    if (!invited) {
        storeFailed(c, f.ref);
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_invited conn=" << c->id() << " channel=" << channel->id
        << " users=" << added.size();
    publish(c, f.ref, Outcome{channel->id, added, {}, {}, {*invited}});
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::ChannelUpdate &f)
{
    const bool admin = isAdmin(c->userId());
    std::optional<StoredChannel> channel;
    if (admin && f.channel) {
        // Admins manage any named channel without being in it (§13).
        if (auto any = m_store->channelById(*f.channel, c->userId()); any && !any->direct)
            channel = *any;
    }
    if (!channel)
        channel = visibleChannel(c, f.ref, f.channel, false);
    if (!channel)
        return;
    if (channel->direct) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A direct conversation has no name or topic."));
        return;
    }
    if (!mayManage(c, f.ref, *channel))
        return;
    if (!f.valid || (f.name && !isValidName(*f.name))) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A channel name is lowercase letters, digits, - and _ (at most 64)."));
        return;
    }
    if (f.topic && ServerCodec::codePoints(*f.topic) > kMaxTopicCodePoints) {
        sendError(c, f.ref, QStringLiteral("too_large"),
                  tr("A topic is limited to %1 characters.").arg(kMaxTopicCodePoints));
        return;
    }
    const QString name = f.name.value_or(channel->name);
    const QString topic = f.topic.value_or(channel->topic);
    const bool renamed = name != channel->name;
    const bool newTopic = topic != channel->topic;
    if (!renamed && !newTopic) {
        answer(c, f.ref, channel->id, false);
        return;
    }
    if (renamed) {
        const auto taken = m_store->channelByNameNoCase(name);
        if (taken.failed()) {
            storeFailed(c, f.ref);
            return;
        }
        if (taken && taken->id != channel->id) {
            sendError(c, f.ref, QStringLiteral("name_taken"), tr("That name is taken."));
            return;
        }
    }
    const auto updated = m_store->updateChannel(channel->id, name, topic, channel->archived);
    if (updated.conflict()) {
        sendError(c, f.ref, QStringLiteral("name_taken"), tr("That name is taken."));
        return;
    }
    if (!updated) {
        storeFailed(c, f.ref);
        return;
    }
    // One system message per field that changed (§8).
    Outcome outcome{channel->id, {}, {}, {}, {}};
    if (renamed) {
        const auto m = ChannelEvents::record(m_store, channel->id, c->userId(),
                                             ChannelEvents::kRenamed, std::nullopt, name);
        if (!m) {
            storeFailed(c, f.ref);
            return;
        }
        outcome.system << *m;
    }
    if (newTopic) {
        const auto m =
            ChannelEvents::record(m_store, channel->id, c->userId(), ChannelEvents::kTopic,
                                  std::nullopt, std::nullopt, topic);
        if (!m) {
            storeFailed(c, f.ref);
            return;
        }
        outcome.system << *m;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_updated conn=" << c->id() << " channel=" << channel->id
        << " renamed=" << renamed << " topic=" << newTopic;
    publish(c, f.ref, outcome);
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Archive &f)
{
    const bool admin = isAdmin(c->userId());
    std::optional<StoredChannel> channel;
    if (admin && f.channel) {
        if (auto any = m_store->channelById(*f.channel, c->userId()); any && !any->direct)
            channel = *any;
    }
    if (!channel)
        channel = visibleChannel(c, f.ref, f.channel, false);
    if (!channel)
        return;
    if (channel->direct) {
        // §13: archived direct channels do not exist.
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("A direct conversation cannot be archived."));
        return;
    }
    if (!mayManage(c, f.ref, *channel))
        return;
    if (!f.archived) {
        sendError(c, f.ref, QStringLiteral("bad_request"), tr("archived must be true or false."));
        return;
    }
    if (*f.archived == channel->archived) {
        answer(c, f.ref, channel->id, false);
        return;
    }
    if (!m_store->updateChannel(channel->id, channel->name, channel->topic, *f.archived)) {
        storeFailed(c, f.ref);
        return;
    }
    const auto m =
        ChannelEvents::record(m_store, channel->id, c->userId(),
                              *f.archived ? ChannelEvents::kArchived : ChannelEvents::kUnarchived);
    if (!m) {
        storeFailed(c, f.ref);
        return;
    }
    qCInfo(lcServerWs).noquote().nospace()
        << "event=channel_archived conn=" << c->id() << " channel=" << channel->id
        << " archived=" << *f.archived;
    publish(c, f.ref, Outcome{channel->id, {}, {}, {}, {*m}});
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Notify &f)
{
    const auto channel = visibleChannel(c, f.ref, f.channel, true);
    if (!channel)
        return;
    if (!f.level || (*f.level != u"all" && *f.level != u"mentions" && *f.level != u"none")) {
        sendError(c, f.ref, QStringLiteral("bad_request"),
                  tr("level must be all, mentions or none."));
        return;
    }
    if (!m_store->setNotify(channel->id, c->userId(), *f.level)) {
        storeFailed(c, f.ref);
        return;
    }
    StoredChannel mine = *channel;
    mine.notify = *f.level;
    const QJsonObject object = ServerCodec::channel(mine);
    const QByteArray own = ServerCodec::channelFrame(f.ref, object, std::nullopt);
    const LiveFrame others{LiveFrame::Kind::Other, mine.id, 0,
                           ServerCodec::channelFrame(QJsonValue::Undefined, object, std::nullopt)};
    QPointer<ClientConnection> guard(c);
    const QString user = c->userId();
    const QString connection = c->id();
    m_store->whenDurable([this, guard, own, others, user, connection] {
        if (guard)
            guard->send(own);
        // §8: stored per user; the user's other connections learn it too.
        m_fanout->toUsers({user}, others, connection);
    });
}

} // namespace Natter::Server
