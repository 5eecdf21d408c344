// Notices what the admin CLI (another process) or another node (§12) changed in
// the store while natterd runs, and tells the people concerned: channel
// memberships (`channel add/join/leave` → a `channel` frame to everyone whose
// view changed, and the in-memory MembershipCache reloaded), archived channels
// (`channel archive/unarchive` → a `channel` frame to every member) and
// disabled accounts (their sockets closed, 4401).
//
// Owned by ChatHub. Driven by the store's ChangeFeed (SQLite: `data_version`
// polled every 250 ms by the backend, never per frame): on each signal it re-reads
// the memberships, the archived channels and the disabled accounts, and what it
// needs to tell the changes, in one store job; a failed read is retried after 1 s.
#pragma once

#include "hub/MembershipCache.h"
#include "store/MessageStore.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Natter::Server {

class ChatStore;
class Fanout;
class PresenceService;
class SessionRegistry;

class MembershipWatcher : public QObject
{
    Q_OBJECT
public:
    MembershipWatcher(ChatStore *store, MembershipCache *members, Fanout *fanout,
                      PresenceService *presence, const SessionRegistry *sessions,
                      QObject *parent = nullptr);

    // Re-reads memberships and disabled accounts and acts on the differences,
    // in one store job (issue 16: off the event loop on PostgreSQL); `done`
    // (if any) runs once a read started after this call has been applied to
    // the MembershipCache. Also called, outside the feed, by whoever finds the
    // cache behind the store (SessionStarter). At most one read is in flight;
    // calls meanwhile make one more after it.
    void reread(std::function<void()> done = {});

    // What one read found (the job's result).
    struct Read;

private:
    void start();
    void apply(const Read &read, const QList<std::function<void()>> &waiters);
    // Tells those concerned of `change`, with what a job read for it; when
    // that does not cover it, reads the rest in another job first (`lastTry`
    // then: what is still missing is treated as unreadable).
    void announce(const MembershipCache::Change &change, const Read &read, bool lastTry = false);
    // Whether `read` holds all announce() needs for `change` now.
    bool covers(const MembershipCache::Change &change, const Read &read) const;
    // A change of `channel` that moved nobody (its archived state changed).
    static MembershipCache::Change unchangedMembers(const MembershipCache &cache,
                                                    const QString &channel);
    // The users with an authenticated connection here.
    QSet<QString> localUsers() const;
    static Read readAll(ChatStore &store, const MembershipCache &cached,
                        const QSet<QString> &localUsers);
    // One change's details (channel, trailing system messages, the local
    // users' read markers, the members' records) into `read`.
    static void readChange(ChatStore &store, const MembershipCache::Change &change,
                           const QSet<QString> &localUsers, Read *read);
    // The newest run of system messages of `channel` (at most kSystemTail),
    // oldest first: what the admin CLI recorded with a membership change.
    static QList<StoredMessage> trailingSystemMessages(ChatStore &store, const QString &channel);
    static constexpr int kSystemTail = 20;

    ChatStore *m_store;
    MembershipCache *m_members;
    Fanout *m_fanout;
    PresenceService *m_presence;
    const SessionRegistry *m_sessions;
    QTimer m_retry; // after a failed read
    bool m_reading = false;
    bool m_again = false;
    QList<std::function<void()>> m_waiting; // for the next read
};

} // namespace Natter::Server
