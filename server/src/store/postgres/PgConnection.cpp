#include "store/postgres/PgConnection.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "store/postgres/PgConnInfo.h"

#include <atomic>

namespace Natter::Server {

namespace {
constexpr qint64 kReconnectIntervalMs = 1000;
// After this long without a statement a session is checked before the next one.
constexpr qint64 kIdleCheckMs = 500;
// Statements that failed, other than constraint answers, on any connection of
// this process: a server restart seen by one (the writer, the listener) makes
// the others check their session before their next statement.
std::atomic<int> s_failures{0};
// Sessions this process opened. One that opened since a connection's last
// attempt shows the server answers again: that connection tries at once rather
// than waiting out its interval (the health check must not say "serving" while
// the next login is refused for a second).
std::atomic<int> s_connects{0};
// A frozen node must not hold a channel's row lock for long (its writers would
// queue behind it): waits give up after lock_timeout, and the server ends a
// session idle inside a transaction after idle_in_transaction_session_timeout.
// statement_timeout bounds everything else the event loop could block on.
const char *const kSessionSettings[] = {
    "SET lock_timeout = '2s'",
    "SET idle_in_transaction_session_timeout = '5s'",
    "SET statement_timeout = '10s'",
    "SET client_min_messages = warning",
};
} // namespace

PgConnection::PgConnection(const QString &conninfo, const QString &password, QObject *parent)
    : QObject(parent)
    , m_conninfo(conninfo)
    , m_password(password)
    , m_connectionName(QStringLiteral("natterd-pg-") + RandomId::hex(4))
{ }

PgConnection::~PgConnection()
{
    close();
}

bool PgConnection::open(QString *error)
{
    m_open = true;
    if (!connectNow(error)) {
        close();
        return false;
    }
    return true;
}

bool PgConnection::connectNow(QString *error)
{
    // Detach the cached statements from the old session before it goes.
    for (auto &[sql, cached] : m_statements)
        *cached.query = QSqlQuery();
    ++m_generation;
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    if (!m_db.isValid()) {
        *error = tr("Qt's PostgreSQL driver (QPSQL, Debian package libqt6sql6-psql) is missing");
        return false;
    }
    // QPSQL appends the connect options to its own connection string: the
    // whole conninfo goes there, in key=value form (PgConnInfo).
    const QString keywords = PgConnInfo::toKeywords(m_conninfo, error);
    if (keywords.isEmpty())
        return false;
    if (!m_password.isEmpty())
        m_db.setPassword(m_password);
    m_db.setConnectOptions(QStringLiteral("connect_timeout=5 ") + keywords);
    if (!m_db.open()) {
        // libpq's message names host and port, never the password.
        *error = m_db.lastError().text();
        m_broken = true;
        return false;
    }
    for (const char *setting : kSessionSettings) {
        if (!run(QLatin1String(setting), error)) {
            m_broken = true;
            return false;
        }
    }
    // A name of natterd's own (no quotes in it): no escaping needed.
    if (!run(QStringLiteral("SET application_name = '%1'").arg(m_applicationName), error)) {
        m_broken = true;
        return false;
    }
    m_broken = false;
    m_depth = 0;
    m_lastUse.start();
    m_failuresSeen = s_failures.load();
    m_connectsSeen = ++s_connects;
    return true;
}

void PgConnection::close()
{
    m_open = false;
    for (auto &[sql, cached] : m_statements)
        *cached.query = QSqlQuery();
    ++m_generation;
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool PgConnection::ensureOpen()
{
    if (!m_open)
        return false;
    // A restarted server ends the session, and libpq only notices at the next
    // statement, which then fails (a login answered as if the password were
    // wrong, an edit refused): after a quiet moment, one round trip first
    // (never on a busy connection) finds out, and the session is replaced now.
    const int failures = s_failures.load();
    if (!m_broken && m_depth == 0
        && (failures != m_failuresSeen
            || (m_lastUse.isValid() && m_lastUse.hasExpired(kIdleCheckMs)))) {
        m_failuresSeen = failures;
        m_lastUse.start();
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT 1")))
            failed(q.lastError());
    }
    if (!m_broken || m_depth > 0)
        return !m_broken;
    // At most one attempt a second: while the server is down every call would
    // otherwise try (and, to a remote host, wait up to connect_timeout).
    const int connects = s_connects.load();
    if (m_lastAttempt.isValid() && !m_lastAttempt.hasExpired(kReconnectIntervalMs)
        && connects == m_connectsSeen)
        return false;
    m_lastAttempt.start();
    m_connectsSeen = connects;
    QString error;
    if (!connectNow(&error)) {
        qCWarning(lcServerStore).noquote().nospace()
            << "event=postgres_reconnect_failed error=" << ServerLog::value(error);
        return false;
    }
    qCInfo(lcServerStore).noquote().nospace() << "event=postgres_reconnected";
    Q_EMIT reconnected();
    return true;
}

bool PgConnection::sessionMayBeGone(const QString &state)
{
    // No SQLSTATE: libpq's own error (the connection was lost). 08: connection
    // exceptions. 57P01-57P05: the server shut down, crashed, is starting, or
    // ended the session (57014, a cancelled statement, is the statement's).
    // 58: I/O errors; XX: internal errors. 26000 and 0A000: a prepared
    // statement gone or outdated (a pooler, a migration): a new session
    // prepares them again.
    return state.isEmpty() || state.startsWith(QLatin1String("08"))
        || state.startsWith(QLatin1String("57P")) || state.startsWith(QLatin1String("58"))
        || state.startsWith(QLatin1String("XX")) || state == u"26000" || state == u"0A000";
}

void PgConnection::failed(const QSqlError &error)
{
    m_lastState = error.nativeErrorCode();
    // An error the server answered for one statement (a constraint, a lock or
    // statement timeout, a trigger's exception, bad data) leaves the session
    // working: replacing it would only make the calls of the next second fail
    // (one reconnect attempt a second). Anything that may mean the session is
    // gone (a restarted server, a killed backend): reconnect at the next call
    // outside a transaction.
    if (sessionMayBeGone(m_lastState) || !m_db.isOpen()) {
        m_broken = true;
        m_failuresSeen = ++s_failures;
    }
}

bool PgConnection::live()
{
    // QPSQL's isOpen() is libpq's CONNECTION_OK: false once the session died.
    if (m_db.isOpen())
        return true;
    if (m_open)
        m_broken = true;
    return false;
}

bool PgConnection::run(const QString &sql, QString *error)
{
    if (!live()) {
        if (error)
            *error = tr("not connected");
        return false;
    }
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    failed(q.lastError());
    if (error)
        *error = q.lastError().text();
    qCWarning(lcServerStore).noquote().nospace()
        << "event=query_failed state=" << m_lastState
        << " error=" << ServerLog::value(q.lastError().databaseText());
    return false;
}

QSqlQuery &PgConnection::statement(const char *sql)
{
    ensureOpen();
    Cached &cached = m_statements[sql];
    if (!cached.query)
        cached.query = std::make_unique<QSqlQuery>();
    if (cached.generation == m_generation)
        return *cached.query;
    *cached.query = QSqlQuery(m_db);
    if (live() && cached.query->prepare(QLatin1String(sql))) {
        cached.generation = m_generation;
        return *cached.query;
    }
    if (m_db.isOpen()) {
        failed(cached.query->lastError());
        qCCritical(lcServerStore).noquote().nospace()
            << "event=prepare_failed error="
            << ServerLog::value(cached.query->lastError().databaseText());
    }
    // Not marked prepared: its exec() fails (the caller answers Failed), the
    // next call prepares it again.
    *cached.query = QSqlQuery();
    return *cached.query;
}

StoreResult<void> PgConnection::writeOne(QSqlQuery &q, bool notify)
{
    if (!notify)
        return write(q); // one statement: committed at once outside a transaction
    Transaction tx(*this);
    if (!tx.ok())
        return StoreError::Failed;
    const StoreResult<void> done = write(q);
    if (!done)
        return done;
    if (!notifyOthers() || !tx.commit())
        return StoreError::Failed;
    return done;
}

bool PgConnection::notifyOthers()
{
    return run(QStringLiteral("NOTIFY natter_changes, '%1'").arg(m_connectionName));
}

bool PgConnection::exec(QSqlQuery &q)
{
    if (!live() || q.lastQuery().isEmpty())
        return false;
    if (q.exec()) {
        m_lastState.clear();
        m_lastUse.start();
        return true;
    }
    failed(q.lastError());
    // databaseText: PostgreSQL's message, which never holds bound values.
    qCWarning(lcServerStore).noquote().nospace()
        << "event=query_failed state=" << m_lastState
        << " error=" << ServerLog::value(q.lastError().databaseText());
    return false;
}

StoreResult<void> PgConnection::write(QSqlQuery &q)
{
    if (m_depth == 0 && m_beforeWrite)
        m_beforeWrite();
    if (!live() || q.lastQuery().isEmpty())
        return StoreError::Failed;
    if (q.exec()) {
        m_lastState.clear();
        m_lastUse.start();
        return q.numRowsAffected() > 0 ? StoreResult<void>() : StoreError::NotFound;
    }
    failed(q.lastError());
    if (m_lastState.startsWith(QLatin1String("23")))
        return StoreError::Conflict;
    qCWarning(lcServerStore).noquote().nospace()
        << "event=query_failed state=" << m_lastState
        << " error=" << ServerLog::value(q.lastError().databaseText());
    return StoreError::Failed;
}

bool PgConnection::beginAtomic()
{
    if (m_atomic)
        return false;
    m_atomic = std::make_unique<Transaction>(*this);
    if (m_atomic->ok())
        return true;
    m_atomic.reset();
    return false;
}

bool PgConnection::commitAtomic()
{
    const std::unique_ptr<Transaction> atomic = std::move(m_atomic);
    return atomic && atomic->commit();
}

PgConnection::Transaction::Transaction(PgConnection &connection)
    : m_conn(connection)
{
    if (m_conn.m_depth == 0 && m_conn.m_beforeWrite)
        m_conn.m_beforeWrite();
    if (!m_conn.ensureOpen())
        return;
    m_depth = m_conn.m_depth + 1;
    m_ok = m_depth == 1 ? m_conn.run(QStringLiteral("BEGIN"))
                        : m_conn.run(QStringLiteral("SAVEPOINT s%1").arg(m_depth));
    if (m_ok)
        m_conn.m_depth = m_depth;
}

PgConnection::Transaction::~Transaction()
{
    if (!m_ok || m_done)
        return;
    if (m_depth == 1)
        m_conn.run(QStringLiteral("ROLLBACK"));
    else
        m_conn.run(QStringLiteral("ROLLBACK TO SAVEPOINT s%1").arg(m_depth));
    m_conn.m_depth = m_depth - 1;
}

bool PgConnection::Transaction::commit()
{
    if (!m_ok || m_done)
        return false;
    m_done = true;
    m_conn.m_depth = m_depth - 1;
    if (m_depth > 1)
        return m_conn.run(QStringLiteral("RELEASE SAVEPOINT s%1").arg(m_depth));
    // COMMIT of a transaction that failed half-way answers ROLLBACK, which
    // QPSQL's commit() reports as failure; run() would not see it.
    if (m_conn.m_db.commit())
        return true;
    m_conn.failed(m_conn.m_db.lastError());
    qCWarning(lcServerStore).noquote().nospace()
        << "event=commit_failed error=" << ServerLog::value(m_conn.m_db.lastError().databaseText());
    return false;
}

} // namespace Natter::Server
