#include "hub/LocalFanout.h"

#include "hub/ClientConnection.h"
#include "hub/MembershipCache.h"
#include "hub/SessionRegistry.h"

namespace Natter::Server {

LocalFanout::LocalFanout(const SessionRegistry *sessions, const MembershipCache *members)
    : m_sessions(sessions)
    , m_members(members)
{ }

void LocalFanout::toChannel(const QString &channel, const LiveFrame &frame,
                            const QString &skipConnection)
{
    toUsers(m_members->members(channel), frame, skipConnection);
}

void LocalFanout::toUsers(const QStringList &users, const LiveFrame &frame,
                          const QString &skipConnection)
{
    // One lookup, not a string comparison per delivery; an id of no connection
    // here (gone, or another node's) skips nothing.
    const ClientConnection *const skip =
        skipConnection.isEmpty() ? nullptr : m_sessions->connection(skipConnection);
    for (const QString &user : users) {
        for (ClientConnection *c : m_sessions->connectionsOf(user)) {
            if (c != skip)
                c->deliver(frame);
        }
    }
}

void LocalFanout::closeUser(const QString &user, int code, const QString &reason)
{
    for (ClientConnection *c : m_sessions->connectionsOf(user))
        c->close(code, reason);
}

void LocalFanout::closeFamily(const QString &familyId, int code, const QString &reason)
{
    for (ClientConnection *c : m_sessions->all()) {
        if (c->familyId() == familyId)
            c->close(code, reason);
    }
}

} // namespace Natter::Server
