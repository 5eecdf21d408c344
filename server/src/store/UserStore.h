// The users aggregate of natterd's storage: accounts, their password hashes,
// the disabled and admin flags, presence's last_seen.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/StoreResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

namespace Natter::Server {

struct StoredUser
{
    QString id;
    QString username;
    QString displayName;
    QByteArray passwordHash;
    bool disabled = false;
    QDateTime lastSeen;
    bool admin = false; // a server admin (may delete any message, §7)
};

class UserStore
{
public:
    virtual ~UserStore() = default;

    // Every call answers with a StoreResult: the row (or done), NotFound,
    // Conflict (writes) or Failed. The directory read still answers an empty
    // list when it fails.
    virtual StoreResult<StoredUser> userByName(const QString &username) = 0;
    virtual StoreResult<StoredUser> userById(const QString &id) = 0;
    // Ids of disabled accounts (possibly none); Failed when the read failed.
    virtual StoreResult<QSet<QString>> disabledUserIds() = 0;
    // The directory: users whose username or display name contains `query`
    // (case-insensitively), ordered by username, after `afterUsername`.
    virtual QList<StoredUser> users(const QString &query, const QString &afterUsername, int limit,
                                    bool includeDisabled) = 0;
    // Adds a user (an empty id: the store makes one). Conflict (with a reason
    // in `error`) when the username or id is taken.
    virtual StoreResult<void> addUser(const StoredUser &user, QString *error) = 0;
    // The writes answer NotFound for an unknown user.
    virtual StoreResult<void> setPassword(const QString &userId, const QByteArray &hash) = 0;
    virtual StoreResult<void> setDisabled(const QString &userId, bool disabled) = 0;
    virtual StoreResult<void> setAdmin(const QString &userId, bool admin) = 0;
    virtual StoreResult<void> setLastSeen(const QString &userId, const QDateTime &when) = 0;
};

} // namespace Natter::Server
