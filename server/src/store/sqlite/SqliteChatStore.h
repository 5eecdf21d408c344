// ChatStore on SQLite through Qt SQL: WAL journal, synchronous NORMAL (or FULL), versioned
// migrations (PRAGMA user_version) that upgrade an older data directory in place.
//
// The queries live here; the connection, its pragmas and the per-turn batching
// of writes live in SqliteConnection. Owned by NatterServer (or AdminCli); used
// on the main thread only.
#pragma once

#include "store/ChatStore.h"
#include "store/sqlite/SqliteChangeWatcher.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteSchema.h"

#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace Natter::Server {

class SqliteChatStore : public QObject, public ChatStore
{
    Q_OBJECT
public:
    // `maxVersion` exists for the migration test, which builds an old data dir.
    explicit SqliteChatStore(const QString &path, int maxVersion = SqliteSchema::kVersion,
                             QObject *parent = nullptr);
    ~SqliteChatStore() override;

    // FULL: fsync at every commit (power-cut safe); default NORMAL. Before open().
    void setFullSync(bool full) { m_conn.setFullSync(full); }
    bool open(QString *error) override;
    void close() override;
    bool flush() override;
    void whenDurable(std::function<void()> done) override;
    int schemaVersion();

    std::optional<StoredUser> userByName(const QString &username) override;
    std::optional<StoredUser> userById(const QString &id) override;
    std::optional<QSet<QString>> disabledUserIds() override;
    QList<StoredUser> users(const QString &query, const QString &afterUsername, int limit,
                            bool includeDisabled) override;
    bool addUser(const StoredUser &user, QString *error) override;
    bool setPassword(const QString &userId, const QByteArray &hash) override;
    bool setDisabled(const QString &userId, bool disabled) override;
    bool setAdmin(const QString &userId, bool admin) override;
    void setLastSeen(const QString &userId, const QDateTime &when) override;

    std::optional<StoredChannel> channelById(const QString &id,
                                             const QString &forUser = {}) override;
    std::optional<StoredChannel> channelByName(const QString &name) override;
    QList<StoredChannel> channelsOf(const QString &userId) override;
    QList<StoredChannel> allChannels() override;
    std::optional<QHash<QString, QStringList>> allMemberships() override;
    bool addChannel(const StoredChannel &channel, QString *error) override;
    bool addMember(const QString &channelId, const QString &userId) override;
    bool removeMember(const QString &channelId, const QString &userId) override;
    std::optional<StoredChannel> directChannel(const QString &a, const QString &b) override;
    QStringList contactsOf(const QString &userId) override;

    bool appendMessage(StoredMessage *message) override;
    std::optional<StoredMessage> messageById(const QString &channelId, const QString &id) override;
    std::optional<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                             const QString &text,
                                             const QDateTime &editedAt) override;
    std::optional<StoredMessage> deleteMessage(const QString &channelId,
                                               const QString &id) override;
    QList<StoredMessage> changedSince(const QString &channelId, qint64 afterEv, qint64 maxSeq,
                                      int limit) override;
    std::optional<StoredMessage> messageByClientId(const QString &author,
                                                   const QString &clientMsgId) override;
    QList<StoredMessage> history(const QString &channelId, qint64 beforeSeq, int limit) override;
    QList<StoredMessage> messagesAfter(const QString &channelId, qint64 afterSeq,
                                       int limit) override;
    qint64 lastReadSeq(const QString &channelId, const QString &userId) override;
    void setLastReadSeq(const QString &channelId, const QString &userId, qint64 seq) override;

    void addFamily(const QString &familyId, const QString &userId,
                   const QString &deviceName) override;
    void addRefreshToken(const QByteArray &tokenHash, const QString &familyId,
                         const QDateTime &expiresAt) override;
    std::optional<RefreshTokenRecord> refreshToken(const QByteArray &tokenHash) override;
    void markRefreshTokenUsed(const QByteArray &tokenHash) override;
    void revokeFamily(const QString &familyId) override;
    bool familyActive(const QString &familyId) override;
    ChangeFeed *changeFeed() override { return &m_changeFeed; }

private:
    QStringList membersOf(const QString &channelId);
    void fillChannel(StoredChannel *c, const QString &forUser);
    static StoredUser readUser(const QSqlQuery &q);
    static StoredChannel readChannel(const QSqlQuery &q);
    // Takes the channel's next ev inside the open batch; 0 on failure.
    qint64 nextEv(const QString &channelId);
    static StoredMessage readMessage(const QSqlQuery &q);
    // Runs `q` (newest rows first) and returns the messages oldest first.
    QList<StoredMessage> readNewestFirst(QSqlQuery &q);

    SqliteConnection m_conn;
    int m_maxVersion;
    ChangeFeed m_changeFeed;
    SqliteChangeWatcher m_changeWatcher;
};

} // namespace Natter::Server
