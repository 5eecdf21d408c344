// natterd's in-memory copy of the memberships table: who is in which channel.
//
// Owned by ChatHub. Every send, typing frame and membership check needs it;
// reading it from SQLite each time cost about a tenth of natterd's time at
// 1,000 messages/s (docs/benchmarks.md). Memberships change in this process
// only when a direct channel is created (setMembers); the admin CLI changes
// them from another process, which the hub notices through the store's
// external-change stamp and answers with reload(), whose result says whose
// channel list to update.
#pragma once

#include <QHash>
#include <QList>
#include <QStringList>

namespace Natter::Server {

class MembershipCache
{
public:
    struct Change
    {
        QString channel;
        QStringList before; // sorted; empty for a new channel
        QStringList after; // sorted; empty for a channel nobody is in any more
    };

    // Replaces the whole copy (channel id -> member ids) and returns the
    // channels whose member list differs from before.
    QList<Change> reload(QHash<QString, QStringList> memberships);
    // A channel this process created (or changed).
    void setMembers(const QString &channel, QStringList members);

    // The channel's members, sorted; empty for an unknown channel.
    QStringList members(const QString &channel) const { return m_members.value(channel); }
    bool contains(const QString &channel, const QString &user) const;

private:
    QHash<QString, QStringList> m_members;
};

} // namespace Natter::Server
