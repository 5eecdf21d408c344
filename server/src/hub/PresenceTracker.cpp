#include "hub/PresenceTracker.h"

#include <algorithm>

namespace Natter::Server {

PresenceTracker::PresenceTracker(qint64 graceMs)
    : m_graceMs(graceMs)
{ }

PresenceTracker::Status PresenceTracker::aggregate(const QString &user) const
{
    const auto it = m_connections.constFind(user);
    if (it == m_connections.cend() || it->isEmpty())
        return m_offlineAt.contains(user) ? m_reported.value(user, Status::Offline)
                                          : Status::Offline;
    for (const auto &[connection, s] : *it) {
        if (s == Status::Online)
            return Status::Online;
    }
    return Status::Away;
}

std::optional<PresenceTracker::Status> PresenceTracker::connectionOpened(const QString &user,
                                                                         const QString &connection)
{
    return setStatus(user, connection, Status::Online);
}

std::optional<PresenceTracker::Status>
PresenceTracker::setStatus(const QString &user, const QString &connection, Status status)
{
    Connections &connections = m_connections[user];
    const auto known = std::find_if(connections.begin(), connections.end(),
                                    [&](const auto &entry) { return entry.first == connection; });
    if (known != connections.end())
        known->second = status;
    else
        connections.append({connection, status});
    m_offlineAt.remove(user);
    const Status now = aggregate(user);
    if (m_reported.value(user, Status::Offline) == now)
        return std::nullopt;
    m_reported[user] = now;
    return now;
}

void PresenceTracker::connectionClosed(const QString &user, const QString &connection, qint64 nowMs)
{
    auto it = m_connections.find(user);
    if (it == m_connections.end())
        return;
    it->removeIf([&](const auto &entry) { return entry.first == connection; });
    if (!it->isEmpty())
        return;
    m_connections.erase(it);
    m_offlineAt[user] = nowMs + m_graceMs;
}

QStringList PresenceTracker::takeExpired(qint64 nowMs)
{
    QStringList expired;
    for (auto it = m_offlineAt.begin(); it != m_offlineAt.end();) {
        if (it.value() <= nowMs) {
            expired << it.key();
            m_reported.remove(it.key());
            it = m_offlineAt.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

qint64 PresenceTracker::nextDeadline() const
{
    qint64 next = -1;
    for (const qint64 at : m_offlineAt) {
        if (next < 0 || at < next)
            next = at;
    }
    return next;
}

PresenceTracker::Status PresenceTracker::status(const QString &user) const
{
    if (m_offlineAt.contains(user))
        return m_reported.value(user, Status::Offline);
    return aggregate(user);
}

QString PresenceTracker::toString(Status status)
{
    switch (status) {
    case Status::Online:
        return QStringLiteral("online");
    case Status::Away:
        return QStringLiteral("away");
    case Status::Offline:
        break;
    }
    return QStringLiteral("offline");
}

} // namespace Natter::Server
