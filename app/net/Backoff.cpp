#include "Backoff.h"

#include <algorithm>

namespace Natter {

Backoff::Backoff()
    : Backoff(Policy{})
{ }

Backoff::Backoff(const Policy &policy, quint32 seed)
    : m_policy(policy)
    , m_random(seed ? seed : QRandomGenerator::global()->generate())
{
    m_policy.baseMs = std::max(1, m_policy.baseMs);
    m_policy.capMs = std::max(m_policy.baseMs, m_policy.capMs);
    m_policy.floorMs = std::clamp(m_policy.floorMs, 0, m_policy.baseMs);
}

int Backoff::currentCeilingMs() const
{
    // base * 2^n without overflow: stop doubling once past the cap.
    qint64 ceiling = m_policy.baseMs;
    for (int i = 0; i < m_attempts && ceiling < m_policy.capMs; ++i)
        ceiling *= 2;
    return int(std::min<qint64>(ceiling, m_policy.capMs));
}

int Backoff::nextDelayMs()
{
    const int ceiling = currentCeilingMs();
    ++m_attempts;
    // bounded(a, b) is [a, b): +1 makes the ceiling itself reachable.
    return int(m_random.bounded(qint64(m_policy.floorMs), qint64(ceiling) + 1));
}

void Backoff::connectionEnded(qint64 connectedForMs)
{
    if (connectedForMs >= m_policy.resetAfterConnectedMs)
        m_attempts = 0;
}

} // namespace Natter
