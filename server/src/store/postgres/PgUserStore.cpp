#include "store/postgres/PgUserStore.h"

#include "RandomId.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgValues.h"

#include <QSqlError>

namespace Natter::Server {

using namespace PgValues;

StoredUser PgUserStore::readUser(const QSqlQuery &q)
{
    StoredUser u;
    u.id = q.value(0).toString();
    u.username = q.value(1).toString();
    u.displayName = q.value(2).toString();
    u.passwordHash = q.value(3).toByteArray();
    u.disabled = q.value(4).toBool();
    u.lastSeen = fromMs(q.value(5).toLongLong());
    u.admin = q.value(6).toBool();
    return u;
}

#define USER_COLUMNS "id, username, display_name, password_hash, disabled, last_seen, admin"

StoreResult<StoredUser> PgUserStore::userByName(const QString &username)
{
    // Case-insensitive: `Alice` logs in to `alice` (unique by lower(username)).
    auto &q =
        m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE lower(username) = lower(?)");
    q.addBindValue(username);
    return m_conn.readOne<StoredUser>(q, readUser);
}

StoreResult<StoredUser> PgUserStore::userById(const QString &id)
{
    auto &q = m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE id = ?");
    q.addBindValue(id);
    return m_conn.readOne<StoredUser>(q, readUser);
}

StoreResult<QList<StoredUser>> PgUserStore::users(const QString &query,
                                                  const QString &afterUsername, int limit,
                                                  bool includeDisabled)
{
    auto &q = m_conn.statement("SELECT " USER_COLUMNS " FROM users WHERE username > ? "
                               "AND (? = 1 OR disabled = 0) "
                               "AND (? = '' OR strpos(lower(username), lower(?)) > 0 "
                               "     OR strpos(lower(display_name), lower(?)) > 0) "
                               "ORDER BY username LIMIT ?");
    // Null QStrings bind as SQL NULL, which compares as unknown: bind "" instead.
    const QString after = afterUsername.isNull() ? QStringLiteral("") : afterUsername;
    const QString needle = query.isNull() ? QStringLiteral("") : query;
    q.addBindValue(after);
    q.addBindValue(includeDisabled ? 1 : 0);
    q.addBindValue(needle);
    q.addBindValue(needle);
    q.addBindValue(needle);
    q.addBindValue(limit);
    return m_conn.readAll<StoredUser>(q, readUser);
}

StoreResult<void> PgUserStore::addUser(const StoredUser &user, QString *error)
{
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    auto &q = m_conn.statement("INSERT INTO users (id, username, display_name, password_hash, "
                               "admin, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    q.addBindValue(user.id.isEmpty() ? RandomId::hex() : user.id);
    q.addBindValue(user.username);
    q.addBindValue(text(user.displayName));
    q.addBindValue(user.passwordHash);
    q.addBindValue(user.admin ? 1 : 0);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (const StoreResult<void> done = m_conn.write(q); !done) {
        *error = q.lastError().databaseText();
        return done;
    }
    if (!m_conn.notifyOthers() || !tx.commit())
        return StoreError::Failed;
    return {};
}

StoreResult<void> PgUserStore::setPassword(const QString &userId, const QByteArray &hash)
{
    auto &q = m_conn.statement("UPDATE users SET password_hash = ? WHERE id = ?");
    q.addBindValue(hash);
    q.addBindValue(userId);
    return m_conn.writeOne(q, false);
}

StoreResult<void> PgUserStore::setDisabled(const QString &userId, bool disabled)
{
    auto &q = m_conn.statement("UPDATE users SET disabled = ? WHERE id = ?");
    q.addBindValue(disabled ? 1 : 0);
    q.addBindValue(userId);
    return m_conn.writeOne(q, true);
}

StoreResult<void> PgUserStore::setAdmin(const QString &userId, bool admin)
{
    auto &q = m_conn.statement("UPDATE users SET admin = ? WHERE id = ?");
    q.addBindValue(admin ? 1 : 0);
    q.addBindValue(userId);
    return m_conn.writeOne(q, true);
}

StoreResult<void> PgUserStore::setLastSeen(const QString &userId, const QDateTime &when)
{
    auto &q = m_conn.statement("UPDATE users SET last_seen = ? WHERE id = ?");
    q.addBindValue(toMs(when));
    q.addBindValue(userId);
    return m_conn.writeOne(q, false);
}

StoreResult<QSet<QString>> PgUserStore::disabledUserIds()
{
    auto &q = m_conn.statement("SELECT id FROM users WHERE disabled = 1");
    if (!m_conn.exec(q)) {
        q.finish();
        return StoreError::Failed;
    }
    QSet<QString> result;
    while (q.next())
        result.insert(q.value(0).toString());
    const bool complete = !q.lastError().isValid();
    q.finish();
    if (!complete)
        return StoreError::Failed;
    return result;
}

} // namespace Natter::Server
