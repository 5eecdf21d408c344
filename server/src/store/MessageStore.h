// The messages aggregate of natterd's storage: per-channel seq (gapless) and
// ev (the change counter, §6), idempotent client_msg_id, edits and deletes
// (tombstones), reactions, reply targets and mentions (§7), history, resume
// pages and the changes since an ev.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/FileStore.h"
#include "store/StoreResult.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Natter::Server {

// One distinct emoji on a message and who reacted with it (§7 `X`). A
// message's reactions are ordered by when each emoji (re)appeared, `users` by
// when each user reacted (§13).
struct StoredReaction
{
    QString emoji;
    QStringList users;
};

// The message a reply quotes, read in its current state whenever the reply is
// read, so the §7 `R` excerpt always follows the target's edits and delete.
struct StoredReplyTarget
{
    QString id;
    qint64 seq = 0;
    QString author;
    QString text; // the target's whole current text ("" once deleted)
    bool deleted = false;
};

struct StoredMessage
{
    QString id;
    QString channel;
    qint64 seq = 0;
    QString author;
    QString text;
    QDateTime ts;
    QString clientMsgId;
    QString kind = QStringLiteral("user"); // "user" | "system" (§7)
    qint64 rev = 1; // the message's own version: 1 when created, +1 per change (§6)
    qint64 ev = 0; // the channel ev of the message's latest change (§6)
    QDateTime editedAt{}; // invalid = never edited
    bool deleted = false; // a tombstone: text "" (§7, §13)
    // §7: the quoted message (appendMessage stores replyTo->id only); user ids
    // this message mentions (computed by the hub); its reactions.
    std::optional<StoredReplyTarget> replyTo{};
    QStringList mentions{};
    QList<StoredReaction> reactions{};
    // §7 S of a system message (kind "system"): {"event", "users"?, "name"?,
    // "topic"?} as JSON; empty for user messages and tombstones.
    QByteArray system{};
    // §9: the files attached to it, in the order they were sent. A delete
    // removes them (the bytes on disk are the caller's to remove).
    QList<StoredFile> attachments{};
};

class MessageStore
{
public:
    virtual ~MessageStore() = default;

    // Stores a new message with the next seq and the next ev of its channel, in
    // the same transaction (fills id, seq, ts, rev = 1 and ev; keeps kind,
    // mentions and replyTo, of which only the id is stored).
    // NotFound: no such channel. Conflict: the author already used this
    // client_msg_id (look it up with messageByClientId). Neither uses up a seq.
    virtual StoreResult<void> appendMessage(StoredMessage *message) = 0;
    // The message `id` of `channelId` in its current state, tombstones included;
    // NotFound when that channel has no such message.
    virtual StoreResult<StoredMessage> messageById(const QString &channelId, const QString &id) = 0;
    // Replaces the text of a live message: edited_at, rev + 1 and the channel's
    // next ev, in one transaction. Returns the new state; NotFound when there is
    // no such message in that channel or it is a tombstone; Failed when the
    // storage failed.
    // `mentions` replaces the message's mentions (§7: an edit recomputes them).
    // The same text as now changes nothing (§13 no-change) and returns the
    // current state with its rev and ev unchanged.
    virtual StoreResult<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                                   const QString &text, const QDateTime &editedAt,
                                                   const QStringList &mentions) = 0;
    // Makes a live message a tombstone (§7): text "", deleted, rev + 1 and the
    // channel's next ev, in one transaction. The text is erased from storage,
    // not only hidden; its reactions, mentions and reply_to go with it. Returns the
    // new state; NotFound when there is no such live message in that channel
    // (deleting a tombstone); Failed when the storage failed.
    virtual StoreResult<StoredMessage> deleteMessage(const QString &channelId,
                                                     const QString &id) = 0;
    // Adds (on) or removes (!on) `userId`'s reaction `emoji` to a live message:
    // rev + 1 and the channel's next ev, in one transaction. Returns the new
    // state. Adding one that exists or removing one that does not changes
    // nothing and returns the current state (§13 no-change). NotFound: no such
    // live message in that channel (a tombstone); Conflict: adding a new
    // distinct emoji to a message that already has `maxDistinct`.
    virtual StoreResult<StoredMessage> setReaction(const QString &channelId, const QString &id,
                                                   const QString &userId, const QString &emoji,
                                                   bool on, int maxDistinct) = 0;
    // Messages with seq <= maxSeq and ev > afterEv, in increasing ev, at most
    // `limit` (the §6 resume_ev replay). Current state, tombstones included.
    // The list reads answer Failed when the read failed, never an empty page.
    virtual StoreResult<QList<StoredMessage>> changedSince(const QString &channelId, qint64 afterEv,
                                                           qint64 maxSeq, int limit) = 0;
    virtual StoreResult<StoredMessage> messageByClientId(const QString &author,
                                                         const QString &clientMsgId) = 0;
    // history() and messagesAfter() return every message in its current state,
    // tombstones included, so a page stays gapless in seq (§6).
    // Up to `limit` messages with seq < beforeSeq (0 = newest), oldest first.
    virtual StoreResult<QList<StoredMessage>> history(const QString &channelId, qint64 beforeSeq,
                                                      int limit) = 0;
    // The newest `limit` messages with seq > afterSeq, oldest first.
    virtual StoreResult<QList<StoredMessage>> messagesAfter(const QString &channelId,
                                                            qint64 afterSeq, int limit) = 0;
};

} // namespace Natter::Server
