// Notices that the machine slept: the wall clock moved much further than the
// monotonic clock (CLOCK_MONOTONIC stops during suspend on Linux, the wall clock
// does not). Qt has no portable sleep/wake signal, so this check is sampled
// by a timer. Plain class; the clocks are passed in.
#pragma once

#include <QtGlobal>

namespace Natter {

class WakeDetector
{
public:
    explicit WakeDetector(qint64 thresholdMs = 5000);

    // Returns true when, since the previous sample, the wall clock advanced at
    // least thresholdMs more than the monotonic clock. The first sample only
    // records the clocks.
    bool sample(qint64 wallMs, qint64 monotonicMs);

private:
    qint64 m_thresholdMs;
    qint64 m_lastWall = -1;
    qint64 m_lastMonotonic = -1;
};

} // namespace Natter
