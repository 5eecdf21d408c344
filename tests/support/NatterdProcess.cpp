#include "NatterdProcess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

namespace {
constexpr int kStartTimeoutMs = 20000;
}

NatterdProcess::NatterdProcess()
{
    if (qEnvironmentVariable("NATTER_TEST_STORAGE") == u"postgres" && !usePostgres())
        qWarning("NATTER_TEST_STORAGE=postgres: %s", qPrintable(m_error));
}

bool NatterdProcess::usePostgres()
{
    if (m_postgres)
        return true;
    auto postgres = std::make_unique<PostgresProcess>();
    if (!postgres->start() || !postgres->createDatabase(QStringLiteral("natter"))) {
        m_error = postgres->errorString();
        return false;
    }
    m_storageArgs = {QStringLiteral("--postgres"), postgres->conninfo(QStringLiteral("natter"))};
    m_postgres = std::move(postgres);
    return true;
}

NatterdProcess::~NatterdProcess()
{
    if (isRunning())
        kill();
    m_postgres.reset(); // after natterd: it stops the server
}

QString NatterdProcess::binaryPath()
{
    const QString fromEnv = qEnvironmentVariable("NATTERD_BIN");
    return fromEnv.isEmpty() ? QStringLiteral("natterd") : fromEnv;
}

bool NatterdProcess::start(const QStringList &extraArgs)
{
    m_extraArgs = extraArgs;
    m_port = 0;
    return launch();
}

bool NatterdProcess::restart()
{
    if (isRunning())
        stop();
    return launch();
}

bool NatterdProcess::restartWith(const QStringList &extraArgs)
{
    m_extraArgs = extraArgs;
    return restart();
}

bool NatterdProcess::launch()
{
    if (!m_dataDir.isValid()) {
        m_error = QStringLiteral("could not create a temporary data directory");
        return false;
    }
    if (qEnvironmentVariable("NATTER_TEST_STORAGE") == u"postgres" && !m_postgres) {
        m_error = QStringLiteral("NATTER_TEST_STORAGE=postgres, but no PostgreSQL: ") + m_error;
        return false; // never pass on SQLite in place of PostgreSQL
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binaryPath());
    // The log (stderr) carries the listening line: read both channels as one.
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{QStringLiteral("--data-dir"), m_dataDir.path(), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:%1").arg(m_port)};
    args += m_storageArgs;
    args += m_extraArgs;
    m_process->setArguments(args);
    m_process->start();
    if (!m_process->waitForStarted(kStartTimeoutMs)) {
        m_error = QStringLiteral("natterd did not start: %1").arg(m_process->errorString());
        return false;
    }

    // Wait for the structured log line that reports the bound address.
    static const QRegularExpression listening(
        QStringLiteral(R"(event=listening\b.*\burl=http://127\.0\.0\.1:(\d+))"));
    QDeadlineTimer deadline(kStartTimeoutMs);
    qsizetype scanned = m_log.size();
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (m_process->state() != QProcess::Running)
                break;
            continue;
        }
        drain();
        const QString fresh = QString::fromUtf8(m_log.mid(scanned));
        const auto match = listening.match(fresh);
        if (match.hasMatch()) {
            m_port = match.captured(1).toUShort();
            return true;
        }
    }
    drain();
    m_error = QStringLiteral("natterd did not report listening; log:\n%1")
                  .arg(QString::fromUtf8(m_log.right(4000)));
    return false;
}

void NatterdProcess::drain()
{
    if (!m_process)
        return;
    m_log += m_process->readAllStandardOutput(); // stderr is merged into it
}

int NatterdProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return -1;
    m_process->terminate();
    if (!m_process->waitForFinished(15000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        drain();
        return -1;
    }
    drain();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void NatterdProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(10000);
    drain();
}

bool NatterdProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 NatterdProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QByteArray NatterdProcess::log() const
{
    const_cast<NatterdProcess *>(this)->drain();
    return m_log;
}

QUrl NatterdProcess::httpUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QUrl NatterdProcess::wsUrl() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_port));
}

QByteArray NatterdProcess::origin() const
{
    return QByteArrayLiteral("http://127.0.0.1:") + QByteArray::number(m_port);
}

int NatterdProcess::admin(const QStringList &args, const QByteArray &stdinText)
{
    QProcess p;
    p.setProgram(binaryPath());
    p.setArguments(args + QStringList{QStringLiteral("--data-dir"), m_dataDir.path()}
                   + m_storageArgs);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start();
    if (!p.waitForStarted(kStartTimeoutMs))
        return -1;
    p.write(stdinText);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    m_adminOutput = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool NatterdProcess::addUser(const QString &name, const QString &password,
                             const QString &displayName)
{
    QStringList args{QStringLiteral("user"), QStringLiteral("add"), name};
    if (!displayName.isEmpty())
        args += {QStringLiteral("--display-name"), displayName};
    const QByteArray pw = password.toUtf8();
    return admin(args, pw + '\n' + pw + '\n') == 0;
}

bool NatterdProcess::addChannel(const QString &name, const QStringList &members)
{
    return admin({QStringLiteral("channel"), QStringLiteral("add"), name,
                  QStringLiteral("--members"), members.join(QLatin1Char(','))})
        == 0;
}
