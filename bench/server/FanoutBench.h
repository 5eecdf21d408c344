// A channel of N members, every member sending at rate/N per second (so the
// per-connection limit of 20/s is respected); measures fan-out deliveries per
// second and end-to-end latency from send to receipt (p50/p99), on one clock.
//
// With several servers (the nodes of one cluster, issue 16) member i connects
// to node i % nodes; natterd's CPU is the sum over the nodes (and each node's
// share is printed), and a database probe, when set, adds PostgreSQL's
// commits per second and CPU per message.
//
// NATTERD_BENCH_HOOK (a shell command) runs as `HOOK on PID` once every member
// is connected, and as `HOOK off PID` after the run, once every delivery has
// arrived: bench/server/callgrind-fanout.sh counts natterd's instructions
// between the two (total_sent/total_deliveries in the output cover that span).
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <functional>

class BenchServer;
class BenchClient;

class FanoutBench : public QObject
{
    Q_OBJECT
public:
    FanoutBench(QList<BenchServer *> servers, int members, int rate, int seconds,
                QObject *parent = nullptr);
    // PostgreSQL's committed transactions so far and its CPU ms so far (all
    // its processes), read before and after the measurement.
    void setDatabaseProbe(std::function<qint64()> commits, std::function<qint64()> cpuMs)
    {
        m_dbCommits = std::move(commits);
        m_dbCpuMs = std::move(cpuMs);
    }
    // Authenticated connections of other users (idle0..idle9) held on the
    // first node throughout, outside the channel (default none).
    void setIdleConnections(int connections) { m_idleConnections = connections; }
    int run();

private:
    void onFrame(BenchClient *client, const QString &text);
    void runHook(const char *what);

    QList<BenchServer *> m_servers;
    std::function<qint64()> m_dbCommits;
    std::function<qint64()> m_dbCpuMs;
    int m_members;
    int m_idleConnections = 0;
    int m_rate;
    int m_seconds;
    QString m_hook;
    QElapsedTimer m_clock;
    bool m_measuring = false;
    qint64 m_sent = 0;
    qint64 m_acks = 0;
    qint64 m_deliveries = 0;
    qint64 m_totalDeliveries = 0; // from the first send on, measured or not
    QList<qint64> m_latenciesUs;
    QList<qint64> m_ackLatenciesUs; // send -> own ack: one server pass, no fan-out
};
