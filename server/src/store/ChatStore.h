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
};

struct StoredChannel
{
    QString id;
    QString name;
    bool direct = false;
    QStringList members; // user ids
    qint64 lastSeq = 0;
    qint64 lastReadSeq = 0; // of the user the channel was fetched for
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
    // Stores a new message with the next seq of its channel (fills id, seq, ts).
    virtual bool appendMessage(StoredMessage *message) = 0;
    virtual std::optional<StoredMessage> messageByClientId(const QString &author,
                                                           const QString &clientMsgId) = 0;
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

    // A number that changes whenever another process (the admin CLI) committed
    // to the store, so the server can react to `user disable` while running;
    // 0 when it cannot be read.
    virtual qint64 externalChangeStamp() = 0;
};

} // namespace Natter::Server
