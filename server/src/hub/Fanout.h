// The fan-out seam: every delivery of natterd to connections other than the one
// whose frame is being answered goes through this interface.
//
// One implementation today, LocalFanout (this process's sockets); a broker for
// several nodes (§12) would be a second one behind the same four calls. Frames
// are already encoded (LiveFrame carries the text, converted once); connections
// are named by id so an implementation need not hold them. Owned by ChatHub.
#pragma once

#include "hub/LiveFrame.h"

#include <QStringList>

namespace Natter::Server {

class Fanout
{
public:
    virtual ~Fanout() = default;

    // To every connection of every member of `channel`, except `skipConnection`.
    virtual void toChannel(const QString &channel, const LiveFrame &frame,
                           const QString &skipConnection = {}) = 0;
    // To every connection of each user in `users`, except `skipConnection`.
    virtual void toUsers(const QStringList &users, const LiveFrame &frame,
                         const QString &skipConnection = {}) = 0;
    // Closes every connection of `user` (an account disabled).
    virtual void closeUser(const QString &user, int code, const QString &reason) = 0;
    // Closes every connection authenticated with a token of `familyId` (logout,
    // refresh-token reuse; §1, §5).
    virtual void closeFamily(const QString &familyId, int code, const QString &reason) = 0;
};

} // namespace Natter::Server
