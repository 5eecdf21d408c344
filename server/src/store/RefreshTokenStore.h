// The refresh-token aggregate of natterd's storage: token families (one per
// login) and their single-use refresh tokens, only ever stored hashed.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/StoreResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Natter::Server {

struct RefreshTokenRecord
{
    QString familyId;
    QString userId;
    bool used = false;
    bool familyRevoked = false;
    QDateTime expiresAt;
};

class RefreshTokenStore
{
public:
    virtual ~RefreshTokenStore() = default;

    // Every call answers with a StoreResult (NotFound: no such token or family;
    // Conflict: the id or hash exists; Failed).

    virtual StoreResult<void> addFamily(const QString &familyId, const QString &userId,
                                        const QString &deviceName) = 0;
    virtual StoreResult<void> addRefreshToken(const QByteArray &tokenHash, const QString &familyId,
                                              const QDateTime &expiresAt) = 0;
    virtual StoreResult<RefreshTokenRecord> refreshToken(const QByteArray &tokenHash) = 0;
    virtual StoreResult<void> markRefreshTokenUsed(const QByteArray &tokenHash) = 0;
    virtual StoreResult<void> revokeFamily(const QString &familyId) = 0;
    // Not revoked, and its user not disabled (false for an unknown family);
    // Failed when the store cannot tell: neither "active" nor "revoked".
    virtual StoreResult<bool> familyActive(const QString &familyId) = 0;
    // Deletes the refresh tokens that expired before `now` (they are refused
    // anyway; a spent one presented after its expiry is invalid_grant, not a
    // reuse). Idempotent: the token cleanup job runs it (one node of a cluster).
    virtual StoreResult<void> deleteExpiredRefreshTokens(const QDateTime &now) = 0;
};

} // namespace Natter::Server
