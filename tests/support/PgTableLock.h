// Holds a lock on one table of a PostgreSQL database in a transaction of its
// own, so a test can stop another process (the admin CLI, natterd) exactly
// where it would write to that table, and see from pg_locks that it waits
// there: no timing. SHARE mode: every INSERT/UPDATE/DELETE on the table waits,
// reads go on (a node keeps reading the store meanwhile), and what the other
// process committed before that write stays visible. release() (or the
// destructor) rolls the transaction back and lets the writers go on. Owned by
// the test, on its stack; it does not own the PostgresProcess.
#pragma once

#include <QString>

class PostgresProcess;

class PgTableLock
{
public:
    // SHARE stops the writers; ACCESS EXCLUSIVE the readers too (their
    // statements fail after natterd's lock_timeout).
    enum class Mode { Share, AccessExclusive };
    PgTableLock(PostgresProcess *postgres, const QString &table,
                const QString &database = QStringLiteral("natter"), Mode mode = Mode::Share);
    ~PgTableLock();
    PgTableLock(const PgTableLock &) = delete;
    PgTableLock &operator=(const PgTableLock &) = delete;

    // Opens the session, begins the transaction and takes the lock. False,
    // with the reason in errorString(), when any of it fails.
    bool lock();
    // How many sessions wait for a lock on the table now; -1 when it cannot be
    // read (see errorString()).
    int waiters();
    // Rolls the transaction back: the waiting writers go on. False when the
    // lock was not held.
    bool release();
    bool isHeld() const { return m_held; }
    QString errorString() const { return m_error; }

private:
    PostgresProcess *m_postgres;
    QString m_table;
    QString m_database;
    Mode m_mode;
    QString m_connection; // QSqlDatabase connection name, while open
    bool m_held = false;
    QString m_error;
};
