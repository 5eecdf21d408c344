#include "IdleBench.h"

#include "BenchClient.h"
#include "BenchServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

IdleBench::IdleBench(BenchServer *server, int connections, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_connections(connections)
{ }

QStringList IdleBench::login(BenchServer *server)
{
    QNetworkAccessManager nam;
    QStringList tokens;
    for (int i = 0; i < 10; ++i)
        tokens << BenchClient::login(nam, server->httpUrl(), QStringLiteral("idle%1").arg(i),
                                     QStringLiteral("pw"));
    return tokens;
}

QList<BenchClient *> IdleBench::open(BenchServer *server, const QStringList &tokens,
                                     int connections, QObject *owner, int *failedOut)
{
    QList<BenchClient *> clients;
    int ready = 0;
    int failed = 0;
    int next = 0;
    QEventLoop loop;
    // Open in waves so the listen backlog is never the bottleneck.
    const auto openMore = [&] {
        while (next < connections && next - ready - failed < 200) {
            auto *c = new BenchClient(server->wsUrl(), server->origin(),
                                      tokens[next % tokens.size()], owner);
            QObject::connect(c, &BenchClient::ready, owner, [&] {
                ++ready;
                if (ready + failed == connections)
                    loop.quit();
            });
            QObject::connect(c, &BenchClient::failed, owner, [&] {
                ++failed;
                if (ready + failed == connections)
                    loop.quit();
            });
            clients << c;
            c->open();
            ++next;
        }
    };
    QTimer pump;
    QObject::connect(&pump, &QTimer::timeout, owner, openMore);
    pump.start(5);
    openMore();
    if (connections > 0)
        loop.exec();
    pump.stop();
    // The lambdas above refer to this frame's counters: no more calls.
    for (BenchClient *c : std::as_const(clients)) {
        QObject::disconnect(c, &BenchClient::ready, owner, nullptr);
        QObject::disconnect(c, &BenchClient::failed, owner, nullptr);
    }
    if (failedOut)
        *failedOut = failed;
    return clients;
}

int IdleBench::run()
{
    const QStringList tokens = login(m_server);
    const qint64 before = m_server->rssKiB();
    QElapsedTimer clock;
    clock.start();
    int failed = 0;
    const QList<BenchClient *> clients = open(m_server, tokens, m_connections, this, &failed);
    const int ready = int(clients.size()) - failed;
    const qint64 connectMs = clock.elapsed();
    // Let the server settle (buffers freed, timers armed) before reading RSS.
    QEventLoop settle;
    QTimer::singleShot(2000, &settle, &QEventLoop::quit);
    settle.exec();
    const qint64 after = m_server->rssKiB();
    std::printf("idle connections=%d ready=%d failed=%d connect_ms=%lld rss_before_kib=%lld "
                "rss_after_kib=%lld rss_after_mib=%.1f per_connection_kib=%.1f\n",
                m_connections, ready, failed, static_cast<long long>(connectMs),
                static_cast<long long>(before), static_cast<long long>(after),
                double(after) / 1024.0, double(after - before) / double(qMax(1, ready)));
    std::fflush(stdout);
    qDeleteAll(clients);
    return failed == 0 ? 0 : 1;
}
