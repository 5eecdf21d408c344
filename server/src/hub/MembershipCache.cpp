#include "hub/MembershipCache.h"

#include <algorithm>

namespace Natter::Server {

QList<MembershipCache::Change> MembershipCache::reload(QHash<QString, QStringList> memberships)
{
    QList<Change> changes;
    for (auto it = memberships.begin(); it != memberships.end(); ++it) {
        it->sort();
        const QStringList before = m_members.value(it.key());
        if (before != *it)
            changes.append({it.key(), before, *it});
    }
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        if (!memberships.contains(it.key()))
            changes.append({it.key(), *it, {}});
    }
    m_members = std::move(memberships);
    return changes;
}

void MembershipCache::setMembers(const QString &channel, QStringList members)
{
    members.sort();
    m_members.insert(channel, members);
}

QStringList MembershipCache::reloadArchived(const QStringList &archived)
{
    QSet<QString> now(archived.cbegin(), archived.cend());
    QStringList changed;
    if (m_archivedKnown) {
        for (const QString &channel : std::as_const(now)) {
            if (!m_archived.contains(channel))
                changed << channel;
        }
        for (const QString &channel : std::as_const(m_archived)) {
            if (!now.contains(channel))
                changed << channel;
        }
    }
    m_archived = std::move(now);
    m_archivedKnown = true;
    return changed;
}

void MembershipCache::setArchived(const QString &channel, bool archived)
{
    if (archived)
        m_archived.insert(channel);
    else
        m_archived.remove(channel);
}

bool MembershipCache::contains(const QString &channel, const QString &user) const
{
    const auto it = m_members.constFind(channel);
    return it != m_members.cend() && std::binary_search(it->cbegin(), it->cend(), user);
}

} // namespace Natter::Server
