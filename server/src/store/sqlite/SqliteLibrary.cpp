#include "SqliteLibrary.h"

#include <sqlite3.h>

namespace Natter::Server {

bool SqliteLibrary::configureForServer(QString *error)
{
    const int rc = ::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (rc == SQLITE_OK)
        return true;
    if (error)
        *error = QString::fromUtf8(::sqlite3_errstr(rc));
    return false;
}

} // namespace Natter::Server
