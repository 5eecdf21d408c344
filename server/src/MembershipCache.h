// Who is in which channel, as the hub needs it on every send, typing frame
// and membership check.
//
// Owned by ChatHub. Reading the members from SQLite for each of those cost
// about a tenth of natterd's time at 1,000 messages/s (docs/benchmarks.md), and
// memberships change rarely: in-process only when a direct channel is created
// (a new channel, not cached yet), otherwise through the admin CLI, which the
// hub notices through the store's external-change stamp and answers with clear().
#pragma once

#include <QHash>
#include <QStringList>

#include <functional>

namespace Natter {

class MembershipCache
{
public:
    // `load` returns a channel's member ids; an empty list means no such channel
    // (or nobody in it) and is not kept, so unknown ids cannot grow the cache.
    explicit MembershipCache(std::function<QStringList(const QString &)> load);

    // The channel's members, sorted.
    QStringList members(const QString &channel);
    bool contains(const QString &channel, const QString &user);
    // Forgets everything; the next lookups read the store again.
    void clear() { m_members.clear(); }

private:
    std::function<QStringList(const QString &)> m_load;
    QHash<QString, QStringList> m_members;
};

} // namespace Natter
