// The in-process Fanout: delivers to this process's connections, found in the
// SessionRegistry, to the channel members the MembershipCache knows.
//
// Owned by ChatHub, which owns the registry and the cache it reads.
#pragma once

#include "hub/Fanout.h"

namespace Natter::Server {

class MembershipCache;
class SessionRegistry;

class LocalFanout : public Fanout
{
public:
    LocalFanout(const SessionRegistry *sessions, const MembershipCache *members);

    void toChannel(const QString &channel, const LiveFrame &frame,
                   const QString &skipConnection = {}) override;
    void toUsers(const QStringList &users, const LiveFrame &frame,
                 const QString &skipConnection = {}) override;
    void closeUser(const QString &user, int code, const QString &reason) override;
    void closeFamily(const QString &familyId, int code, const QString &reason) override;

private:
    const SessionRegistry *m_sessions;
    const MembershipCache *m_members;
};

} // namespace Natter::Server
