// Reads a libpq connection string (`host=... port=... dbname=...`) or URI
// (`postgresql://user@host:port/db?sslmode=...`) into the key=value form Qt's
// QPSQL driver passes on to libpq, and refuses one that carries a password:
// a password on the command line is visible to every local user (ps) and in
// shell histories; it comes from --postgres-password-file, PGPASSWORD or
// PGPASSFILE instead (§ docs/server.md). Plain functions.
#pragma once

#include <QString>

namespace Natter::Server::PgConnInfo {

// The key=value form of `conninfo`; empty with a reason in `error` when it
// cannot be read or holds a password.
QString toKeywords(const QString &conninfo, QString *error);

} // namespace Natter::Server::PgConnInfo
