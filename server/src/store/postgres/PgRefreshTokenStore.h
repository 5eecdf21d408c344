// The refresh-token aggregate on PostgreSQL: families and their hashed tokens,
// shared by every node (§12: a refresh on another node sees the same family).
//
// Runs its queries on the store's PgConnection (owned by PgChatStore, which
// inherits this class); every write commits before it returns. Main thread only.
#pragma once

#include "store/RefreshTokenStore.h"

#include <QSqlQuery>

namespace Natter::Server {

class PgConnection;

class PgRefreshTokenStore : public virtual RefreshTokenStore
{
public:
    explicit PgRefreshTokenStore(PgConnection &connection)
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
    PgConnection &m_conn;
};

} // namespace Natter::Server
