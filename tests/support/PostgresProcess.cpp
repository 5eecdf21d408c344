#include "PostgresProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpServer>
#include <QUuid>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace {
constexpr int kTimeoutMs = 60000;
}

PostgresProcess::PostgresProcess()
{
    if (::geteuid() == 0) {
        // initdb and postgres refuse root: run them as the package's user.
        if (const passwd *pw = ::getpwnam("postgres")) {
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
            m_dropPrivileges = true;
        }
    }
}

PostgresProcess::~PostgresProcess()
{
    stop(true);
}

QString PostgresProcess::binDir()
{
    // Debian installs the server per major version; take the newest present.
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString bin = lib.filePath(v + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/postgres")))
            return bin;
    }
    return {};
}

void PostgresProcess::prepareChild(QProcess *process) const
{
    const bool drop = m_dropPrivileges;
    const uid_t uid = m_uid;
    const gid_t gid = m_gid;
    process->setChildProcessModifier([drop, uid, gid] {
        if (drop) {
            // Order matters: groups and gid while still root, then uid.
            if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
                ::_exit(127);
        }
        // After the uid change (which clears it): when the test dies, so does
        // the server (SIGQUIT is PostgreSQL's immediate shutdown).
        ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    });
}

int PostgresProcess::runAsPostgres(const QString &program, const QStringList &args,
                                   QByteArray *output)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(m_dir.path());
    prepareChild(&p);
    p.start();
    if (!p.waitForStarted(kTimeoutMs))
        return -1;
    if (!p.waitForFinished(kTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool PostgresProcess::start()
{
    if (isRunning())
        return true;
    const QString bin = binDir();
    if (bin.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL server under /usr/lib/postgresql "
                                 "(scripts/install-deps.sh installs it)");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("could not create a temporary directory");
        return false;
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!m_initialised) {
        if (m_dropPrivileges
            && ::chown(QFile::encodeName(m_dir.path()).constData(), m_uid, m_gid) != 0) {
            m_error = QStringLiteral("cannot give %1 to the postgres user").arg(m_dir.path());
            return false;
        }
        QByteArray out;
        // C locale: text sorts by code point, as in SQLite. The superuser
        // comes in over the Unix socket in our directory (trust); TCP wants a
        // password (scram), so a test can check natterd's password handling.
        // --no-sync: a test cluster.
        const int rc = runAsPostgres(
            bin + QStringLiteral("/initdb"),
            {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("postgres"),
             QStringLiteral("--auth-local=trust"), QStringLiteral("--auth-host=scram-sha-256"),
             QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-locale"),
             QStringLiteral("--no-sync")},
            &out);
        if (rc != 0) {
            m_error = QStringLiteral("initdb failed (%1): %2").arg(rc).arg(QString::fromUtf8(out));
            return false;
        }
        m_initialised = true;
    }
    if (m_port == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_error = QStringLiteral("no free loopback port");
            return false;
        }
        m_port = probe.serverPort();
    }
    m_postmaster = std::make_unique<QProcess>();
    m_postmaster->setProgram(bin + QStringLiteral("/postgres"));
    m_postmaster->setArguments({QStringLiteral("-D"), data, QStringLiteral("-p"),
                                QString::number(m_port), QStringLiteral("-k"), m_dir.path(),
                                QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                                QStringLiteral("-c"), QStringLiteral("fsync=off"),
                                QStringLiteral("-c"), QStringLiteral("shared_buffers=16MB"),
                                QStringLiteral("-c"), QStringLiteral("max_connections=60"),
                                QStringLiteral("-c"), QStringLiteral("logging_collector=off")});
    m_postmaster->setProcessChannelMode(QProcess::MergedChannels);
    m_postmaster->setWorkingDirectory(m_dir.path());
    prepareChild(m_postmaster.get());
    m_postmaster->start();
    if (!m_postmaster->waitForStarted(kTimeoutMs)) {
        m_error = QStringLiteral("postgres did not start: %1").arg(m_postmaster->errorString());
        return false;
    }
    // The postmaster says so on its log when it accepts connections.
    QByteArray &log = m_log;
    const qsizetype scanned = log.size(); // after a restart: this run's lines only
    QDeadlineTimer deadline(kTimeoutMs);
    while (!deadline.hasExpired()) {
        if (log.indexOf("database system is ready to accept connections", scanned) >= 0) {
            return true;
        }
        if (!m_postmaster->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))
            && m_postmaster->state() != QProcess::Running)
            break;
        log += m_postmaster->readAll();
    }
    m_error = QStringLiteral("postgres did not become ready: %1").arg(QString::fromUtf8(log));
    stop(true);
    return false;
}

bool PostgresProcess::stop(bool immediate)
{
    if (!m_postmaster || m_postmaster->state() == QProcess::NotRunning)
        return true;
    ::kill(pid_t(m_postmaster->processId()), immediate ? SIGQUIT : SIGINT);
    if (!m_postmaster->waitForFinished(kTimeoutMs)) {
        m_postmaster->kill();
        m_postmaster->waitForFinished(kTimeoutMs);
        return false;
    }
    return true;
}

bool PostgresProcess::restart(bool immediate)
{
    return stop(immediate) && start();
}

qint64 PostgresProcess::cpuMs() const
{
    if (!isRunning())
        return -1;
    const qint64 postmaster = m_postmaster->processId();
    // /proc/PID/stat after the parenthesised name: field 4 is the parent,
    // 14/15 utime/stime, 16/17 the exited children's (in clock ticks).
    const auto fields = [](const QString &pid) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            return QList<QByteArray>();
        const QByteArray line = stat.readAll();
        return line.mid(line.lastIndexOf(')') + 2).split(' ');
    };
    qint64 ticks = 0;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &pid : pids) {
        if (pid.isEmpty() || !pid.at(0).isDigit())
            continue;
        const QList<QByteArray> f = fields(pid);
        if (f.size() < 15)
            continue;
        const bool self = pid.toLongLong() == postmaster;
        if (!self && f.at(1).toLongLong() != postmaster)
            continue;
        ticks += f.at(11).toLongLong() + f.at(12).toLongLong();
        if (self)
            ticks += f.at(13).toLongLong() + f.at(14).toLongLong();
    }
    return ticks * 1000 / ::sysconf(_SC_CLK_TCK);
}

bool PostgresProcess::isRunning() const
{
    return m_postmaster && m_postmaster->state() == QProcess::Running;
}

QString PostgresProcess::log() const
{
    if (!m_postmaster)
        return {};
    m_log += m_postmaster->readAll();
    return QString::fromUtf8(m_log);
}

QString PostgresProcess::conninfo(const QString &database) const
{
    return QStringLiteral("host=%1 port=%2 user=postgres dbname=%3")
        .arg(m_dir.path())
        .arg(m_port)
        .arg(database);
}

void PostgresProcess::configure(QSqlDatabase &db, const QString &database) const
{
    db.setHostName(m_dir.path());
    db.setPort(m_port);
    db.setUserName(QStringLiteral("postgres"));
    db.setDatabaseName(database);
}

QString PostgresProcess::tcpConninfo(const QString &database, const QString &user) const
{
    return QStringLiteral("host=127.0.0.1 port=%1 user=%2 dbname=%3")
        .arg(m_port)
        .arg(user, database);
}

bool PostgresProcess::createDatabase(const QString &name)
{
    return runSql(QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
}

bool PostgresProcess::createRole(const QString &name, const QString &password)
{
    return runSql(
        QStringLiteral("CREATE ROLE \"%1\" LOGIN SUPERUSER PASSWORD '%2'").arg(name, password));
}

bool PostgresProcess::runSql(const QString &sql, const QString &database)
{
    bool done = false;
    withDatabase(database, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        done = q.exec(sql);
        if (!done)
            m_error = q.lastError().text();
    });
    return done;
}

QList<QVariantList> PostgresProcess::query(const QString &database, const QString &sql)
{
    QList<QVariantList> rows;
    withDatabase(database, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            m_error = q.lastError().text();
            return;
        }
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row << q.value(i);
            rows << row;
        }
    });
    return rows;
}

void PostgresProcess::withDatabase(const QString &database,
                                   const std::function<void(QSqlDatabase &)> &use)
{
    const QString connection = QStringLiteral("pgprocess-") + QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(m_dir.path());
        db.setPort(m_port);
        db.setUserName(QStringLiteral("postgres"));
        db.setDatabaseName(database);
        if (!db.open()) {
            m_error = db.lastError().text();
        } else {
            use(db);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
}
