#include "auth/LoginThrottle.h"

namespace Natter::Server {

namespace {
// Usernames are matched case-insensitively so "Alice" cannot dodge "alice"'s count.
QString userKey(const QString &username)
{
    return username.toLower();
}
} // namespace

LoginThrottle::LoginThrottle(int maxPerUser, int maxPerPeer, qint64 windowSecs)
    : m_maxPerUser(maxPerUser)
    , m_maxPerPeer(maxPerPeer)
    , m_window(windowSecs)
{ }

void LoginThrottle::prune(QList<qint64> &times, qint64 nowSecs) const
{
    while (!times.isEmpty() && times.first() + m_window <= nowSecs)
        times.removeFirst();
}

qint64 LoginThrottle::retryFor(Map &map, const QString &key, int max, qint64 nowSecs)
{
    auto it = map.find(key);
    if (it == map.end())
        return 0;
    prune(it->failures, nowSecs);
    if (it->failures.isEmpty() && it->pending == 0) {
        map.erase(it);
        return 0;
    }
    const int used = int(it->failures.size()) + it->pending;
    if (used < max)
        return 0;
    // Allowed again once enough failures have left the window.
    const int mustLeave = used - max + 1;
    if (mustLeave <= it->failures.size())
        return qMax<qint64>(1, it->failures.at(mustLeave - 1) + m_window - nowSecs);
    // The attempts still being verified hold the slots; they end within moments.
    return 1;
}

void LoginThrottle::sweepIfLarge(qint64 nowSecs)
{
    // Attempts for endless distinct usernames must not grow memory without bound:
    // once the maps are large, drop every entry whose window has passed.
    if (m_byUser.size() + m_byPeer.size() <= 10000)
        return;
    for (auto *map : {&m_byUser, &m_byPeer}) {
        for (auto it = map->begin(); it != map->end();) {
            prune(it->failures, nowSecs);
            it = it->failures.isEmpty() && it->pending == 0 ? map->erase(it) : std::next(it);
        }
    }
}

qint64 LoginThrottle::reserve(const QString &username, const QString &peer, qint64 nowSecs)
{
    const qint64 wait = retryAfter(username, peer, nowSecs);
    if (wait > 0)
        return wait;
    sweepIfLarge(nowSecs);
    ++m_byUser[userKey(username)].pending;
    ++m_byPeer[peer].pending;
    return 0;
}

void LoginThrottle::finish(Map &map, const QString &key, bool failed, bool clear, qint64 nowSecs)
{
    auto it = map.find(key);
    if (it == map.end())
        return;
    it->pending = qMax(0, it->pending - 1);
    if (clear)
        it->failures.clear();
    if (failed)
        it->failures.append(nowSecs);
    if (it->failures.isEmpty() && it->pending == 0)
        map.erase(it);
}

void LoginThrottle::release(const QString &username, const QString &peer, Attempt attempt,
                            qint64 nowSecs)
{
    const bool failed = attempt == Attempt::Failed;
    // A success clears the username's count only; the peer's failures stay counted.
    finish(m_byUser, userKey(username), failed, attempt == Attempt::Succeeded, nowSecs);
    finish(m_byPeer, peer, failed, false, nowSecs);
}

qint64 LoginThrottle::retryAfter(const QString &username, const QString &peer, qint64 nowSecs)
{
    return qMax(retryFor(m_byUser, userKey(username), m_maxPerUser, nowSecs),
                retryFor(m_byPeer, peer, m_maxPerPeer, nowSecs));
}

void LoginThrottle::recordFailure(const QString &username, const QString &peer, qint64 nowSecs)
{
    sweepIfLarge(nowSecs);
    auto &user = m_byUser[userKey(username)].failures;
    prune(user, nowSecs);
    user.append(nowSecs);
    auto &byPeer = m_byPeer[peer].failures;
    prune(byPeer, nowSecs);
    byPeer.append(nowSecs);
}

void LoginThrottle::recordSuccess(const QString &username)
{
    auto it = m_byUser.find(userKey(username));
    if (it == m_byUser.end())
        return;
    // Attempts of this user still being verified keep their reservations.
    it->failures.clear();
    if (it->pending == 0)
        m_byUser.erase(it);
}

} // namespace Natter::Server
