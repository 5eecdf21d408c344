#include "PgBackendFreeze.h"

#include "PostgresProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace {
// The state letter in /proc/PID/stat ('T': stopped by a signal); 0 when unreadable.
char processState(pid_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // "PID (COMM) S ...": COMM may hold spaces and parentheses, so from the last ')'.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close >= 0 && close + 2 < line.size() ? line.at(close + 2) : 0;
}
} // namespace

PgBackendFreeze::PgBackendFreeze(PostgresProcess *postgres, const QString &database,
                                 const QString &application)
    : m_postgres(postgres)
    , m_database(database)
    , m_application(application)
{ }

PgBackendFreeze::~PgBackendFreeze()
{
    if (m_frozen)
        ::kill(m_pid, SIGCONT);
}

bool PgBackendFreeze::freeze()
{
    if (m_frozen) {
        m_error = QStringLiteral("already frozen");
        return false;
    }
    // The names are the test's own constants; quoted as SQL literals anyway.
    const auto literal = [](QString s) {
        return QLatin1Char('\'') + s.replace(QLatin1Char('\''), QStringLiteral("''"))
            + QLatin1Char('\'');
    };
    const QList<QVariantList> rows = m_postgres->query(
        QStringLiteral("postgres"),
        QStringLiteral("SELECT pid FROM pg_stat_activity WHERE application_name = %1"
                       " AND datname = %2")
            .arg(literal(m_application), literal(m_database)));
    if (rows.size() != 1) {
        m_error = QStringLiteral("%1 backends named %2 on database %3, not exactly one")
                      .arg(rows.size())
                      .arg(m_application, m_database);
        if (rows.isEmpty() && !m_postgres->errorString().isEmpty())
            m_error += QStringLiteral(" (%1)").arg(m_postgres->errorString());
        return false;
    }
    m_pid = pid_t(rows.first().first().toLongLong());
    if (m_pid <= 0) {
        m_error = QStringLiteral("no pid for the %1 backend").arg(m_application);
        return false;
    }
    if (::kill(m_pid, SIGSTOP) != 0) {
        m_error = QStringLiteral("SIGSTOP %1: %2")
                      .arg(m_pid)
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_frozen = true;
    // kill() only queues the signal: return once the backend has stopped, so
    // whatever the test sends next surely finds it stopped.
    const QDeadlineTimer deadline(5000);
    while (processState(m_pid) != 'T') {
        if (deadline.hasExpired()) {
            m_error = QStringLiteral("backend %1 did not stop").arg(m_pid);
            return false;
        }
        QThread::yieldCurrentThread();
    }
    return true;
}

bool PgBackendFreeze::thaw()
{
    if (!m_frozen) {
        m_error = QStringLiteral("not frozen");
        return false;
    }
    m_frozen = false;
    if (::kill(m_pid, SIGCONT) != 0) {
        m_error = QStringLiteral("SIGCONT %1: %2")
                      .arg(m_pid)
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}
