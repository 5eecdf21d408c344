// Aggregates a user's presence over all their connections (contract §3, §5).
//
// Plain policy class, time passed in (ms, monotonic). A user is online while any
// connection is online, away when all are away, and offline only `graceMs`
// after the last connection closed, so a quick reconnect does not flap.
// Every mutator returns the user's new aggregate status when it changed.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace Natter::Server {

class PresenceTracker
{
public:
    enum class Status { Offline, Online, Away };

    explicit PresenceTracker(qint64 graceMs = 5000);

    std::optional<Status> connectionOpened(const QString &user, const QString &connection);
    std::optional<Status> setStatus(const QString &user, const QString &connection, Status status);
    // The last connection closing starts the grace period; it never changes the
    // status by itself.
    void connectionClosed(const QString &user, const QString &connection, qint64 nowMs);
    // Users whose grace period ended by `nowMs`; they are now offline.
    QStringList takeExpired(qint64 nowMs);
    // When the next grace period ends (-1 when none is running).
    qint64 nextDeadline() const;

    Status status(const QString &user) const;

    static QString toString(Status status);

private:
    // A user's connections and their statuses: a handful per user, so a list
    // (a QHash per user cost ~1.5 KB of idle memory, docs/benchmarks.md).
    using Connections = QList<std::pair<QString, Status>>;

    Status aggregate(const QString &user) const;

    qint64 m_graceMs;
    QHash<QString, Connections> m_connections; // user -> (connection, status)
    QHash<QString, Status> m_reported; // last aggregate announced
    QHash<QString, qint64> m_offlineAt; // user -> grace deadline
};

} // namespace Natter::Server
