// Failed-login throttling in Redis, shared by every node (§5, §12): one counter
// per username and one per peer address, `INCR` with `PEXPIRE` on the first hit
// (so the window runs from the first counted attempt and does not slide), in
// one Lua script with the check. As in LoginThrottle, an attempt is counted
// when it is reserved, before its password is hashed, so simultaneous attempts
// on several nodes cannot all pass; a success gives the username a clean slate
// and takes its attempt back from the peer, an attempt never made is taken
// back from both. Usernames are hashed in the key names (no user data in
// Redis' key space).
// Owned by ClusterNode; AuthService falls back to its own limiter whenever
// Redis does not answer.
#pragma once

#include "auth/SharedLoginThrottle.h"

#include <QObject>

namespace Natter::Server {

class ClusterNode;

class ClusterThrottle : public QObject, public SharedLoginThrottle
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxPerUser = 10;
        int maxPerPeer = 50;
        qint64 windowSecs = 15 * 60;
    };

    ClusterThrottle(ClusterNode *node, const Limits &limits, QObject *parent = nullptr);

    void reserve(const QString &username, const QString &peer,
                 std::function<void(qint64)> done) override;
    void release(const QString &username, const QString &peer,
                 LoginThrottle::Attempt attempt) override;

private:
    static QByteArray userKey(const QString &username);
    static QByteArray peerKey(const QString &peer);

    ClusterNode *m_node;
    Limits m_limits;
};

} // namespace Natter::Server
