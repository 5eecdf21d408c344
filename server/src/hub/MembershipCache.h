// natterd's in-memory copy of the memberships table: who is in which channel.
//
// Owned by ChatHub. Every send, typing frame and membership check needs it;
// reading it from SQLite each time cost about a tenth of natterd's time at
// 1,000 messages/s (docs/benchmarks.md). Memberships change in this process
// only when a direct channel is created (setMembers); the admin CLI changes
// them from another process, which the hub notices through the store's
// external-change stamp and answers with reload(), whose result says whose
// channel list to update. It also keeps which channels are archived, for the
// same purpose: `natterd channel archive` changes no membership, so the watcher
// notices it by reloadArchived()'s difference.
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
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

    // Replaces the set of archived channels and returns the channels whose
    // archived state differs from before; nothing the first time (natterd
    // has told nobody anything yet).
    QStringList reloadArchived(const QStringList &archived);
    // A channel this process archived or unarchived (the `archive` frame).
    void setArchived(const QString &channel, bool archived);

    // The channel's members, sorted; empty for an unknown channel.
    QStringList members(const QString &channel) const { return m_members.value(channel); }
    bool contains(const QString &channel, const QString &user) const;

private:
    QHash<QString, QStringList> m_members;
    QSet<QString> m_archived;
    bool m_archivedKnown = false;
};

} // namespace Natter::Server
