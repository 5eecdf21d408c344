// natterd's event dispatcher for its main thread, on Linux's epoll (issue 12).
//
// Qt 6.4's dispatchers (GLib's and the UNIX one) hand the kernel every socket
// notifier at every wake-up (poll()), and the kernel asks every socket whether
// it is ready, so each wake-up costs in proportion to the connections held. In
// a 50-member channel at 1,000 msgs/s that per-socket part of poll() alone was
// 6 % of natterd's CPU (docs/benchmarks.md, "epoll (session 14)"), and a server
// holding thousands of idle sockets pays it at every message. epoll keeps the
// set in the kernel and reports only the sockets that are ready.
//
// It does what QEventDispatcherUNIX does, on public API only:
// - posted events are sent first in every processEvents(); postEvent() and
//   wakeUp() from any thread write to an eventfd the wait includes;
// - a socket notifier gets QEvent::SockAct while its socket is ready (level
//   triggered, as poll() is); one watch per socket carries its read, write and
//   exception notifiers; a notifier unregistered while a batch is delivered is
//   not activated later in that batch;
// - timers fire in order of their deadlines, each at most once per pass, never
//   inside their own timer event; a repeating timer keeps its phase
//   (deadline += interval) unless it fell behind. All timer types are kept to
//   the millisecond (Qt lets coarse ones slip by 5 %; firing them on time is
//   within their contract).
//
// Main thread only: main() installs it before QCoreApplication exists (other
// threads keep Qt's own). QCoreApplication owns it.
#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>

#include <array>
#include <vector>

struct epoll_event;

namespace Natter::Server {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    // A dispatcher, or null when the kernel gives no epoll or eventfd (with a
    // warning on stderr; Qt's own dispatcher then serves).
    static EpollEventDispatcher *create();
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Sockets with at least one notifier registered (for tests).
    int watchedSocketCount() const { return int(m_watches.size()); }

private:
    EpollEventDispatcher(int epollFd, int wakeFd);

    // The notifiers of one socket, indexed by QSocketNotifier::Type, and the
    // events the kernel watches for it now.
    struct Watch
    {
        std::array<QSocketNotifier *, 3> notifiers{};
        quint32 events = 0;
        bool pollOnly = false; // epoll refused the fd (a regular file): always ready
    };
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadlineNs = 0;
        quint64 serial = 0; // tells a re-registered id from its stale heap entries
        bool inTimerEvent = false;
    };
    // An entry of the deadline heap; stale once its timer is gone or re-registered.
    struct Deadline
    {
        qint64 deadlineNs;
        quint64 serial;
        int timerId;
    };
    // The notifiers one processEvents() is activating; nested calls stack.
    struct Activation
    {
        std::vector<QSocketNotifier *> notifiers;
        Activation *outer = nullptr;
    };

    // Brings the kernel's watch of `fd` in line with its notifiers; a
    // registration re-adds it even when the events did not change.
    void applyWatch(int fd, bool registration = false);
    int activateSocketNotifiers(const ::epoll_event *events, int count);
    int activateTimers();
    // Milliseconds until the next timer is due (rounded up), -1 when none is.
    int timerWaitMs();
    void pushDeadline(const Timer &timer, int timerId);
    void dropStaleDeadlines();
    void drainWakeUps();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;
    QAtomicInt m_interrupted;

    QHash<int, Watch> m_watches;
    int m_pollOnlyCount = 0;
    Activation *m_activation = nullptr;

    QHash<int, Timer> m_timers;
    std::vector<Deadline> m_deadlines; // a min-heap on (deadline, serial)
    quint64 m_nextSerial = 0;
};

} // namespace Natter::Server
