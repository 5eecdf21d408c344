// Notices what the admin CLI (another process) changed in the store while natterd
// runs, and tells the people concerned: channel memberships (`channel add/join/
// leave` → a `channel` frame to everyone whose view changed, and the in-memory
// MembershipCache reloaded) and disabled accounts (their sockets closed, 4401).
//
// Owned by ChatHub. Driven by the store's ChangeFeed (SQLite: `data_version`
// polled every 250 ms by the backend, never per frame): on each signal it re-reads
// the memberships and the disabled accounts; a failed read is retried after 1 s.
#pragma once

#include "hub/MembershipCache.h"
#include "store/MessageStore.h"

#include <QObject>
#include <QTimer>

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

    // Re-reads memberships and disabled accounts and acts on the differences.
    // Also called, outside the feed, by whoever finds the cache behind the
    // store (SessionStarter).
    void reread();

private:
    void announce(const MembershipCache::Change &change);
    // The newest run of system messages of `channel` (at most kSystemTail),
    // oldest first: what the admin CLI recorded with a membership change.
    QList<StoredMessage> trailingSystemMessages(const QString &channel);
    static constexpr int kSystemTail = 20;

    ChatStore *m_store;
    MembershipCache *m_members;
    Fanout *m_fanout;
    PresenceService *m_presence;
    const SessionRegistry *m_sessions;
    QTimer m_retry; // after a failed read
};

} // namespace Natter::Server
