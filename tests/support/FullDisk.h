// A full disk for one real process (natterd), without filling a disk: while
// a FullDisk lives, the process's files may grow no more (RLIMIT_FSIZE 0, set
// with prlimit), so its writes past their end fail with EFBIG, as on a full
// disk. The limit is given back when it ends, or at the end of the scope (a
// failed check in between must not leave the server limited for the next
// test).
#pragma once

#include <QtGlobal>

#include <sys/resource.h>
#include <sys/types.h>
#include <utility>

class FullDisk
{
public:
    explicit FullDisk(qint64 pid)
        : m_pid(pid_t(pid))
    {
        rlimit refuse{};
        m_active = ::prlimit(m_pid, RLIMIT_FSIZE, nullptr, &m_saved) == 0;
        refuse = m_saved;
        refuse.rlim_cur = 0;
        m_active = m_active && ::prlimit(m_pid, RLIMIT_FSIZE, &refuse, nullptr) == 0;
    }
    ~FullDisk() { end(); }
    FullDisk(const FullDisk &) = delete;
    FullDisk &operator=(const FullDisk &) = delete;

    bool active() const { return m_active; }
    // Gives the limit back; false when that failed.
    bool end()
    {
        return !std::exchange(m_active, false)
            || ::prlimit(m_pid, RLIMIT_FSIZE, &m_saved, nullptr) == 0;
    }

private:
    pid_t m_pid;
    rlimit m_saved{};
    bool m_active = false;
};
