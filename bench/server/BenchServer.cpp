#include "BenchServer.h"

#include <QFile>
#include <QRegularExpression>

#include <unistd.h>

BenchServer::BenchServer(const QString &binary)
    : m_binary(binary)
{ }

BenchServer::~BenchServer()
{
    stop();
}

int BenchServer::admin(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(m_binary,
            args + QStringList{QStringLiteral("--data-dir"), m_dir.path()} + m_storageArgs);
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        return -1;
    return p.exitCode();
}

bool BenchServer::supportsOption(const QString &option)
{
    QProcess p;
    p.start(m_binary, {QStringLiteral("--help")});
    if (!p.waitForFinished(60000))
        return false;
    return p.readAllStandardOutput().contains("--" + option.toUtf8() + ' ');
}

bool BenchServer::addUser(const QString &name, const QString &password)
{
    const QByteArray pw = password.toUtf8();
    return admin({QStringLiteral("user"), QStringLiteral("add"), name}, pw + '\n' + pw + '\n') == 0;
}

bool BenchServer::addChannel(const QString &name, const QStringList &members)
{
    return admin({QStringLiteral("channel"), QStringLiteral("add"), name,
                  QStringLiteral("--members"), members.join(QLatin1Char(','))})
        == 0;
}

bool BenchServer::start(const QStringList &extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(m_binary,
                     QStringList{QStringLiteral("--data-dir"), m_dir.path(),
                                 QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                 QStringLiteral("--log-level"), QStringLiteral("warning")}
                         + m_storageArgs + extraArgs);
    static const QRegularExpression listening(
        QStringLiteral(R"(event=listening url=http://127\.0\.0\.1:(\d+))"));
    QByteArray log;
    while (m_process->waitForReadyRead(20000)) {
        log += m_process->readAll();
        const auto m = listening.match(QString::fromUtf8(log));
        if (m.hasMatch()) {
            m_port = m.captured(1).toUShort();
            // Keep draining so natterd never blocks on a full pipe.
            QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(),
                             [p = m_process.get()] { p->readAll(); });
            return true;
        }
    }
    m_error = QString::fromUtf8(log);
    return false;
}

void BenchServer::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(15000))
        m_process->kill();
}

QUrl BenchServer::httpUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QUrl BenchServer::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port));
}

QByteArray BenchServer::origin() const
{
    return "http://127.0.0.1:" + QByteArray::number(m_port);
}

qint64 BenchServer::rssKiB() const
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

qint64 BenchServer::cpuMs() const
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid()));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields 14 and 15 (utime, stime) in clock ticks, counted after the
    // parenthesised command name, which may contain spaces.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    return ticks * 1000 / sysconf(_SC_CLK_TCK);
}
