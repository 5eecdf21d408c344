// Logs event-loop turns that held the loop longer than a threshold (a bench tool).
//
// Every delivery waits for whatever the loop is doing when its frame arrives,
// so the latency tail is the longest turns (docs/benchmarks.md, "CPU per
// delivery and p99, session 8"). With NATTERD_SLOW_TURN_MS=N in the
// environment, main() installs one of these: an application event filter
// timestamps every event the main thread dispatches, the dispatcher's
// aboutToBlock() ends a turn, and a turn whose work took N ms or more is logged
// (`event=slow_turn`, warning level) with the thread's CPU time in it (less
// than the wall time: the thread waited for a CPU), its events and the longest
// three (receiver class, object name or parent class, event type, µs). Unset, nothing is installed
// and nothing is measured. Main thread only; owned by main().
#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <array>
#include <memory>

namespace Natter::Server {

class SlowTurnProbe : public QObject
{
    Q_OBJECT
public:
    // A probe when NATTERD_SLOW_TURN_MS is set (> 0), else null.
    static std::unique_ptr<SlowTurnProbe> fromEnvironment();
    explicit SlowTurnProbe(qint64 thresholdUs, QObject *parent = nullptr);
    ~SlowTurnProbe() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Entry
    {
        qint64 us = 0;
        const char *className = nullptr;
        QString objectName;
        int type = 0;
    };
    void closeEvent(qint64 nowNs);
    void endTurn();

    qint64 m_thresholdUs;
    QElapsedTimer m_clock;
    bool m_inTurn = false;
    qint64 m_turnStartNs = 0;
    qint64 m_turnCpuStartNs = 0;
    qint64 m_eventStartNs = 0;
    int m_events = 0;
    Entry m_current;
    std::array<Entry, 3> m_top;
    qint64 m_slowTurns = 0;
};

} // namespace Natter::Server
