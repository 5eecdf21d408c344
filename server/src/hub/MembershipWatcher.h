// Notices what the admin CLI (another process) changed in the store while natterd
// runs, and tells the people concerned: channel memberships (`channel add/join/
// leave` → a `channel` frame to everyone whose view changed, and the in-memory
// MembershipCache reloaded) and disabled accounts (their sockets closed, 4401).
//
// Owned by ChatHub. It polls the store's external-change stamp once a second and
// before each accepted client frame (checkNow()), so an admin command holds for
// the very next frame; a ChangeFeed owned by the store replaces the polling once
// the storage layer provides one.
#pragma once

#include "hub/MembershipCache.h"

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

    // Looks at the store now (cheap when nothing changed).
    void checkNow();

private:
    void announce(const MembershipCache::Change &change);

    ChatStore *m_store;
    MembershipCache *m_members;
    Fanout *m_fanout;
    PresenceService *m_presence;
    const SessionRegistry *m_sessions;
    QTimer m_poll;
    qint64 m_changeStamp = 0;
};

} // namespace Natter::Server
