// Login throttling shared between the nodes of a cluster (§5, §12): the same
// counts whichever node a login reaches. One implementation, ClusterThrottle
// (Redis); AuthService uses it when set and falls back to its own in-memory
// LoginThrottle whenever it cannot answer (Redis down).
// Owned by the composition root; outlives AuthService's use of it.
#pragma once

#include "auth/LoginThrottle.h"

#include <QString>

#include <functional>

namespace Natter::Server {

class SharedLoginThrottle
{
public:
    virtual ~SharedLoginThrottle() = default;

    // Reserves an attempt of `username` from `peer` (as LoginThrottle::reserve):
    // `done(0)`: reserved, release() must follow; `done(s > 0)`: refused, retry
    // in s seconds; `done(-1)`: no answer (use the local limiter instead).
    virtual void reserve(const QString &username, const QString &peer,
                         std::function<void(qint64)> done) = 0;
    virtual void release(const QString &username, const QString &peer,
                         LoginThrottle::Attempt attempt) = 0;
};

} // namespace Natter::Server
