// Per-connection frame rate limiter: `rate` tokens per second, at most `burst`.
//
// Plain policy class; the caller passes a monotonic time in milliseconds.
#pragma once

#include <QtGlobal>

namespace Natter::Server {

class TokenBucket
{
public:
    TokenBucket(double ratePerSecond = 20, int burst = 40, qint64 nowMs = 0);

    // Takes one token if available.
    bool tryTake(qint64 nowMs);
    double available(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs;
};

} // namespace Natter::Server
