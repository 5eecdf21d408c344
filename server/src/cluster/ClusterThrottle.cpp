#include "cluster/ClusterThrottle.h"

#include "cluster/ClusterNode.h"

#include <QCryptographicHash>

namespace Natter::Server {

namespace {
// ARGV: user key, peer key, max per user, max per peer, window ms. 0: the
// attempt is counted; otherwise the ms until the full counter expires.
const QByteArray kReserve = QByteArrayLiteral(R"lua(
local u = tonumber(redis.call('GET', ARGV[1]) or '0')
local p = tonumber(redis.call('GET', ARGV[2]) or '0')
if u >= tonumber(ARGV[3]) then return math.max(redis.call('PTTL', ARGV[1]), 1) end
if p >= tonumber(ARGV[4]) then return math.max(redis.call('PTTL', ARGV[2]), 1) end
if redis.call('INCR', ARGV[1]) == 1 then redis.call('PEXPIRE', ARGV[1], ARGV[5]) end
if redis.call('INCR', ARGV[2]) == 1 then redis.call('PEXPIRE', ARGV[2], ARGV[5]) end
return 0
)lua");

// ARGV: user key, peer key, mode (s: succeeded, n: not made).
const QByteArray kRelease = QByteArrayLiteral(R"lua(
local function back(key)
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
if ARGV[3] == 's' then
  redis.call('DEL', ARGV[1])
else
  back(ARGV[1])
end
back(ARGV[2])
return 1
)lua");
} // namespace

ClusterThrottle::ClusterThrottle(ClusterNode *node, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_node(node)
    , m_limits(limits)
{ }

QByteArray ClusterThrottle::userKey(const QString &username)
{
    return QByteArrayLiteral("natter:throttle:u:")
        + QCryptographicHash::hash(username.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
}

QByteArray ClusterThrottle::peerKey(const QString &peer)
{
    return QByteArrayLiteral("natter:throttle:p:") + peer.toUtf8();
}

void ClusterThrottle::reserve(const QString &username, const QString &peer,
                              std::function<void(qint64)> done)
{
    m_node->eval(kReserve,
                 {userKey(username), peerKey(peer), QByteArray::number(m_limits.maxPerUser),
                  QByteArray::number(m_limits.maxPerPeer),
                  QByteArray::number(m_limits.windowSecs * 1000)},
                 [done = std::move(done)](const RedisReply &reply) {
                     if (reply.isError() || reply.type != RedisReply::Type::Integer) {
                         done(-1);
                         return;
                     }
                     done(reply.integer <= 0 ? 0 : (reply.integer + 999) / 1000);
                 });
}

void ClusterThrottle::release(const QString &username, const QString &peer,
                              LoginThrottle::Attempt attempt)
{
    if (attempt == LoginThrottle::Attempt::Failed)
        return; // counted when it was reserved
    m_node->eval(kRelease,
                 {userKey(username), peerKey(peer),
                  attempt == LoginThrottle::Attempt::Succeeded ? QByteArrayLiteral("s")
                                                               : QByteArrayLiteral("n")},
                 {});
}

} // namespace Natter::Server
