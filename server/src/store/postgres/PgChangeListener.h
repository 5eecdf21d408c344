// Feeds a ChangeFeed from PostgreSQL: LISTEN natter_changes on a connection of
// its own (QSqlDriver::subscribeToNotification), so what the admin CLI or
// another node commits to users, channels and memberships reaches this node
// within a round trip, not a poll interval.
//
// A notification whose payload is this store's own writer connection is
// skipped (this process already knows). The connection is probed every second:
// that is what notices a restarted server (LISTEN is per session), reconnects,
// re-subscribes and emits changed() once, because notifications sent while it
// was away are lost. The probe's answer is also the store's `reachable` (the
// health endpoint's "postgres" field). Owned by PgChatStore; main thread only.
#pragma once

#include "store/postgres/PgConnection.h"

#include <QObject>
#include <QSqlDriver>
#include <QTimer>

namespace Natter::Server {

class ChangeFeed;

class PgChangeListener : public QObject
{
    Q_OBJECT
public:
    PgChangeListener(const QString &conninfo, const QString &password, ChangeFeed *feed,
                     QObject *parent = nullptr);

    // Connects and subscribes. `ownSource`: the payload of our own writes.
    bool start(const QString &ownSource, QString *error);
    void stop();
    // Whether the last probe (or notification) reached the server.
    bool reachable() const { return m_reachable; }

Q_SIGNALS:
    // The probe answers again after it did not: the server may have restarted,
    // and the process's other sessions died with it without knowing yet.
    void cameBack();

private:
    void subscribe();
    void probe();
    void onNotification(const QString &name, QSqlDriver::NotificationSource source,
                        const QVariant &payload);

    PgConnection m_conn;
    ChangeFeed *m_feed;
    QString m_ownSource;
    QTimer m_probe;
    bool m_reachable = false;
};

} // namespace Natter::Server
