// The versioned PostgreSQL schema of natterd and its migrations.
//
// The version lives in the one-row table natter_schema. All steps run in one
// transaction under an advisory lock, so several nodes starting at once (or
// `natterd migrate` beside a running node) migrate exactly once, and a failed
// step leaves the previous version intact (PostgreSQL's DDL is transactional).
// Version 1 is the whole of SQLite schema 6 (protocol v2 through §8), version
// 2 adds search (§10), version 3 files (§9); never
// edit a released step: append one and bump kVersion.
#pragma once

#include <QString>

namespace Natter::Server {

class PgConnection;

class PgSchema
{
public:
    static constexpr int kVersion = 4;

    // The current version (0: no natterd schema yet; -1: unreadable).
    static int version(PgConnection &connection);
    // Upgrades to kVersion. False with a reason on failure, or when the
    // database is newer than this natterd.
    static bool migrate(PgConnection &connection, QString *error);
};

} // namespace Natter::Server
