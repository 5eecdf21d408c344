// Issue 12's caps against the real natterd: one peer cannot hold every socket
// (pending HTTP and unauthenticated WebSockets per peer address, after
// trusted_proxies), one user cannot hold unlimited connections nor multiply
// the per-connection rate by opening more sockets, and natterd takes all the
// open files its hard limit allows.
//
// Loopback answers on all of 127/8, so a client bound to 127.0.0.2 is another
// peer of the same natterd.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "WsTestClient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

#include <memory>
#include <vector>

namespace {

const QHostAddress kOtherPeer(QStringLiteral("127.0.0.2"));

// A connected raw TCP client of natterd whose address is `source`.
std::unique_ptr<QTcpSocket> rawConnect(quint16 port,
                                       const QHostAddress &source = QHostAddress::LocalHost)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (source != QHostAddress(QHostAddress::LocalHost) && !socket->bind(source, 0))
        return nullptr;
    socket->connectToHost(QHostAddress::LocalHost, port);
    if (!socket->waitForConnected(5000))
        return nullptr;
    return socket;
}

// Reads until the head of a response has arrived; everything read so far.
QByteArray readHead(QTcpSocket *socket)
{
    QByteArray data = socket->readAll();
    while (!data.contains("\r\n\r\n") && socket->waitForReadyRead(5000))
        data += socket->readAll();
    return data;
}

// Sends `request` from `source` and returns everything until natterd closes.
QByteArray exchange(quint16 port, const QByteArray &request, const QHostAddress &source)
{
    const auto socket = rawConnect(port, source);
    if (!socket)
        return "(no connection)";
    socket->write(request);
    QByteArray response;
    while (socket->waitForReadyRead(5000))
        response += socket->readAll();
    return response;
}

const QByteArray kHealth =
    "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

// A WebSocket upgrade request (without its first line when `rest`).
QByteArray upgradeHeaders(const QByteArray &origin, const QByteArray &extra = {})
{
    return "Upgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           "Origin: "
        + origin + "\r\n" + extra + "\r\n";
}

QByteArray upgradeRequest(const QByteArray &origin, const QByteArray &extra = {})
{
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + upgradeHeaders(origin, extra);
}

// Sends an upgrade request from `source`; returns the socket (still open) and
// the response head.
std::pair<std::unique_ptr<QTcpSocket>, QByteArray> upgrade(quint16 port, const QByteArray &origin,
                                                           const QHostAddress &source,
                                                           const QByteArray &extra = {})
{
    auto socket = rawConnect(port, source);
    if (!socket)
        return {nullptr, "(no connection)"};
    socket->write(upgradeRequest(origin, extra));
    const QByteArray head = readHead(socket.get());
    return {std::move(socket), head};
}

int countFrames(const WsTestClient &client, const QString &type, const QString &code = {})
{
    int n = 0;
    for (const QJsonObject &f : client.frames()) {
        if (f[u"type"].toString() == type && (code.isEmpty() || f[u"code"].toString() == code))
            ++n;
    }
    return n;
}

QJsonObject authenticateFrame(const QString &token)
{
    return {{u"type"_qs, u"authenticate"_qs},
            {u"token"_qs, token},
            {u"client"_qs, QJsonObject{{u"name"_qs, u"natter-test"_qs}, {u"version"_qs, u"0"_qs}}}};
}

} // namespace

class tst_ServerCaps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openFileLimitIsRaisedToTheHardLimit();
    void heldSocketsAreInTheEpollSet();
    void peerHoldingPendingHttpSocketsCannotLockOthersOut();
    void peerHoldingUnauthenticatedWebSocketsCannotLockOthersOut();
    void unauthenticatedCapCountsTheClientBehindATrustedProxy();
    void userConnectionCapRefusesTheNewConnection();
    void userSessionStartsAreLimited();
    void userRateCountsAllOfTheUsersConnections();
};

void tst_ServerCaps::openFileLimitIsRaisedToTheHardLimit()
{
    // natterd inherits a low soft limit, as systemd's default 1,024 would give
    // it (here 256, below any hard limit, so this does not depend on the host).
    rlimit mine{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &mine), 0);
    QVERIFY2(mine.rlim_max > 256, "the hard limit on open files is too low to test");
    rlimit low = mine;
    low.rlim_cur = 256;
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
    NatterdProcess server;
    const bool started = server.start();
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &mine), 0);
    QVERIFY2(started, qPrintable(server.errorString()));

    QFile limits(QStringLiteral("/proc/%1/limits").arg(server.pid()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    QByteArray line;
    for (const QByteArray &l : limits.readAll().split('\n')) {
        if (l.startsWith("Max open files"))
            line = l;
    }
    const QList<QByteArray> fields = line.simplified().split(' ');
    QCOMPARE(fields.size(), 6); // Max open files SOFT HARD files
    QCOMPARE(fields[3].toULongLong(), quint64(mine.rlim_max));
    QCOMPARE(fields[4].toULongLong(), quint64(mine.rlim_max));
    QVERIFY(server.log().contains("event=open_files_limit soft=" + fields[3]));
}

// Registered descriptors of natterd's epoll set (its main-thread event
// dispatcher), or -1 when it has none.
static int epollWatchCount(qint64 pid)
{
    const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
    int best = -1;
    for (const QString &fd : QDir(fdDir).entryList(QDir::Files | QDir::System)) {
        char target[64] = {};
        const QByteArray link = QFile::encodeName(fdDir + u'/' + fd);
        if (::readlink(link.constData(), target, sizeof target - 1) < 0
            || qstrcmp(target, "anon_inode:[eventpoll]") != 0)
            continue;
        QFile info(QStringLiteral("/proc/%1/fdinfo/%2").arg(pid).arg(fd));
        if (!info.open(QIODevice::ReadOnly))
            continue;
        best = std::max(best, int(info.readAll().count("tfd:")));
    }
    return best;
}

void tst_ServerCaps::heldSocketsAreInTheEpollSet()
{
    // natterd waits on epoll (EpollEventDispatcher), not on a poll() over every
    // socket at every wake-up: held sockets join its kernel-side set and leave
    // it when they close.
    NatterdProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const int before = epollWatchCount(server.pid());
    QVERIFY2(before >= 1, "natterd has no epoll set");
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(rawConnect(server.port()));
        QVERIFY(held.back());
    }
    QTRY_COMPARE(epollWatchCount(server.pid()), before + 4);
    held.clear();
    QTRY_COMPARE(epollWatchCount(server.pid()), before);
}

void tst_ServerCaps::peerHoldingPendingHttpSocketsCannotLockOthersOut()
{
    NatterdProcess server;
    QVERIFY2(server.start({u"--max-pending-http-per-peer"_qs, u"5"_qs}),
             qPrintable(server.errorString()));
    // The holder trickles the head of a WebSocket upgrade on five sockets.
    std::vector<std::unique_ptr<QTcpSocket>> holder;
    for (int i = 0; i < 5; ++i) {
        auto socket = rawConnect(server.port());
        QVERIFY(socket);
        socket->write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        QVERIFY(socket->waitForBytesWritten(5000));
        holder.push_back(std::move(socket));
    }
    // A sixth socket from that address is refused at once, saying why and when
    // to come back...
    const QByteArray refused = exchange(server.port(), kHealth, QHostAddress::LocalHost);
    QVERIFY2(refused.startsWith("HTTP/1.1 429 "), refused.constData());
    QVERIFY(refused.contains("\r\nRetry-After: 5\r\n"));
    QVERIFY(refused.endsWith(R"({"error":"too_many_connections"})"));
    // ...while another address is served.
    const QByteArray other = exchange(server.port(), kHealth, kOtherPeer);
    QVERIFY2(other.startsWith("HTTP/1.1 200 "), other.constData());
    // A holder socket that finishes its upgrade is no longer a pending HTTP
    // socket: the address has a slot again.
    holder[0]->write(upgradeHeaders(server.origin()));
    QVERIFY(readHead(holder[0].get()).startsWith("HTTP/1.1 101 "));
    const QByteArray again = exchange(server.port(), kHealth, QHostAddress::LocalHost);
    QVERIFY2(again.startsWith("HTTP/1.1 200 "), again.constData());
}

void tst_ServerCaps::peerHoldingUnauthenticatedWebSocketsCannotLockOthersOut()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    // A long auth timeout: the holder's sockets stay until the test is done.
    QVERIFY2(server.start({u"--max-unauthenticated-ws-per-peer"_qs, u"3"_qs, u"--auth-timeout"_qs,
                           u"60"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString token = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    QVERIFY(!token.isEmpty());

    std::vector<std::unique_ptr<WsTestClient>> holder;
    for (int i = 0; i < 3; ++i) {
        holder.push_back(std::make_unique<WsTestClient>());
        QVERIFY(holder.back()->open(server.wsUrl(), server.origin()));
    }
    // A fourth WebSocket that has not authenticated is refused at the handshake.
    const auto [refusedSocket, refused] =
        upgrade(server.port(), server.origin(), QHostAddress::LocalHost);
    QVERIFY2(refused.startsWith("HTTP/1.1 429 "), refused.constData());
    QVERIFY(refused.contains("\r\nRetry-After: 5\r\n"));
    // Another address upgrades.
    const auto [otherSocket, other] = upgrade(server.port(), server.origin(), kOtherPeer);
    QVERIFY2(other.startsWith("HTTP/1.1 101 "), other.constData());
    // A socket that authenticates stops counting: the address gets in again,
    // and the user signs in there.
    QVERIFY(!holder[0]->authenticate(token).isEmpty());
    WsTestClient next;
    QVERIFY(next.open(server.wsUrl(), server.origin()));
    QVERIFY(!next.authenticate(token).isEmpty());
}

void tst_ServerCaps::unauthenticatedCapCountsTheClientBehindATrustedProxy()
{
    // natterd behind a proxy on 127.0.0.1: each client X-Forwarded-For names
    // has its own cap, so one client cannot use up the proxy's.
    NatterdProcess server;
    QVERIFY2(server.start({u"--max-unauthenticated-ws-per-peer"_qs, u"2"_qs, u"--auth-timeout"_qs,
                           u"60"_qs, u"--trusted-proxies"_qs, u"127.0.0.1"_qs}),
             qPrintable(server.errorString()));
    const QByteArray client = "X-Forwarded-For: 198.51.100.1\r\n";
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 2; ++i) {
        auto [socket, head] =
            upgrade(server.port(), server.origin(), QHostAddress::LocalHost, client);
        QVERIFY2(head.startsWith("HTTP/1.1 101 "), head.constData());
        held.push_back(std::move(socket));
    }
    const auto [refusedSocket, refused] =
        upgrade(server.port(), server.origin(), QHostAddress::LocalHost, client);
    QVERIFY2(refused.startsWith("HTTP/1.1 429 "), refused.constData());
    // A forged hop to the left changes nothing: the proxy's hop is what counts.
    const auto [forgedSocket, forged] =
        upgrade(server.port(), server.origin(), QHostAddress::LocalHost,
                "X-Forwarded-For: 203.0.113.9, 198.51.100.1\r\n");
    QVERIFY2(forged.startsWith("HTTP/1.1 429 "), forged.constData());
    const auto [otherSocket, other] =
        upgrade(server.port(), server.origin(), QHostAddress::LocalHost,
                "X-Forwarded-For: 203.0.113.5\r\n");
    QVERIFY2(other.startsWith("HTTP/1.1 101 "), other.constData());
}

void tst_ServerCaps::userConnectionCapRefusesTheNewConnection()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(server.start({u"--max-connections-per-user"_qs, u"2"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);

    WsTestClient laptop;
    WsTestClient phone;
    QVERIFY(laptop.open(server.wsUrl(), server.origin()));
    const QJsonObject connected = laptop.authenticate(alice);
    QVERIFY(!connected.isEmpty());
    QVERIFY(phone.open(server.wsUrl(), server.origin()));
    const QString phoneId = phone.authenticate(alice)[u"connection_id"].toString();
    QVERIFY(!phoneId.isEmpty());
    const QString general = connected[u"channels"][0][u"id"].toString();

    // A third connection of alice's is refused, with a reason a client shows
    // (§4: 1008 reconnects with backoff and surfaces the reason).
    WsTestClient third;
    QVERIFY(third.open(server.wsUrl(), server.origin()));
    third.sendJson(authenticateFrame(alice));
    QCOMPARE(third.take(u"auth_failed"_qs)[u"reason"].toString(), u"too_many_connections"_qs);
    QVERIFY(third.waitClosed());
    QCOMPARE(third.closeCode(), 1008);
    QCOMPARE(third.closeReason(), u"too many connections"_qs);
    QVERIFY(!third.has(u"connected"_qs));

    // Her two connections work on; bob is not affected.
    laptop.sendJson({{u"type"_qs, u"send"_qs},
                     {u"ref"_qs, u"r1"_qs},
                     {u"channel"_qs, general},
                     {u"client_msg_id"_qs, u"c1"_qs},
                     {u"text"_qs, u"still here"_qs}});
    QCOMPARE(laptop.take(u"ack"_qs)[u"ref"].toString(), u"r1"_qs);
    QCOMPARE(phone.take(u"message"_qs)[u"message"][u"client_msg_id"].toString(), u"c1"_qs);
    WsTestClient bobs;
    QVERIFY(bobs.open(server.wsUrl(), server.origin()));
    QVERIFY(!bobs.authenticate(bob).isEmpty());

    // Once one of hers closes, a new one gets in.
    phone.socket().close();
    QVERIFY(phone.waitClosed());
    // (natterd has let go of it once its log says so)
    QTRY_VERIFY(server.log().contains("event=ws_closed conn=" + phoneId.toUtf8()));
    WsTestClient desktop;
    QVERIFY(desktop.open(server.wsUrl(), server.origin()));
    QVERIFY(!desktop.authenticate(alice).isEmpty());
}

void tst_ServerCaps::userSessionStartsAreLimited()
{
    // Each session start reads a snapshot and replays on the event loop: an
    // audit's four reconnect loops of one user held natterd at a full core.
    // Three starts at once, then one every 100 s.
    QTemporaryDir dir;
    const QString config = dir.filePath(u"natterd.conf"_qs);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("user_session_per_second = 0.01\n");
    file.close();
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(server.start({u"--config"_qs, config, u"--user-session-burst"_qs, u"3"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);
    const QString bob = http.accessToken(u"bob"_qs, u"bob-pw"_qs);
    // Connected and gone again, three times: never more than one at a time,
    // so the connection cap has nothing to do with what follows.
    for (int i = 0; i < 3; ++i) {
        WsTestClient client;
        QVERIFY(client.open(server.wsUrl(), server.origin()));
        QVERIFY(!client.authenticate(alice).isEmpty());
        client.socket().close();
        QVERIFY(client.waitClosed());
    }
    // The fourth is told to wait (§4's 4429: clients reconnect with their long
    // backoff), before natterd reads anything for it.
    WsTestClient fourth;
    QVERIFY(fourth.open(server.wsUrl(), server.origin()));
    fourth.sendJson(authenticateFrame(alice));
    QCOMPARE(fourth.take(u"auth_failed"_qs)[u"reason"].toString(), u"rate_limited"_qs);
    QVERIFY(fourth.waitClosed());
    QCOMPARE(fourth.closeCode(), 4429);
    QCOMPARE(fourth.closeReason(), u"too many sign-ins"_qs);
    QVERIFY(!fourth.has(u"connected"_qs));
    // Bob is not held back by alice's sign-ins.
    WsTestClient bobs;
    QVERIFY(bobs.open(server.wsUrl(), server.origin()));
    QVERIFY(!bobs.authenticate(bob).isEmpty());
}

void tst_ServerCaps::userRateCountsAllOfTheUsersConnections()
{
    // A per-user rate low enough that no pause on a loaded machine refills it
    // during the test: 20 sends at once, then one every 10 s; presence 5, then
    // one every 10 s.
    QTemporaryDir dir;
    const QString config = dir.filePath(u"natterd.conf"_qs);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("user_rate_limit_per_second = 0.1\nuser_rate_limit_burst = 20\n"
               "user_presence_per_second = 0.1\nuser_presence_burst = 5\n"
               "user_channel_per_second = 0.1\nuser_channel_burst = 3\n"
               "user_typing_per_second = 0.1\nuser_typing_burst = 4\n");
    file.close();
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(server.start({u"--config"_qs, config}), qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString alice = http.accessToken(u"alice"_qs, u"alice-pw"_qs);

    // Ten sockets of alice's send 6 messages each, all at once: each socket is
    // well within its own rate (20/s, bursts of 40), the user is not.
    std::vector<std::unique_ptr<WsTestClient>> sockets;
    QString general;
    for (int i = 0; i < 10; ++i) {
        sockets.push_back(std::make_unique<WsTestClient>());
        QVERIFY(sockets.back()->open(server.wsUrl(), server.origin()));
        const QJsonObject connected = sockets.back()->authenticate(alice);
        QVERIFY(!connected.isEmpty());
        general = connected[u"channels"][0][u"id"].toString();
        sockets.back()->clearFrames();
    }
    for (int n = 0; n < 6; ++n) {
        for (int i = 0; i < 10; ++i) {
            const QString id = QStringLiteral("m%1-%2").arg(i).arg(n);
            sockets[size_t(i)]->sendJson({{u"type"_qs, u"send"_qs},
                                          {u"ref"_qs, id},
                                          {u"channel"_qs, general},
                                          {u"client_msg_id"_qs, id},
                                          {u"text"_qs, u"hello"_qs}});
        }
    }
    // Every send is answered: stored (ack) or refused (rate_limited, with its ref).
    for (const auto &s : sockets) {
        QTRY_COMPARE_WITH_TIMEOUT(countFrames(*s, u"ack"_qs)
                                      + countFrames(*s, u"error"_qs, u"rate_limited"_qs),
                                  6, 20000);
    }
    int acked = 0;
    for (const auto &s : sockets) {
        acked += countFrames(*s, u"ack"_qs);
        for (const QJsonObject &f : s->frames()) {
            if (f[u"type"].toString() == u"error")
                QVERIFY(f[u"ref"].toString().startsWith(u'm'));
        }
    }
    QVERIFY2(acked >= 20 && acked < 30, qPrintable(QString::number(acked)));

    // Bob, on the same server at the same time, is not affected.
    WsTestClient bobs;
    QVERIFY(bobs.open(server.wsUrl(), server.origin()));
    QVERIFY(!bobs.authenticate(http.accessToken(u"bob"_qs, u"bob-pw"_qs)).isEmpty());
    bobs.sendJson({{u"type"_qs, u"send"_qs},
                   {u"ref"_qs, u"b1"_qs},
                   {u"channel"_qs, general},
                   {u"client_msg_id"_qs, u"b1"_qs},
                   {u"text"_qs, u"hi"_qs}});
    const QJsonObject bobsAck = bobs.take(u"ack"_qs);
    QCOMPARE(bobsAck[u"ref"].toString(), u"b1"_qs);
    const QString bobsMessage = bobsAck[u"message"][u"id"].toString();
    QVERIFY(!bobsMessage.isEmpty());

    // Presence too is counted per user: 12 changes over three sockets, past a
    // burst of 5.
    for (int n = 0; n < 4; ++n) {
        for (int i = 0; i < 3; ++i) {
            sockets[size_t(i)]->sendJson({{u"type"_qs, u"presence"_qs},
                                          {u"ref"_qs, QStringLiteral("p%1-%2").arg(i).arg(n)},
                                          {u"status"_qs, n % 2 == 0 ? u"away"_qs : u"online"_qs}});
        }
    }
    const auto presenceRefusals = [&] {
        int n = 0;
        for (int i = 0; i < 3; ++i) {
            for (const QJsonObject &f : sockets[size_t(i)]->frames()) {
                if (f[u"code"].toString() == u"rate_limited"
                    && f[u"ref"].toString().startsWith(u'p'))
                    ++n;
            }
        }
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(presenceRefusals() >= 6, 20000);

    // channel_create (§8) too: 8 new channels over two sockets, past a burst of 3.
    for (int n = 0; n < 4; ++n) {
        for (int i = 3; i < 5; ++i) {
            sockets[size_t(i)]->sendJson({{u"type"_qs, u"channel_create"_qs},
                                          {u"ref"_qs, QStringLiteral("c%1-%2").arg(i).arg(n)},
                                          {u"name"_qs, QStringLiteral("room-%1-%2").arg(i).arg(n)},
                                          {u"visibility"_qs, u"public"_qs}});
        }
    }
    const auto createAnswers = [&](const QString &type) {
        int n = 0;
        for (int i = 3; i < 5; ++i) {
            for (const QJsonObject &f : sockets[size_t(i)]->frames()) {
                if (f[u"ref"].toString().startsWith(u'c')
                    && (type == u"channel" ? f[u"type"].toString() == type
                                           : f[u"code"].toString() == type))
                    ++n;
            }
        }
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(createAnswers(u"channel"_qs) + createAnswers(u"rate_limited"_qs), 8,
                              20000);
    QVERIFY2(createAnswers(u"channel"_qs) >= 3 && createAnswers(u"channel"_qs) < 5,
             qPrintable(QString::number(createAnswers(u"channel"_qs))));

    // The frames below are fanned out too, so they count per user as well (an
    // audit had one user with 32 sockets fan out 483 reaction changes a second).
    // Refusals with a ref of the given prefix, over all of alice's sockets.
    const auto refusals = [&](QChar prefix) {
        int n = 0;
        for (const auto &s : sockets) {
            for (const QJsonObject &f : s->frames()) {
                if (f[u"code"].toString() == u"rate_limited"
                    && f[u"ref"].toString().startsWith(prefix))
                    ++n;
            }
        }
        return n;
    };
    // react (§7) draws on the message budget the sends above used up: 10
    // reactions over five sockets against a bucket that refills one every 10 s.
    for (int n = 0; n < 2; ++n) {
        for (int i = 5; i < 10; ++i) {
            sockets[size_t(i)]->sendJson({{u"type"_qs, u"react"_qs},
                                          {u"ref"_qs, QStringLiteral("r%1-%2").arg(i).arg(n)},
                                          {u"channel"_qs, general},
                                          {u"id"_qs, bobsMessage},
                                          {u"emoji"_qs, u"👍"_qs},
                                          {u"on"_qs, n == 0}});
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(refusals(u'r') >= 7, 20000);
    // The other channel events share the channel budget channel_create used up.
    for (int i = 0; i < 6; ++i) {
        sockets[size_t(i)]->sendJson({{u"type"_qs, u"notify"_qs},
                                      {u"ref"_qs, QStringLiteral("n%1").arg(i)},
                                      {u"channel"_qs, general},
                                      {u"level"_qs, i % 2 == 0 ? u"none"_qs : u"all"_qs}});
    }
    QTRY_VERIFY_WITH_TIMEOUT(refusals(u'n') >= 4, 20000);
    // typing: 12 starts over three sockets, past a burst of 4.
    for (int n = 0; n < 4; ++n) {
        for (int i = 0; i < 3; ++i) {
            sockets[size_t(i)]->sendJson({{u"type"_qs, u"typing"_qs},
                                          {u"ref"_qs, QStringLiteral("t%1-%2").arg(i).arg(n)},
                                          {u"channel"_qs, general},
                                          {u"state"_qs, u"start"_qs}});
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(refusals(u't') >= 7, 20000);
}

QTEST_GUILESS_MAIN(tst_ServerCaps)
#include "tst_servercaps.moc"
