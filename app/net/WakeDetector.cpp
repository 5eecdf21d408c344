#include "WakeDetector.h"

namespace Natter {

WakeDetector::WakeDetector(qint64 thresholdMs)
    : m_thresholdMs(thresholdMs)
{ }

bool WakeDetector::sample(qint64 wallMs, qint64 monotonicMs)
{
    const bool first = m_lastWall < 0;
    const qint64 wallDelta = wallMs - m_lastWall;
    const qint64 monoDelta = monotonicMs - m_lastMonotonic;
    m_lastWall = wallMs;
    m_lastMonotonic = monotonicMs;
    // A wall clock set backwards is not a wake; one set forwards by hand looks
    // like one, and then reconnecting once early is harmless.
    return !first && wallDelta - monoDelta >= m_thresholdMs;
}

} // namespace Natter
