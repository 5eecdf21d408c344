// EpollEventDispatcher, installed as this test's main-thread dispatcher as
// natterd's main() installs it: timers, socket notifiers on real sockets,
// posted events and wake-ups from another thread, through Qt's own classes.
#include "EpollEventDispatcher.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

using Natter::Server::EpollEventDispatcher;

namespace {

EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// A connected pair of UNIX stream sockets, closed with the object.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    bool valid() const { return fds[0] >= 0 && fds[1] >= 0; }
    void send(int side = 1) const { QCOMPARE_GE(::write(fds[side], "x", 1), 1); }
};

// Counts its timer events and kills its timer after `limit` of them.
class CountingObject : public QObject
{
public:
    int limit = 0;
    int timerId = 0;
    int fired = 0;
    std::function<void()> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != timerId)
            return;
        ++fired;
        if (onTimer)
            onTimer();
        if (limit > 0 && fired >= limit)
            killTimer(std::exchange(timerId, 0));
    }
};

// Runs the event loop until `done` is called or `timeoutMs` passes; false on timeout.
bool runUntil(const std::function<void(std::function<void()>)> &start, int timeoutMs = 10000)
{
    QEventLoop loop;
    bool finished = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(timeoutMs);
    start([&] {
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
    return finished;
}

} // namespace

class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTheMainThreadsDispatcher();
    void timersFireInDeadlineOrderAndNeverEarly();
    void repeatingTimerStopsWhenKilled();
    void timerKilledByAnEarlierOneInTheSamePassDoesNotFire();
    void timerRestartedInsideItsEventFiresAgainLater();
    void remainingTimeAndRegisteredTimers();
    void zeroTimerLeavesRoomForSocketsAndPostedEvents();
    void tcpTransferThroughReadAndWriteNotifiers();
    void notifierRemovedByAnEarlierOneIsNotActivated();
    void excludedNotifiersWaitForTheNextPass();
    void fdNumberReusedBehindANotifiersBackIsWatched();
    void wakeUpFromAnotherThreadEndsABlockingWait();
    void closedSocketsLeaveTheWatchSet();
};

void tst_EpollEventDispatcher::isTheMainThreadsDispatcher()
{
    QVERIFY(dispatcher());
}

void tst_EpollEventDispatcher::timersFireInDeadlineOrderAndNeverEarly()
{
    QList<int> order;
    QElapsedTimer clock;
    std::vector<std::unique_ptr<QTimer>> timers;
    bool early = false;
    const QList<int> intervals{60, 20, 40, 0, 80};
    clock.start();
    for (int interval : intervals) {
        auto timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer.get(), &QTimer::timeout, this, [&, interval] {
            order.append(interval);
            early = early || clock.elapsed() < interval;
        });
        timer->start(interval);
        timers.push_back(std::move(timer));
    }
    QTRY_COMPARE(order.size(), intervals.size());
    QCOMPARE(order, (QList<int>{0, 20, 40, 60, 80}));
    QVERIFY2(!early, "a timer fired before its interval had passed");
}

void tst_EpollEventDispatcher::repeatingTimerStopsWhenKilled()
{
    CountingObject counter;
    counter.limit = 5;
    counter.timerId = counter.startTimer(2, Qt::PreciseTimer);
    QVERIFY(counter.timerId > 0);
    QTRY_COMPARE(counter.fired, 5);
    QCOMPARE(counter.timerId, 0);
    // Ten more periods pass, marked by a timer of their own: nothing more fires.
    QVERIFY(runUntil([](auto done) { QTimer::singleShot(20, Qt::PreciseTimer, done); }));
    QCOMPARE(counter.fired, 5);
}

void tst_EpollEventDispatcher::timerKilledByAnEarlierOneInTheSamePassDoesNotFire()
{
    CountingObject first;
    CountingObject second;
    first.timerId = first.startTimer(5, Qt::PreciseTimer);
    second.timerId = second.startTimer(6, Qt::PreciseTimer);
    first.onTimer = [&] {
        if (second.timerId)
            second.killTimer(std::exchange(second.timerId, 0));
        first.killTimer(std::exchange(first.timerId, 0));
    };
    // Both are due before the loop next looks: one pass finds both.
    QElapsedTimer busy;
    busy.start();
    while (busy.elapsed() < 15) { }
    QVERIFY(runUntil([](auto done) { QTimer::singleShot(30, Qt::PreciseTimer, done); }));
    QCOMPARE(first.fired, 1);
    QCOMPARE(second.fired, 0);
}

void tst_EpollEventDispatcher::timerRestartedInsideItsEventFiresAgainLater()
{
    // QTimer::start() from its own timeout kills the id and may get it back:
    // the new registration fires, once per start.
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++fired < 4)
            timer.start(3);
    });
    timer.start(3);
    QTRY_COMPARE(fired, 4);
    QVERIFY(runUntil([](auto done) { QTimer::singleShot(20, Qt::PreciseTimer, done); }));
    QCOMPARE(fired, 4);
}

void tst_EpollEventDispatcher::remainingTimeAndRegisteredTimers()
{
    QObject owner;
    const int id = owner.startTimer(5000, Qt::CoarseTimer);
    QVERIFY(id > 0);
    const int left = dispatcher()->remainingTime(id);
    QVERIFY2(left > 4000 && left <= 5000, qPrintable(QString::number(left)));
    const auto timers = dispatcher()->registeredTimers(&owner);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().timerId, id);
    QCOMPARE(timers.first().interval, 5000);
    QCOMPARE(timers.first().timerType, Qt::CoarseTimer);
    owner.killTimer(id);
    QCOMPARE(dispatcher()->remainingTime(id), -1);
    QVERIFY(dispatcher()->registeredTimers(&owner).isEmpty());
}

void tst_EpollEventDispatcher::zeroTimerLeavesRoomForSocketsAndPostedEvents()
{
    SocketPair pair;
    QVERIFY(pair.valid());
    QTimer spinner;
    int spins = 0;
    connect(&spinner, &QTimer::timeout, this, [&] { ++spins; });
    spinner.start(0);
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    bool readable = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        readable = true;
        notifier.setEnabled(false);
    });
    bool posted = false;
    QMetaObject::invokeMethod(
        this, [&] { posted = true; }, Qt::QueuedConnection);
    pair.send();
    QTRY_VERIFY(readable && posted);
    QVERIFY(spins > 0);
}

void tst_EpollEventDispatcher::tcpTransferThroughReadAndWriteNotifiers()
{
    // 8 MiB through loopback fills the kernel's buffers: the sender's write
    // notifier comes and goes, the receiver's read notifier fires many times.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    QByteArray payload(8 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char((i * 7919) >> 3);
    QByteArray received;
    connect(peer.get(), &QTcpSocket::readyRead, this, [&] { received += peer->readAll(); });
    qint64 written = 0;
    connect(&client, &QTcpSocket::bytesWritten, this, [&](qint64 n) { written += n; });
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), payload.size(), 20000);
    QCOMPARE(written, payload.size());
    QCOMPARE(QCryptographicHash::hash(received, QCryptographicHash::Sha256),
             QCryptographicHash::hash(payload, QCryptographicHash::Sha256));

    // The peer's close reaches the client as a read of end of file.
    peer->close();
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
}

void tst_EpollEventDispatcher::notifierRemovedByAnEarlierOneIsNotActivated()
{
    // Two sockets ready in one wait; whichever is delivered first deletes the
    // other's notifier (a connection torn down by another's frame).
    SocketPair a;
    SocketPair b;
    QVERIFY(a.valid() && b.valid());
    QPointer<QSocketNotifier> first = new QSocketNotifier(a.fds[0], QSocketNotifier::Read);
    QPointer<QSocketNotifier> second = new QSocketNotifier(b.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(first, &QSocketNotifier::activated, this, [&] {
        ++activations;
        delete second.data();
        first->setEnabled(false);
    });
    connect(second, &QSocketNotifier::activated, this, [&] {
        ++activations;
        delete first.data();
        second->setEnabled(false);
    });
    a.send();
    b.send();
    QTRY_COMPARE(activations, 1);
    QVERIFY(runUntil([](auto done) { QTimer::singleShot(20, Qt::PreciseTimer, done); }));
    QCOMPARE(activations, 1);
    QCOMPARE(int(!first.isNull()) + int(!second.isNull()), 1);
    delete first.data();
    delete second.data();
}

void tst_EpollEventDispatcher::excludedNotifiersWaitForTheNextPass()
{
    SocketPair pair;
    QVERIFY(pair.valid());
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        notifier.setEnabled(false);
    });
    pair.send();
    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(activations, 0);
    QTRY_COMPARE(activations, 1);
}

void tst_EpollEventDispatcher::fdNumberReusedBehindANotifiersBackIsWatched()
{
    // libpq closes its socket when the server goes away, while the driver's
    // notifier still exists; the reconnection gets the same fd number and a
    // notifier of its own before the old one is deleted. epoll dropped the old
    // socket when it closed: the new one must still be watched.
    auto old = std::make_unique<SocketPair>();
    QVERIFY(old->valid());
    const int number = old->fds[0];
    auto stale = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Read);
    ::close(std::exchange(old->fds[0], -1));
    SocketPair fresh; // the lowest free number: the one just closed
    QVERIFY(fresh.valid());
    QCOMPARE(fresh.fds[0], number);
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(u"a second notifier of one type replaces the first"_qs));
    QSocketNotifier notifier(number, QSocketNotifier::Read);
    stale.reset(); // the old one goes after the new one came
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        notifier.setEnabled(false);
    });
    fresh.send();
    QTRY_COMPARE(activations, 1);
}

void tst_EpollEventDispatcher::wakeUpFromAnotherThreadEndsABlockingWait()
{
    // The other thread posts once the loop is about to block, and no timer is
    // due for ten seconds: only the post's wake-up can end the wait before the
    // guard does.
    std::unique_ptr<std::thread> poster;
    const bool woken = runUntil([&](auto done) {
        QObject *target = this;
        connect(
            dispatcher(), &QAbstractEventDispatcher::aboutToBlock, this,
            [&poster, target, done] {
                if (!poster) {
                    poster = std::make_unique<std::thread>([target, done] {
                        QMetaObject::invokeMethod(target, done, Qt::QueuedConnection);
                    });
                }
            },
            Qt::DirectConnection);
    });
    disconnect(dispatcher(), &QAbstractEventDispatcher::aboutToBlock, this, nullptr);
    QVERIFY(poster);
    poster->join();
    QVERIFY2(woken, "the loop slept through a post from another thread");
}

void tst_EpollEventDispatcher::closedSocketsLeaveTheWatchSet()
{
    const int before = dispatcher()->watchedSocketCount();
    {
        std::vector<std::unique_ptr<SocketPair>> pairs;
        std::vector<std::unique_ptr<QSocketNotifier>> notifiers;
        for (int i = 0; i < 50; ++i) {
            pairs.push_back(std::make_unique<SocketPair>());
            QVERIFY(pairs.back()->valid());
            notifiers.push_back(
                std::make_unique<QSocketNotifier>(pairs.back()->fds[0], QSocketNotifier::Read));
            notifiers.push_back(
                std::make_unique<QSocketNotifier>(pairs.back()->fds[0], QSocketNotifier::Write));
        }
        QCOMPARE(dispatcher()->watchedSocketCount(), before + 50);
    }
    QCOMPARE(dispatcher()->watchedSocketCount(), before);
}

int main(int argc, char *argv[])
{
    auto *epoll = EpollEventDispatcher::create();
    if (!epoll)
        return 1;
    QCoreApplication::setEventDispatcher(epoll);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
