// Runs a real natterd for the benchmarks: temporary data dir, loopback, free
// port; creates users and channels through the admin CLI; reads its RSS.
#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class BenchServer
{
public:
    explicit BenchServer(const QString &binary);
    ~BenchServer();

    // Storage flags for natterd and its admin commands (`--postgres CONNINFO`):
    // several BenchServers with the same flags are the nodes of one cluster.
    void setStorageArgs(const QStringList &args) { m_storageArgs = args; }
    bool addUser(const QString &name, const QString &password);
    bool addChannel(const QString &name, const QStringList &members);
    bool start(const QStringList &extraArgs = {});
    // Whether this natterd knows `--option` (older builds, compared side by side,
    // do not know the newer caps).
    bool supportsOption(const QString &option);
    void stop();

    quint16 port() const { return m_port; }
    QString dataDir() const { return m_dir.path(); }
    QUrl httpUrl() const;
    QUrl wsUrl() const;
    QByteArray origin() const;
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    // Resident set size of the natterd process in KiB (VmRSS).
    qint64 rssKiB() const;
    // CPU time (user + system, all threads) natterd has used so far, in ms.
    qint64 cpuMs() const;
    QString error() const { return m_error; }

private:
    int admin(const QStringList &args, const QByteArray &input = {});

    QString m_binary;
    QStringList m_storageArgs;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};
