// Process-wide resource limits natterd sets for itself at start.
//
// Every socket is a file descriptor, and the soft RLIMIT_NOFILE most sessions
// and systemd hand a service is 1,024: one peer holding a thousand sockets
// locked every other client out (issue 12). The soft limit may be raised to the
// hard one without privileges, so natterd does that before it listens. Static
// helper called by main(); owns nothing.
#pragma once

#include <sys/resource.h>

namespace Natter::Server {

class ProcessLimits
{
public:
    // Raises the soft limit on open files to the hard limit and logs the result
    // (info; a warning when it could not). Returns the soft limit now in force
    // (0 when it could not be read).
    static rlim_t raiseOpenFileLimit();
};

} // namespace Natter::Server
