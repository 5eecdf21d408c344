#include "auth/LoginThrottle.h"

namespace Natter::Server {

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

qint64 LoginThrottle::retryFor(QHash<QString, QList<qint64>> &map, const QString &key, int max,
                               qint64 nowSecs)
{
    auto it = map.find(key);
    if (it == map.end())
        return 0;
    prune(*it, nowSecs);
    if (it->isEmpty()) {
        map.erase(it);
        return 0;
    }
    if (it->size() < max)
        return 0;
    // Allowed again once enough failures have left the window.
    const qint64 freeAt = it->at(it->size() - max) + m_window;
    return qMax<qint64>(1, freeAt - nowSecs);
}

qint64 LoginThrottle::retryAfter(const QString &username, const QString &peer, qint64 nowSecs)
{
    // Usernames are matched case-insensitively so "Alice" cannot dodge "alice"'s count.
    return qMax(retryFor(m_byUser, username.toLower(), m_maxPerUser, nowSecs),
                retryFor(m_byPeer, peer, m_maxPerPeer, nowSecs));
}

void LoginThrottle::recordFailure(const QString &username, const QString &peer, qint64 nowSecs)
{
    // Failures for endless distinct usernames must not grow memory without bound:
    // once the maps are large, drop every entry whose window has passed.
    if (m_byUser.size() + m_byPeer.size() > 10000) {
        for (auto *map : {&m_byUser, &m_byPeer}) {
            for (auto it = map->begin(); it != map->end();) {
                prune(*it, nowSecs);
                it = it->isEmpty() ? map->erase(it) : std::next(it);
            }
        }
    }
    auto &user = m_byUser[username.toLower()];
    prune(user, nowSecs);
    user.append(nowSecs);
    auto &byPeer = m_byPeer[peer];
    prune(byPeer, nowSecs);
    byPeer.append(nowSecs);
}

void LoginThrottle::recordSuccess(const QString &username)
{
    m_byUser.remove(username.toLower());
}

} // namespace Natter::Server
