// PeerLimiter with real sockets on loopback: a slot is counted per peer, comes
// back when its socket is destroyed (the path every closed connection takes),
// and an upgraded socket's slot ends when it authenticates or is destroyed;
// IPv6 peers count per /64.
#include "http/PeerLimiter.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>
#include <vector>

using Natter::Server::PeerLimiter;
using Natter::Server::TrustedProxies;

class tst_PeerLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void httpSlotComesBackWhenTheSocketIsDestroyed();
    void webSocketSlotFollowsTheSocketUntilAuthenticated();
    void ipv6CountsPerSlash64();

private:
    // The server side of a new loopback connection (owned by the test).
    QTcpSocket *accept();

    QTcpServer m_server;
    std::vector<std::unique_ptr<QTcpSocket>> m_clients;
};

void tst_PeerLimiter::init()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
}

void tst_PeerLimiter::cleanup()
{
    m_clients.clear();
    m_server.close();
}

QTcpSocket *tst_PeerLimiter::accept()
{
    m_clients.push_back(std::make_unique<QTcpSocket>());
    m_clients.back()->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    if (!m_server.waitForNewConnection(5000))
        return nullptr;
    QTcpSocket *socket = m_server.nextPendingConnection();
    socket->setParent(nullptr);
    return socket;
}

void tst_PeerLimiter::httpSlotComesBackWhenTheSocketIsDestroyed()
{
    TrustedProxies none;
    PeerLimiter limiter(&none);
    limiter.setLimits({2, 2});
    std::unique_ptr<QTcpSocket> first(accept());
    std::unique_ptr<QTcpSocket> second(accept());
    std::unique_ptr<QTcpSocket> third(accept());
    QVERIFY(first && second && third);
    QVERIFY(limiter.admitHttp(first.get()));
    QVERIFY(limiter.admitHttp(second.get()));
    QVERIFY(!limiter.admitHttp(third.get()));
    first.reset();
    QVERIFY(limiter.admitHttp(third.get()));
}

void tst_PeerLimiter::webSocketSlotFollowsTheSocketUntilAuthenticated()
{
    TrustedProxies none;
    PeerLimiter limiter(&none);
    limiter.setLimits({10, 1});
    std::unique_ptr<QTcpSocket> tcp(accept());
    std::unique_ptr<QTcpSocket> next(accept());
    QVERIFY(tcp && next);
    QVERIFY(limiter.admitHttp(tcp.get()));
    QVERIFY(limiter.admitWebSocket(tcp.get()));
    QVERIFY(limiter.admitHttp(next.get()));
    QVERIFY(!limiter.admitWebSocket(next.get()));

    // The socket's end frees its slot...
    tcp.reset();
    QVERIFY(limiter.admitWebSocket(next.get()));

    // ...and so does authenticating, while the socket stays.
    std::unique_ptr<QTcpSocket> last(accept());
    QVERIFY(last);
    QVERIFY(limiter.admitHttp(last.get()));
    QVERIFY(!limiter.admitWebSocket(last.get()));
    limiter.authenticated(next.get());
    QVERIFY(limiter.admitWebSocket(last.get()));
}

void tst_PeerLimiter::ipv6CountsPerSlash64()
{
    QCOMPARE(PeerLimiter::peerKey(QHostAddress(u"2001:db8:1:2:aaaa::1"_qs)),
             PeerLimiter::peerKey(QHostAddress(u"2001:db8:1:2:bbbb::2"_qs)));
    QVERIFY(PeerLimiter::peerKey(QHostAddress(u"2001:db8:1:2::1"_qs))
            != PeerLimiter::peerKey(QHostAddress(u"2001:db8:1:3::1"_qs)));
    QCOMPARE(PeerLimiter::peerKey(QHostAddress(u"::ffff:192.0.2.7"_qs)), u"192.0.2.7"_qs);
    QVERIFY(PeerLimiter::peerKey(QHostAddress(u"192.0.2.7"_qs))
            != PeerLimiter::peerKey(QHostAddress(u"192.0.2.8"_qs)));
}

QTEST_GUILESS_MAIN(tst_PeerLimiter)
#include "tst_peerlimiter.moc"
