// Feeds a ChangeFeed from SQLite: polls `PRAGMA data_version` every interval.
//
// data_version changes only when another connection (the admin CLI's) commits,
// never for natterd's own writes, and reading it costs a few microseconds; the
// timer keeps it off the per-frame path. Owned by SqliteChatStore; runs while
// the store is open.
#pragma once

#include <QObject>
#include <QTimer>

namespace Natter::Server {

class ChangeFeed;
class SqliteConnection;

class SqliteChangeWatcher : public QObject
{
    Q_OBJECT
public:
    SqliteChangeWatcher(SqliteConnection *connection, ChangeFeed *feed, int intervalMs,
                        QObject *parent = nullptr);

    // Takes the current data_version as the baseline and starts polling.
    void start();
    void stop();

private:
    void poll();
    qint64 dataVersion();

    SqliteConnection *m_connection;
    ChangeFeed *m_feed;
    QTimer m_timer;
    qint64 m_version = 0; // 0: unknown (the next readable value counts as a change)
};

} // namespace Natter::Server
