#include "FanoutBench.h"

#include "BenchClient.h"
#include "BenchServer.h"
#include "IdleBench.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>

FanoutBench::FanoutBench(QList<BenchServer *> servers, int members, int rate, int seconds,
                         QObject *parent)
    : QObject(parent)
    , m_servers(std::move(servers))
    , m_members(members)
    , m_rate(rate)
    , m_seconds(seconds)
    , m_hook(qEnvironmentVariable("NATTERD_BENCH_HOOK"))
{ }

void FanoutBench::onFrame(BenchClient *, const QString &text)
{
    // Cheap scan instead of a JSON parse: the bench client must not be the bottleneck.
    const bool isAck = text.startsWith(u"{\"client_msg_id\"");
    const qsizetype at = text.indexOf(u"\"text\":\"b ");
    if (at < 0)
        return;
    const qsizetype start = at + 10;
    const qsizetype end = text.indexOf(u'"', start);
    const qint64 sentNs = QStringView(text).mid(start, end - start).toLongLong();
    const qint64 latencyUs = (m_clock.nsecsElapsed() - sentNs) / 1000;
    if (!isAck)
        ++m_totalDeliveries;
    if (!m_measuring)
        return;
    if (isAck) {
        ++m_acks;
        m_ackLatenciesUs.append(latencyUs);
        return;
    }
    ++m_deliveries;
    m_latenciesUs.append(latencyUs);
}

void FanoutBench::runHook(const char *what)
{
    if (m_hook.isEmpty())
        return;
    QProcess::execute(QStringLiteral("/bin/sh"),
                      {QStringLiteral("-c"),
                       m_hook + QLatin1Char(' ') + QLatin1String(what) + QLatin1Char(' ')
                           + QString::number(m_servers.first()->pid())});
}

int FanoutBench::run()
{
    int idleFailed = 0;
    const QList<BenchClient *> idle = m_idleConnections > 0
        ? IdleBench::open(m_servers.first(), IdleBench::login(m_servers.first()), m_idleConnections,
                          this, &idleFailed)
        : QList<BenchClient *>();
    if (idleFailed > 0) {
        std::fprintf(stderr, "%d of %d idle connections failed\n", idleFailed, m_idleConnections);
        qDeleteAll(idle);
        return 1;
    }
    QNetworkAccessManager nam;
    QList<BenchClient *> clients;
    QString channel;
    int ready = 0;
    QEventLoop loop;
    for (int i = 0; i < m_members; ++i) {
        BenchServer *server = m_servers[i % m_servers.size()];
        const QString token = BenchClient::login(
            nam, server->httpUrl(), QStringLiteral("member%1").arg(i), QStringLiteral("pw"));
        auto *c = new BenchClient(server->wsUrl(), server->origin(), token, this);
        connect(c, &BenchClient::ready, this, [&](BenchClient *, const QJsonObject &connected) {
            channel = connected[u"channels"][0][u"id"].toString();
            if (++ready == m_members)
                loop.quit();
        });
        connect(c, &BenchClient::frame, this, &FanoutBench::onFrame);
        clients << c;
        c->open();
    }
    loop.exec();
    runHook("on");
    m_clock.start();
    // Each member sends every `interval` ms, starts staggered across the interval.
    const double perMember = double(m_rate) / double(m_members);
    const int intervalMs = qMax(1, int(1000.0 / perMember));
    QList<QTimer *> timers;
    qint64 counter = 0;
    for (int i = 0; i < m_members; ++i) {
        auto *t = new QTimer(this);
        t->setTimerType(Qt::PreciseTimer);
        t->setInterval(intervalMs);
        BenchClient *c = clients[i];
        connect(t, &QTimer::timeout, this, [this, c, &channel, &counter] {
            const QString text = QStringLiteral("b %1").arg(m_clock.nsecsElapsed());
            c->socket().sendTextMessage(QString::fromUtf8(
                QJsonDocument(
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("send")},
                                {QStringLiteral("channel"), channel},
                                {QStringLiteral("client_msg_id"), QString::number(++counter)},
                                {QStringLiteral("text"), text}})
                    .toJson(QJsonDocument::Compact)));
            if (m_measuring)
                ++m_sent;
        });
        QTimer::singleShot(i * intervalMs / m_members, t, [t] { t->start(); });
        timers << t;
    }
    // One second of warm-up, then measure.
    QEventLoop run;
    QList<qint64> nodeCpuStartMs;
    qint64 dbCommitsStart = 0;
    qint64 dbCpuStartMs = 0;
    QTimer::singleShot(1000, this, [&, this] {
        m_measuring = true;
        for (BenchServer *s : std::as_const(m_servers))
            nodeCpuStartMs << s->cpuMs();
        if (m_dbCommits) {
            dbCommitsStart = m_dbCommits();
            dbCpuStartMs = m_dbCpuMs();
        }
    });
    QTimer::singleShot(1000 + m_seconds * 1000, &run, &QEventLoop::quit);
    run.exec();
    m_measuring = false;
    qint64 serverCpuMs = 0;
    QStringList nodeCpuPct;
    for (int i = 0; i < m_servers.size(); ++i) {
        const qint64 ms = m_servers[i]->cpuMs() - nodeCpuStartMs.value(i);
        serverCpuMs += ms;
        nodeCpuPct << QString::number(100.0 * double(ms) / (1000.0 * m_seconds), 'f', 0);
    }
    const qint64 dbCommits = m_dbCommits ? m_dbCommits() - dbCommitsStart : 0;
    const qint64 dbCpuMs = m_dbCpuMs ? m_dbCpuMs() - dbCpuStartMs : 0;
    qint64 rssKiB = 0;
    for (BenchServer *s : std::as_const(m_servers))
        rssKiB += s->rssKiB();
    for (QTimer *t : timers)
        t->stop();
    {
        // Drain: wait until every member but the sender has each message sent,
        // or until nothing arrives for a while (10 s; 120 s with a hook:
        // natterd under callgrind on a busy host stalls), so total_deliveries
        // counts what was lost, not what was still on its way. The window's
        // figures above are taken before this.
        const qint64 expected = counter * (m_members - 1);
        const qint64 stallMs = m_hook.isEmpty() ? 10000 : 120000;
        QElapsedTimer stalled;
        stalled.start();
        qint64 seen = m_totalDeliveries;
        while (m_totalDeliveries < expected && stalled.elapsed() < stallMs) {
            QEventLoop wait;
            QTimer::singleShot(50, &wait, &QEventLoop::quit);
            wait.exec();
            if (m_totalDeliveries != seen) {
                seen = m_totalDeliveries;
                stalled.restart();
            }
        }
        if (!m_hook.isEmpty())
            runHook("off");
    }
    std::sort(m_latenciesUs.begin(), m_latenciesUs.end());
    std::sort(m_ackLatenciesUs.begin(), m_ackLatenciesUs.end());
    const auto pctOf = [](const QList<qint64> &sorted, double p) {
        return sorted.isEmpty()
            ? 0.0
            : double(sorted[qMin(sorted.size() - 1, qsizetype(p * double(sorted.size())))])
                / 1000.0;
    };
    const auto pct = [&](double p) {
        return pctOf(m_latenciesUs, p);
    };
    std::printf("fanout members=%d target_rate=%d seconds=%d sent=%lld sent_per_s=%.0f acks=%lld "
                "deliveries=%lld deliveries_per_s=%.0f latency_ms_p50=%.2f p99=%.2f max=%.2f "
                "ack_ms_p50=%.2f ack_p99=%.2f natterd_cpu_pct=%.0f natterd_cpu_us_per_msg=%.0f "
                "rss_mib=%.1f total_sent=%lld total_deliveries=%lld",
                m_members, m_rate, m_seconds, static_cast<long long>(m_sent),
                double(m_sent) / m_seconds, static_cast<long long>(m_acks),
                static_cast<long long>(m_deliveries), double(m_deliveries) / m_seconds, pct(0.50),
                pct(0.99), m_latenciesUs.isEmpty() ? 0.0 : double(m_latenciesUs.last()) / 1000.0,
                pctOf(m_ackLatenciesUs, 0.50), pctOf(m_ackLatenciesUs, 0.99),
                100.0 * double(serverCpuMs) / (1000.0 * m_seconds),
                m_sent ? 1000.0 * double(serverCpuMs) / double(m_sent) : 0.0,
                double(rssKiB) / 1024.0, static_cast<long long>(counter),
                static_cast<long long>(m_totalDeliveries));
    if (m_servers.size() > 1)
        std::printf(" nodes=%d node_cpu_pct=%s", int(m_servers.size()),
                    qPrintable(nodeCpuPct.join(QLatin1Char(','))));
    if (m_dbCommits)
        std::printf(" pg_commits_per_s=%.0f pg_cpu_pct=%.0f pg_cpu_us_per_msg=%.0f",
                    double(dbCommits) / m_seconds, 100.0 * double(dbCpuMs) / (1000.0 * m_seconds),
                    m_sent ? 1000.0 * double(dbCpuMs) / double(m_sent) : 0.0);
    if (m_idleConnections > 0)
        std::printf(" idle_connections=%d", m_idleConnections);
    std::printf("\n");
    std::fflush(stdout);
    qDeleteAll(clients);
    qDeleteAll(idle);
    return 0;
}
