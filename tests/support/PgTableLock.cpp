#include "PgTableLock.h"

#include "PostgresProcess.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

PgTableLock::PgTableLock(PostgresProcess *postgres, const QString &table, const QString &database,
                         Mode mode)
    : m_postgres(postgres)
    , m_table(table)
    , m_database(database)
    , m_mode(mode)
{ }

PgTableLock::~PgTableLock()
{
    release();
}

bool PgTableLock::lock()
{
    if (m_held) {
        m_error = QStringLiteral("already held");
        return false;
    }
    m_connection = QStringLiteral("pgtablelock-") + QUuid::createUuid().toString();
    bool locked = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connection);
        m_postgres->configure(db, m_database);
        if (!db.open()) {
            m_error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            // The table name is the test's own constant (an identifier, quoted).
            locked = q.exec(QStringLiteral("BEGIN"))
                && q.exec(
                    QStringLiteral("LOCK TABLE \"%1\" IN %2 MODE")
                        .arg(m_table, m_mode == Mode::Share ? u"SHARE" : u"ACCESS EXCLUSIVE"));
            if (!locked)
                m_error = q.lastError().text();
        }
    }
    if (!locked) {
        release();
        return false;
    }
    m_held = true;
    return true;
}

int PgTableLock::waiters()
{
    if (m_connection.isEmpty()) {
        m_error = QStringLiteral("not open");
        return -1;
    }
    // pg_locks is the lock manager's state now, whatever this transaction's snapshot.
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(?)"));
    q.addBindValue(QStringLiteral("\"%1\"").arg(m_table));
    if (!q.exec() || !q.next()) {
        m_error = q.lastError().text();
        return -1;
    }
    return q.value(0).toInt();
}

bool PgTableLock::release()
{
    const bool held = m_held;
    m_held = false;
    if (m_connection.isEmpty())
        return false;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen()) {
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    return held;
}
