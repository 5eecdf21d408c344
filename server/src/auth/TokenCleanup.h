// Deletes refresh tokens past their expiry, so the table holds live sessions
// only (a token is refused after its expiry whether or not its row is there).
//
// A single node runs it on its own timer (start()); the nodes of a cluster run
// it through the jobs lease (ClusterLease::every), one node at a time. The
// DELETE is idempotent, so a second run changes nothing. Owned by NatterServer.
#pragma once

#include <QObject>
#include <QTimer>

namespace Natter::Server {

class ChatStore;

class TokenCleanup : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultIntervalMs = 3600 * 1000;

    explicit TokenCleanup(ChatStore *store, QObject *parent = nullptr);
    // Runs sweep() every `intervalMs` from now on (one node).
    void start(qint64 intervalMs);
    // One cleanup now, as a store job (off the event loop on PostgreSQL); a
    // failure is logged.
    void sweep();

private:
    ChatStore *m_store;
    QTimer m_timer;
};

} // namespace Natter::Server
