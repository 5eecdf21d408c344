// Gives the heap's free pages back to the kernel after connections come and go.
//
// Every connect leaves garbage behind: the handshake's headers, the `connected`
// snapshot (the whole user directory as JSON, tens of KB, built and copied
// several times), hashing scratch. glibc keeps freed memory in the process, so
// after a burst of connects natterd's RSS stays at the burst's peak although
// the live data of an idle connection is a fraction of it (docs/benchmarks.md,
// "Lighter and faster"). At most once per interval after the connection count
// changed, malloc_trim(0) returns the free pages (also those inside the heap,
// with MADV_DONTNEED). A no-op on a C library without malloc_trim.
//
// Owned by NatterServer; fed by ChatHub::connectionCountChanged.
#pragma once

#include <QObject>
#include <QTimer>

namespace Natter::Server {

class HeapTrimmer : public QObject
{
    Q_OBJECT
public:
    explicit HeapTrimmer(int intervalMs = 1000, QObject *parent = nullptr);

    // Something allocated or freed a lot: trim within the interval (not per call).
    void poke();
    // Trims now; true if memory was given back.
    static bool trim();

private:
    QTimer m_timer;
};

} // namespace Natter::Server
