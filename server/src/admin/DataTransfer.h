// `natterd --data-dir DIR --postgres CONNINFO import`: moves a single-node
// SQLite data directory into PostgreSQL (issue 16); `export` moves it back
// into a fresh data directory. Users (with their password hashes), channels,
// memberships with read markers and notification levels, messages with their
// seq, ev and rev, reactions and mentions move as they are, so clients resume
// where they were. Refresh tokens and the signing secret do not: everyone
// logs in once more.
//
// Both schemas are migrated first (the same columns on both sides), then every
// row is copied in one transaction on the target, which must be empty. Used
// by AdminCli only.
#pragma once

#include <QString>
#include <QTextStream>

namespace Natter::Server {

class ServerConfig;

class DataTransfer
{
public:
    // toPostgres: SQLite data dir -> PostgreSQL (import); else the reverse
    // (export). False with a reason; `out` gets a line per table.
    static bool run(const ServerConfig &config, bool toPostgres, QTextStream &out, QString *error);
};

} // namespace Natter::Server
