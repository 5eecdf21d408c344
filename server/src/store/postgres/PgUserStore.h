// The users aggregate on PostgreSQL: accounts, password hashes, the disabled
// and admin flags, presence's last_seen. Writes that other nodes must notice
// (accounts, the disabled flag) notify the change feed in their transaction.
//
// Runs its queries on the store's PgConnection (owned by PgChatStore, which
// inherits this class); every write is its own transaction. Main thread only.
#pragma once

#include "store/UserStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class PgConnection;

class PgUserStore : public virtual UserStore
{
public:
    explicit PgUserStore(PgConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<StoredUser> userByName(const QString &username) override;
    StoreResult<StoredUser> userById(const QString &id) override;
    StoreResult<QSet<QString>> disabledUserIds() override;
    StoreResult<QList<StoredUser>> users(const QString &query, const QString &afterUsername,
                                         int limit, bool includeDisabled) override;
    StoreResult<void> addUser(const StoredUser &user, QString *error) override;
    StoreResult<void> setPassword(const QString &userId, const QByteArray &hash) override;
    StoreResult<void> setDisabled(const QString &userId, bool disabled) override;
    StoreResult<void> setAdmin(const QString &userId, bool admin) override;
    StoreResult<void> setLastSeen(const QString &userId, const QDateTime &when) override;

private:
    static StoredUser readUser(const QSqlQuery &q);

    PgConnection &m_conn;
};

} // namespace Natter::Server
