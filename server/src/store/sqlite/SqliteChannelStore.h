// The channels aggregate on SQLite: named and direct channels, memberships
// and each member's last_read_seq.
//
// Runs its queries on the store's one SqliteConnection (owned by
// SqliteChatStore, which inherits this class); writes join the connection's
// batch transaction. Main thread only.
#pragma once

#include "store/ChannelStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class SqliteConnection;

class SqliteChannelStore : public virtual ChannelStore
{
public:
    explicit SqliteChannelStore(SqliteConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<StoredChannel> channelById(const QString &id, const QString &forUser = {}) override;
    StoreResult<StoredChannel> channelByName(const QString &name) override;
    StoreResult<QList<StoredChannel>> channelsOf(const QString &userId) override;
    StoreResult<QList<StoredChannel>> allChannels() override;
    StoreResult<QHash<QString, QStringList>> allMemberships() override;
    StoreResult<void> addChannel(const StoredChannel &channel, QString *error) override;
    StoreResult<void> addMember(const QString &channelId, const QString &userId) override;
    StoreResult<void> removeMember(const QString &channelId, const QString &userId) override;
    StoreResult<StoredChannel> directChannel(const QString &a, const QString &b) override;
    StoreResult<QStringList> contactsOf(const QString &userId) override;
    StoreResult<qint64> lastReadSeq(const QString &channelId, const QString &userId) override;
    StoreResult<void> setLastReadSeq(const QString &channelId, const QString &userId,
                                     qint64 seq) override;
    StoreResult<StoredChannel> channelByNameNoCase(const QString &name) override;
    StoreResult<void> updateChannel(const QString &id, const QString &name, const QString &topic,
                                    bool archived) override;
    StoreResult<bool> channelArchived(const QString &id) override;
    StoreResult<QStringList> archivedChannels() override;
    StoreResult<void> setNotify(const QString &channelId, const QString &userId,
                                const QString &level) override;
    StoreResult<QList<StoredDirectoryEntry>> channelDirectory(const QString &forUser,
                                                              const QString &query,
                                                              const QString &afterName,
                                                              int limit) override;

private:
    StoreResult<QStringList> membersOf(const QString &channelId);
    StoreResult<void> fillChannel(StoredChannel *c, const QString &forUser);
    static StoredChannel readChannel(const QSqlQuery &q);

    SqliteConnection &m_conn;
};

} // namespace Natter::Server
