#include "SlowTurnProbe.h"

#include "ServerLog.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEvent>

#include <algorithm>

#include <time.h>

namespace Natter::Server {

namespace {
// The events the dispatcher delivers at the top of a turn. Others (ChildAdded,
// ChildRemoved, ...) are sent synchronously from inside one of these and must
// not split its time.
bool isDispatched(QEvent::Type type)
{
    switch (type) {
    case QEvent::Timer:
    case QEvent::SockAct:
    case QEvent::SockClose:
    case QEvent::MetaCall:
    case QEvent::DeferredDelete:
    case QEvent::Quit:
        return true;
    default:
        return type >= QEvent::User;
    }
}

// CPU time of this thread: a turn that took long on the wall clock but not in
// CPU waited for a CPU (a loaded host), it did not work.
qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
} // namespace

std::unique_ptr<SlowTurnProbe> SlowTurnProbe::fromEnvironment()
{
    bool ok = false;
    const double ms = qEnvironmentVariable("NATTERD_SLOW_TURN_MS").toDouble(&ok);
    if (!ok || ms <= 0)
        return nullptr;
    return std::make_unique<SlowTurnProbe>(qint64(ms * 1000));
}

SlowTurnProbe::SlowTurnProbe(qint64 thresholdUs, QObject *parent)
    : QObject(parent)
    , m_thresholdUs(thresholdUs)
{
    m_clock.start();
    QCoreApplication::instance()->installEventFilter(this);
    connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, this,
            &SlowTurnProbe::endTurn);
    qCWarning(lcServer).noquote().nospace()
        << "event=slow_turn_probe threshold_us=" << m_thresholdUs;
}

SlowTurnProbe::~SlowTurnProbe()
{
    if (QCoreApplication::instance())
        QCoreApplication::instance()->removeEventFilter(this);
    qCWarning(lcServer).noquote().nospace()
        << "event=slow_turn_probe_end slow_turns=" << m_slowTurns;
}

void SlowTurnProbe::closeEvent(qint64 nowNs)
{
    m_current.us = (nowNs - m_eventStartNs) / 1000;
    auto shortest = std::min_element(m_top.begin(), m_top.end(),
                                     [](const Entry &a, const Entry &b) { return a.us < b.us; });
    if (m_current.us > shortest->us)
        *shortest = m_current;
}

bool SlowTurnProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (!isDispatched(event->type()))
        return false;
    const qint64 now = m_clock.nsecsElapsed();
    if (!m_inTurn) {
        m_inTurn = true;
        m_turnStartNs = now;
        m_turnCpuStartNs = threadCpuNs();
        m_events = 0;
        m_top = {};
    } else {
        closeEvent(now);
    }
    ++m_events;
    m_eventStartNs = now;
    // Taken now: the receiver may be gone when the event's time is known.
    m_current.className = watched->metaObject()->className();
    m_current.objectName = watched->objectName();
    if (m_current.objectName.isEmpty() && watched->parent())
        m_current.objectName = QLatin1String(watched->parent()->metaObject()->className());
    m_current.type = int(event->type());
    return false;
}

void SlowTurnProbe::endTurn()
{
    if (!m_inTurn)
        return;
    m_inTurn = false;
    const qint64 now = m_clock.nsecsElapsed();
    closeEvent(now);
    const qint64 turnUs = (now - m_turnStartNs) / 1000;
    if (turnUs < m_thresholdUs)
        return;
    const qint64 cpuUs = (threadCpuNs() - m_turnCpuStartNs) / 1000;
    ++m_slowTurns;
    std::sort(m_top.begin(), m_top.end(),
              [](const Entry &a, const Entry &b) { return a.us > b.us; });
    QString top;
    for (const Entry &e : m_top) {
        if (!e.className)
            continue;
        if (!top.isEmpty())
            top += QLatin1String("; ");
        top += QLatin1String(e.className) + QLatin1Char('(') + e.objectName + QLatin1Char(')')
            + QLatin1Char(' ') + QString::number(e.type) + QLatin1Char(' ') + QString::number(e.us);
    }
    qCWarning(lcServer).noquote().nospace()
        << "event=slow_turn at_ms=" << m_turnStartNs / 1000000 << " us=" << turnUs
        << " cpu_us=" << cpuUs << " events=" << m_events << " top=" << ServerLog::value(top);
}

} // namespace Natter::Server
