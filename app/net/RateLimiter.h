// A token bucket pacing outgoing frames below the server's limit.
//
// The server allows 20 frames/s sustained with bursts of 40 and answers more with
// rate_limited errors (and eventually a 4429 close), so a client flushing a long
// outbox after a reconnect must pace itself. Plain class; time is passed in.
#pragma once

#include <QtGlobal>

namespace Natter {

class RateLimiter
{
public:
    RateLimiter(double ratePerSecond = 15.0, int burst = 30);

    // Takes one token at time `nowMs` (any monotonic clock) if there is one.
    bool tryTake(qint64 nowMs);
    // Milliseconds from `nowMs` until a token will be available (0 when one is).
    qint64 msUntilAvailable(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs = -1;
};

} // namespace Natter
