#include "RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace Natter {

RateLimiter::RateLimiter(double ratePerSecond, int burst)
    : m_rate(std::max(0.1, ratePerSecond))
    , m_burst(std::max(1, burst))
    , m_tokens(m_burst)
{ }

void RateLimiter::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
    if (m_lastMs < 0 || nowMs > m_lastMs)
        m_lastMs = nowMs;
}

bool RateLimiter::tryTake(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

qint64 RateLimiter::msUntilAvailable(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate));
}

} // namespace Natter
