#include "store/sqlite/SqliteChangeWatcher.h"

#include "store/ChangeFeed.h"
#include "store/sqlite/SqliteConnection.h"

namespace Natter::Server {

SqliteChangeWatcher::SqliteChangeWatcher(SqliteConnection *connection, ChangeFeed *feed,
                                         int intervalMs, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_feed(feed)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SqliteChangeWatcher::poll);
}

void SqliteChangeWatcher::start()
{
    m_version = dataVersion();
    m_timer.start();
}

void SqliteChangeWatcher::stop()
{
    m_timer.stop();
}

void SqliteChangeWatcher::poll()
{
    const qint64 version = dataVersion();
    if (version == 0 || version == m_version)
        return; // unreadable now: ask again at the next tick
    m_version = version;
    Q_EMIT m_feed->changed();
}

qint64 SqliteChangeWatcher::dataVersion()
{
    auto &q = m_connection->statement("PRAGMA data_version");
    const qint64 version = m_connection->exec(q) && q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return version;
}

} // namespace Natter::Server
