// natterd's side of the wire: the records and frames of the contract, built from
// stored records, and the client frames, decoded.
//
// Plain class of static functions, shared by the hub and the HTTP handlers. Every
// outgoing frame has one function here (ending in `Frame`, returning the encoded
// bytes, so a frame fanned out to many receivers is encoded once), and every
// field name of the contract is spelled here and nowhere else.
#pragma once

#include "hub/ClientFrame.h"
#include "store/ChatStore.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace Natter::Server {

class ServerCodec
{
public:
    // Announced in `connected` and GET /api/v1/health (§6).
    static constexpr int kProtocolVersion = 2;
    enum class Change { Edit, Delete, Reaction };
    // §7 R: how much of a reply's target text the excerpt carries.
    static constexpr qsizetype kExcerptCodePoints = 200;

    // --- records (§2, §3) ---
    static QString timestamp(const QDateTime &dt); // RFC 3339 UTC with ms, or ""
    static QJsonObject message(const StoredMessage &m);
    static QJsonObject replyTo(const StoredReplyTarget &t); // §7 R
    static QJsonArray reactions(const QList<StoredReaction> &list); // §7 [X...]
    static QJsonObject file(const StoredFile &f); // §9 F
    // The topic is sent as oneLineTopic() whatever is stored: rows from before
    // session 21 and imported data may hold what channel frames now refuse.
    static QJsonObject channel(const StoredChannel &c);
    // §8 the directory's shorter form.
    static QJsonObject directoryEntry(const StoredDirectoryEntry &e);
    static QJsonObject user(const StoredUser &u);
    // A topic is one line of text shown beside the channel's name: control
    // characters (newlines, ESC, NUL) and the line and paragraph separators
    // (U+2028, U+2029) become spaces, and the bidi embeddings, overrides and
    // isolates that can make "gnp.exe" read "exe.png" are dropped, as they are
    // from file names (an audit found them stored and relayed as sent).
    static QString oneLineTopic(const QString &raw);
    // §7 S of a system message as stored (its `topic` one line, above); null
    // for every other message and for tombstones.
    static QJsonValue systemObject(const StoredMessage &m);
    static QJsonObject userWithPresence(const StoredUser &u, const QString &status,
                                        const QDateTime &lastSeen);
    // The body of GET /api/v1/health.
    static QJsonObject health();

    // --- frames the server sends ---
    static QByteArray authFailedFrame(const QString &reason);
    static QByteArray connectedFrame(const QJsonObject &self, const QString &connectionId,
                                     qint64 heartbeatIntervalMs, const QJsonArray &channels,
                                     const QJsonArray &users);
    static QByteArray resumedFrame();
    static QByteArray ackFrame(const QJsonValue &ref, const StoredMessage &m);
    static QByteArray messageFrame(const StoredMessage &m);
    // The same frames around `M` encoded once (messageJson): a send's `ack` and
    // its fan-out `message` share one encoding of the message instead of two
    // (docs/benchmarks.md, "Lighter and faster"). Byte for byte what the two
    // functions above produce.
    static QByteArray messageJson(const StoredMessage &m);
    static QByteArray ackFrame(const QJsonValue &ref, const QString &clientMsgId,
                               const QByteArray &messageJson);
    static QByteArray messageFrame(const QByteArray &messageJson);
    // §6: `ref` only on the connection whose frame caused the change (undefined: none).
    static QString changeName(Change change);
    static QByteArray messageUpdatedFrame(const QJsonValue &ref, Change change,
                                          const StoredMessage &m);
    static QByteArray resyncFrame(const QString &channel);
    static QByteArray typingStartFrame(const QString &channel, const QString &user,
                                       qint64 expiresInMs);
    static QByteArray typingStopFrame(const QString &channel, const QString &user);
    static QByteArray presenceFrame(const QString &user, const QString &status,
                                    const QDateTime &lastSeen);
    static QByteArray historyFrame(const QJsonValue &ref, const QString &channel,
                                   const QList<StoredMessage> &messages, bool hasMore);
    static QByteArray readFrame(const QString &channel, const QString &user, qint64 seq);
    // `users` (people the receiver may not know yet) is left out when nullopt.
    static QByteArray channelFrame(const QJsonValue &ref, const QJsonObject &channel,
                                   const std::optional<QJsonArray> &users);
    // §8: the receiver is no longer in `channel`; `reason` "left" or "removed".
    static QByteArray channelRemovedFrame(const QJsonValue &ref, const QString &channel,
                                          const QString &reason);
    static QByteArray pongFrame(const QJsonValue &ref);
    static QByteArray errorFrame(const QJsonValue &ref, const QString &code,
                                 const QString &message);

    // --- frames the client sends ---
    // The first frame; nullopt when it is not an `authenticate` (binary, not JSON,
    // another type).
    static std::optional<AuthenticateFrame> decodeAuthenticate(const QByteArray &data, bool binary);
    static ClientFrameVariant decode(const QByteArray &data, bool binary);

    // Number of Unicode code points (the 4000-character limit counts these).
    static qsizetype codePoints(const QString &text);
    // The first `n` code points of `text` (a surrogate pair is never split).
    static QString leadingCodePoints(const QString &text, qsizetype n);
};

} // namespace Natter::Server
