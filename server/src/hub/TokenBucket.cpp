#include "hub/TokenBucket.h"

#include <algorithm>

namespace Natter::Server {

TokenBucket::TokenBucket(double ratePerSecond, int burst, qint64 nowMs)
    : m_rate(ratePerSecond)
    , m_burst(burst)
    , m_tokens(burst)
    , m_lastMs(nowMs)
{ }

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = nowMs;
    }
}

bool TokenBucket::tryTake(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

double TokenBucket::available(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens;
}

} // namespace Natter::Server
