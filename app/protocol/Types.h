// Typed values of the Natter wire protocol (docs/protocol.md: v1, and the
// v2 change model of §6/§7).
//
// The codec turns frames into these structs; the connection layer emits them as
// signals; models and widgets only ever see these, never a QJsonObject.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Natter {

enum class PresenceStatus { Offline, Online, Away };

struct User
{
    QString id;
    QString username;
    QString displayName;
    PresenceStatus status = PresenceStatus::Offline;
    QDateTime lastSeen; // invalid when the server never saw the user online
    bool admin = false; // a server admin (§7: may delete any message); false from a v1 server

    QString name() const { return displayName.isEmpty() ? username : displayName; }
    bool operator==(const User &) const = default;
};

enum class ChannelKind { Channel, Direct };
enum class ChannelVisibility { Public, Private, Direct };

// §8 `notify`: which messages of a channel the user wants to be notified about
// (per user, synced across their devices). `All` from a server that does not say.
enum class NotifyLevel { All, Mentions, None };

struct Channel
{
    QString id;
    QString name;
    ChannelKind kind = ChannelKind::Channel;
    QStringList members; // user ids
    qint64 lastSeq = 0;
    qint64 lastReadSeq = 0;
    qint64 lastEv = 0; // §6: the channel's change counter when this object was sent (0 from v1)
    // §7: messages after lastReadSeq whose `mentions` include the signed-in user (0 from v1)
    qint64 mentionCount = 0;
    // §8: what people see about a channel and may do with it (v1: public, no topic,
    // no owner, not archived).
    ChannelVisibility visibility = ChannelVisibility::Public;
    QString topic = {};
    QString owner = {}; // user id; empty for a channel made by the admin CLI
    bool archived = false;
    NotifyLevel notify = NotifyLevel::All; // §8, per user
    bool operator==(const Channel &) const = default;
    bool isArchived() const { return archived; }
};

// §8 `GET /api/v1/channels`: one entry of the channel directory.
struct DirectoryChannel
{
    QString id;
    QString name;
    QString topic = {};
    int memberCount = 0;
    bool archived = false;
    bool member = false; // the caller is in it
    bool operator==(const DirectoryChannel &) const = default;
};

// §8 `channel_removed`: the signed-in user is no longer in a channel.
struct ChannelRemovedEvent
{
    QString ref; // only on the connection that sent `leave`
    QString channel;
    QString reason; // "left" or "removed"
};

enum class MessageKind { User, System };

// §9 `F`: a file attached to a message, as the server describes it. The bytes
// are fetched from GET /api/v1/files/<id> (FileDownloader), never from anywhere else.
struct Attachment
{
    QString id;
    QString name; // base name only (§9), at most 255 bytes
    qint64 size = 0; // bytes
    QString mime; // detected by the server from the content
    int width = 0; // images: pixels; 0 when the server did not say
    int height = 0;
    bool thumbnail = false; // GET /api/v1/files/<id>/thumbnail exists
    bool isImage() const { return thumbnail || (width > 0 && height > 0); }
    bool operator==(const Attachment &) const = default;
};

// §7 `R`: what a reply quotes, as the server serialized it. A client holding the
// target shows its own current copy instead (MessageListModel does).
struct ReplyRef
{
    QString id;
    qint64 seq = 0;
    QString author; // user id
    QString excerpt; // first 200 code points of the target's text; "" once deleted
    bool deleted = false;
    bool operator==(const ReplyRef &) const = default;
};

// §7 `X`: one distinct emoji on a message, with everyone who reacted with it.
struct Reaction
{
    QString emoji;
    int count = 0; // = users.size() from a conforming server
    QStringList users; // user ids
    bool operator==(const Reaction &) const = default;
};

struct Message
{
    QString id;
    QString channel;
    qint64 seq = 0;
    QString author; // user id
    QString text; // "" for a tombstone
    QDateTime ts;
    QString clientMsgId;
    // §6 v2 fields. A v1 server sends none of them: rev and ev stay 0.
    MessageKind kind = MessageKind::User;
    qint64 rev = 0; // the message's own version: 1 when created, +1 per change
    qint64 ev = 0; // the channel ev of its latest change
    QDateTime editedAt = {}; // invalid = never edited
    bool deleted = false; // a tombstone (§7 delete)
    QStringList mentions = {}; // user ids (§7: computed by the server)
    std::optional<ReplyRef> replyTo = {}; // §7 `R`: nullopt when not a reply
    QList<Reaction> reactions = {}; // §7 `X`, in order of first use
    QList<Attachment> attachments = {}; // §9 `F`, in the order given in `send`; none once deleted
    // §7 `S` of a system message (kind System): {"event", "users"?, "name"?,
    // "topic"?}; empty for a user's message. Rendered in the user's language.
    QJsonObject system = {};
    bool operator==(const Message &) const = default;
    bool mentionsUser(const QString &userId) const { return mentions.contains(userId); }
};

// `connected`: the snapshot the server sends after a successful authenticate.
struct ConnectedEvent
{
    User self;
    QString connectionId;
    int heartbeatIntervalSecs = 20;
    QDateTime serverTime;
    QList<Channel> channels;
    QList<User> users;
    int protocol = 1; // §6: "protocol":2 from a v2 server; absent (1) from a v1 server
};

struct AckEvent
{
    QString ref;
    QString clientMsgId;
    Message message;
};

enum class TypingState { Start, Stop };

struct TypingEvent
{
    QString channel;
    QString user;
    TypingState state = TypingState::Stop;
    int expiresInMs = 0; // only on Start
};

struct PresenceEvent
{
    QString user;
    PresenceStatus status = PresenceStatus::Offline;
    QDateTime lastSeen;
};

struct HistoryEvent
{
    QString ref;
    QString channel;
    QList<Message> messages; // oldest first
    bool hasMore = false;
};

struct ReadEvent
{
    QString channel;
    QString user;
    qint64 seq = 0;
};

struct ChannelEvent
{
    QString ref;
    Channel channel; // without the signed-in user in `members`: they left it
    QList<User> users; // people the channel introduces (may be empty)
};

struct ErrorEvent
{
    QString ref;
    // bad_request, unknown_type, not_member, not_found, too_large, rate_limited; v2 (§7):
    // forbidden, too_many_reactions, edit_window_expired, archived, name_taken, bad_query
    QString code;
    QString message;
};

struct AuthFailedEvent
{
    QString reason; // authentication_required, invalid_token, token_expired
};

// `resumed`: the replay that follows `connected` is complete.
struct ResumedEvent
{
};

// A `message` frame: a message from another connection, live or replayed.
struct MessageEvent
{
    Message message;
};

// `pong`: the answer to an application-level `ping`.
struct PongEvent
{
    QString ref;
};

// §6 `message_updated`: the whole current state of a message that changed.
enum class MessageChange { Edit, Delete, Reaction, Other };

struct MessageUpdatedEvent
{
    QString ref; // only on the connection that sent the edit/delete
    MessageChange change = MessageChange::Other; // Other: a change this client does not know
    Message message;
    // Never on the wire: the copy the client held before this update, when it held
    // one (ConnectionManager fills it from its cache). §7's mention rule needs it.
    std::optional<Message> previous = {};
};

// §6 `resync`: too much changed in a channel while we were away; reload it.
struct ResyncEvent
{
    QString channel;
    QString reason; // "too_many_changes"; "no_last_ev" when the client reloads on its own
};

// A client-side message waiting in the outbox (not yet acknowledged by the server).
struct OutgoingMessage
{
    enum class State { Pending, Failed };

    QString clientMsgId;
    QString channel;
    QString text;
    QDateTime createdAt;
    State state = State::Pending;
    QString error; // plain words, set when Failed
    QString replyTo = {}; // §7 send.reply_to: the id of the message answered (empty: none)
    bool operator==(const OutgoingMessage &) const = default;
};

} // namespace Natter

Q_DECLARE_METATYPE(Natter::User)
Q_DECLARE_METATYPE(Natter::Channel)
Q_DECLARE_METATYPE(Natter::Message)
Q_DECLARE_METATYPE(Natter::ConnectedEvent)
Q_DECLARE_METATYPE(Natter::AckEvent)
Q_DECLARE_METATYPE(Natter::TypingEvent)
Q_DECLARE_METATYPE(Natter::PresenceEvent)
Q_DECLARE_METATYPE(Natter::HistoryEvent)
Q_DECLARE_METATYPE(Natter::ReadEvent)
Q_DECLARE_METATYPE(Natter::ChannelEvent)
Q_DECLARE_METATYPE(Natter::ErrorEvent)
Q_DECLARE_METATYPE(Natter::AuthFailedEvent)
Q_DECLARE_METATYPE(Natter::ResumedEvent)
Q_DECLARE_METATYPE(Natter::MessageEvent)
Q_DECLARE_METATYPE(Natter::PongEvent)
Q_DECLARE_METATYPE(Natter::MessageUpdatedEvent)
Q_DECLARE_METATYPE(Natter::ResyncEvent)
Q_DECLARE_METATYPE(Natter::ChannelRemovedEvent)
Q_DECLARE_METATYPE(Natter::DirectoryChannel)
Q_DECLARE_METATYPE(Natter::OutgoingMessage)
Q_DECLARE_METATYPE(Natter::ReplyRef)
Q_DECLARE_METATYPE(Natter::Reaction)
Q_DECLARE_METATYPE(Natter::Attachment)
