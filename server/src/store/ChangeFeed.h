// Tells natterd that another process changed the store under it.
//
// The admin CLI (`natterd user disable`, `channel join` ...) writes to the same
// storage while natterd serves; natterd must notice without asking the storage
// on every frame. Each backend feeds this its own way: SQLite polls
// `PRAGMA data_version` on a timer (SqliteChangeWatcher); a server database
// would use its notification channel. Owned by the ChatStore, main thread only.
#pragma once

#include <QObject>

namespace Natter::Server {

class ChangeFeed : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    // Another process committed to the store (at least once since the last
    // emission). Spurious emissions are allowed: receivers re-read what they
    // cache. Emitted within a backend-defined bound (SQLite: 250 ms), well
    // inside the 2 s a disabled user's sockets have to close in (§12).
    void changed();
};

} // namespace Natter::Server
