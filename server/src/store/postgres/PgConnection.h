// natterd's connection to PostgreSQL (Qt's QPSQL driver): the session settings,
// a cache of prepared statements, transactions (savepoints when nested), the
// mapping of SQLSTATEs to StoreResult, and reconnecting after the server went
// away.
//
// Unlike SqliteConnection there is no per-turn batch: every write call is its
// own transaction, committed before it returns, so a failed commit (the server
// restarting) is reported to the caller as Failed instead of being acked, and a
// channel's row lock (the seq counter) is held only for the length of one call,
// not across an event-loop turn while other nodes wait. whenDurable() therefore
// runs at once.
//
// Reconnects: a statement whose failure may mean the session is gone (libpq
// lost the connection, SQLSTATE classes 08, 57P, 58, XX, a prepared statement
// gone) marks the connection broken; the next call outside a transaction
// closes it and opens a new one (prepared statements are per session, so the
// cache goes too), at most once a second. An error the server answered for one
// statement (a constraint, a lock timeout, a trigger's exception) leaves the
// session as it is.
// Calls fail (Failed) while the server is down, and work again once it is back.
//
// Owned by PgChatStore (the main thread's) or PgWriter (its worker thread's);
// used only on the thread that opened it. Never logs the connection string or
// the password.
#pragma once

#include "store/StoreResult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

namespace Natter::Server {

class PgConnection : public QObject
{
    Q_OBJECT
public:
    // `conninfo`: a libpq connection string or URI (no password in it: the
    // password comes from `password`, PGPASSWORD or PGPASSFILE).
    PgConnection(const QString &conninfo, const QString &password, QObject *parent = nullptr);
    ~PgConnection() override;

    // Connects and applies the session settings. False with a reason.
    bool open(QString *error);
    void close();
    bool isOpen() const { return m_open; }
    // Replaces a broken session (outside transactions). False: still down.
    bool reconnectIfBroken() { return ensureOpen(); }
    // The session may have died unnoticed (the server restarted): replace it
    // at the next call outside a transaction instead of failing that call.
    void markBroken()
    {
        if (m_open && m_depth == 0)
            m_broken = true;
    }
    // The session's application_name (pg_stat_activity); before open().
    void setApplicationName(const QString &name) { m_applicationName = name; }
    // Runs before every write that is not inside a transaction: an outermost
    // Transaction or a write() at depth 0 (PgChatStore waits there for its
    // writer thread, so that writes take their ev after the queued ones).
    void setBeforeWrite(std::function<void()> hook) { m_beforeWrite = std::move(hook); }

    // A write's transaction. The outermost one is BEGIN ... COMMIT, nested ones
    // are savepoints; an object destroyed without commit() rolls back (to its
    // savepoint), so an error never leaves half a write, and never a used-up seq.
    class Transaction
    {
    public:
        explicit Transaction(PgConnection &connection);
        ~Transaction();
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        // False when the transaction could not start (the caller answers Failed).
        bool ok() const { return m_ok; }
        // Commits (or releases the savepoint). False: nothing was committed.
        bool commit();

    private:
        PgConnection &m_conn;
        int m_depth = 0;
        bool m_ok = false;
        bool m_done = false;
    };

    // ChatStore::Atomic on this connection: a Transaction held open between
    // the calls (BEGIN, or a savepoint inside one). Not nested.
    bool beginAtomic();
    bool commitAtomic();
    void rollbackAtomic() { m_atomic.reset(); }

    // A cached prepared statement for `sql` (a string literal, `?` placeholders).
    QSqlQuery &statement(const char *sql);
    // Executes `q`, logging (without values) when it fails.
    bool exec(QSqlQuery &q);
    // Executes the write `q` (bound): done when it changed a row, NotFound when
    // it changed none, Conflict when it broke a constraint (SQLSTATE class 23),
    // Failed otherwise.
    StoreResult<void> write(QSqlQuery &q);
    // A single-statement write `q` (bound) committed at once: write()'s answer.
    // With `notify`, other processes' change feeds hear of it (same transaction).
    StoreResult<void> writeOne(QSqlQuery &q, bool notify);
    // Inside a Transaction: tells other processes' change feeds at commit.
    bool notifyOthers();
    // The payload of this connection's notifications (its listener skips them).
    QString sourceId() const { return m_connectionName; }
    // Executes plain SQL without parameters (session settings, NOTIFY, DDL).
    bool run(const QString &sql, QString *error = nullptr);
    template<typename T, typename Read> StoreResult<T> readOne(QSqlQuery &q, Read read)
    {
        StoreResult<T> result = StoreError::Failed;
        if (exec(q)) {
            if (q.next())
                result = read(q);
            else if (!q.lastError().isValid())
                result = StoreError::NotFound;
        }
        q.finish();
        return result;
    }
    template<typename T, typename Read> StoreResult<QList<T>> readAll(QSqlQuery &q, Read read)
    {
        if (!exec(q)) {
            q.finish();
            return StoreError::Failed;
        }
        QList<T> result;
        while (q.next())
            result << read(q);
        const bool complete = !q.lastError().isValid();
        q.finish();
        if (!complete)
            return StoreError::Failed;
        return result;
    }
    QSqlDatabase &database() { return m_db; }
    // The SQLSTATE of the last failed statement ("" when none or unknown).
    QString lastState() const { return m_lastState; }

Q_SIGNALS:
    // A broken connection was replaced by a new one (notifications may have
    // been missed meanwhile).
    void reconnected();

private:
    bool connectNow(QString *error);
    // Replaces a broken connection, outside transactions. False: still down.
    bool ensureOpen();
    // Whether the session is up; marks it broken (to be replaced) when not.
    bool live();
    void failed(const QSqlError &error);
    // Whether a statement's SQLSTATE may mean the session no longer works.
    static bool sessionMayBeGone(const QString &state);

    QString m_conninfo;
    QString m_password;
    QString m_connectionName;
    QString m_applicationName = QStringLiteral("natterd");
    std::function<void()> m_beforeWrite;
    QSqlDatabase m_db;
    bool m_open = false; // between open() and close()
    bool m_broken = false;
    int m_depth = 0; // open transactions (1) and savepoints (> 1)
    std::unique_ptr<Transaction> m_atomic; // ChatStore::Atomic's
    // Cached statements live at stable addresses (callers hold references
    // across calls); a reconnect re-prepares them in place, never frees them.
    struct Cached
    {
        std::unique_ptr<QSqlQuery> query;
        int generation = -1; // the connection it was prepared on
    };
    std::unordered_map<const char *, Cached> m_statements;
    int m_generation = 0;
    QElapsedTimer m_lastAttempt; // the last reconnect attempt
    QElapsedTimer m_lastUse; // the last statement that reached the server
    int m_connectsSeen = 0; // the process's session count at the last attempt
    int m_failuresSeen = 0; // the process's failure count this session last checked against
    QString m_lastState;
};

} // namespace Natter::Server
