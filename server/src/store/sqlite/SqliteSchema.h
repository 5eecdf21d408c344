// The versioned SQLite schema of natterd and its migrations.
//
// The version lives in PRAGMA user_version. Each step runs in its own
// transaction, so an older data directory is upgraded in place, one version at
// a time, and a failed step leaves the previous version intact. Never edit a
// released step: append a new one and bump kVersion.
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace Natter::Server {

class SqliteSchema
{
public:
    static constexpr int kVersion = 11;

    static int version(QSqlDatabase &db);
    // Upgrades `db` to `target` (≤ kVersion). False with a reason on failure,
    // or when the database is newer than this natterd.
    static bool migrate(QSqlDatabase &db, int target, QString *error);
    // Logs a warning naming each group of accounts whose usernames differ only by
    // case (made before schema 4 refused them). They stay as they are, usable.
    static void reportUsernameClashes(QSqlDatabase &db);
};

} // namespace Natter::Server
