// How long a commit waits after the last one (group commit), from how fast
// writes come: a short window under light load, a longer one under heavy load.
//
// A commit costs the same whatever it carries (a WAL frame per page, then one
// send() per receiving socket for its fan-out), so the more writes share one,
// the less each costs; but every write in it waits for the window's end. Under
// light load a write rarely has company, and waiting buys nothing; under heavy
// load a few milliseconds gather several writes (docs/benchmarks.md, "A longer
// commit window under load (session 10)"). PostgreSQL's commit_delay makes the
// same trade, and also only when other transactions are in flight
// (commit_siblings).
//
// The rate is counted over periods of at least 100 ms; the period that ended
// decides the window until the next one ends. Plain policy class; the caller
// passes a monotonic time in milliseconds.
#pragma once

#include <QtGlobal>

namespace Natter::Server {

class CommitWindow
{
public:
    // Below this many writes a second, the light-load window.
    static constexpr int kBusyWritesPerSecond = 500;
    static constexpr qint64 kLightUs = 2000;
    static constexpr qint64 kBusyUs = 5000;
    static constexpr qint64 kPeriodMs = 100;

    explicit CommitWindow(qint64 nowMs = 0);

    // A write that a commit will report (an ack, a fan-out, an HTTP answer).
    void wrote() { ++m_writes; }
    // The window, in microseconds, for a commit scheduled at `nowMs`.
    qint64 windowUs(qint64 nowMs);

private:
    qint64 m_periodStartMs;
    int m_writes = 0;
    bool m_busy = false;
};

} // namespace Natter::Server
