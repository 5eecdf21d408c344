#include "admin/DataTransfer.h"

#include "DataDirectory.h"
#include "ServerConfig.h"
#include "StorageBackend.h"
#include "store/postgres/PgChatStore.h"
#include "store/postgres/PgConnection.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace Natter::Server {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DataTransfer", text);
}

// Parents before children. The columns are those of SQLite schema 6 and
// PostgreSQL schema 1 alike.
struct Table
{
    const char *name;
    const char *columns;
};
const Table kTables[] = {
    {"users", "id, username, display_name, password_hash, disabled, created_at, last_seen, admin"},
    {"channels",
     "id, name, kind, direct_key, last_seq, last_ev, created_at, visibility, topic, "
     "owner_id, archived"},
    {"memberships", "channel_id, user_id, last_read_seq, notify"},
    {"messages",
     "id, channel_id, seq, author_id, text, ts, client_msg_id, kind, rev, ev, "
     "edited_at, deleted, reply_to, system"},
    {"reactions", "message_id, emoji, user_id, emoji_ev, ev"},
    {"mentions", "message_id, user_id, channel_id, seq"},
};

bool isEmpty(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM users) + "
                               "(SELECT COUNT(*) FROM channels)"))
        || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    if (q.value(0).toLongLong() != 0) {
        *error = tr("the target already holds users or channels; import into an empty one");
        return false;
    }
    return true;
}

bool copy(QSqlDatabase &from, QSqlDatabase &to, QTextStream &out, QString *error)
{
    if (!isEmpty(to, error))
        return false;
    if (!to.transaction()) {
        *error = to.lastError().text();
        return false;
    }
    for (const Table &t : kTables) {
        const QString columns = QLatin1String(t.columns);
        const int n = int(columns.count(QLatin1Char(',')) + 1);
        QSqlQuery read(from);
        read.setForwardOnly(true);
        if (!read.exec(QStringLiteral("SELECT %1 FROM %2").arg(columns, QLatin1String(t.name)))) {
            *error = read.lastError().text();
            to.rollback();
            return false;
        }
        QStringList marks;
        for (int i = 0; i < n; ++i)
            marks << QStringLiteral("?");
        QSqlQuery write(to);
        if (!write.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                               .arg(QLatin1String(t.name), columns, marks.join(u','))))
            *error = write.lastError().text();
        qint64 rows = 0;
        while (error->isEmpty() && read.next()) {
            for (int i = 0; i < n; ++i)
                write.addBindValue(read.value(i));
            if (!write.exec())
                *error = write.lastError().text();
            ++rows;
        }
        if (error->isEmpty() && read.lastError().isValid())
            *error = read.lastError().text();
        if (!error->isEmpty()) {
            to.rollback();
            return false;
        }
        out << t.name << ' ' << rows << Qt::endl;
    }
    if (!to.commit()) {
        *error = to.lastError().text();
        return false;
    }
    return true;
}

} // namespace

bool DataTransfer::run(const ServerConfig &config, bool toPostgres, QTextStream &out,
                       QString *error)
{
    if (!config.usePostgres) {
        *error = tr("import and export need --postgres CONNINFO (and --data-dir)");
        return false;
    }
    // Create or upgrade both schemas with the stores themselves.
    ServerConfig sqliteConfig = config;
    sqliteConfig.usePostgres = false;
    for (const ServerConfig *c : {static_cast<const ServerConfig *>(&sqliteConfig), &config}) {
        auto store = StorageBackend::open(*c, error);
        if (!store)
            return false;
        store->close();
    }
    QString password;
    if (!config.postgresPasswordFile.isEmpty()
        && !StorageBackend::readPasswordFile(config.postgresPasswordFile, &password, error))
        return false;
    PgConnection pg(config.postgresConnInfo, password);
    if (!pg.open(error))
        return false;
    const QString name = QStringLiteral("natterd-transfer");
    bool done = false;
    {
        QSqlDatabase sqlite = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        sqlite.setDatabaseName(DataDirectory::databasePath(config.effectiveDataDir()));
        if (!sqlite.open()) {
            *error = sqlite.lastError().text();
        } else {
            QSqlQuery(sqlite).exec(QStringLiteral("PRAGMA foreign_keys=ON"));
            done = toPostgres ? copy(sqlite, pg.database(), out, error)
                              : copy(pg.database(), sqlite, out, error);
            sqlite.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    pg.close();
    return done;
}

} // namespace Natter::Server
