// Runs a throwaway PostgreSQL server for tests: initdb into a temporary
// directory, then the postmaster as a child process on a free loopback port.
//
// PostgreSQL refuses to run as root, so when the tests run as root both
// initdb and postgres drop to the `postgres` user in the child before exec.
// The postmaster is the test's direct child with a parent-death signal
// (SIGQUIT: immediate shutdown), so a crashed test leaves nothing running;
// stop() and the destructor shut it down and the directory goes with the
// object. No systemd, no pg_ctlcluster. Owned by the test that starts it.
#pragma once

#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QVariant>

#include <functional>
#include <memory>

class QSqlDatabase;

class PostgresProcess
{
public:
    PostgresProcess();
    ~PostgresProcess();

    // initdb (once) and start; waits until the server accepts connections.
    // False with the reason in errorString().
    bool start();
    // Fast shutdown (SIGINT: sessions are cut, the database is consistent), or
    // immediate (SIGQUIT: crash-like, recovered at the next start).
    bool stop(bool immediate = false);
    // stop() then start() on the same port and data.
    bool restart(bool immediate = false);
    bool isRunning() const;

    // A fresh, empty database (CREATE DATABASE) owned by the superuser.
    bool createDatabase(const QString &name);
    // A login role with a password (for TCP connections).
    bool createRole(const QString &name, const QString &password);
    // Runs one statement as the superuser on `database`.
    bool runSql(const QString &sql, const QString &database = QStringLiteral("postgres"));
    // The rows of one query as the superuser on `database` (empty on failure:
    // see errorString()).
    QList<QVariantList> query(const QString &database, const QString &sql);
    // A libpq connection string for `database` as the superuser over the Unix
    // socket (trusted: no password).
    QString conninfo(const QString &database) const;
    // Points `db` (a QPSQL connection the caller made and owns) at `database`
    // as the superuser over the Unix socket: a session that outlives one
    // statement (a transaction held open, its locks).
    void configure(QSqlDatabase &db, const QString &database) const;
    // Over TCP on 127.0.0.1 as `user`: needs the user's password.
    QString tcpConninfo(const QString &database, const QString &user) const;
    quint16 port() const { return m_port; }
    // CPU time (user + system) the server has used so far, in ms: the postmaster
    // and its backends, living and exited (for the benchmarks).
    qint64 cpuMs() const;
    QString log() const;
    QString errorString() const { return m_error; }

private:
    static QString binDir();
    // Runs `program` as the database user; returns its exit code (-1: did not run).
    int runAsPostgres(const QString &program, const QStringList &args, QByteArray *output);
    void prepareChild(QProcess *process) const;
    // Opens `database` as the superuser, hands it to `use`, closes it.
    void withDatabase(const QString &database, const std::function<void(QSqlDatabase &)> &use);

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_postmaster;
    bool m_initialised = false;
    quint16 m_port = 0;
    uint m_uid = 0;
    uint m_gid = 0;
    bool m_dropPrivileges = false;
    mutable QByteArray m_log; // what the postmaster wrote, across restarts
    QString m_error;
};
