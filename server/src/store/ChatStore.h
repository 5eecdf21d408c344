// The storage seam of natterd: everything the protocol code needs to persist.
//
// One implementation today (SqliteChatStore); a PostgreSQL backend would be a
// second one, without touching ChatHub, AuthService or the HTTP handlers.
//
// Writes are batched: a write opens a transaction if none is open, and the
// store commits once per event-loop turn. Callers that must not tell anyone
// about a write before it is durable (the `ack`, the fan-out) queue their
// continuation with whenDurable(); it runs right after the commit.
#pragma once

#include "store/ChangeFeed.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Natter::Server {

struct StoredUser
{
    QString id;
    QString username;
    QString displayName;
    QByteArray passwordHash;
    bool disabled = false;
    QDateTime lastSeen;
    bool admin = false; // a server admin (may delete any message, §7)
};

struct StoredChannel
{
    QString id;
    QString name;
    bool direct = false;
    QStringList members; // user ids
    qint64 lastSeq = 0;
    qint64 lastReadSeq = 0; // of the user the channel was fetched for
    qint64 lastEv = 0; // the channel's change counter: ev of its latest change, 0 = none (§13)
};

struct StoredMessage
{
    QString id;
    QString channel;
    qint64 seq = 0;
    QString author;
    QString text;
    QDateTime ts;
    QString clientMsgId;
    QString kind = QStringLiteral("user"); // "user" | "system" (§7)
    qint64 rev = 1; // the message's own version: 1 when created, +1 per change (§6)
    qint64 ev = 0; // the channel ev of the message's latest change (§6)
    QDateTime editedAt{}; // invalid = never edited
    bool deleted = false; // a tombstone: text "" (§7, §13)
};

struct RefreshTokenRecord
{
    QString familyId;
    QString userId;
    bool used = false;
    bool familyRevoked = false;
    QDateTime expiresAt;
};

class ChatStore
{
public:
    virtual ~ChatStore() = default;

    // Opens (creating or migrating) the store. False with a reason on failure.
    virtual bool open(QString *error) = 0;
    virtual void close() = 0;
    // Commits the open batch now (also done automatically once per event-loop turn)
    // and runs the queued whenDurable() continuations.
    virtual bool flush() = 0;
    // Runs `done` once everything written so far is committed (at once if nothing is pending).
    virtual void whenDurable(std::function<void()> done) = 0;

    // Users
    virtual std::optional<StoredUser> userByName(const QString &username) = 0;
    virtual std::optional<StoredUser> userById(const QString &id) = 0;
    // Ids of disabled accounts; nullopt when the read failed.
    virtual std::optional<QSet<QString>> disabledUserIds() = 0;
    virtual QList<StoredUser> users(const QString &query, const QString &afterUsername, int limit,
                                    bool includeDisabled) = 0;
    virtual bool addUser(const StoredUser &user, QString *error) = 0;
    virtual bool setPassword(const QString &userId, const QByteArray &hash) = 0;
    virtual bool setDisabled(const QString &userId, bool disabled) = 0;
    virtual bool setAdmin(const QString &userId, bool admin) = 0;
    virtual void setLastSeen(const QString &userId, const QDateTime &when) = 0;

    // Channels
    virtual std::optional<StoredChannel> channelById(const QString &id,
                                                     const QString &forUser = {}) = 0;
    virtual std::optional<StoredChannel> channelByName(const QString &name) = 0;
    virtual QList<StoredChannel> channelsOf(const QString &userId) = 0;
    virtual QList<StoredChannel> allChannels() = 0;
    // Every channel's member ids, by channel id (channels without members are
    // absent); nullopt when the read failed (not "nobody is anywhere").
    virtual std::optional<QHash<QString, QStringList>> allMemberships() = 0;
    virtual bool addChannel(const StoredChannel &channel, QString *error) = 0;
    virtual bool addMember(const QString &channelId, const QString &userId) = 0;
    virtual bool removeMember(const QString &channelId, const QString &userId) = 0;
    // The direct channel between two users, if it exists.
    virtual std::optional<StoredChannel> directChannel(const QString &a, const QString &b) = 0;
    // Users sharing at least one channel with `userId` (including the user).
    virtual QStringList contactsOf(const QString &userId) = 0;

    // Messages
    // Stores a new message with the next seq and the next ev of its channel, in
    // the same transaction (fills id, seq, ts, rev = 1 and ev; keeps kind).
    virtual bool appendMessage(StoredMessage *message) = 0;
    // The message `id` of `channelId` in its current state, tombstones included.
    virtual std::optional<StoredMessage> messageById(const QString &channelId,
                                                     const QString &id) = 0;
    // Replaces the text of a live message: edited_at, rev + 1 and the channel's
    // next ev, in one transaction. Returns the new state; nullopt when there is
    // no such message in that channel, it is a tombstone, or the write failed.
    // The same text as now changes nothing (§13 no-change) and returns the
    // current state with its rev and ev unchanged.
    virtual std::optional<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                                     const QString &text,
                                                     const QDateTime &editedAt) = 0;
    // Makes a live message a tombstone (§7): text "", deleted, rev + 1 and the
    // channel's next ev, in one transaction. The text is erased from storage,
    // not only hidden. Returns the new state; nullopt when there is no such live
    // message in that channel (deleting a tombstone) or the write failed.
    virtual std::optional<StoredMessage> deleteMessage(const QString &channelId,
                                                       const QString &id) = 0;
    // Messages with seq <= maxSeq and ev > afterEv, in increasing ev, at most
    // `limit` (the §6 resume_ev replay). Current state, tombstones included.
    virtual QList<StoredMessage> changedSince(const QString &channelId, qint64 afterEv,
                                              qint64 maxSeq, int limit) = 0;
    virtual std::optional<StoredMessage> messageByClientId(const QString &author,
                                                           const QString &clientMsgId) = 0;
    // history() and messagesAfter() return every message in its current state,
    // tombstones included, so a page stays gapless in seq (§6).
    // Up to `limit` messages with seq < beforeSeq (0 = newest), oldest first.
    virtual QList<StoredMessage> history(const QString &channelId, qint64 beforeSeq, int limit) = 0;
    // The newest `limit` messages with seq > afterSeq, oldest first.
    virtual QList<StoredMessage> messagesAfter(const QString &channelId, qint64 afterSeq,
                                               int limit) = 0;
    virtual qint64 lastReadSeq(const QString &channelId, const QString &userId) = 0;
    virtual void setLastReadSeq(const QString &channelId, const QString &userId, qint64 seq) = 0;

    // Refresh-token families (tokens are only ever stored hashed)
    virtual void addFamily(const QString &familyId, const QString &userId,
                           const QString &deviceName) = 0;
    virtual void addRefreshToken(const QByteArray &tokenHash, const QString &familyId,
                                 const QDateTime &expiresAt) = 0;
    virtual std::optional<RefreshTokenRecord> refreshToken(const QByteArray &tokenHash) = 0;
    virtual void markRefreshTokenUsed(const QByteArray &tokenHash) = 0;
    virtual void revokeFamily(const QString &familyId) = 0;
    virtual bool familyActive(const QString &familyId) = 0;

    // Signals that another process (the admin CLI) committed to the store, so
    // the server reacts to `user disable` or `channel join` while running.
    // Owned by the store; valid for its lifetime, live while it is open.
    virtual ChangeFeed *changeFeed() = 0;
};

} // namespace Natter::Server
