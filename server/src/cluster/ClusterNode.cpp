#include "cluster/ClusterNode.h"

#include "RandomId.h"
#include "cluster/ClusterLog.h"

#include <algorithm>

namespace Natter::Server {

namespace {

RedisConnection::Settings redisSettings(const ClusterNode::Settings &s, const char *name)
{
    RedisConnection::Settings r;
    r.host = s.redisHost;
    r.port = s.redisPort;
    r.user = s.redisUser;
    r.password = s.redisPassword;
    r.name = QString::fromLatin1(name);
    return r;
}

// ARGV: incarnation, node id, ttl ms, epoch candidate. Returns Redis' epoch:
// a random value set by the first node, gone when Redis lost its data.
const QByteArray kRegister = QByteArrayLiteral(R"lua(
redis.call('SET', 'natter:epoch', ARGV[4], 'NX')
local epoch = redis.call('GET', 'natter:epoch')
redis.call('SET', 'natter:p:alive:' .. ARGV[1], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', 'natter:p:incs', ARGV[1])
return epoch
)lua");

// ARGV: incarnation, ttl ms, epoch. 1: refreshed; 0: the key expired (this
// node was frozen or cut off: fenced); -1: Redis lost its data (register again).
const QByteArray kRefresh = QByteArrayLiteral(R"lua(
if redis.call('GET', 'natter:epoch') ~= ARGV[3] then return -1 end
if redis.call('PEXPIRE', 'natter:p:alive:' .. ARGV[1], ARGV[2]) == 1 then return 1 end
return 0
)lua");

} // namespace

ClusterNode::ClusterNode(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_instance(RandomId::hex(8))
    , m_incarnation(RandomId::hex(8))
    , m_commands(redisSettings(settings, "shared"))
    , m_subscriber(redisSettings(settings, "shared-subscribe"))
    , m_jobsLease(this, QStringLiteral("jobs"), settings.nodeTtlMs)
    , m_typing(this, settings.typingExpiryMs)
    , m_presence(this, &m_typing, &m_jobsLease, settings.presenceGraceMs)
    , m_throttle(this,
                 ClusterThrottle::Limits{settings.loginMaxPerUser, settings.loginMaxPerPeer,
                                         settings.loginWindowSecs})
{
    m_heartbeat.setInterval(qMax(50, m_settings.nodeTtlMs / 3));
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterNode::tick);
    connect(&m_commands, &RedisConnection::connected, this, [this] {
        if (m_registered)
            tick(); // a Redis that restarted empty is noticed now, not at the next beat
        else
            registerIncarnation();
    });
    // The presence part forgets this node's connections before the sockets
    // close (connected first: runs before the composition root's handler).
    connect(this, &ClusterNode::fenced, &m_presence, &ClusterPresence::dropConnections);
    connect(this, &ClusterNode::registered, &m_presence, &ClusterPresence::addConnections);
}

ClusterNode::~ClusterNode() = default;

int ClusterNode::sweepIntervalMs() const
{
    return std::clamp(m_settings.nodeTtlMs / 4, 250, 1000);
}

void ClusterNode::start()
{
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=cluster_node_start node=" << m_settings.nodeId << " incarnation=" << m_incarnation
        << " ttl_ms=" << m_settings.nodeTtlMs;
    m_presence.start();
    m_typing.start();
    m_subscriber.open();
    m_commands.open();
    m_jobsLease.start();
    m_sinceTick.start();
    m_heartbeat.start();
}

void ClusterNode::eval(const QByteArray &script, const QList<QByteArray> &args,
                       RedisConnection::Callback done)
{
    QList<QByteArray> command{QByteArrayLiteral("EVAL"), script, QByteArrayLiteral("0")};
    command += args;
    m_commands.command(command, std::move(done));
}

void ClusterNode::leave(std::function<void()> done)
{
    if (m_leaving)
        return;
    m_leaving = true;
    m_heartbeat.stop();
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=cluster_node_leaving node=" << m_settings.nodeId
        << " incarnation=" << m_incarnation << " registered=" << (m_registered ? "yes" : "no");
    // Both go out pipelined on the one command connection; Redis answers in
    // order, so the lease's answer is the last. On a connection that is down
    // both fail at once.
    if (m_registered)
        m_presence.leave([] {});
    m_registered = false; // nothing of presence is written after this
    m_jobsLease.release(std::move(done));
}

void ClusterNode::registerIncarnation()
{
    if (m_registering || m_leaving)
        return;
    m_registering = true;
    const QString incarnation = m_incarnation;
    eval(kRegister,
         {incarnation.toUtf8(), m_settings.nodeId.toUtf8(),
          QByteArray::number(m_settings.nodeTtlMs), RandomId::hex(8).toUtf8()},
         [this, incarnation](const RedisReply &reply) {
             m_registering = false;
             if (reply.isError() || incarnation != m_incarnation)
                 return; // retried at the next beat or reconnect
             m_epoch = reply.str;
             m_registered = true;
             qCInfo(lcServerCluster).noquote().nospace()
                 << "event=cluster_node_registered node=" << m_settings.nodeId
                 << " incarnation=" << m_incarnation;
             Q_EMIT registered();
         });
}

bool ClusterNode::checkStalled()
{
    if (m_sinceTick.isValid() && m_sinceTick.elapsed() > m_settings.nodeTtlMs) {
        // The heartbeat could not run for longer than the TTL: the key has
        // expired and the other nodes have (or will have) reaped this one.
        m_sinceTick.restart();
        fence("stalled");
        return true;
    }
    return false;
}

void ClusterNode::tick()
{
    if (m_leaving)
        return;
    if (checkStalled())
        return;
    m_sinceTick.restart();
    if (!m_registered) {
        registerIncarnation();
        return;
    }
    if (m_refreshing)
        return;
    m_refreshing = true;
    const QString incarnation = m_incarnation;
    eval(kRefresh, {incarnation.toUtf8(), QByteArray::number(m_settings.nodeTtlMs), m_epoch},
         [this, incarnation](const RedisReply &reply) {
             m_refreshing = false;
             if (reply.isError() || incarnation != m_incarnation)
                 return; // Redis unreachable: nothing is known, nothing changes
             if (reply.integer == 0) {
                 fence("expired");
             } else if (reply.integer < 0) {
                 qCWarning(lcServerCluster).noquote().nospace()
                     << "event=cluster_redis_data_lost node=" << m_settings.nodeId;
                 m_registered = false;
                 registerIncarnation();
             }
         });
}

void ClusterNode::fence(const char *why)
{
    if (m_leaving)
        return;
    const QString old = m_incarnation;
    m_incarnation = RandomId::hex(8);
    m_registered = false;
    qCWarning(lcServerCluster).noquote().nospace()
        << "event=cluster_node_fenced node=" << m_settings.nodeId << " reason=" << why
        << " old_incarnation=" << old << " incarnation=" << m_incarnation;
    // The others reap the old incarnation's connections at their next sweep.
    m_commands.command(
        {QByteArrayLiteral("DEL"), QByteArrayLiteral("natter:p:alive:") + old.toUtf8()});
    Q_EMIT fenced();
    registerIncarnation();
}

} // namespace Natter::Server
