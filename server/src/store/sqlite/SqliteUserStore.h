// The users aggregate on SQLite: accounts, password hashes, the disabled and
// admin flags, presence's last_seen.
//
// Runs its queries on the store's one SqliteConnection (owned by
// SqliteChatStore, which inherits this class); writes join the connection's
// batch transaction. Main thread only.
#pragma once

#include "store/UserStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class SqliteConnection;

class SqliteUserStore : public virtual UserStore
{
public:
    explicit SqliteUserStore(SqliteConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<StoredUser> userByName(const QString &username) override;
    StoreResult<StoredUser> userById(const QString &id) override;
    StoreResult<QSet<QString>> disabledUserIds() override;
    QList<StoredUser> users(const QString &query, const QString &afterUsername, int limit,
                            bool includeDisabled) override;
    StoreResult<void> addUser(const StoredUser &user, QString *error) override;
    StoreResult<void> setPassword(const QString &userId, const QByteArray &hash) override;
    StoreResult<void> setDisabled(const QString &userId, bool disabled) override;
    StoreResult<void> setAdmin(const QString &userId, bool admin) override;
    StoreResult<void> setLastSeen(const QString &userId, const QDateTime &when) override;

private:
    static StoredUser readUser(const QSqlQuery &q);

    SqliteConnection &m_conn;
};

} // namespace Natter::Server
