// Typed values of the Natter wire protocol v1 (shared/PROTOCOL.md).
//
// The codec turns frames into these structs; the connection layer emits them as
// signals; models and widgets only ever see these, never a QJsonObject.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Natter {

enum class PresenceStatus { Offline, Online, Away };

struct User
{
    QString id;
    QString username;
    QString displayName;
    PresenceStatus status = PresenceStatus::Offline;
    QDateTime lastSeen; // invalid when the server never saw the user online

    QString name() const { return displayName.isEmpty() ? username : displayName; }
    bool operator==(const User &) const = default;
};

enum class ChannelKind { Channel, Direct };

struct Channel
{
    QString id;
    QString name;
    ChannelKind kind = ChannelKind::Channel;
    QStringList members; // user ids
    qint64 lastSeq = 0;
    qint64 lastReadSeq = 0;
    bool operator==(const Channel &) const = default;
};

struct Message
{
    QString id;
    QString channel;
    qint64 seq = 0;
    QString author; // user id
    QString text;
    QDateTime ts;
    QString clientMsgId;
    bool operator==(const Message &) const = default;
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
    QString code; // bad_request, unknown_type, not_member, not_found, too_large, rate_limited
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
Q_DECLARE_METATYPE(Natter::OutgoingMessage)
