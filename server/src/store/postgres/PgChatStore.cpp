#include "store/postgres/PgChatStore.h"

#include "store/postgres/PgSchema.h"

namespace Natter::Server {

PgChatStore::PgChatStore(const QString &conninfo, const QString &password, QObject *parent)
    : QObject(parent)
    , PgUserStore(m_conn)
    , PgChannelStore(m_conn)
    , PgMessageStore(m_conn)
    , PgRefreshTokenStore(m_conn)
    , PgSearchStore(m_conn, *this)
    , PgFileStore(m_conn)
    , m_conn(conninfo, password)
    , m_listener(conninfo, password, &m_changeFeed)
{ }

PgChatStore::~PgChatStore()
{
    close();
}

bool PgChatStore::open(QString *error)
{
    if (!m_conn.open(error))
        return false;
    if (!PgSchema::migrate(m_conn, error) || !m_listener.start(m_conn.sourceId(), error)) {
        close();
        return false;
    }
    return true;
}

void PgChatStore::close()
{
    m_listener.stop();
    m_conn.close();
}

bool PgChatStore::flush()
{
    return m_conn.isOpen();
}

void PgChatStore::whenDurable(std::function<void()> done)
{
    done();
}

StoreResult<void> PgChatStore::appendMessageWithFiles(StoredMessage *message,
                                                      const QStringList &fileIds)
{
    // Every other write here commits before it returns: appendMessage() and
    // attachFiles() one after the other would be two transactions, and a
    // failure between them (the server going away, a file attached by another
    // node's send meanwhile) would leave a message without its files and with
    // its seq used. Inside this transaction both are savepoints; one COMMIT.
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    if (StoreResult<void> appended = appendMessage(message); !appended)
        return appended;
    if (!fileIds.isEmpty()) {
        if (StoreResult<void> attached =
                attachFiles(message->id, message->channel, message->author, fileIds);
            !attached)
            return attached;
    }
    if (!tx.commit())
        return StoreError::Failed;
    return {};
}

int PgChatStore::schemaVersion()
{
    return PgSchema::version(m_conn);
}

QByteArray PgChatStore::sharedSecret(const QString &name, const QByteArray &candidate,
                                     QString *error)
{
    auto &insert = m_conn.statement(
        "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING");
    insert.addBindValue(name);
    insert.addBindValue(candidate);
    if (m_conn.writeOne(insert, false).failed()) {
        *error = tr("cannot store the shared secret %1").arg(name);
        return {};
    }
    auto &q = m_conn.statement("SELECT value FROM server_secrets WHERE name = ?");
    q.addBindValue(name);
    const auto value =
        m_conn.readOne<QByteArray>(q, [](const QSqlQuery &r) { return r.value(0).toByteArray(); });
    if (!value) {
        *error = tr("cannot read the shared secret %1").arg(name);
        return {};
    }
    return *value;
}

} // namespace Natter::Server
