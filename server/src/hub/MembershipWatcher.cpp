#include "hub/MembershipWatcher.h"

#include "ServerLog.h"
#include "hub/ClientConnection.h"
#include "hub/Fanout.h"
#include "hub/PresenceService.h"
#include "hub/ServerCodec.h"
#include "hub/SessionRegistry.h"
#include "store/ChangeFeed.h"
#include "store/ChatStore.h"

#include <algorithm>
#include <iterator>

namespace Natter::Server {

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
    connect(store->changeFeed(), &ChangeFeed::changed, this, &MembershipWatcher::reread);
    m_retry.setSingleShot(true);
    m_retry.setInterval(1000);
    connect(&m_retry, &QTimer::timeout, this, &MembershipWatcher::reread);
    if (const auto memberships = store->allMemberships())
        m_members->reload(*memberships);
    else
        m_retry.start(); // unknown: read it all again soon
}

void MembershipWatcher::reread()
{
    // A failed read must not look like "nobody is in any channel" (which would
    // tell everyone they left everything): keep what we have, try again later.
    const auto memberships = m_store->allMemberships();
    const auto disabled = m_store->disabledUserIds();
    if (!memberships || !disabled) {
        qCWarning(lcServerWs).noquote() << "event=external_change_unreadable";
        m_retry.start();
        return;
    }
    // `natterd channel add/join/leave` may have run: tell those concerned.
    for (const MembershipCache::Change &change : m_members->reload(*memberships))
        announce(change);
    // `natterd user disable`: close their sockets.
    for (const QString &user : *disabled)
        m_fanout->closeUser(user, 4401, QStringLiteral("account disabled"));
}

QList<StoredMessage> MembershipWatcher::trailingSystemMessages(const QString &channel)
{
    auto newest = m_store->history(channel, 0, kSystemTail);
    if (!newest)
        return {};
    QList<StoredMessage> run;
    for (auto it = newest->crbegin(); it != newest->crend() && it->kind == u"system"; ++it)
        run.prepend(*it);
    return run;
}

void MembershipWatcher::announce(const MembershipCache::Change &change)
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
    // The admin CLI recorded the change as system messages (ChannelEvents):
    // newcomers hold the channel up to just before them, and everyone gets them
    // as `message` frames after the channel frames (the DeliveryGate drops any a
    // connection already has).
    const QList<StoredMessage> pending = trailingSystemMessages(channel->id);
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
                everyone = m_presence->usersWithPresence(change.after);
            users = everyone;
        } else if (role == Member && !joined.isEmpty()) {
            if (!newcomers)
                newcomers = m_presence->usersWithPresence(joined);
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
            const auto seq = m_store->lastReadSeq(channel->id, user);
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
    for (const StoredMessage &m : pending)
        m_fanout->toChannel(channel->id,
                            LiveFrame{LiveFrame::Kind::Message, m.channel, m.seq,
                                      ServerCodec::messageFrame(m), m.ev});
}

} // namespace Natter::Server
