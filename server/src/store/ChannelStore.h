// The channels aggregate of natterd's storage: channels (named and direct),
// their memberships and each member's last_read_seq.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/StoreResult.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Natter::Server {

struct StoredChannel
{
    QString id;
    QString name;
    bool direct = false;
    QStringList members; // user ids, sorted
    qint64 lastSeq = 0;
    qint64 lastReadSeq = 0; // of the user the channel was fetched for
    qint64 lastEv = 0; // the channel's change counter: ev of its latest change, 0 = none (§13)
    // §7 unread mentions of the user the channel was fetched for: messages after
    // their lastReadSeq whose mentions include them.
    qint64 mentionCount = 0;
    // §8: "public" | "private" | "direct"; the topic (≤ 250 code points); the
    // owner's user id ("" for channels made by the admin CLI or before schema 6);
    // archived channels are read-only (§13).
    QString visibility = QStringLiteral("public");
    QString topic;
    QString owner;
    bool archived = false;
    // §8 per user: "all" | "mentions" | "none" of the user the channel was fetched for.
    QString notify = QStringLiteral("all");
};

// §8 the channel directory's shorter form.
struct StoredDirectoryEntry
{
    QString id;
    QString name;
    QString topic;
    qint64 memberCount = 0;
    bool archived = false;
    bool member = false; // the caller is a member
};

class ChannelStore
{
public:
    virtual ~ChannelStore() = default;

    // Every call answers with a StoreResult: the row, the list (or done),
    // NotFound, Conflict (writes) or Failed. A list read that fails answers
    // Failed, never an empty list.
    // With `forUser`: that user's lastReadSeq and mentionCount.
    virtual StoreResult<StoredChannel> channelById(const QString &id,
                                                   const QString &forUser = {}) = 0;
    // A named (not direct) channel.
    virtual StoreResult<StoredChannel> channelByName(const QString &name) = 0;
    // The user's channels, with the user's lastReadSeq and mentionCount.
    virtual StoreResult<QList<StoredChannel>> channelsOf(const QString &userId) = 0;
    virtual StoreResult<QList<StoredChannel>> allChannels() = 0;
    // Every channel's member ids, by channel id (channels without members are
    // absent); Failed when the read failed (not "nobody is anywhere").
    virtual StoreResult<QHash<QString, QStringList>> allMemberships() = 0;
    // Adds a channel with its members (skipping ids of no user). Conflict
    // (with a reason in `error`) when the id, the name (among named channels)
    // or the direct pair exists; Failed when a write failed, and then only a
    // ChatStore::Atomic around the call undoes the channel on SQLite.
    virtual StoreResult<void> addChannel(const StoredChannel &channel, QString *error) = 0;
    // addMember: Conflict when the user already is a member, NotFound when the
    // channel or the user does not exist. removeMember: NotFound when not a member.
    virtual StoreResult<void> addMember(const QString &channelId, const QString &userId) = 0;
    virtual StoreResult<void> removeMember(const QString &channelId, const QString &userId) = 0;
    // The direct channel between two users, if it exists.
    virtual StoreResult<StoredChannel> directChannel(const QString &a, const QString &b) = 0;
    // Users sharing at least one channel with `userId` (including the user).
    virtual StoreResult<QStringList> contactsOf(const QString &userId) = 0;
    // NotFound when the user is not a member of the channel.
    virtual StoreResult<qint64> lastReadSeq(const QString &channelId, const QString &userId) = 0;
    virtual StoreResult<void> setLastReadSeq(const QString &channelId, const QString &userId,
                                             qint64 seq) = 0;

    // --- §8 channels people create themselves ---
    // A named channel whose name equals `name` case-insensitively (§13), if any.
    virtual StoreResult<StoredChannel> channelByNameNoCase(const QString &name) = 0;
    // Writes name, topic and archived of an existing named channel. NotFound: no
    // such channel; Conflict: the name is taken (case-insensitively).
    virtual StoreResult<void> updateChannel(const QString &id, const QString &name,
                                            const QString &topic, bool archived) = 0;
    // Whether the channel is archived; NotFound when it does not exist. One row,
    // cheap enough to ask on every send.
    virtual StoreResult<bool> channelArchived(const QString &id) = 0;
    // The ids of every archived channel (a scan of the channels table):
    // how natterd notices `natterd channel archive` (MembershipWatcher).
    virtual StoreResult<QStringList> archivedChannels() = 0;
    // The member's notification level; NotFound when not a member.
    virtual StoreResult<void> setNotify(const QString &channelId, const QString &userId,
                                        const QString &level) = 0;
    // The directory (§8, §13): named channels that are public or have `forUser`
    // as a member, whose name or topic contains `query` case-insensitively,
    // ordered by name, after `afterName`, at most `limit`.
    virtual StoreResult<QList<StoredDirectoryEntry>> channelDirectory(const QString &forUser,
                                                                      const QString &query,
                                                                      const QString &afterName,
                                                                      int limit) = 0;
};

} // namespace Natter::Server
