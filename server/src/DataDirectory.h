// natterd's data directory: created, or tightened, before the store opens it.
//
// The database (natterd.sqlite and its -wal and -shm) holds the password hashes
// and every message: only natterd's user may read it. main() sets umask 077, so
// what natterd creates is private; prepare() also repairs a directory made by an
// older natterd (0755, files 0644). Used by NatterServer and AdminCli.
#pragma once

#include <QString>

namespace Natter::Server {

class DataDirectory
{
public:
    // The database file name inside the data directory.
    static QString databasePath(const QString &dir);
    // Creates `dir` (0700) if needed, makes it 0700 and the database files that
    // exist 0600. False with a reason when the directory cannot be made or fixed.
    static bool prepare(const QString &dir, QString *error);
};

} // namespace Natter::Server
