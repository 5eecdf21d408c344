// The Natter wire codec (v1 and the v2 additions) (docs/protocol.md): text frame <-> typed
// structs.
//
// Pure functions, no QObject and no state, so the decoder can be fed millions of
// mutated frames in a test and benchmarked alone. Decoding never throws and never
// crashes: anything that is not a well-formed server frame comes back as a
// DecodeError the caller logs and skips.
#pragma once

#include "Types.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <variant>

namespace Natter {

struct DecodeError
{
    enum class Kind {
        Malformed, // not JSON, not an object, or a required field missing / of the wrong type
        UnknownType, // a well-formed object whose "type" this client does not know
    };
    Kind kind = Kind::Malformed;
    QString type; // the frame's "type" when there was one
    QString detail; // what was wrong, for the log (never the frame itself: it may hold text)
};

// Every frame a server may send, decoded. The index order is not part of the API.
using ServerEvent =
    std::variant<DecodeError, ConnectedEvent, AuthFailedEvent, ResumedEvent, MessageEvent, AckEvent,
                 TypingEvent, PresenceEvent, ReadEvent, HistoryEvent, ChannelEvent, ErrorEvent,
                 PongEvent, MessageUpdatedEvent, ResyncEvent, ChannelRemovedEvent>;

namespace Codec {

// Decodes one UTF-8 text frame.
ServerEvent decode(QByteArrayView frame);
ServerEvent decode(const QString &frame);

// Client frames, compact UTF-8 JSON ready for QWebSocket::sendTextMessage().
// `token` may be empty: then the frame carries no "token" (used when the token
// travels in the handshake instead, see ConnectionManager::AuthMethod).
// `resumeEv` (§6 `resume_ev`) is left out when empty.
QByteArray encodeAuthenticate(const QString &token, const QString &clientName,
                              const QString &clientVersion, const QHash<QString, qint64> &resume,
                              const QHash<QString, qint64> &resumeEv = {});
// `replyTo` (§7 send.reply_to) is left out when empty.
QByteArray encodeSend(const QString &ref, const QString &channel, const QString &clientMsgId,
                      const QString &text, const QString &replyTo = {});
QByteArray encodeEdit(const QString &ref, const QString &channel, const QString &id,
                      const QString &text);
QByteArray encodeDelete(const QString &ref, const QString &channel, const QString &id);
// §7 react: adds (`on`) or removes the sender's `emoji` on message `id`.
QByteArray encodeReact(const QString &ref, const QString &channel, const QString &id,
                       const QString &emoji, bool on);
QByteArray encodeTyping(const QString &channel, TypingState state);
QByteArray encodePresence(PresenceStatus status);
// beforeSeq <= 0 and limit <= 0 leave the field out (server defaults).
QByteArray encodeHistory(const QString &ref, const QString &channel, qint64 beforeSeq, int limit);
QByteArray encodeRead(const QString &channel, qint64 seq);
QByteArray encodeDm(const QString &ref, const QString &userId);
// §8 notify: the signed-in user's notification level for `channel`.
QByteArray encodeNotify(const QString &ref, const QString &channel, NotifyLevel level);
QByteArray encodePing(const QString &ref);
// §8 channel actions. `topic` and `members` of channel_create are left out when
// empty; channel_update carries only the fields given (nullopt: unchanged).
QByteArray encodeChannelCreate(const QString &ref, const QString &name, bool isPrivate,
                               const QString &topic, const QStringList &members);
QByteArray encodeJoin(const QString &ref, const QString &channel);
QByteArray encodeLeave(const QString &ref, const QString &channel);
QByteArray encodeInvite(const QString &ref, const QString &channel, const QStringList &users);
QByteArray encodeChannelUpdate(const QString &ref, const QString &channel,
                               const std::optional<QString> &name,
                               const std::optional<QString> &topic);
QByteArray encodeArchive(const QString &ref, const QString &channel, bool archived);
// §8's name rule, `[a-z0-9][a-z0-9_-]{0,63}`: what the server accepts for a channel name.
bool isValidChannelName(const QString &name);
// §8 directory answers (`{"channels":[...]}` / `{"users":[...]}`), lenient: a
// malformed entry is skipped. `next` gets the cursor (empty: last page).
QList<DirectoryChannel> directoryChannelsFromJson(const QJsonObject &page, QString *next);
QList<User> directoryUsersFromJson(const QJsonObject &page, QString *next);

// Server-side encoders of the same structs, used by in-test peers and benchmarks,
// so both directions are spelled in exactly one place.
QByteArray encodeMessageFrame(const Message &message);
QByteArray encodeAckFrame(const AckEvent &ack);
QByteArray encodeConnectedFrame(const ConnectedEvent &event);
QByteArray encodeHistoryFrame(const HistoryEvent &event);
QByteArray encodeMessageUpdatedFrame(const MessageUpdatedEvent &event);
QByteArray encodeResyncFrame(const ResyncEvent &event);
// A message with rev > 0 is written with every v2 field (§6), else as v1.
QJsonObject messageToJson(const Message &message);
// A message object M on its own (§10 search results carry them outside any
// frame); nullopt when it is malformed.
std::optional<Message> messageFromJson(const QJsonValue &value);
QString changeToString(MessageChange change);
// §7 `R` and `X` on their own (the local cache keeps them as this JSON too).
// The readers are lenient: a malformed entry is skipped, never the message.
QJsonObject replyRefToJson(const ReplyRef &reply);
std::optional<ReplyRef> replyRefFromJson(const QJsonValue &value);
QJsonArray reactionsToJson(const QList<Reaction> &reactions);
QList<Reaction> reactionsFromJson(const QJsonValue &value);
QJsonObject channelToJson(const Channel &channel);
// §9 `F` and a message's `attachments`; lenient like reactions: an entry without
// an id is skipped, never the message.
QJsonObject attachmentToJson(const Attachment &file);
std::optional<Attachment> attachmentFromJson(const QJsonValue &value);
QJsonArray attachmentsToJson(const QList<Attachment> &files);
QList<Attachment> attachmentsFromJson(const QJsonValue &value);

QString presenceToString(PresenceStatus status);
// §8: "all", "mentions", "none". Anything else reads as `All` (the default).
QString notifyLevelToString(NotifyLevel level);
NotifyLevel notifyLevelFromString(const QString &text);
QString typingToString(TypingState state);
// RFC 3339 UTC with milliseconds, "2026-11-21T19:43:33.327Z".
QString timeToString(const QDateTime &time);
QDateTime timeFromString(const QString &text);

} // namespace Codec
} // namespace Natter
