#include "hub/UserLimits.h"

namespace Natter::Server {

namespace {
constexpr int kSweepIntervalMs = 60 * 1000;
}

UserLimits::UserLimits(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_clock.start();
    m_sweepTimer.setInterval(kSweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &UserLimits::sweep);
    m_sweepTimer.start();
}

bool UserLimits::claimConnection(const QString &userId)
{
    PerUser &user = m_users[userId];
    if (m_settings.maxConnectionsPerUser > 0
        && user.connections >= m_settings.maxConnectionsPerUser)
        return false;
    ++user.connections;
    return true;
}

void UserLimits::releaseConnection(const QString &userId)
{
    const auto it = m_users.find(userId);
    if (it != m_users.end() && it->connections > 0)
        --it->connections;
}

int UserLimits::connectionsOf(const QString &userId) const
{
    const auto it = m_users.constFind(userId);
    return it == m_users.cend() ? 0 : it->connections;
}

UserLimits::Rate UserLimits::rateOf(Kind kind) const
{
    switch (kind) {
    case Kind::Message:
        return m_settings.message;
    case Kind::Presence:
        return m_settings.presence;
    case Kind::Channel:
        return m_settings.channel;
    case Kind::Typing:
        return m_settings.typing;
    case Kind::Session:
        return m_settings.session;
    }
    return m_settings.message;
}

bool UserLimits::admit(const QString &userId, Kind kind)
{
    if (rateOf(kind).burst == 0)
        return true; // no limit (only sessions may be configured so)
    const qint64 now = m_clock.elapsed();
    std::optional<TokenBucket> &bucket = m_users[userId].buckets[size_t(kind)];
    if (!bucket) {
        const Rate rate = rateOf(kind);
        bucket.emplace(rate.perSecond, rate.burst, now);
    }
    return bucket->tryTake(now);
}

void UserLimits::sweep()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_users.begin(); it != m_users.end();) {
        bool idle = it->connections == 0;
        for (size_t k = 0; idle && k < it->buckets.size(); ++k) {
            auto &bucket = it->buckets[k];
            idle = !bucket || bucket->available(now) >= double(rateOf(Kind(k)).burst);
        }
        it = idle ? m_users.erase(it) : std::next(it);
    }
}

} // namespace Natter::Server
