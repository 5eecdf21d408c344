// The refresh-token aggregate on SQLite: families and their hashed tokens.
//
// Runs its queries on the store's one SqliteConnection (owned by
// SqliteChatStore, which inherits this class); writes join the connection's
// batch transaction. Main thread only.
#pragma once

#include "store/RefreshTokenStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class SqliteConnection;

class SqliteRefreshTokenStore : public virtual RefreshTokenStore
{
public:
    explicit SqliteRefreshTokenStore(SqliteConnection &connection)
        : m_conn(connection)
    { }

    StoreResult<void> addFamily(const QString &familyId, const QString &userId,
                                const QString &deviceName) override;
    StoreResult<void> addRefreshToken(const QByteArray &tokenHash, const QString &familyId,
                                      const QDateTime &expiresAt) override;
    StoreResult<RefreshTokenRecord> refreshToken(const QByteArray &tokenHash) override;
    StoreResult<void> markRefreshTokenUsed(const QByteArray &tokenHash) override;
    StoreResult<void> revokeFamily(const QString &familyId) override;
    StoreResult<bool> familyActive(const QString &familyId) override;
    StoreResult<void> deleteExpiredRefreshTokens(const QDateTime &now) override;

private:
    SqliteConnection &m_conn;
};

} // namespace Natter::Server
