#include "cluster/ClusterPresence.h"

#include "cluster/ClusterLease.h"
#include "cluster/ClusterLog.h"
#include "cluster/ClusterNode.h"
#include "cluster/ClusterTyping.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace Natter::Server {

namespace {

const QByteArray kEvents = QByteArrayLiteral("natter:presence");
constexpr int kReconcileMs = 10000;

// Shared by every script: Redis' clock, a user's aggregate over the HASH, and
// settle(), the one place that changes natter:p:status and publishes.
const QByteArray kCommon = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function agg(ukey)
  local vals = redis.call('HVALS', ukey)
  if #vals == 0 then return false end
  for _, v in ipairs(vals) do
    if string.sub(v, -1) == 'o' then return 'o' end
  end
  return 'a'
end
local function settle(user, st, origin)
  local cur = redis.call('HGET', 'natter:p:status', user) or 'f'
  if st == 'o' or (cur == 'o' and st == 'a') then
    redis.call('HSET', 'natter:p:seen', user, now)
  end
  if cur == st then return 0 end
  if st == 'f' then
    redis.call('HDEL', 'natter:p:status', user)
  else
    redis.call('HSET', 'natter:p:status', user, st)
  end
  local v = redis.call('INCR', 'natter:p:version')
  local seen = redis.call('HGET', 'natter:p:seen', user) or '0'
  redis.call('PUBLISH', 'natter:presence', cjson.encode({u = user, s = st, l = seen, o = origin,
    v = tostring(v), e = redis.call('GET', 'natter:epoch') or ''}))
  return 1
end
local function lastGone(user)
  if redis.call('HGET', 'natter:p:status', user) == 'o' then
    redis.call('HSET', 'natter:p:seen', user, now)
  end
end
)lua");

// ARGV: incarnation, user, connection, o|a, origin.
const QByteArray kUpdate = kCommon + QByteArrayLiteral(R"lua(
local inc, user, conn = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', 'natter:p:alive:' .. inc) == 0 then return 'stale' end
redis.call('HSET', 'natter:p:u:' .. user, conn, inc .. '|' .. ARGV[4])
redis.call('SADD', 'natter:p:inc:' .. inc, user .. '\n' .. conn)
redis.call('ZREM', 'natter:p:grace', user)
settle(user, agg('natter:p:u:' .. user), ARGV[5])
return 'ok'
)lua");

// ARGV: incarnation, user, connection, origin, grace ms.
const QByteArray kRemove = kCommon + QByteArrayLiteral(R"lua(
local inc, user, conn = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', 'natter:p:alive:' .. inc) == 0 then return 'stale' end
local ukey = 'natter:p:u:' .. user
if not redis.call('HGET', ukey, conn) then return 'gone' end
redis.call('HDEL', ukey, conn)
redis.call('SREM', 'natter:p:inc:' .. inc, user .. '\n' .. conn)
local st = agg(ukey)
if not st then
  lastGone(user)
  redis.call('ZADD', 'natter:p:grace', now + tonumber(ARGV[5]), user)
  return 'grace'
end
settle(user, st, ARGV[4])
return 'ok'
)lua");

// reap(): forgets every connection of incarnation `inc` (a dead node's, found
// by the sweeper, or the node's own at a clean stop); users left with none
// start their grace. Returns how many were reaped.
const QByteArray kReap = QByteArrayLiteral(R"lua(
local function reap(inc, grace, origin)
  local reaped = 0
  local ikey = 'natter:p:inc:' .. inc
  for _, entry in ipairs(redis.call('SMEMBERS', ikey)) do
    local nl = string.find(entry, '\n', 1, true)
    local user = string.sub(entry, 1, nl - 1)
    local conn = string.sub(entry, nl + 1)
    local ukey = 'natter:p:u:' .. user
    local v = redis.call('HGET', ukey, conn)
    if v and string.sub(v, 1, #inc + 1) == inc .. '|' then
      redis.call('HDEL', ukey, conn)
      reaped = reaped + 1
      local st = agg(ukey)
      if not st then
        lastGone(user)
        redis.call('ZADD', 'natter:p:grace', 'NX', now + grace, user)
      else
        settle(user, st, origin)
      end
    end
  end
  redis.call('DEL', ikey)
  redis.call('SREM', 'natter:p:incs', inc)
  return reaped
end
)lua");

// ARGV: lease key, lease token, grace ms, origin. Returns {reaped, offline},
// or -1 when this node does not hold the lease (a stale holder does nothing).
const QByteArray kSweep = kCommon + kReap + QByteArrayLiteral(R"lua(
if redis.call('GET', ARGV[1]) ~= ARGV[2] then return -1 end
local grace = tonumber(ARGV[3])
local reaped = 0
for _, inc in ipairs(redis.call('SMEMBERS', 'natter:p:incs')) do
  if redis.call('EXISTS', 'natter:p:alive:' .. inc) == 0 then
    reaped = reaped + reap(inc, grace, ARGV[4])
  end
end
local offline = 0
for _, user in ipairs(redis.call('ZRANGEBYSCORE', 'natter:p:grace', '-inf', now)) do
  redis.call('ZREM', 'natter:p:grace', user)
  if redis.call('HLEN', 'natter:p:u:' .. user) == 0 then
    offline = offline + settle(user, 'f', ARGV[4])
  end
end
return {reaped, offline}
)lua");

// ARGV: incarnation, grace ms, origin. A clean stop: the node's connections
// go now (not when its key would have expired), then its key. Returns how many
// connections were reaped.
const QByteArray kLeave = kCommon + kReap + QByteArrayLiteral(R"lua(
local reaped = reap(ARGV[1], tonumber(ARGV[2]), ARGV[3])
redis.call('DEL', 'natter:p:alive:' .. ARGV[1])
return reaped
)lua");

// Everything the mirror needs, at one version.
const QByteArray kSnapshot = QByteArrayLiteral(R"lua(
return {redis.call('GET', 'natter:epoch') or '', redis.call('GET', 'natter:p:version') or '0',
        redis.call('HGETALL', 'natter:p:status'), redis.call('HGETALL', 'natter:p:seen')}
)lua");

QByteArray statusCode(PresenceTracker::Status status)
{
    return status == PresenceTracker::Status::Away ? QByteArrayLiteral("a")
                                                   : QByteArrayLiteral("o");
}

PresenceTracker::Status fromCode(QStringView code)
{
    if (code == u"o")
        return PresenceTracker::Status::Online;
    if (code == u"a")
        return PresenceTracker::Status::Away;
    return PresenceTracker::Status::Offline;
}

} // namespace

ClusterPresence::ClusterPresence(ClusterNode *node, ClusterTyping *typing, ClusterLease *sweeper,
                                 qint64 graceMs, QObject *parent)
    : QObject(parent)
    , m_node(node)
    , m_typing(typing)
    , m_sweeper(sweeper)
    , m_graceMs(graceMs)
{
    m_reconcile.setInterval(kReconcileMs);
    connect(&m_reconcile, &QTimer::timeout, this, &ClusterPresence::reconcile);
    m_reconcileSoon.setSingleShot(true);
    connect(&m_reconcileSoon, &QTimer::timeout, this, &ClusterPresence::reconcile);
    connect(&m_sweep, &QTimer::timeout, this, &ClusterPresence::sweep);
}

void ClusterPresence::start()
{
    RedisConnection *sub = m_node->subscriber();
    connect(sub, &RedisConnection::message, this, &ClusterPresence::onMessage);
    connect(sub, &RedisConnection::subscribed, this, [this] {
        // Events were missed while unsubscribed. The first time, load the
        // mirror at once; after a reconnect, give the nodes one TTL to write
        // their connections again (Redis may have restarted empty), so that
        // nobody is told "offline" for a user whose node has not yet spoken.
        if (!m_loaded)
            reconcile();
        else
            m_reconcileSoon.start(m_node->nodeTtlMs());
    });
    // Writes that Redis never saw while it was away are made again.
    connect(m_node->commands(), &RedisConnection::connected, this, [this] {
        if (!m_loaded)
            reconcile(); // the first one may have found no command connection yet
        if (m_node->isRegistered())
            addConnections(); // otherwise it follows the registration
    });
    sub->subscribe(kEvents);
    m_sweep.start(m_node->sweepIntervalMs());
    m_reconcile.start();
}

void ClusterPresence::setHandlers(Transition transition, DeliverLocal deliverLocal)
{
    m_transition = std::move(transition);
    m_typing->setDeliver(std::move(deliverLocal));
}

void ClusterPresence::connectionOpened(const QString &user, const QString &connection,
                                       std::function<void()> counted)
{
    m_node->checkStalled();
    const Connection c{user, PresenceTracker::Status::Online};
    m_connections.insert(connection, c);
    write(connection, c, std::move(counted));
}

void ClusterPresence::statusChanged(const QString &user, const QString &connection,
                                    PresenceTracker::Status status)
{
    if (m_node->checkStalled() || m_dropped.contains(connection))
        return;
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    it->status = status;
    write(connection, Connection{user, status});
}

void ClusterPresence::connectionClosed(const QString &user, const QString &connection)
{
    m_node->checkStalled();
    if (m_dropped.remove(connection))
        return; // its incarnation is gone; the sweeper reaps it
    if (m_connections.remove(connection) == 0)
        return;
    remove(connection, user);
}

PresenceTracker::Status ClusterPresence::status(const QString &user) const
{
    return m_known.value(user).status;
}

QDateTime ClusterPresence::lastSeen(const QString &user) const
{
    const qint64 ms = m_known.value(user).seenMs;
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

void ClusterPresence::relayTyping(const QString &channel, const QString &user,
                                  const QStringList &recipients, qint64 expiresInMs,
                                  const QByteArray &frame)
{
    m_typing->relay(channel, user, recipients, expiresInMs, frame);
}

void ClusterPresence::dropConnections()
{
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        m_dropped.insert(it.key());
    m_connections.clear();
    m_unsentRemovals.clear();
}

void ClusterPresence::addConnections()
{
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        write(it.key(), it.value());
    const auto removals = std::exchange(m_unsentRemovals, {});
    for (auto it = removals.cbegin(); it != removals.cend(); ++it)
        remove(it.key(), it.value());
}

void ClusterPresence::leave(std::function<void()> done)
{
    m_sweep.stop();
    m_reconcile.stop();
    m_reconcileSoon.stop();
    m_node->eval(kLeave,
                 {m_node->incarnation().toUtf8(), QByteArray::number(m_graceMs),
                  m_node->instance().toUtf8()},
                 [this, done = std::move(done)](const RedisReply &reply) {
                     if (reply.isError()) {
                         // The key stays: the others reap this node after its TTL.
                         qCWarning(lcServerCluster).noquote().nospace()
                             << "event=cluster_leave_failed node=" << m_node->nodeId();
                     } else {
                         qCInfo(lcServerCluster).noquote().nospace()
                             << "event=cluster_left node=" << m_node->nodeId()
                             << " incarnation=" << m_node->incarnation()
                             << " reaped=" << reply.integer;
                     }
                     done();
                 });
}

void ClusterPresence::write(const QString &connection, const Connection &c,
                            std::function<void()> counted)
{
    // A new connection whose write Redis did not take: its client gets
    // `connected` anyway (the node keeps serving without Redis, as it does for
    // messages); only the flap this ordering prevents is possible again.
    const auto unconfirmed = [this, connection](const char *reason) {
        qCWarning(lcServerCluster).noquote().nospace()
            << "event=cluster_presence_unconfirmed node=" << m_node->nodeId()
            << " conn=" << connection << " reason=" << reason;
    };
    if (!m_node->isRegistered()) {
        // addConnections() writes it once the incarnation is registered.
        if (counted) {
            unconfirmed("not_registered");
            counted();
        }
        return;
    }
    const QString incarnation = m_node->incarnation();
    m_node->eval(
        kUpdate,
        {incarnation.toUtf8(), c.user.toUtf8(), connection.toUtf8(), statusCode(c.status),
         m_node->instance().toUtf8()},
        [this, incarnation, unconfirmed, counted = std::move(counted)](const RedisReply &reply) {
            if (!reply.isError() && reply.str == "stale") {
                qCInfo(lcServerCluster).noquote().nospace()
                    << "event=cluster_presence_stale node=" << m_node->nodeId()
                    << " incarnation=" << incarnation;
            }
            if (!counted)
                return;
            // Lost (Redis unreachable, or no answer within the reply
            // timeout): rewritten by addConnections() on reconnect.
            if (reply.isError())
                unconfirmed(reply.lost ? "redis_unreachable" : "redis_error");
            counted();
        });
}

void ClusterPresence::remove(const QString &connection, const QString &user)
{
    if (!m_node->isRegistered()) {
        m_unsentRemovals.insert(connection, user);
        return;
    }
    m_node->eval(kRemove,
                 {m_node->incarnation().toUtf8(), user.toUtf8(), connection.toUtf8(),
                  m_node->instance().toUtf8(), QByteArray::number(m_graceMs)},
                 [this, connection, user](const RedisReply &reply) {
                     if (reply.lost)
                         m_unsentRemovals.insert(connection, user);
                 });
}

void ClusterPresence::sweep()
{
    if (!m_sweeper->isHeld())
        return;
    m_node->eval(kSweep,
                 {m_sweeper->key(), m_sweeper->token(), QByteArray::number(m_graceMs),
                  m_node->instance().toUtf8()},
                 [this](const RedisReply &reply) {
                     if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2)
                         return;
                     const qint64 reaped = reply.elements.at(0).integer;
                     const qint64 offline = reply.elements.at(1).integer;
                     if (reaped > 0 || offline > 0) {
                         qCInfo(lcServerCluster).noquote().nospace()
                             << "event=cluster_presence_sweep node=" << m_node->nodeId()
                             << " reaped=" << reaped << " offline=" << offline;
                     }
                 });
}

void ClusterPresence::reconcile()
{
    m_node->eval(kSnapshot, {}, [this](const RedisReply &reply) { onReconciled(reply); });
}

void ClusterPresence::onReconciled(const RedisReply &reply)
{
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != 4)
        return;
    const QByteArray epoch = reply.elements.at(0).str;
    const qint64 version = reply.elements.at(1).str.toLongLong();
    if (m_loaded && epoch == m_epoch && version < m_version)
        return; // an event newer than this snapshot was applied already
    const bool tell = m_loaded;
    QHash<QString, qint64> seen;
    const auto &seenList = reply.elements.at(3).elements;
    for (qsizetype i = 0; i + 1 < seenList.size(); i += 2)
        seen.insert(QString::fromUtf8(seenList.at(i).str), seenList.at(i + 1).str.toLongLong());
    QSet<QString> present;
    const auto &statusList = reply.elements.at(2).elements;
    for (qsizetype i = 0; i + 1 < statusList.size(); i += 2) {
        const QString user = QString::fromUtf8(statusList.at(i).str);
        present.insert(user);
        apply(user, fromCode(QString::fromUtf8(statusList.at(i + 1).str)), seen.value(user), false,
              tell);
    }
    const QStringList known = m_known.keys();
    for (const QString &user : known) {
        if (!present.contains(user))
            apply(user, PresenceTracker::Status::Offline, seen.value(user), false, tell);
    }
    m_epoch = epoch;
    m_version = version;
    m_loaded = true;
}

void ClusterPresence::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel != kEvents)
        return;
    const QJsonObject e = QJsonDocument::fromJson(payload).object();
    const QByteArray epoch = e.value(QStringLiteral("e")).toString().toUtf8();
    const qint64 version = e.value(QStringLiteral("v")).toString().toLongLong();
    if (epoch != m_epoch) {
        m_epoch = epoch; // Redis started afresh: versions start again
        m_version = 0;
    } else if (version <= m_version) {
        return; // the snapshot applied already has it
    }
    m_version = version;
    apply(e.value(QStringLiteral("u")).toString(),
          fromCode(e.value(QStringLiteral("s")).toString()),
          e.value(QStringLiteral("l")).toString().toLongLong(),
          e.value(QStringLiteral("o")).toString() == m_node->instance(), true);
}

void ClusterPresence::apply(const QString &user, PresenceTracker::Status status, qint64 seenMs,
                            bool own, bool tell)
{
    Known &k = m_known[user];
    if (seenMs > 0)
        k.seenMs = seenMs;
    if (k.status == status)
        return;
    k.status = status;
    if (tell && m_transition) {
        qCDebug(lcServerCluster).noquote().nospace()
            << "event=cluster_presence user=" << user
            << " status=" << PresenceTracker::toString(status);
        m_transition(user, status,
                     seenMs > 0 ? QDateTime::fromMSecsSinceEpoch(seenMs, Qt::UTC) : QDateTime(),
                     own);
    }
}

} // namespace Natter::Server
