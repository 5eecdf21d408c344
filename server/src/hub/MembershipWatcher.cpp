#include "hub/MembershipWatcher.h"

#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/Fanout.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "hub/SessionRegistry.h"
#include "store/ChangeFeed.h"
#include "store/ChatStore.h"

#include <QPointer>

#include <algorithm>
#include <iterator>

namespace Natter::Server {

struct MembershipWatcher::Read
{
    StoreResult<QHash<QString, QStringList>> memberships{StoreError::Failed};
    StoreResult<QSet<QString>> disabled{StoreError::Failed};
    StoreResult<QStringList> archived{StoreError::Failed};
    // For each channel whose members (or archived state) differ from the cache
    // the job was given:
    // the channel, its trailing system messages, the read markers of its
    // affected users connected here, the records of its members.
    struct Details
    {
        StoreResult<StoredChannel> channel{StoreError::NotFound};
        QList<StoredMessage> pending;
        QHash<QString, StoreResult<qint64>> lastRead;
    };
    QHash<QString, Details> details;
    QHash<QString, StoredUser> users;
};

MembershipWatcher::MembershipWatcher(ChatStore *store, MembershipCache *members, Fanout *fanout,
                                     PresenceService *presence, const SessionRegistry *sessions,
                                     QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_members(members)
    , m_fanout(fanout)
    , m_presence(presence)
    , m_sessions(sessions)
{
    // The store's change feed took its baseline when the store opened, so a
    // commit landing after that (even before this read) still signals.
    connect(store->changeFeed(), &ChangeFeed::changed, this, [this] { reread(); });
    m_retry.setSingleShot(true);
    m_retry.setInterval(1000);
    connect(&m_retry, &QTimer::timeout, this, [this] { reread(); });
    // At startup, before any connection: read at once (the hub needs the cache).
    const auto memberships = store->allMemberships();
    const auto archived = store->archivedChannels();
    if (memberships)
        m_members->reload(*memberships);
    if (archived)
        m_members->reloadArchived(*archived);
    if (!memberships || !archived)
        m_retry.start(); // unknown: read it all again soon
}

void MembershipWatcher::reread(std::function<void()> done)
{
    if (done)
        m_waiting.append(std::move(done));
    if (m_reading) {
        m_again = true;
        return;
    }
    start();
}

void MembershipWatcher::start()
{
    m_reading = true;
    m_again = false;
    const QList<std::function<void()>> waiters = std::exchange(m_waiting, {});
    // The job compares the store with the cache as it is now: a channel that
    // differs gets its details read in the same job. The cache the
    // continuation compares with may differ from this copy (local channel
    // frames answered meanwhile); announce() reads what the job left out in
    // a job of its own.
    QPointer<MembershipWatcher> self(this);
    m_store->run([cached = *m_members, localUsers = localUsers()](
                     ChatStore &store) { return readAll(store, cached, localUsers); },
                 [self, waiters](const Read &read) {
                     if (self)
                         self->apply(read, waiters);
                     else
                         for (const auto &w : waiters)
                             w();
                 });
}

MembershipWatcher::Read MembershipWatcher::readAll(ChatStore &store, const MembershipCache &cached,
                                                   const QSet<QString> &localUsers)
{
    // Runs on the store's worker thread on PostgreSQL: the store and the
    // copies it is given only.
    Read read;
    read.memberships = store.allMemberships();
    read.disabled = store.disabledUserIds();
    read.archived = store.archivedChannels();
    if (!read.memberships || !read.disabled || !read.archived)
        return read;
    MembershipCache preview = cached;
    for (const MembershipCache::Change &change : preview.reload(*read.memberships))
        readChange(store, change, localUsers, &read);
    for (const QString &channel : preview.reloadArchived(*read.archived)) {
        if (!read.details.contains(channel))
            readChange(store, unchangedMembers(preview, channel), localUsers, &read);
    }
    return read;
}

void MembershipWatcher::readChange(ChatStore &store, const MembershipCache::Change &change,
                                   const QSet<QString> &localUsers, Read *read)
{
    Read::Details details;
    details.channel = store.channelById(change.channel);
    if (details.channel) {
        details.pending = trailingSystemMessages(store, change.channel);
        QStringList affected = change.before + change.after;
        affected.removeDuplicates();
        for (const QString &user : std::as_const(affected)) {
            if (localUsers.contains(user))
                details.lastRead.insert(user, store.lastReadSeq(change.channel, user));
        }
        for (const QString &user : change.after) {
            if (!read->users.contains(user)) {
                if (const auto u = store.userById(user))
                    read->users.insert(user, *u);
            }
        }
    }
    read->details.insert(change.channel, details);
}

MembershipCache::Change MembershipWatcher::unchangedMembers(const MembershipCache &cache,
                                                            const QString &channel)
{
    const QStringList members = cache.members(channel);
    return {channel, members, members};
}

QSet<QString> MembershipWatcher::localUsers() const
{
    QSet<QString> users;
    for (const ClientConnection *c : m_sessions->all()) {
        if (c->isAuthenticated())
            users.insert(c->userId());
    }
    return users;
}

void MembershipWatcher::apply(const Read &read, const QList<std::function<void()>> &waiters)
{
    m_reading = false;
    // A failed read must not look like "nobody is in any channel" (which would
    // tell everyone they left everything): keep what we have, try again later.
    if (!read.memberships || !read.disabled || !read.archived) {
        qCWarning(lcServerWs).noquote() << "event=external_change_unreadable";
        m_retry.start();
    } else {
        // `natterd channel add/join/leave` may have run: tell those concerned.
        const QList<MembershipCache::Change> changes = m_members->reload(*read.memberships);
        for (const MembershipCache::Change &change : changes)
            announce(change, read);
        // `natterd channel archive/unarchive`: every member gets the channel
        // (now with its `archived`) and the system message, as for a
        // membership change that moved nobody. A channel whose members changed
        // too was told above, in its current state.
        for (const QString &channel : m_members->reloadArchived(*read.archived)) {
            const bool told = std::any_of(changes.cbegin(), changes.cend(),
                                          [&](const auto &c) { return c.channel == channel; });
            qCInfo(lcServerWs).noquote().nospace() << "event=archive_changed channel=" << channel;
            if (!told)
                announce(unchangedMembers(*m_members, channel), read);
        }
        // `natterd user disable`: close their sockets.
        for (const QString &user : *read.disabled)
            m_fanout->closeUser(user, 4401, QStringLiteral("account disabled"));
    }
    for (const auto &w : waiters)
        w();
    if (m_again)
        start();
}

bool MembershipWatcher::covers(const MembershipCache::Change &change, const Read &read) const
{
    const auto it = read.details.constFind(change.channel);
    if (it == read.details.cend())
        return false;
    if (!it->channel)
        return true; // nothing to announce (gone, or its read failed)
    for (const QString &user : change.after) {
        if (!read.users.contains(user))
            return false;
    }
    for (const QString &user : change.before + change.after) {
        if (!m_sessions->connectionsOf(user).isEmpty() && !it->lastRead.contains(user))
            return false;
    }
    return true;
}

QList<StoredMessage> MembershipWatcher::trailingSystemMessages(ChatStore &store,
                                                               const QString &channel)
{
    auto newest = store.history(channel, 0, kSystemTail);
    if (!newest)
        return {};
    QList<StoredMessage> run;
    for (auto it = newest->crbegin(); it != newest->crend() && it->kind == u"system"; ++it)
        run.prepend(*it);
    return run;
}

void MembershipWatcher::announce(const MembershipCache::Change &change, const Read &read,
                                 bool lastTry)
{
    // What the job read may not cover this change: a change its copy of the
    // cache did not show (a local channel frame answered in between), or a
    // user who connected here after it started. Read that in a job of its own
    // (never on the event loop) and announce then; what is still missing after
    // it is handled below (a record left out, a marker unknown: 1001).
    if (!lastTry && !covers(change, read)) {
        QPointer<MembershipWatcher> self(this);
        m_store->run(
            [change, users = localUsers()](ChatStore &store) {
                Read more;
                readChange(store, change, users, &more);
                return more;
            },
            [self, change](const Read &more) {
                if (self)
                    self->announce(change, more, true);
            });
        return;
    }
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
    Read::Details details;
    if (const auto it = read.details.constFind(change.channel); it != read.details.cend())
        details = *it;
    std::optional<StoredChannel> channel;
    if (details.channel)
        channel = *details.channel;
    if (!channel)
        return;
    const auto usersOf = [&](const QStringList &ids) {
        QList<StoredUser> users;
        for (const QString &id : ids) {
            if (const auto it = read.users.constFind(id); it != read.users.cend())
                users.append(*it);
        }
        return m_presence->usersWithPresence(users);
    };
    // The admin CLI recorded the change as system messages (ChannelEvents):
    // newcomers hold the channel up to just before them, and everyone gets them
    // as `message` frames after the channel frames (the DeliveryGate drops any a
    // connection already has).
    const QList<StoredMessage> &pending = details.pending;
    const qint64 memberLastSeq = channel->lastSeq;
    const qint64 memberLastEv = channel->lastEv;
    const qint64 newcomerLastSeq = pending.isEmpty() ? memberLastSeq : pending.first().seq - 1;
    const qint64 newcomerLastEv = pending.isEmpty() ? memberLastEv : pending.first().ev - 1;
    // joined and left are sorted (set differences of sorted lists).
    const auto in = [](const QStringList &sorted, const QString &user) {
        return std::binary_search(sorted.cbegin(), sorted.cend(), user);
    };
    enum Role { Newcomer, Member, Gone };
    // A channel with thousands of members: encode each distinct frame once
    // (they differ only by the receiver's role and read marker).
    QHash<QPair<int, qint64>, WireFrame> encoded;
    std::optional<QJsonArray> everyone;
    std::optional<QJsonArray> newcomers;
    const auto frameFor = [&](Role role, qint64 lastReadSeq) -> const WireFrame & {
        const QPair<int, qint64> key(role, lastReadSeq);
        auto it = encoded.find(key);
        if (it != encoded.end())
            return *it;
        channel->lastReadSeq = lastReadSeq;
        channel->lastSeq = role == Newcomer ? newcomerLastSeq : memberLastSeq;
        channel->lastEv = role == Newcomer ? newcomerLastEv : memberLastEv;
        std::optional<QJsonArray> users;
        if (role == Newcomer) {
            if (!everyone)
                everyone = usersOf(change.after);
            users = everyone;
        } else if (role == Member && !joined.isEmpty()) {
            if (!newcomers)
                newcomers = usersOf(joined);
            users = newcomers;
        }
        return *encoded.insert(key,
                               ServerCodec::channelFrame(QJsonValue::Undefined,
                                                         ServerCodec::channel(*channel), users));
    };
    // A newcomer's connections hold the channel up to the last_seq in its frame
    // (older messages come with `history`), as after `connected`. Members keep
    // what they hold: a message still on its way to them must not be skipped.
    const QStringList affected = change.before + joined;
    for (const QString &user : affected) {
        // Shortcut for one process: nobody to tell here, no read-marker query.
        // With a multi-node Fanout the user may be connected elsewhere, so this
        // check goes when that lands.
        if (m_sessions->connectionsOf(user).isEmpty())
            continue;
        const Role role = in(joined, user) ? Newcomer : in(left, user) ? Gone : Member;
        qint64 lastRead = 0;
        if (role != Gone) {
            const auto known = details.lastRead.constFind(user);
            // Connected after even the second job started: unknown, as a
            // failed read (rare).
            const StoreResult<qint64> seq =
                known != details.lastRead.cend() ? *known : StoreResult<qint64>(StoreError::Failed);
            if (seq.failed()) {
                // A frame with last_read_seq 0 would mark the whole channel
                // unread. Close the user's sockets instead (1001, §4): they
                // reconnect and get the channel, marker included, in `connected`.
                qCWarning(lcServerWs).noquote().nospace()
                    << "event=ws_storage_failed read=last_read_seq channel=" << channel->id;
                for (ClientConnection *c : m_sessions->connectionsOf(user))
                    c->close(1001, QStringLiteral("storage unavailable"));
                continue;
            }
            lastRead = seq.value_or(0); // NotFound: gone again meanwhile; nothing read
            if (role == Newcomer) // never past the last_seq the frame tells
                lastRead = qMin(lastRead, newcomerLastSeq);
        }
        const WireFrame &frame = frameFor(role, lastRead);
        m_fanout->toUsers(
            {user},
            LiveFrame{role == Newcomer ? LiveFrame::Kind::Channel : LiveFrame::Kind::Other,
                      channel->id, role == Newcomer ? newcomerLastSeq : memberLastSeq, frame});
        // §8: a user taken out by an operator hears `channel_removed` (after
        // the v1 `channel` frame without them, which older clients act on).
        if (role == Gone)
            m_fanout->toUsers(
                {user},
                LiveFrame{LiveFrame::Kind::Other, channel->id, 0,
                          ServerCodec::channelRemovedFrame(QJsonValue::Undefined, channel->id,
                                                           QStringLiteral("removed"))});
    }
    for (const StoredMessage &m : pending) {
        const LiveFrame frame{LiveFrame::Kind::Message, m.channel, m.seq,
                              ServerCodec::messageFrame(m), m.ev};
        m_fanout->toChannel(channel->id, frame);
        // Several nodes (§12): another node's event, whose system messages
        // this node passed on (once per ev) to the members it knew then,
        // before this read: without the newcomers. Their connections get them
        // here; one that has a seq already drops it (DeliveryGate).
        if (!joined.isEmpty())
            m_fanout->toUsers(joined, frame);
    }
}

} // namespace Natter::Server
