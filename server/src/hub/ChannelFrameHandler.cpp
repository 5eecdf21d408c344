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
#include <QTimer>

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

ChannelFrameHandler::Result ChannelFrameHandler::fail(const QString &code, const QString &message)
{
    Result result;
    result.error = qMakePair(code, message);
    return result;
}

ChannelFrameHandler::Result ChannelFrameHandler::storeFailed()
{
    // As ChatFrameHandler for message frames: rate_limited, the retryable code
    // (a full disk, PostgreSQL restarting). bad_request would tell the person
    // their channel name or request was wrong.
    return fail(QStringLiteral("rate_limited"), tr("The change could not be stored now."));
}

ChannelFrameHandler::Result ChannelFrameHandler::logged(Result result, const QString &event,
                                                        const QString &fields)
{
    result.logEvent = event;
    result.logFields = fields;
    return result;
}

bool ChannelFrameHandler::isAdmin(ChatStore &store, const QString &user)
{
    // Read now, so `natterd user promote` holds at once.
    const auto self = store.userById(user);
    return self && self->admin;
}

std::optional<StoredChannel> ChannelFrameHandler::visibleChannel(ChatStore &store,
                                                                 const QString &user,
                                                                 const std::optional<QString> &id,
                                                                 bool needMember, Result *error)
{
    if (!id || id->isEmpty()) {
        *error = fail(QStringLiteral("bad_request"), tr("A channel is required."));
        return std::nullopt;
    }
    auto channel = store.channelById(*id, user);
    if (channel.failed()) {
        *error = storeFailed();
        return std::nullopt;
    }
    const bool member = channel && channel->members.contains(user);
    // A private channel (or someone else's direct one) does not exist for
    // those outside it (§8: join on private is not_found; never listed).
    if (!channel || (!member && channel->visibility != u"public")) {
        *error = fail(QStringLiteral("not_found"), tr("No such channel."));
        return std::nullopt;
    }
    if (needMember && !member) {
        *error = fail(QStringLiteral("not_member"), tr("You are not in this channel."));
        return std::nullopt;
    }
    return *channel;
}

bool ChannelFrameHandler::mayManage(ChatStore &store, const QString &user,
                                    const StoredChannel &channel, Result *error)
{
    // §13: owners (members or not) and admins (without being members).
    if (channel.owner == user || isAdmin(store, user))
        return true;
    if (!channel.members.contains(user))
        *error = fail(QStringLiteral("not_member"), tr("You are not in this channel."));
    else
        *error = fail(QStringLiteral("forbidden"),
                      tr("Only the channel's owner or an admin can do this."));
    return false;
}

bool ChannelFrameHandler::checkUsers(ChatStore &store, const QStringList &ids, Result *error)
{
    for (const QString &id : ids) {
        const auto user = store.userById(id);
        if (user.failed()) {
            *error = storeFailed();
            return false;
        }
        if (!user || user->disabled) {
            *error = fail(QStringLiteral("not_found"), tr("No such user."));
            return false;
        }
    }
    return true;
}

ChannelFrameHandler::Result ChannelFrameHandler::answer(ChatStore &store, const QString &user,
                                                        const QString &channel, bool withUsers)
{
    const auto current = store.channelById(channel, user);
    if (!current)
        return storeFailed();
    Result result;
    result.answer = *current;
    result.withUsers = withUsers;
    if (withUsers) {
        for (const QString &id : current->members) {
            if (const auto u = store.userById(id))
                result.users.insert(id, *u);
        }
    }
    return result;
}

ChannelFrameHandler::Result ChannelFrameHandler::made(const QString &user, const Outcome &outcome)
{
    Result result;
    result.outcome = outcome;
    result.toRead = user;
    return result;
}

ChannelFrameHandler::Result ChannelFrameHandler::prepare(ChatStore &store, const QString &user,
                                                         const Outcome &outcome)
{
    const auto base = store.channelById(outcome.channel);
    if (!base)
        return storeFailed();
    Result result;
    result.members = base->members;
    // The `channel` frames tell the channel as it was before its system
    // messages, which follow as `message` frames (seq order, no gap).
    result.seqBefore = outcome.system.isEmpty() ? base->lastSeq : outcome.system.first().seq - 1;
    result.evBefore = outcome.system.isEmpty() ? base->lastEv : outcome.system.first().ev - 1;
    for (const QString &member : std::as_const(result.members)) {
        auto mine = store.channelById(outcome.channel, member);
        if (!mine)
            return storeFailed();
        mine->lastSeq = result.seqBefore;
        mine->lastEv = result.evBefore;
        mine->lastReadSeq = qMin(mine->lastReadSeq, result.seqBefore);
        result.views.append(*mine);
        // A record that cannot be read now is read again (readAgain()), not
        // left out: a newcomer's frame would lack the names of the members.
        const auto u = store.userById(member);
        if (u.failed())
            return storeFailed();
        if (u)
            result.users.insert(member, *u);
    }
    if (!result.members.contains(user) && !outcome.removed.contains(user)) {
        // An admin managing a channel they are not in.
        auto mine = store.channelById(outcome.channel, user);
        if (!mine)
            return storeFailed();
        mine->lastSeq = result.seqBefore;
        mine->lastEv = result.evBefore;
        result.actorView = *mine;
    }
    result.outcome = outcome;
    return result;
}

void ChannelFrameHandler::submit(ClientConnection *c, const QJsonValue &ref, Work work, bool hold)
{
    QPointer<ClientConnection> guard(c);
    if (hold)
        c->hold().begin();
    std::weak_ptr<bool> alive = m_alive;
    m_store->run(
        [work = std::move(work)](ChatStore &store) -> Result {
            // The event's change, its system messages and its members are
            // stored together or not at all: an event that failed half-way
            // would have been made without telling anyone, and its retry
            // would find nothing to change.
            Result result;
            {
                ChatStore::Atomic atomic(store);
                if (!atomic.ok())
                    return storeFailed();
                result = work(store);
                if (result.error)
                    return result; // undone with the Atomic
                if (!atomic.commit())
                    return storeFailed();
            }
            // What publishing needs is read after the commit: on PostgreSQL
            // the event holds its channel's row lock until then, and another
            // node's send to the channel waits for it (lock_timeout).
            return readMade(store, result);
        },
        [this, alive, guard, hold, ref, actor = Actor{c->userId(), c->id()}](const Result &result) {
            if (!alive.expired())
                complete(guard, actor, ref, result);
            if (hold && guard)
                guard->hold().end();
        });
}

ChannelFrameHandler::Result ChannelFrameHandler::readMade(ChatStore &store, const Result &made)
{
    if (!made.toRead)
        return made;
    Result read = prepare(store, *made.toRead, *made.outcome);
    if (read.error)
        return made; // still toRead: complete() tries again
    read.logEvent = made.logEvent;
    read.logFields = made.logFields;
    read.archived = made.archived;
    return read;
}

void ChannelFrameHandler::readAgain(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                                    const Result &made, int attempt)
{
    // The event is stored, but what telling it needs could not be read (the
    // storage failed right after the commit): answering "try again" would
    // leave it untold (its retry finds nothing to change) and the membership
    // cache behind. Read again a second later, as the MembershipWatcher does,
    // and publish then; the actor's answer waits for it.
    if (attempt > kReadAttempts) {
        qCCritical(lcServerWs).noquote().nospace()
            << "event=channel_event_untold conn=" << actor.connection
            << " channel=" << made.outcome->channel;
        if (c)
            c->send(ServerCodec::errorFrame(ref, storeFailed().error->first,
                                            storeFailed().error->second));
        return;
    }
    if (attempt == 1)
        qCWarning(lcServerWs).noquote().nospace()
            << "event=channel_event_read_again conn=" << actor.connection
            << " channel=" << made.outcome->channel;
    QPointer<ClientConnection> guard(c);
    std::weak_ptr<bool> alive = m_alive;
    QTimer::singleShot(kReadAgainMs, [this, alive, guard, actor, ref, made, attempt] {
        if (alive.expired())
            return;
        m_store->run([made](ChatStore &store) { return readMade(store, made); },
                     [this, alive, guard, actor, ref, attempt](const Result &result) {
                         if (alive.expired())
                             return;
                         if (result.toRead)
                             readAgain(guard, actor, ref, result, attempt + 1);
                         else
                             complete(guard, actor, ref, result);
                     });
    });
}

QJsonArray ChannelFrameHandler::usersOf(const Result &result, const QStringList &ids)
{
    QList<StoredUser> users;
    for (const QString &id : ids) {
        if (const auto it = result.users.constFind(id); it != result.users.cend())
            users.append(*it);
    }
    return m_presence->usersWithPresence(users);
}

void ChannelFrameHandler::complete(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                                   const Result &result)
{
    if (result.toRead) {
        readAgain(c, actor, ref, result, 1);
        return;
    }
    if (result.error) {
        if (c)
            c->send(ServerCodec::errorFrame(ref, result.error->first, result.error->second));
        return;
    }
    if (result.answer) {
        if (!c)
            return;
        std::optional<QJsonArray> users;
        if (result.withUsers)
            users = usersOf(result, result.answer->members);
        c->send(ServerCodec::channelFrame(ref, ServerCodec::channel(*result.answer), users));
        return;
    }
    if (result.notified) {
        const QJsonObject object = ServerCodec::channel(*result.notified);
        if (c)
            c->send(ServerCodec::channelFrame(ref, object, std::nullopt));
        // §8: stored per user; the user's other connections learn it too.
        const LiveFrame others{
            LiveFrame::Kind::Other, result.notified->id, 0,
            ServerCodec::channelFrame(QJsonValue::Undefined, object, std::nullopt)};
        m_fanout->toUsers({actor.user}, others, actor.connection);
        return;
    }
    if (result.outcome) {
        // Logged here, not in the job: a batch that does not commit runs its
        // jobs again and answers from that run (docs/server.md).
        qCInfo(lcServerWs).noquote().nospace()
            << "event=" << result.logEvent << " conn=" << actor.connection << result.logFields;
        publish(c, actor, ref, result);
    }
}

void ChannelFrameHandler::publish(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                                  const Result &result)
{
    // Runs once the event is durable: refreshes the membership cache, answers
    // the actor (`channel` or `channel_removed` with the ref), sends every
    // member the channel as they see it (newcomers with every member in
    // `users`, the others with the newcomers), the removed their
    // `channel_removed`, then the system messages.
    const Outcome &outcome = *result.outcome;
    const QStringList &members = result.members;
    const qint64 seqBefore = result.seqBefore;
    std::optional<QJsonArray> everyone;
    std::optional<QJsonArray> newcomers;
    QList<QPair<QString, LiveFrame>> frames; // user -> frame (without ref)
    QByteArray actorFrame;
    for (qsizetype i = 0; i < members.size(); ++i) {
        const QString &user = members.at(i);
        const bool isNew = outcome.newcomers.contains(user);
        std::optional<QJsonArray> users;
        if (isNew) {
            if (!everyone)
                everyone = usersOf(result, members);
            users = everyone;
        } else if (!outcome.newcomers.isEmpty()) {
            if (!newcomers)
                newcomers = usersOf(result, outcome.newcomers);
            users = newcomers;
        }
        const QJsonObject object = ServerCodec::channel(result.views.at(i));
        // A newcomer's connections hold the channel up to seqBefore; members
        // keep what they hold (a message on its way must not be skipped).
        frames.append({user,
                       LiveFrame{isNew ? LiveFrame::Kind::Channel : LiveFrame::Kind::Other,
                                 outcome.channel, seqBefore,
                                 ServerCodec::channelFrame(QJsonValue::Undefined, object, users)}});
        if (user == actor.user)
            actorFrame = ServerCodec::channelFrame(ref, object, users);
    }
    const bool actorRemoved = outcome.removed.contains(actor.user);
    if (actorRemoved)
        actorFrame = ServerCodec::channelRemovedFrame(ref, outcome.channel, outcome.removedReason);
    else if (actorFrame.isEmpty() && result.actorView)
        actorFrame =
            ServerCodec::channelFrame(ref, ServerCodec::channel(*result.actorView), std::nullopt);
    const bool actorIsNew = outcome.newcomers.contains(actor.user);
    m_members->setMembers(outcome.channel, members);
    if (result.archived)
        m_members->setArchived(outcome.channel, *result.archived);
    if (c && !actorFrame.isEmpty()) {
        c->deliver(LiveFrame{actorIsNew && !actorRemoved ? LiveFrame::Kind::Channel
                                                         : LiveFrame::Kind::Other,
                             outcome.channel, seqBefore, actorFrame});
    }
    for (const auto &[user, frame] : std::as_const(frames))
        m_fanout->toUsers({user}, frame, actor.connection);
    if (!outcome.removed.isEmpty()) {
        const LiveFrame removedFrame{LiveFrame::Kind::Other, outcome.channel, 0,
                                     ServerCodec::channelRemovedFrame(QJsonValue::Undefined,
                                                                      outcome.channel,
                                                                      outcome.removedReason)};
        m_fanout->toUsers(outcome.removed, removedFrame, actor.connection);
    }
    // Several nodes: the others bring their membership caches up to date now,
    // before these system messages reach them (§12, Fanout::membershipChanged).
    if (!outcome.newcomers.isEmpty() || !outcome.removed.isEmpty() || result.archived)
        m_fanout->membershipChanged(outcome.channel);
    // §13: system messages reach every member, the actor's connections included.
    for (const StoredMessage &m : outcome.system)
        m_fanout->toChannel(outcome.channel,
                            LiveFrame{LiveFrame::Kind::Message, m.channel, m.seq,
                                      ServerCodec::messageFrame(m), m.ev});
}

namespace {

// The frame as a job takes it: its ref stays on the event loop's thread.
template<typename Frame> Frame withoutRef(const Frame &f)
{
    Frame copy = f;
    copy.ref = QJsonValue();
    return copy;
}
} // namespace

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::ChannelCreate &f)
{
    submit(c, f.ref,
           [actor = Actor{c->userId(), c->id()}, f = withoutRef(f),
            onlyAdmins = m_settings.onlyAdminsCreateChannels](ChatStore &store) {
               return create(store, actor, f, onlyAdmins);
           });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Join &f)
{
    submit(c, f.ref, [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
        return join(store, actor, f);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Leave &f)
{
    submit(c, f.ref, [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
        return leave(store, actor, f);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Invite &f)
{
    submit(c, f.ref, [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
        return invite(store, actor, f);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::ChannelUpdate &f)
{
    submit(c, f.ref, [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
        return update(store, actor, f);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Archive &f)
{
    submit(c, f.ref, [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
        return archive(store, actor, f);
    });
}

void ChannelFrameHandler::on(ClientConnection *c, const ClientFrame::Notify &f)
{
    // A level changes nothing the connection's next frames rely on: no hold.
    submit(
        c, f.ref,
        [actor = Actor{c->userId(), c->id()}, f = withoutRef(f)](ChatStore &store) {
            return notify(store, actor, f);
        },
        false);
}

ChannelFrameHandler::Result ChannelFrameHandler::create(ChatStore &store, const Actor &actor,
                                                        const ClientFrame::ChannelCreate &f,
                                                        bool onlyAdmins)
{
    if (onlyAdmins && !isAdmin(store, actor.user))
        return fail(QStringLiteral("forbidden"),
                    tr("Only admins can create channels on this server."));
    if (!f.name || !isValidName(*f.name) || !f.visibility
        || (*f.visibility != u"public" && *f.visibility != u"private") || !f.topicValid
        || !f.membersValid) {
        return fail(QStringLiteral("bad_request"),
                    tr("A channel needs a name of lowercase letters, digits, - and _ (at most 64) "
                       "and a visibility."));
    }
    const QString topic = ServerCodec::oneLineTopic(f.topic.value_or(QString()));
    if (ServerCodec::codePoints(topic) > kMaxTopicCodePoints)
        return fail(QStringLiteral("too_large"),
                    tr("A topic is limited to %1 characters.").arg(kMaxTopicCodePoints));
    QStringList members = f.members.value_or(QStringList());
    Result error;
    if (!checkUsers(store, members, &error))
        return error;
    members << actor.user;
    members.removeDuplicates();
    members.sort();
    const auto taken = store.channelByNameNoCase(*f.name);
    if (taken.failed())
        return storeFailed();
    if (taken)
        return fail(QStringLiteral("name_taken"), tr("That name is taken."));
    StoredChannel channel;
    channel.id = RandomId::hex();
    channel.name = *f.name;
    channel.visibility = *f.visibility;
    channel.topic = topic;
    channel.owner = actor.user;
    channel.members = members;
    QString reason;
    const auto created = ChannelEvents::create(&store, channel, actor.user, &reason);
    if (created.conflict())
        return fail(QStringLiteral("name_taken"), tr("That name is taken."));
    if (!created)
        return storeFailed();
    return logged(made(actor.user, Outcome{channel.id, members, {}, {}, {*created}}),
                  QStringLiteral("channel_created"),
                  QStringLiteral(" channel=%1 visibility=%2 members=%3")
                      .arg(channel.id, channel.visibility)
                      .arg(members.size()));
}

ChannelFrameHandler::Result ChannelFrameHandler::join(ChatStore &store, const Actor &actor,
                                                      const ClientFrame::Join &f)
{
    Result error;
    const auto channel = visibleChannel(store, actor.user, f.channel, false, &error);
    if (!channel)
        return error;
    if (channel->direct)
        return fail(QStringLiteral("not_found"), tr("No such channel."));
    if (channel->members.contains(actor.user))
        return answer(store, actor.user, channel->id, true); // already a member (§8)
    if (channel->archived)
        return fail(QStringLiteral("archived"), tr("This channel is archived."));
    const auto joined = ChannelEvents::add(&store, channel->id, actor.user, {actor.user});
    if (!joined)
        return storeFailed();
    return logged(made(actor.user, Outcome{channel->id, {actor.user}, {}, {}, {*joined}}),
                  QStringLiteral("channel_joined"), u" channel="_qs + channel->id);
}

ChannelFrameHandler::Result ChannelFrameHandler::leave(ChatStore &store, const Actor &actor,
                                                       const ClientFrame::Leave &f)
{
    Result error;
    const auto channel = visibleChannel(store, actor.user, f.channel, true, &error);
    if (!channel)
        return error;
    if (channel->direct)
        return fail(QStringLiteral("bad_request"), tr("A direct conversation cannot be left."));
    const auto left = ChannelEvents::remove(&store, channel->id, actor.user, actor.user);
    if (!left)
        return storeFailed();
    return logged(
        made(actor.user, Outcome{channel->id, {}, {actor.user}, QStringLiteral("left"), {*left}}),
        QStringLiteral("channel_left"), u" channel="_qs + channel->id);
}

ChannelFrameHandler::Result ChannelFrameHandler::invite(ChatStore &store, const Actor &actor,
                                                        const ClientFrame::Invite &f)
{
    Result error;
    const auto channel = visibleChannel(store, actor.user, f.channel, true, &error);
    if (!channel)
        return error;
    if (channel->direct)
        return fail(QStringLiteral("bad_request"),
                    tr("Nobody can be invited to a direct conversation."));
    if (channel->archived)
        return fail(QStringLiteral("archived"), tr("This channel is archived."));
    if (!f.users || f.users->isEmpty())
        return fail(QStringLiteral("bad_request"), tr("Name the people to invite."));
    if (!checkUsers(store, *f.users, &error))
        return error;
    QStringList added;
    for (const QString &user : *f.users) {
        if (!channel->members.contains(user) && !added.contains(user))
            added << user;
    }
    added.sort();
    if (added.isEmpty())
        return answer(store, actor.user, channel->id, false);
    const auto invited = ChannelEvents::add(&store, channel->id, actor.user, added);
    if (!invited)
        return storeFailed();
    return logged(made(actor.user, Outcome{channel->id, added, {}, {}, {*invited}}),
                  QStringLiteral("channel_invited"),
                  QStringLiteral(" channel=%1 users=%2").arg(channel->id).arg(added.size()));
}

ChannelFrameHandler::Result ChannelFrameHandler::update(ChatStore &store, const Actor &actor,
                                                        const ClientFrame::ChannelUpdate &f)
{
    const bool admin = isAdmin(store, actor.user);
    std::optional<StoredChannel> channel;
    if (admin && f.channel) {
        // Admins manage any named channel without being in it (§13).
        if (auto any = store.channelById(*f.channel, actor.user); any && !any->direct)
            channel = *any;
    }
    Result error;
    if (!channel)
        channel = visibleChannel(store, actor.user, f.channel, false, &error);
    if (!channel)
        return error;
    if (channel->direct)
        return fail(QStringLiteral("bad_request"),
                    tr("A direct conversation has no name or topic."));
    if (!mayManage(store, actor.user, *channel, &error))
        return error;
    if (!f.valid || (f.name && !isValidName(*f.name)))
        return fail(QStringLiteral("bad_request"),
                    tr("A channel name is lowercase letters, digits, - and _ (at most 64)."));
    // Compared as shown: a topic stored before the one-line rule is sent
    // shaped, and sending it back as shown changes nothing.
    const QString shown = ServerCodec::oneLineTopic(channel->topic);
    const QString topic = f.topic ? ServerCodec::oneLineTopic(*f.topic) : channel->topic;
    if (f.topic && ServerCodec::codePoints(topic) > kMaxTopicCodePoints)
        return fail(QStringLiteral("too_large"),
                    tr("A topic is limited to %1 characters.").arg(kMaxTopicCodePoints));
    const QString name = f.name.value_or(channel->name);
    const bool renamed = name != channel->name;
    const bool newTopic = f.topic && topic != shown;
    if (!renamed && !newTopic)
        return answer(store, actor.user, channel->id, false);
    if (renamed) {
        const auto taken = store.channelByNameNoCase(name);
        if (taken.failed())
            return storeFailed();
        if (taken && taken->id != channel->id)
            return fail(QStringLiteral("name_taken"), tr("That name is taken."));
    }
    const auto updated = store.updateChannel(channel->id, name, topic, channel->archived);
    if (updated.conflict())
        return fail(QStringLiteral("name_taken"), tr("That name is taken."));
    if (!updated)
        return storeFailed();
    // One system message per field that changed (§8).
    Outcome outcome{channel->id, {}, {}, {}, {}};
    if (renamed) {
        const auto m = ChannelEvents::record(&store, channel->id, actor.user,
                                             ChannelEvents::kRenamed, std::nullopt, name);
        if (!m)
            return storeFailed();
        outcome.system << *m;
    }
    if (newTopic) {
        const auto m = ChannelEvents::record(&store, channel->id, actor.user, ChannelEvents::kTopic,
                                             std::nullopt, std::nullopt, topic);
        if (!m)
            return storeFailed();
        outcome.system << *m;
    }
    return logged(made(actor.user, outcome), QStringLiteral("channel_updated"),
                  QStringLiteral(" channel=%1 renamed=%2 topic=%3")
                      .arg(channel->id, renamed ? u"true"_qs : u"false"_qs,
                           newTopic ? u"true"_qs : u"false"_qs));
}

ChannelFrameHandler::Result ChannelFrameHandler::archive(ChatStore &store, const Actor &actor,
                                                         const ClientFrame::Archive &f)
{
    const bool admin = isAdmin(store, actor.user);
    std::optional<StoredChannel> channel;
    if (admin && f.channel) {
        if (auto any = store.channelById(*f.channel, actor.user); any && !any->direct)
            channel = *any;
    }
    Result error;
    if (!channel)
        channel = visibleChannel(store, actor.user, f.channel, false, &error);
    if (!channel)
        return error;
    if (channel->direct) {
        // §13: archived direct channels do not exist.
        return fail(QStringLiteral("bad_request"), tr("A direct conversation cannot be archived."));
    }
    if (!mayManage(store, actor.user, *channel, &error))
        return error;
    if (!f.archived)
        return fail(QStringLiteral("bad_request"), tr("archived must be true or false."));
    if (*f.archived == channel->archived)
        return answer(store, actor.user, channel->id, false);
    if (!store.updateChannel(channel->id, channel->name, channel->topic, *f.archived))
        return storeFailed();
    const auto m =
        ChannelEvents::record(&store, channel->id, actor.user,
                              *f.archived ? ChannelEvents::kArchived : ChannelEvents::kUnarchived);
    if (!m)
        return storeFailed();
    Result result = logged(made(actor.user, Outcome{channel->id, {}, {}, {}, {*m}}),
                           QStringLiteral("channel_archived"),
                           QStringLiteral(" channel=%1 archived=%2")
                               .arg(channel->id, *f.archived ? u"true"_qs : u"false"_qs));
    if (result.outcome)
        result.archived = *f.archived;
    return result;
}

ChannelFrameHandler::Result ChannelFrameHandler::notify(ChatStore &store, const Actor &actor,
                                                        const ClientFrame::Notify &f)
{
    Result error;
    const auto channel = visibleChannel(store, actor.user, f.channel, true, &error);
    if (!channel)
        return error;
    if (!f.level || (*f.level != u"all" && *f.level != u"mentions" && *f.level != u"none"))
        return fail(QStringLiteral("bad_request"), tr("level must be all, mentions or none."));
    if (!store.setNotify(channel->id, actor.user, *f.level))
        return storeFailed();
    Result result;
    result.notified = *channel;
    result.notified->notify = *f.level;
    return result;
}

} // namespace Natter::Server
