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

#include <functional>

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
    // A new message: `ownAck` (the sender's `ack`) runs, then `frame` goes out
    // like toChannel(). Several nodes: both when this node delivers the channel
    // in order up to `frame` (an ack for seq N must not reach the sender before
    // N - 1 committed on another node, §5). One process: at once.
    virtual void toChannelWithAck(const QString &channel, const LiveFrame &frame,
                                  const QString &skipConnection,
                                  const std::function<void()> &ownAck)
    {
        ownAck();
        toChannel(channel, frame, skipConnection);
    }
    // `ev` of `channel` was just allocated here and will be fanned out once its
    // commit is durable: several nodes wait for it rather than fill it from the
    // store meanwhile (the sender would get a `message` before its `ack`).
    virtual void expectLocal(const QString &channel, qint64 ev)
    {
        Q_UNUSED(channel);
        Q_UNUSED(ev);
    }
    // The fan-out for what every node learns by itself (the store's change feed,
    // MembershipWatcher): this process's connections only. One process: itself.
    virtual Fanout *nodeLocal() { return this; }
    // A channel event committed here changed the members or the archived state
    // of `channel` (its frames have gone out). Several nodes: each other node
    // reads the memberships at once (its MembershipWatcher) rather than at its
    // next change-feed tick, so its membership cache, which routes the event's
    // system messages and admits sends, catches up without waiting. One
    // process: nothing to do.
    virtual void membershipChanged(const QString &channel) { Q_UNUSED(channel); }
    using MembershipHandler = std::function<void(const QString &channel)>;
    // Several nodes: `handler` runs here for each other node's membershipChanged().
    virtual void setMembershipHandler(MembershipHandler handler) { Q_UNUSED(handler); }
};

} // namespace Natter::Server
