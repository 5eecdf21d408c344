#include "EpollEventDispatcher.h"

#include "ServerLog.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <utility>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Natter::Server {

namespace {

// Ready sockets taken from the kernel per wait; the rest stay ready (level
// triggered) and come with the next one.
constexpr int kMaxEvents = 256;
constexpr qint64 kNsPerMs = 1000 * 1000;

qint64 monotonicNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000 * kNsPerMs + now.tv_nsec;
}

QString errnoText(int error)
{
    return ServerLog::value(QString::fromLocal8Bit(std::strerror(error)));
}

// The heap's order: the earliest deadline on top (ties: the older timer first).
struct LaterFirst
{
    bool operator()(const auto &a, const auto &b) const
    {
        return a.deadlineNs != b.deadlineNs ? a.deadlineNs > b.deadlineNs : a.serial > b.serial;
    }
};

// Time left, in whole milliseconds rounded up (a wait never ends early), from 0.
int ceilMs(qint64 leftNs)
{
    return leftNs <= 0 ? 0 : int(std::min<qint64>((leftNs + kNsPerMs - 1) / kNsPerMs, INT_MAX));
}

// What wakes each kind of notifier: as QEventDispatcherUNIX reads poll()'s
// revents, plus a hang-up for a write notifier (alone on its socket it would
// otherwise be woken for nothing, again and again: level triggered).
constexpr quint32 kReadyFor[3] = {
    EPOLLIN | EPOLLHUP | EPOLLERR, // QSocketNotifier::Read
    EPOLLOUT | EPOLLHUP | EPOLLERR, // QSocketNotifier::Write
    EPOLLPRI, // QSocketNotifier::Exception
};
constexpr quint32 kWatchFor[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};

} // namespace

EpollEventDispatcher *EpollEventDispatcher::create()
{
    const int epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0) {
        qCWarning(lcServer).noquote().nospace()
            << "event=event_dispatcher epoll=unavailable error=" << errnoText(errno);
        return nullptr;
    }
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = wakeFd;
    if (wakeFd < 0 || ::epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &wake) != 0) {
        qCWarning(lcServer).noquote().nospace()
            << "event=event_dispatcher epoll=unavailable error=" << errnoText(errno);
        if (wakeFd >= 0)
            ::close(wakeFd);
        ::close(epollFd);
        return nullptr;
    }
    return new EpollEventDispatcher(epollFd, wakeFd);
}

EpollEventDispatcher::EpollEventDispatcher(int epollFd, int wakeFd)
    : m_epollFd(epollFd)
    , m_wakeFd(wakeFd)
{ }

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    // Events posted meanwhile have written to the eventfd: the wait returns at once.
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed()
        && !(includeNotifiers && m_pollOnlyCount > 0);
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    const int timeoutMs = !canWait ? 0 : includeTimers ? timerWaitMs() : -1;
    int handled = 0;
    if (includeNotifiers) {
        epoll_event events[kMaxEvents];
        const int count = ::epoll_wait(m_epollFd, events, kMaxEvents, timeoutMs);
        if (count < 0 && errno != EINTR) {
            qCWarning(lcServer).noquote().nospace()
                << "event=event_dispatcher wait=failed error=" << errnoText(errno);
        }
        if (count > 0 || m_pollOnlyCount > 0)
            handled += activateSocketNotifiers(events, std::max(count, 0));
    } else {
        // Socket notifiers stay out of this pass: wait for a wake-up or a timer only.
        pollfd wake{m_wakeFd, POLLIN, 0};
        if (::poll(&wake, 1, timeoutMs) > 0)
            drainWakeUps();
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

void EpollEventDispatcher::drainWakeUps()
{
    eventfd_t value = 0;
    ::eventfd_read(m_wakeFd, &value);
    m_wakeUps.storeRelease(0);
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event *events, int count)
{
    Activation activation;
    activation.outer = m_activation;
    activation.notifiers.reserve(count * 2);
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd) {
            drainWakeUps();
            continue;
        }
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend())
            continue; // unregistered earlier in this turn
        for (int type = 0; type < 3; ++type) {
            if (it->notifiers[type] && (events[i].events & kReadyFor[type]))
                activation.notifiers.push_back(it->notifiers[type]);
        }
    }
    if (m_pollOnlyCount > 0) {
        // What epoll cannot watch (regular files) poll() reports as always ready.
        for (const Watch &watch : std::as_const(m_watches)) {
            if (!watch.pollOnly)
                continue;
            for (QSocketNotifier *notifier : watch.notifiers) {
                if (notifier)
                    activation.notifiers.push_back(notifier);
            }
        }
    }

    m_activation = &activation;
    int activated = 0;
    for (QSocketNotifier *&notifier : activation.notifiers) {
        // A notifier unregistered by an earlier one's handler was nulled here.
        QSocketNotifier *const current = std::exchange(notifier, nullptr);
        if (!current)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(current, &event);
        ++activated;
    }
    m_activation = activation.outer;
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2)
        return;
    Watch &watch = m_watches[fd];
    if (watch.notifiers[type] && watch.notifiers[type] != notifier) {
        qCWarning(lcServer).noquote().nospace()
            << "event=event_dispatcher socket=" << fd << " type=" << type
            << " error=\"a second notifier of one type replaces the first\"";
    }
    watch.notifiers[type] = notifier;
    // Always tell the kernel, even when the events are unchanged: the fd number
    // may now name another socket (libpq closes its socket when the server goes
    // away, and a reconnection gets the number back before the old notifier is
    // gone). epoll forgot the old one when it closed; the new one must be added.
    applyWatch(fd, true);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    for (Activation *activation = m_activation; activation; activation = activation->outer) {
        std::replace(activation->notifiers.begin(), activation->notifiers.end(), notifier,
                     static_cast<QSocketNotifier *>(nullptr));
    }
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || type < 0 || type > 2 || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    applyWatch(fd);
}

void EpollEventDispatcher::applyWatch(int fd, bool registration)
{
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    quint32 wanted = 0;
    for (int type = 0; type < 3; ++type) {
        if (it->notifiers[type])
            wanted |= kWatchFor[type];
    }
    if (wanted == 0) {
        // Nothing to wake: the kernel stops watching (a closed fd has left the
        // set by itself, hence no error for that).
        if (it->pollOnly)
            --m_pollOnlyCount;
        else if (it->events != 0)
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(it);
        return;
    }
    if (it->pollOnly || (wanted == it->events && !registration))
        return;
    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    int op = it->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    int result = ::epoll_ctl(m_epollFd, op, fd, &event);
    // The fd number may have been closed and reused behind the notifiers' backs.
    if (result != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
        result = ::epoll_ctl(m_epollFd, op = EPOLL_CTL_ADD, fd, &event);
    else if (result != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
        result = ::epoll_ctl(m_epollFd, op = EPOLL_CTL_MOD, fd, &event);
    if (result == 0) {
        it->events = wanted;
    } else if (errno == EPERM) {
        it->pollOnly = true;
        ++m_pollOnlyCount;
    } else {
        qCWarning(lcServer).noquote().nospace()
            << "event=event_dispatcher socket=" << fd << " error=" << errnoText(errno);
    }
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object)
        return;
    Timer timer;
    timer.object = object;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.deadlineNs = monotonicNs() + interval * kNsPerMs;
    timer.serial = ++m_nextSerial;
    m_timers.insert(timerId, timer);
    pushDeadline(timer, timerId);
}

void EpollEventDispatcher::pushDeadline(const Timer &timer, int timerId)
{
    m_deadlines.push_back({timer.deadlineNs, timer.serial, timerId});
    std::push_heap(m_deadlines.begin(), m_deadlines.end(), LaterFirst());
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    if (!m_timers.remove(timerId))
        return false;
    // Heap entries of gone timers are skipped when they come up; rebuild
    // before they outnumber the live ones (a timer restarted at every message).
    if (m_deadlines.size() > 2 * size_t(m_timers.size()) + 64) {
        m_deadlines.clear();
        for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
            m_deadlines.push_back({it->deadlineNs, it->serial, it.key()});
        std::make_heap(m_deadlines.begin(), m_deadlines.end(), LaterFirst());
    }
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    QList<int> ids;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            ids.append(it.key());
    }
    for (int id : std::as_const(ids))
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            timers.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return ceilMs(it->deadlineNs - monotonicNs());
}

void EpollEventDispatcher::dropStaleDeadlines()
{
    while (!m_deadlines.empty()) {
        const Deadline &top = m_deadlines.front();
        const auto it = m_timers.constFind(top.timerId);
        if (it != m_timers.cend() && it->serial == top.serial && it->deadlineNs == top.deadlineNs)
            return;
        std::pop_heap(m_deadlines.begin(), m_deadlines.end(), LaterFirst());
        m_deadlines.pop_back();
    }
}

int EpollEventDispatcher::timerWaitMs()
{
    dropStaleDeadlines();
    if (m_deadlines.empty())
        return -1;
    return ceilMs(m_deadlines.front().deadlineNs - monotonicNs());
}

int EpollEventDispatcher::activateTimers()
{
    const qint64 now = monotonicNs();
    // Only what is due now: a timer started (or rescheduled) by a timer event
    // waits for the next pass, as with Qt's dispatchers.
    std::vector<Deadline> due;
    while (!m_deadlines.empty() && m_deadlines.front().deadlineNs <= now) {
        std::pop_heap(m_deadlines.begin(), m_deadlines.end(), LaterFirst());
        due.push_back(m_deadlines.back());
        m_deadlines.pop_back();
    }
    int fired = 0;
    for (const Deadline &entry : due) {
        auto it = m_timers.find(entry.timerId);
        if (it == m_timers.end() || it->serial != entry.serial
            || it->deadlineNs != entry.deadlineNs)
            continue; // killed, or killed and restarted, since
        qint64 next = entry.deadlineNs + it->intervalMs * kNsPerMs;
        if (next <= now)
            next = now + it->intervalMs * kNsPerMs; // fell behind: no burst to catch up
        it->deadlineNs = next;
        pushDeadline(*it, entry.timerId);
        if (it->inTimerEvent)
            continue; // its event is running further up this stack
        it->inTimerEvent = true;
        QObject *const object = it->object;
        QTimerEvent event(entry.timerId);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        // The handler may have killed it, or killed it and got the id again.
        const auto after = m_timers.find(entry.timerId);
        if (after != m_timers.end() && after->serial == entry.serial)
            after->inTimerEvent = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    // Any thread (QCoreApplication::postEvent): one write until the loop reads it.
    if (m_wakeUps.testAndSetAcquire(0, 1))
        ::eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

} // namespace Natter::Server
