#include "MembershipCache.h"

#include <algorithm>

namespace Natter {

MembershipCache::MembershipCache(std::function<QStringList(const QString &)> load)
    : m_load(std::move(load))
{ }

QStringList MembershipCache::members(const QString &channel)
{
    if (const auto it = m_members.constFind(channel); it != m_members.cend())
        return *it;
    QStringList loaded = m_load(channel);
    if (loaded.isEmpty())
        return loaded;
    loaded.sort();
    m_members.insert(channel, loaded);
    return loaded;
}

bool MembershipCache::contains(const QString &channel, const QString &user)
{
    const QStringList list = members(channel);
    return std::binary_search(list.cbegin(), list.cend(), user);
}

} // namespace Natter
