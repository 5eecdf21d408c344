#include "store/sqlite/CommitWindow.h"

namespace Natter::Server {

CommitWindow::CommitWindow(qint64 nowMs)
    : m_periodStartMs(nowMs)
{ }

qint64 CommitWindow::windowUs(qint64 nowMs)
{
    const qint64 elapsedMs = nowMs - m_periodStartMs;
    if (elapsedMs >= kPeriodMs) {
        // After a pause the period is long and its rate low: the first
        // writes after it commit without the longer wait.
        m_busy = qint64(m_writes) * 1000 >= kBusyWritesPerSecond * elapsedMs;
        m_writes = 0;
        m_periodStartMs = nowMs;
    }
    return m_busy ? kBusyUs : kLightUs;
}

} // namespace Natter::Server
