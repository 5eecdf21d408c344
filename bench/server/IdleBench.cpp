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

int IdleBench::run()
{
    constexpr int kUsers = 10;
    QNetworkAccessManager nam;
    QStringList tokens;
    for (int i = 0; i < kUsers; ++i)
        tokens << BenchClient::login(nam, m_server->httpUrl(), QStringLiteral("idle%1").arg(i),
                                     QStringLiteral("pw"));
    const qint64 before = m_server->rssKiB();
    QElapsedTimer clock;
    clock.start();
    QList<BenchClient *> clients;
    int ready = 0;
    int failed = 0;
    int next = 0;
    QEventLoop loop;
    // Open in waves so the listen backlog is never the bottleneck.
    const auto openMore = [&] {
        while (next < m_connections && next - ready - failed < 200) {
            auto *c =
                new BenchClient(m_server->wsUrl(), m_server->origin(), tokens[next % kUsers], this);
            connect(c, &BenchClient::ready, this, [&] {
                ++ready;
                if (ready + failed == m_connections)
                    loop.quit();
            });
            connect(c, &BenchClient::failed, this, [&] {
                ++failed;
                if (ready + failed == m_connections)
                    loop.quit();
            });
            clients << c;
            c->open();
            ++next;
        }
    };
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, openMore);
    pump.start(5);
    openMore();
    loop.exec();
    pump.stop();
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
