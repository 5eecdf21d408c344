#include "ProcessLimits.h"

#include "ServerLog.h"

#include <cerrno>
#include <cstring>

#include <sys/resource.h>

namespace Natter::Server {

namespace {
QString limitText(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(value);
}
} // namespace

rlim_t ProcessLimits::raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        qCWarning(lcServer).noquote().nospace()
            << "event=open_files_limit error="
            << ServerLog::value(QString::fromLocal8Bit(std::strerror(errno)));
        return 0;
    }
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur != limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        } else {
            qCWarning(lcServer).noquote().nospace()
                << "event=open_files_limit soft=" << limitText(before)
                << " hard=" << limitText(limit.rlim_max)
                << " error=" << ServerLog::value(QString::fromLocal8Bit(std::strerror(errno)));
            return before;
        }
    }
    qCInfo(lcServer).noquote().nospace()
        << "event=open_files_limit soft=" << limitText(limit.rlim_cur)
        << " hard=" << limitText(limit.rlim_max) << " was=" << limitText(before);
    return limit.rlim_cur;
}

} // namespace Natter::Server
