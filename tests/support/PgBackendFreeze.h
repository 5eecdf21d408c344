// Freezes one PostgreSQL backend of a running natterd, so a test can see what
// waits for the store and what does not (issue 16: store work runs off the
// event loop). The backend is the single session whose application_name is
// the one natterd gives it ("natterd-writer": PgWriter's connection, where
// every store job runs) in one database. freeze() stops it with SIGSTOP;
// nothing in PostgreSQL or natterd times out on a stopped backend, so the
// store work behind it waits exactly as long as it stays stopped, with no
// timing in the test. thaw() resumes it with SIGCONT, and so does the
// destructor, so a failed test never leaves it stopped. Owned by the test, on
// its stack; it does not own the PostgresProcess.
#pragma once

#include <QString>

#include <sys/types.h>

class PostgresProcess;

class PgBackendFreeze
{
public:
    explicit PgBackendFreeze(PostgresProcess *postgres,
                             const QString &database = QStringLiteral("natter"),
                             const QString &application = QStringLiteral("natterd-writer"));
    ~PgBackendFreeze();
    PgBackendFreeze(const PgBackendFreeze &) = delete;
    PgBackendFreeze &operator=(const PgBackendFreeze &) = delete;

    // Finds the backend (exactly one must match), stops it and returns once
    // /proc shows it stopped. False, with the reason in errorString(), when
    // none or several match or it does not stop.
    bool freeze();
    // Resumes the frozen backend. False when it was not frozen or the signal failed.
    bool thaw();
    bool isFrozen() const { return m_frozen; }
    pid_t pid() const { return m_pid; }
    QString errorString() const { return m_error; }

private:
    PostgresProcess *m_postgres;
    QString m_database;
    QString m_application;
    pid_t m_pid = 0;
    bool m_frozen = false;
    QString m_error;
};
