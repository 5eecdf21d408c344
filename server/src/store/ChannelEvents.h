// The one code path for channel events (§7 system messages, §8): each call
// changes the channel through the ChatStore and records the event as a system
// message in the same batch, so the protocol frames (ChannelFrameHandler) and
// the admin CLI (`natterd channel add/join/leave`) store exactly the same thing
// (the CLI calls record() itself). The callers run each event in a
// ChatStore::Atomic, so its writes are stored together or not at all, and
// another node's MembershipWatcher, told of the membership, finds the message
// that goes with it (it sends it to the newcomers; §12). New members are still
// written after the message, as they were when each PostgreSQL write
// committed on its own.
//
// Plain functions over a ChatStore; telling live clients is the caller's job
// (ChannelFrameHandler directly, MembershipWatcher for the admin CLI's writes).
#pragma once

#include "store/ChatStore.h"

#include <optional>

namespace Natter::Server {

class ChannelEvents
{
public:
    // §7 S events.
    static constexpr const char *kCreated = "created";
    static constexpr const char *kJoined = "joined";
    static constexpr const char *kLeft = "left";
    static constexpr const char *kInvited = "invited";
    static constexpr const char *kRenamed = "renamed";
    static constexpr const char *kTopic = "topic";
    static constexpr const char *kArchived = "archived";
    static constexpr const char *kUnarchived = "unarchived";

    // Appends a system message (kind "system", author the actor, text "") with
    // S = {"event", "users"?, "name"?, "topic"?}; it takes the channel's next seq.
    static StoreResult<StoredMessage> record(ChatStore *store, const QString &channel,
                                             const QString &actor, const char *event,
                                             const std::optional<QStringList> &users = {},
                                             const std::optional<QString> &name = {},
                                             const std::optional<QString> &topic = {});
    // Adds the channel with its members and records `created` (users: the
    // members besides the owner/actor). Conflict (reason in `error`): name taken.
    static StoreResult<StoredMessage> create(ChatStore *store, const StoredChannel &channel,
                                             const QString &actor, QString *error);
    // Adds `users` (not yet members) and records `joined` (the actor joined
    // alone) or `invited`.
    static StoreResult<StoredMessage> add(ChatStore *store, const QString &channel,
                                          const QString &actor, const QStringList &users);
    // Records `left` with the user and removes the user.
    static StoreResult<StoredMessage> remove(ChatStore *store, const QString &channel,
                                             const QString &actor, const QString &user);
};

} // namespace Natter::Server
