#include "store/sqlite/SqliteRefreshTokenStore.h"

#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteValues.h"

namespace Natter::Server {

using namespace SqliteValues;

StoreResult<void> SqliteRefreshTokenStore::addFamily(const QString &familyId, const QString &userId,
                                                     const QString &deviceName)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("INSERT INTO token_families (id, user_id, device_name, created_at) "
                               "VALUES (?, ?, ?, ?)");
    q.addBindValue(familyId);
    q.addBindValue(userId);
    q.addBindValue(text(deviceName));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return m_conn.write(q);
}

StoreResult<void> SqliteRefreshTokenStore::addRefreshToken(const QByteArray &tokenHash,
                                                           const QString &familyId,
                                                           const QDateTime &expiresAt)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?, ?, ?)");
    q.addBindValue(tokenHash);
    q.addBindValue(familyId);
    q.addBindValue(toMs(expiresAt));
    return m_conn.write(q);
}

StoreResult<RefreshTokenRecord> SqliteRefreshTokenStore::refreshToken(const QByteArray &tokenHash)
{
    auto &q = m_conn.statement("SELECT t.family_id, f.user_id, t.used, f.revoked, t.expires_at "
                               "FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id "
                               "WHERE t.token_hash = ?");
    q.addBindValue(tokenHash);
    return m_conn.readOne<RefreshTokenRecord>(q, [](const QSqlQuery &r) {
        return RefreshTokenRecord{r.value(0).toString(), r.value(1).toString(), r.value(2).toBool(),
                                  r.value(3).toBool(), fromMs(r.value(4).toLongLong())};
    });
}

StoreResult<void> SqliteRefreshTokenStore::markRefreshTokenUsed(const QByteArray &tokenHash)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?");
    q.addBindValue(tokenHash);
    return m_conn.write(q);
}

StoreResult<void> SqliteRefreshTokenStore::revokeFamily(const QString &familyId)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("UPDATE token_families SET revoked = 1 WHERE id = ?");
    q.addBindValue(familyId);
    return m_conn.write(q);
}

StoreResult<bool> SqliteRefreshTokenStore::familyActive(const QString &familyId)
{
    auto &q = m_conn.statement("SELECT f.revoked, u.disabled FROM token_families f "
                               "JOIN users u ON u.id = f.user_id WHERE f.id = ?");
    q.addBindValue(familyId);
    // Not readOne<bool>: GCC 12 warns (falsely) about optional<bool> there.
    if (!m_conn.exec(q)) {
        q.finish();
        return StoreError::Failed;
    }
    const bool found = q.next();
    const bool failed = !found && q.lastError().isValid();
    const bool active = found && !q.value(0).toBool() && !q.value(1).toBool();
    q.finish();
    if (failed)
        return StoreError::Failed;
    return active; // false for no such family: certainly not active
}

StoreResult<void> SqliteRefreshTokenStore::deleteExpiredRefreshTokens(const QDateTime &now)
{
    m_conn.beginWrite();
    auto &q = m_conn.statement("DELETE FROM refresh_tokens WHERE expires_at < ?");
    q.addBindValue(toMs(now));
    return m_conn.write(q);
}

} // namespace Natter::Server
