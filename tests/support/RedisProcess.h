// Runs a throwaway redis-server for the multi-node tests (issue 16).
//
// Each instance owns a temporary directory (Redis' working dir) and starts
// `redis-server` on a free loopback port with no persistence at all (no RDB,
// no AOF): a restart loses everything, like a production Redis without
// persistence restarted under load. Restarting keeps the port, so natterd
// nodes reconnect to the same address. The destructor stops the server.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class RedisProcess
{
public:
    RedisProcess();
    ~RedisProcess();

    // Before start(): require this password (`--requirepass`, passed in a config
    // file rather than on redis-server's command line). cli() authenticates with it.
    void setPassword(const QByteArray &password) { m_password = password; }

    // Starts redis-server and waits until it accepts connections. Returns false
    // (with the reason in errorString()) when it did not.
    bool start();
    // SIGTERM and wait (nothing is saved). Returns true when it exited.
    bool stop();
    // SIGKILL.
    void kill();
    // Stops and starts again on the same port, empty.
    bool restart();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    // Runs `redis-cli -p PORT args...` and returns its stdout (trimmed); empty on failure.
    QByteArray cli(const QStringList &args) const;
    QByteArray log() const;
    QString errorString() const { return m_error; }

private:
    bool launch();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    mutable QByteArray m_log;
    QString m_error;
    QByteArray m_password;
};
