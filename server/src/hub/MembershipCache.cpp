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

bool MembershipCache::contains(const QString &channel, const QString &user) const
{
    const auto it = m_members.constFind(channel);
    return it != m_members.cend() && std::binary_search(it->cbegin(), it->cend(), user);
}

} // namespace Natter::Server
