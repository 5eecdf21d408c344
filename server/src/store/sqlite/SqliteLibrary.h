// Process-wide settings of the SQLite library, made once by main() before any
// database opens.
//
// By default SQLite keeps memory statistics (SQLITE_CONFIG_MEMSTATUS) under a
// global mutex: every sqlite3_malloc() and sqlite3_free() locks and unlocks it.
// With one writer that is pure cost, about 3 % of natterd's instructions per
// fanned-out message (callgrind; docs/benchmarks.md, "epoll and SQLite's
// memory statistics (session 14)"). natterd reads none of those statistics and
// sets no soft heap limit (the one feature that needs them), so it turns them
// off. Static; owns nothing.
#pragma once

#include <QString>

namespace Natter::Server {

class SqliteLibrary
{
public:
    // Turns SQLite's memory statistics off. False, with the reason in `error`,
    // when SQLite refused (it has been initialised already: a database opened
    // first); SQLite then runs with its defaults, which are correct, only slower.
    static bool configureForServer(QString *error);
};

} // namespace Natter::Server
