// The messages aggregate of natterd's storage: per-channel seq (gapless) and
// ev (the change counter, §6), idempotent client_msg_id, edits and deletes
// (tombstones), history, resume pages and the changes since an ev.
//
// An interface; ChatStore inherits it (virtually, so a backend may implement
// each aggregate in a class of its own, as store/sqlite does).
#pragma once

#include "store/StoreResult.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Natter::Server {

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
};

class MessageStore
{
public:
    virtual ~MessageStore() = default;

    // Stores a new message with the next seq and the next ev of its channel, in
    // the same transaction (fills id, seq, ts, rev = 1 and ev; keeps kind).
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
    // The same text as now changes nothing (§13 no-change) and returns the
    // current state with its rev and ev unchanged.
    virtual StoreResult<StoredMessage> editMessage(const QString &channelId, const QString &id,
                                                   const QString &text,
                                                   const QDateTime &editedAt) = 0;
    // Makes a live message a tombstone (§7): text "", deleted, rev + 1 and the
    // channel's next ev, in one transaction. The text is erased from storage,
    // not only hidden. Returns the new state; NotFound when there is no such live
    // message in that channel (deleting a tombstone); Failed when the storage failed.
    virtual StoreResult<StoredMessage> deleteMessage(const QString &channelId,
                                                     const QString &id) = 0;
    // Messages with seq <= maxSeq and ev > afterEv, in increasing ev, at most
    // `limit` (the §6 resume_ev replay). Current state, tombstones included.
    virtual QList<StoredMessage> changedSince(const QString &channelId, qint64 afterEv,
                                              qint64 maxSeq, int limit) = 0;
    virtual StoreResult<StoredMessage> messageByClientId(const QString &author,
                                                         const QString &clientMsgId) = 0;
    // history() and messagesAfter() return every message in its current state,
    // tombstones included, so a page stays gapless in seq (§6).
    // Up to `limit` messages with seq < beforeSeq (0 = newest), oldest first.
    virtual QList<StoredMessage> history(const QString &channelId, qint64 beforeSeq, int limit) = 0;
    // The newest `limit` messages with seq > afterSeq, oldest first.
    virtual QList<StoredMessage> messagesAfter(const QString &channelId, qint64 afterSeq,
                                               int limit) = 0;
};

} // namespace Natter::Server
