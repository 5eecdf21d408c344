#include "RedisProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>

#include <csignal>

namespace {
constexpr int kStartTimeoutMs = 15000;

quint16 freeLoopbackPort()
{
    // Bind port 0, read what the kernel chose, give it back to redis-server.
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}
} // namespace

RedisProcess::RedisProcess() = default;

RedisProcess::~RedisProcess()
{
    if (isRunning())
        kill();
}

bool RedisProcess::start()
{
    m_port = freeLoopbackPort();
    if (m_port == 0) {
        m_error = QStringLiteral("no free loopback port");
        return false;
    }
    return launch();
}

bool RedisProcess::restart()
{
    stop();
    return launch();
}

bool RedisProcess::launch()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("could not create a temporary directory");
        return false;
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(QStringLiteral("redis-server"));
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setArguments({QStringLiteral("--port"), QString::number(m_port),
                             QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                             QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                             QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path(),
                             QStringLiteral("--logfile"), QString(), QStringLiteral("--daemonize"),
                             QStringLiteral("no")});
    if (!m_password.isEmpty()) {
        // redis-server reads a config file given first (`-` would be stdin).
        const QString conf = m_dir.filePath(QStringLiteral("auth.conf"));
        QFile file(conf);
        if (!file.open(QIODevice::WriteOnly)) {
            m_error = QStringLiteral("could not write %1").arg(conf);
            return false;
        }
        file.write("requirepass \"" + m_password + "\"\n");
        file.close();
        m_process->setArguments(QStringList{conf} + m_process->arguments());
    }
    m_process->start();
    if (!m_process->waitForStarted(kStartTimeoutMs)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process->errorString());
        return false;
    }
    QDeadlineTimer deadline(kStartTimeoutMs);
    const qsizetype scanned = m_log.size(); // after a restart: this run's lines only
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_process->state() != QProcess::Running)
                break;
            continue;
        }
        m_log += m_process->readAll();
        if (m_log.indexOf("Ready to accept connections", scanned) >= 0)
            return true;
    }
    m_log += m_process->readAll();
    m_error = QStringLiteral("redis-server did not get ready; log:\n%1")
                  .arg(QString::fromUtf8(m_log.right(3000)));
    return false;
}

bool RedisProcess::stop()
{
    if (!isRunning())
        return false;
    m_process->terminate();
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_log += m_process->readAll();
    return true;
}

void RedisProcess::kill()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(5000);
    m_log += m_process->readAll();
}

bool RedisProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QByteArray RedisProcess::cli(const QStringList &args) const
{
    QProcess p;
    if (!m_password.isEmpty()) {
        // REDISCLI_AUTH keeps the password off redis-cli's command line.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("REDISCLI_AUTH"), QString::fromUtf8(m_password));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral("redis-cli"),
            QStringList{QStringLiteral("-p"), QString::number(m_port)} + args);
    if (!p.waitForFinished(10000))
        return {};
    return p.readAllStandardOutput().trimmed();
}

QByteArray RedisProcess::log() const
{
    if (m_process)
        m_log += m_process->readAll();
    return m_log;
}
