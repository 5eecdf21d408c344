// The live connections of this natterd process: all of them by id, and the
// authenticated ones by user.
//
// Plain class owned by ChatHub; LocalFanout reads it to find receivers. It holds
// no policy: who may receive what is decided by the hub and the DeliveryGate.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Natter::Server {

class ClientConnection;

class SessionRegistry
{
public:
    void add(ClientConnection *connection);
    // The connection authenticated (its user id is set): reachable by user from now on.
    void addAuthenticated(ClientConnection *connection);
    void remove(ClientConnection *connection);

    QList<ClientConnection *> connectionsOf(const QString &userId) const
    {
        return m_byUser.value(userId);
    }
    // The connection with this id on this node, or null.
    ClientConnection *connection(const QString &connectionId) const
    {
        return m_connections.value(connectionId);
    }
    QList<ClientConnection *> all() const { return m_connections.values(); }
    int count() const { return int(m_connections.size()); }
    // Closes every connection of this process (shutdown: 1001); returns how many.
    int closeAll(int code, const QString &reason);

private:
    QHash<QString, ClientConnection *> m_connections; // by connection id
    QHash<QString, QList<ClientConnection *>> m_byUser; // authenticated ones
};

} // namespace Natter::Server
