#include "HeapTrimmer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Natter::Server {

HeapTrimmer::HeapTrimmer(int intervalMs, QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [] { trim(); });
}

void HeapTrimmer::poke()
{
    // Not restarted on every call: under a steady stream of connects it still
    // runs once per interval.
    if (!m_timer.isActive())
        m_timer.start();
}

bool HeapTrimmer::trim()
{
#if defined(__GLIBC__)
    return malloc_trim(0) != 0;
#else
    return false;
#endif
}

} // namespace Natter::Server
