// A lease in Redis for a job that must run on one node of the cluster at a
// time (§12: token cleanup, the presence sweeper, the unattached-files sweep).
//
// `SET natter:lease:<name> <token> NX PX <ttl>` takes it; the holder renews it
// every TTL/3 with a script that only extends its own token. The node counts
// itself the holder only until TTL after the last renewal it *sent* (its own
// monotonic clock), so a node that was frozen stops before another can have
// taken over, and scripts that must not run twice check the token in Redis
// (token(): a fencing token). A holder that dies stops renewing: another node
// takes the lease within TTL + TTL/3. Jobs stay idempotent anyway.
// Owned by ClusterNode; main thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace Natter::Server {

class ClusterNode;

class ClusterLease : public QObject
{
    Q_OBJECT
public:
    ClusterLease(ClusterNode *node, const QString &name, int ttlMs, QObject *parent = nullptr);

    void start();
    // This node holds the lease now (by its own clock, conservatively).
    bool isHeld() const;
    QByteArray key() const { return m_key; }
    QByteArray token() const { return m_token; }
    // Runs `job` every `intervalMs` on whichever node holds the lease.
    void every(qint64 intervalMs, std::function<void()> job);
    // A clean stop: gives the lease up at once (if this node holds it) so that
    // another node takes it at its next renewal instead of after the TTL.
    // Stops renewing and running the jobs. `done` runs after Redis answered
    // (or at once when it cannot be asked).
    void release(std::function<void()> done);

Q_SIGNALS:
    void acquired();
    void lost();

private:
    void renew();
    void setHeld(bool held, qint64 sentAt);

    ClusterNode *m_node;
    QString m_name;
    QByteArray m_key;
    QByteArray m_token;
    int m_ttlMs;
    bool m_held = false;
    bool m_pending = false;
    qint64 m_validUntil = 0; // m_clock time
    QElapsedTimer m_clock;
    QTimer m_timer;
    std::vector<std::unique_ptr<QTimer>> m_jobs;
};

} // namespace Natter::Server
