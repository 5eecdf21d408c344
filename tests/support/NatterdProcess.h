// Runs the real natterd binary for integration tests.
//
// Each instance owns a temporary data directory and starts natterd on a free
// loopback port (the server binds port 0 and reports the address it got on its
// `event=listening` log line). Restarting keeps the data directory and the port,
// so clients reconnect to the same URL, as they would after a real restart.
//
// With NATTER_TEST_STORAGE=postgres in the environment (a second ctest entry
// of the same test, issue 16) or after usePostgres(), natterd and its admin
// commands keep the data in a PostgreSQL server of this object's own
// (PostgresProcess, stopped with it) instead of SQLite: the same test then
// shows the protocol holds on that backend.
#pragma once

#include "PostgresProcess.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class NatterdProcess
{
public:
    NatterdProcess();
    ~NatterdProcess();

    // Starts natterd with --data-dir and --listen plus `extraArgs`; waits until it
    // listens. Returns false (with the reason in errorString()) when it did not.
    bool start(const QStringList &extraArgs = {});
    // SIGTERM, then waits for a clean exit. Returns the exit code (-1 if it crashed).
    int stop();
    // SIGKILL: the process gets no chance to flush anything.
    void kill();
    // Starts again on the same port and data directory with the same arguments.
    bool restart();
    // The same, with `extraArgs` in place of the ones given so far.
    bool restartWith(const QStringList &extraArgs);

    // Runs an admin command (`natterd user add ...`) against this data directory,
    // feeding `stdinText`. Returns the exit code; output goes to lastAdminOutput().
    int admin(const QStringList &args, const QByteArray &stdinText = {});
    // Convenience: `user add NAME` with the password given twice on stdin.
    bool addUser(const QString &name, const QString &password, const QString &displayName = {});
    bool addChannel(const QString &name, const QStringList &members);

    QUrl httpUrl() const; // http://127.0.0.1:PORT
    QUrl wsUrl() const; // ws://127.0.0.1:PORT/ws
    QByteArray origin() const; // http://127.0.0.1:PORT
    quint16 port() const { return m_port; }
    QString dataDir() const { return m_dataDir.path(); }
    bool isRunning() const;
    qint64 pid() const;

    // Everything natterd wrote to stderr (its log) and stdout so far, across restarts.
    QByteArray log() const;
    QByteArray lastAdminOutput() const { return m_adminOutput; }
    QString errorString() const { return m_error; }

    static QString binaryPath();

    // Starts a PostgreSQL server with a fresh database and points natterd and
    // the admin commands at it (--postgres). Before start(). False: see errorString().
    bool usePostgres();
    // The PostgreSQL server in use, or null (SQLite).
    PostgresProcess *postgres() const { return m_postgres.get(); }
    // Extra arguments for natterd and every admin command (storage flags).
    QStringList storageArgs() const { return m_storageArgs; }

private:
    bool launch();
    void drain();

    QTemporaryDir m_dataDir;
    std::unique_ptr<QProcess> m_process;
    QStringList m_extraArgs;
    quint16 m_port = 0;
    QByteArray m_log;
    QByteArray m_adminOutput;
    QString m_error;
    std::unique_ptr<PostgresProcess> m_postgres;
    QStringList m_storageArgs;
};
