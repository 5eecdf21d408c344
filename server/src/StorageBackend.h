// Opens the ChatStore the configuration asks for (SQLite in the data
// directory, or PostgreSQL for several nodes, §12) and answers the few
// questions whose answer depends on the backend: where the token signing
// secret lives and whether the database is reachable (the health endpoint).
//
// Plain functions; used by the composition roots (NatterServer, AdminCli),
// the only places that may know the backends.
#pragma once

#include "ServerConfig.h"
#include "store/ChatStore.h"

#include <memory>
#include <optional>

namespace Natter::Server {

class StorageBackend
{
public:
    // Creates and opens the store (migrating it). Null with a reason.
    static std::unique_ptr<ChatStore> open(const ServerConfig &config, QString *error);
    // The token signing secret: SQLite keeps it in the data directory; on
    // PostgreSQL every node must accept every other node's tokens (§12), so it
    // lives in the database (the first node stores it). Empty with a reason.
    static QByteArray signingSecret(ChatStore *store, const ServerConfig &config, QString *error);
    // PostgreSQL: whether it answered within the last second; SQLite: nullopt.
    static std::optional<bool> databaseReachable(ChatStore *store);
    // The backend's name for logs and the health endpoint.
    static QString name(const ServerConfig &config);
    // Reads the password file (first line, without its end of line). Never logged.
    static bool readPasswordFile(const QString &path, QString *password, QString *error);
};

} // namespace Natter::Server
