// The frames a client sends after `authenticate` (contract §3, §7), decoded.
//
// ServerCodec::decode() turns every text frame into exactly one alternative of
// ClientFrame; ChatFrameHandler dispatches them with an exhaustive std::visit, so
// adding an alternative without a handler does not compile. Fields a client may
// omit or get wrong are std::optional (nullopt: absent or of the wrong JSON type);
// the handler decides the error, in the order the contract gives (§13).
#pragma once

#include "hub/PresenceTracker.h"

#include <QHash>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace Natter::Server::ClientFrame {

struct Send
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> clientMsgId;
    std::optional<QString> text;
    // §7: the message this one replies to (nullopt: no reply; "" when
    // `reply_to` was not a string).
    std::optional<QString> replyTo;
    // §9: ids of files to attach (empty when absent); false when `attachments`
    // was there but not an array of strings.
    QStringList attachments{};
    bool attachmentsValid = true;
};

struct Typing
{
    enum class State { Start, Stop };
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<State> state; // nullopt: neither "start" nor "stop"
};

struct Presence
{
    QJsonValue ref;
    std::optional<PresenceTracker::Status> status; // online or away only
};

struct History
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<qint64> beforeSeq;
    std::optional<qint64> limit;
    bool numbersValid = true; // false: before_seq or limit present but not a number
};

struct Read
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<qint64> seq;
};

struct Dm
{
    QJsonValue ref;
    std::optional<QString> user;
};

// §7 `edit`: the author replaces the text of one of their messages.
struct Edit
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> id;
    std::optional<QString> text;
};

// §7 `delete`: the author or an admin turns a message into a tombstone.
struct Delete
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> id;
};

// §7 `react`: the sender adds (on) or removes (!on) a reaction to a message.
struct React
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> id;
    std::optional<QString> emoji;
    std::optional<bool> on; // nullopt: absent or not a bool
};

// §8 channels people create themselves. Handled by ChannelFrameHandler.
struct ChannelCreate
{
    QJsonValue ref;
    std::optional<QString> name;
    std::optional<QString> visibility;
    std::optional<QString> topic; // nullopt: absent (or not a string: topicValid false)
    std::optional<QStringList> members; // nullopt: absent (or invalid: membersValid false)
    bool topicValid = true;
    bool membersValid = true;
};

struct Join
{
    QJsonValue ref;
    std::optional<QString> channel;
};

struct Leave
{
    QJsonValue ref;
    std::optional<QString> channel;
};

struct Invite
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QStringList> users; // nullopt: absent or not an array of strings
};

struct ChannelUpdate
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> name; // nullopt: absent (or not a string: valid false)
    std::optional<QString> topic;
    bool valid = true;
};

struct Archive
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<bool> archived;
};

struct Notify
{
    QJsonValue ref;
    std::optional<QString> channel;
    std::optional<QString> level;
};

struct Ping
{
    QJsonValue ref;
};

// A frame whose `type` this server does not know (`unknown_type`).
struct Unknown
{
    QJsonValue ref;
};

// Not a JSON object, or no string `type` (`bad_request`, counts as abuse).
struct Malformed
{
    enum class Reason { NotAnObject, NoType };
    QJsonValue ref;
    Reason reason = Reason::NotAnObject;
};

} // namespace Natter::Server::ClientFrame

namespace Natter::Server {

using ClientFrameVariant =
    std::variant<ClientFrame::Send, ClientFrame::Typing, ClientFrame::Presence,
                 ClientFrame::History, ClientFrame::Read, ClientFrame::Dm, ClientFrame::Edit,
                 ClientFrame::Delete, ClientFrame::React, ClientFrame::ChannelCreate,
                 ClientFrame::Join, ClientFrame::Leave, ClientFrame::Invite,
                 ClientFrame::ChannelUpdate, ClientFrame::Archive, ClientFrame::Notify,
                 ClientFrame::Ping, ClientFrame::Unknown, ClientFrame::Malformed>;

// The first frame of a connection (contract §2).
struct AuthenticateFrame
{
    std::optional<QString> token; // nullopt: missing or not a string
    QHash<QString, qint64> resume; // channel -> last seq the client holds (numbers only)
    QHash<QString, qint64> resumeEv; // §6: channel -> last ev the client has applied
};

} // namespace Natter::Server
