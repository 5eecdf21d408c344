#include "cluster/ClusterLease.h"

#include "RandomId.h"
#include "cluster/ClusterLog.h"
#include "cluster/ClusterNode.h"

namespace Natter::Server {

namespace {
// ARGV: key, token, ttl ms. 1: held (taken or renewed); 0: someone else's.
const QByteArray kTakeOrRenew = QByteArrayLiteral(R"lua(
local holder = redis.call('GET', ARGV[1])
if holder == ARGV[2] then
  redis.call('PEXPIRE', ARGV[1], ARGV[3])
  return 1
end
if not holder then
  redis.call('SET', ARGV[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
)lua");

// ARGV: key, token. Deletes the lease only if it is still this node's.
const QByteArray kRelease = QByteArrayLiteral(R"lua(
if redis.call('GET', ARGV[1]) == ARGV[2] then return redis.call('DEL', ARGV[1]) end
return 0
)lua");
} // namespace

ClusterLease::ClusterLease(ClusterNode *node, const QString &name, int ttlMs, QObject *parent)
    : QObject(parent)
    , m_node(node)
    , m_name(name)
    , m_key(QByteArrayLiteral("natter:lease:") + name.toUtf8())
    // The holder's node id first, for operators (`redis-cli GET natter:lease:jobs`).
    , m_token(QString(node->nodeId() + u'|' + RandomId::hex(8)).toUtf8())
    , m_ttlMs(ttlMs)
{
    m_clock.start();
    m_timer.setInterval(qMax(50, ttlMs / 3));
    connect(&m_timer, &QTimer::timeout, this, &ClusterLease::renew);
}

void ClusterLease::start()
{
    m_timer.start();
    renew();
}

bool ClusterLease::isHeld() const
{
    return m_held && m_clock.elapsed() < m_validUntil;
}

void ClusterLease::every(qint64 intervalMs, std::function<void()> job)
{
    auto timer = std::make_unique<QTimer>();
    timer->setInterval(int(qBound<qint64>(1, intervalMs, 24LL * 3600 * 1000)));
    connect(timer.get(), &QTimer::timeout, this, [this, job = std::move(job)] {
        if (isHeld())
            job();
    });
    timer->start();
    m_jobs.push_back(std::move(timer));
}

void ClusterLease::release(std::function<void()> done)
{
    m_timer.stop();
    m_jobs.clear();
    const bool held = m_held;
    m_held = false;
    if (held) {
        qCInfo(lcServerCluster).noquote().nospace()
            << "event=cluster_lease_released lease=" << m_name << " node=" << m_node->nodeId();
    }
    m_node->eval(kRelease, {m_key, m_token},
                 [done = std::move(done)](const RedisReply &) { done(); });
}

void ClusterLease::renew()
{
    if (m_pending)
        return;
    m_pending = true;
    const qint64 sentAt = m_clock.elapsed();
    m_node->eval(kTakeOrRenew, {m_key, m_token, QByteArray::number(m_ttlMs)},
                 [this, sentAt](const RedisReply &reply) {
                     m_pending = false;
                     if (reply.isError()) {
                         // Unknown: keep what we had until it runs out by itself.
                         if (m_held && m_clock.elapsed() >= m_validUntil)
                             setHeld(false, sentAt);
                         return;
                     }
                     setHeld(reply.integer == 1, sentAt);
                 });
}

void ClusterLease::setHeld(bool held, qint64 sentAt)
{
    // Valid for TTL from when the renewal was sent, not answered: Redis may
    // have started the TTL any time in between.
    if (held)
        m_validUntil = sentAt + m_ttlMs;
    if (held == m_held)
        return;
    m_held = held;
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=" << (held ? "cluster_lease_acquired" : "cluster_lease_lost")
        << " lease=" << m_name << " node=" << m_node->nodeId();
    if (held)
        Q_EMIT acquired();
    else
        Q_EMIT lost();
}

} // namespace Natter::Server
