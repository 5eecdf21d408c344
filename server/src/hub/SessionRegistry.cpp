#include "hub/SessionRegistry.h"

#include "hub/ClientConnection.h"

namespace Natter::Server {

void SessionRegistry::add(ClientConnection *connection)
{
    m_connections.insert(connection->id(), connection);
}

void SessionRegistry::addAuthenticated(ClientConnection *connection)
{
    m_byUser[connection->userId()].append(connection);
}

void SessionRegistry::remove(ClientConnection *connection)
{
    m_connections.remove(connection->id());
    const QString userId = connection->userId();
    if (userId.isEmpty())
        return;
    auto it = m_byUser.find(userId);
    if (it != m_byUser.end()) {
        it->removeAll(connection);
        if (it->isEmpty())
            m_byUser.erase(it);
    }
}

int SessionRegistry::closeAll(int code, const QString &reason)
{
    const auto all = m_connections.values();
    for (ClientConnection *c : all)
        c->close(code, reason);
    return int(all.size());
}

} // namespace Natter::Server
