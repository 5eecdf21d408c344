#include "LocalStore.h"

#include "protocol/Codec.h"
#include "util/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

namespace Natter {
namespace {
constexpr int kSchemaVersion = 1;

// Qt binds a null QString as SQL NULL; the columns are NOT NULL text.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QString stateToString(OutgoingMessage::State state)
{
    return state == OutgoingMessage::State::Failed ? QStringLiteral("failed")
                                                   : QStringLiteral("pending");
}

OutgoingMessage outgoingFrom(const QSqlQuery &q)
{
    OutgoingMessage m;
    m.clientMsgId = q.value(0).toString();
    m.channel = q.value(1).toString();
    m.text = q.value(2).toString();
    m.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
    m.state = q.value(4).toString() == u"failed" ? OutgoingMessage::State::Failed
                                                 : OutgoingMessage::State::Pending;
    m.error = q.value(5).toString();
    return m;
}
} // namespace

LocalStore::LocalStore(const QString &path, int cachedMessagesPerChannel)
    : m_path(path)
    , m_connectionName(QStringLiteral("natter-store-") + QUuid::createUuid().toString(QUuid::Id128))
    , m_cachePerChannel(qMax(1, cachedMessagesPerChannel))
{ }

LocalStore::~LocalStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString LocalStore::defaultPath(const QString &profile)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString dir = base + QStringLiteral("/profiles/")
        + (profile.isEmpty() ? QStringLiteral("default") : profile);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/store.sqlite");
}

bool LocalStore::isOpen() const
{
    return QSqlDatabase::database(m_connectionName, false).isOpen();
}

bool LocalStore::open()
{
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
        ? QSqlDatabase::database(m_connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (db.isOpen())
        return true;
    if (m_path != u":memory:")
        QDir().mkpath(QFileInfo(m_path).absolutePath());
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_error = db.lastError().text();
        qCWarning(lcStore) << "cannot open the local store" << m_path << m_error;
        return false;
    }
    // WAL + NORMAL: a crash may lose the last commit's durability but never
    // corrupts the file, and each outbox write is not an fsync of its own.
    exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    return migrate();
}

bool LocalStore::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(sql)) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "store statement failed:" << m_error;
        return false;
    }
    return true;
}

bool LocalStore::migrate()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.exec(QStringLiteral("PRAGMA user_version"));
    const int version = q.next() ? q.value(0).toInt() : 0;
    if (version >= kSchemaVersion)
        return true;
    // `position` keeps the outbox in the order messages were written, which the
    // server's seq order for one sender must follow.
    return exec(QStringLiteral("CREATE TABLE IF NOT EXISTS outbox ("
                               " position INTEGER PRIMARY KEY AUTOINCREMENT,"
                               " client_msg_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL,"
                               " text TEXT NOT NULL, created_at INTEGER NOT NULL,"
                               " state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '')"))
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                               " id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
                               " seq INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL,"
                               " ts INTEGER, client_msg_id TEXT)"))
        && exec(QStringLiteral(
            "CREATE INDEX IF NOT EXISTS messages_channel_seq ON messages(channel, seq)"))
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS channels ("
                               " position INTEGER NOT NULL, id TEXT PRIMARY KEY,"
                               " name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,"
                               " last_seq INTEGER NOT NULL, last_read_seq INTEGER NOT NULL)"))
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS sync_state ("
                               " channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)"))
        && exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion));
}

bool LocalStore::enqueue(const OutgoingMessage &message)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO outbox (client_msg_id, channel, text, created_at, state,"
                             " error) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(text(message.clientMsgId));
    q.addBindValue(text(message.channel));
    q.addBindValue(text(message.text));
    q.addBindValue(message.createdAt.toMSecsSinceEpoch());
    q.addBindValue(stateToString(message.state));
    q.addBindValue(text(message.error));
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot add to the outbox:" << m_error;
        return false;
    }
    return true;
}

QList<OutgoingMessage> LocalStore::outbox(const QString &channel) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT client_msg_id, channel, text, created_at, state, error"
                             " FROM outbox WHERE ? = '' OR channel = ? ORDER BY position"));
    q.addBindValue(text(channel));
    q.addBindValue(text(channel));
    QList<OutgoingMessage> result;
    if (!q.exec()) {
        m_error = q.lastError().text();
        return result;
    }
    while (q.next())
        result.append(outgoingFrom(q));
    return result;
}

std::optional<OutgoingMessage> LocalStore::outgoing(const QString &clientMsgId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT client_msg_id, channel, text, created_at, state, error"
                             " FROM outbox WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    if (q.exec() && q.next())
        return outgoingFrom(q);
    return std::nullopt;
}

bool LocalStore::markFailed(const QString &clientMsgId, const QString &error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("UPDATE outbox SET state = 'failed', error = ? WHERE client_msg_id = ?"));
    q.addBindValue(text(error));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::markPending(const QString &clientMsgId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("UPDATE outbox SET state = 'pending', error = '' WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::remove(const QString &clientMsgId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::cacheMessages(const QList<Message> &messages)
{
    if (messages.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO messages (id, channel, seq, author, text, ts,"
                             " client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    QSet<QString> channels;
    for (const Message &m : messages) {
        q.addBindValue(text(m.id));
        q.addBindValue(text(m.channel));
        q.addBindValue(m.seq);
        q.addBindValue(text(m.author));
        q.addBindValue(text(m.text));
        q.addBindValue(m.ts.isValid() ? QVariant(m.ts.toMSecsSinceEpoch()) : QVariant());
        q.addBindValue(text(m.clientMsgId));
        if (!q.exec()) {
            m_error = q.lastError().text();
            db.rollback();
            return false;
        }
        channels.insert(m.channel);
    }
    for (const QString &channel : std::as_const(channels))
        trimChannel(channel);
    return db.commit();
}

bool LocalStore::trimChannel(const QString &channel)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM messages WHERE channel = ? AND seq <= (SELECT seq FROM"
                             " messages WHERE channel = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)"));
    q.addBindValue(text(channel));
    q.addBindValue(text(channel));
    q.addBindValue(m_cachePerChannel);
    return q.exec();
}

QList<Message> LocalStore::cachedMessages(const QString &channel, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT id, channel, seq, author, text, ts, client_msg_id FROM"
                             " (SELECT * FROM messages WHERE channel = ? ORDER BY seq DESC LIMIT ?)"
                             " ORDER BY seq"));
    q.addBindValue(text(channel));
    q.addBindValue(qMax(0, limit));
    QList<Message> result;
    if (!q.exec())
        return result;
    while (q.next()) {
        Message m;
        m.id = q.value(0).toString();
        m.channel = q.value(1).toString();
        m.seq = q.value(2).toLongLong();
        m.author = q.value(3).toString();
        m.text = q.value(4).toString();
        if (!q.value(5).isNull())
            m.ts = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
        m.clientMsgId = q.value(6).toString();
        result.append(m);
    }
    return result;
}

bool LocalStore::cacheChannels(const QList<Channel> &channels)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("DELETE FROM channels"))) {
        db.rollback();
        return false;
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO channels (position, id, name, kind, members,"
                             " last_seq, last_read_seq) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    int position = 0;
    for (const Channel &c : channels) {
        q.addBindValue(position++);
        q.addBindValue(text(c.id));
        q.addBindValue(text(c.name));
        q.addBindValue(c.kind == ChannelKind::Direct ? QStringLiteral("direct")
                                                     : QStringLiteral("channel"));
        // Ids never contain a newline, so a newline-joined list is unambiguous.
        q.addBindValue(text(c.members.join(QLatin1Char('\n'))));
        q.addBindValue(c.lastSeq);
        q.addBindValue(c.lastReadSeq);
        if (!q.exec()) {
            m_error = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

QList<Channel> LocalStore::cachedChannels() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QList<Channel> result;
    if (!q.exec(QStringLiteral("SELECT id, name, kind, members, last_seq, last_read_seq FROM"
                               " channels ORDER BY position")))
        return result;
    while (q.next()) {
        Channel c;
        c.id = q.value(0).toString();
        c.name = q.value(1).toString();
        c.kind = q.value(2).toString() == u"direct" ? ChannelKind::Direct : ChannelKind::Channel;
        const QString members = q.value(3).toString();
        if (!members.isEmpty())
            c.members = members.split(QLatin1Char('\n'));
        c.lastSeq = q.value(4).toLongLong();
        c.lastReadSeq = q.value(5).toLongLong();
        result.append(c);
    }
    return result;
}

bool LocalStore::setLastSeq(const QString &channel, qint64 seq)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO sync_state (channel, last_seq) VALUES (?, ?)"));
    q.addBindValue(text(channel));
    q.addBindValue(seq);
    return q.exec();
}

QHash<QString, qint64> LocalStore::lastSeqs() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QHash<QString, qint64> result;
    if (!q.exec(QStringLiteral("SELECT channel, last_seq FROM sync_state")))
        return result;
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toLongLong());
    return result;
}

} // namespace Natter
