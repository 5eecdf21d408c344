// The storage seam of natterd: everything the protocol code needs to persist,
// by aggregate (UserStore, ChannelStore, MessageStore, RefreshTokenStore,
// SearchStore, FileStore), plus
// the store's lifecycle, write batching and change feed.
//
// One implementation today (SqliteChatStore); a PostgreSQL backend would be a
// second one, without touching the hub, AuthService or the HTTP handlers, and
// is accepted when it passes tst_ChatStoreContract. Callers that need one
// aggregate only may take that interface.
//
// Writes are batched: a write opens a transaction if none is open, and the
// store commits once per event-loop turn. Callers that must not tell anyone
// about a write before it is durable (the `ack`, the fan-out) queue their
// continuation with whenDurable(); it runs right after the commit.
#pragma once

#include "store/ChangeFeed.h"
#include "store/ChannelStore.h"
#include "store/FileStore.h"
#include "store/MessageStore.h"
#include "store/RefreshTokenStore.h"
#include "store/SearchStore.h"
#include "store/UserStore.h"

#include <QString>

#include <functional>

namespace Natter::Server {

// The aggregates are virtual bases so that a backend can implement each in a
// class of its own and combine them (see SqliteChatStore).
class ChatStore : public virtual UserStore,
                  public virtual ChannelStore,
                  public virtual MessageStore,
                  public virtual RefreshTokenStore,
                  public virtual SearchStore,
                  public virtual FileStore
{
public:
    ~ChatStore() override = default;

    // Opens (creating or migrating) the store. False with a reason on failure.
    virtual bool open(QString *error) = 0;
    virtual void close() = 0;
    // Commits the open batch now (also done automatically once per event-loop turn)
    // and runs the queued whenDurable() continuations.
    virtual bool flush() = 0;
    // Runs `done` once everything written so far is committed (at once if nothing is pending).
    virtual void whenDurable(std::function<void()> done) = 0;

    // Signals that another process (the admin CLI) committed to the store, so
    // the server reacts to `user disable` or `channel join` while running.
    // Owned by the store; valid for its lifetime, live while it is open.
    virtual ChangeFeed *changeFeed() = 0;

    // A new message with the files it carries (§9): both stored, or neither.
    // The answers are appendMessage()'s (Conflict: the client_msg_id is taken)
    // and attachFiles()'s (NotFound: a file cannot be attached). This default
    // relies on write batching (SQLite: one batch holds both); a store whose
    // writes commit one by one (PostgreSQL) overrides it with one transaction.
    virtual StoreResult<void> appendMessageWithFiles(StoredMessage *message,
                                                     const QStringList &fileIds)
    {
        if (StoreResult<void> appended = appendMessage(message); !appended)
            return appended;
        if (fileIds.isEmpty())
            return {};
        return attachFiles(message->id, message->channel, message->author, fileIds);
    }
};

} // namespace Natter::Server
