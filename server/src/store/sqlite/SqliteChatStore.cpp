#include "store/sqlite/SqliteChatStore.h"

#include "store/sqlite/SqliteSchema.h"

namespace Natter::Server {

namespace {
// How often the change feed asks SQLite whether another process committed: the
// admin CLI's effects show within this (§12 allows 2 s for a disabled user).
constexpr int kChangePollMs = 250;
} // namespace

SqliteChatStore::SqliteChatStore(const QString &path, int maxVersion, QObject *parent)
    : QObject(parent)
    , SqliteUserStore(m_conn)
    , SqliteChannelStore(m_conn)
    , SqliteMessageStore(m_conn)
    , SqliteRefreshTokenStore(m_conn)
    , SqliteSearchStore(m_conn, *this)
    , SqliteFileStore(m_conn)
    , m_conn(path)
    , m_maxVersion(maxVersion)
    , m_changeWatcher(&m_conn, &m_changeFeed, kChangePollMs)
{ }

SqliteChatStore::~SqliteChatStore()
{
    close();
}

bool SqliteChatStore::open(QString *error)
{
    if (!m_conn.open(m_maxVersion, error))
        return false;
    m_changeWatcher.start();
    return true;
}

void SqliteChatStore::close()
{
    m_changeWatcher.stop();
    m_conn.close();
}

bool SqliteChatStore::flush()
{
    return m_conn.flush();
}

void SqliteChatStore::whenDurable(std::function<void()> done)
{
    m_conn.whenDurable(std::move(done));
}

void SqliteChatStore::runJob(Job job)
{
    Continuation done = job(*this);
    m_conn.whenCommitted(std::move(done), [this, job = std::move(job)] { return job(*this); });
}

void SqliteChatStore::runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated)
{
    Continuation done = job(*this, sendAppend(std::move(allocated)));
    // Again without `allocated`: nothing is allocated when every statement fails.
    m_conn.whenCommitted(std::move(done),
                         [this, job = std::move(job)] { return job(*this, sendAppend({})); });
}

int SqliteChatStore::schemaVersion()
{
    return SqliteSchema::version(m_conn.database());
}

} // namespace Natter::Server
