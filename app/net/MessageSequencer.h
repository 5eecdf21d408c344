// Puts each channel's messages in seq order, exactly once, and finds the gaps.
// Later versions of a message (§6 `rev`) are told apart from duplicates.
//
// Every message of a channel (live `message`, replayed after `resume`, the
// message inside an `ack`, gap-filling `history`) goes through accept(). Because
// `seq` is per channel, starts at 1 and has no gaps (docs/protocol.md §3), the
// sequencer knows exactly what it has: a message at or below the last delivered
// seq is a duplicate; one beyond last+1 opens a gap. Messages after a gap are
// held back until `history` has filled it, so the consumer sees every channel in
// order. Plain class, no event loop.
#pragma once

#include "protocol/Types.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

#include <optional>

namespace Natter {

class MessageSequencer
{
public:
    // A range of seqs (afterSeq, beforeSeq), both exclusive, that must be fetched.
    struct Gap
    {
        QString channel;
        qint64 afterSeq = 0;
        qint64 beforeSeq = 0;
        bool operator==(const Gap &) const = default;
    };
    struct Result
    {
        QList<Message> deliver; // in order, each for the first time
        std::optional<Gap> fill; // ask `history` for this (newest first, backwards)
        bool newGap = false; // `fill` describes a gap not reported before
        QList<Message> updates; // newer versions of messages delivered before
    };

    // The starting point of a channel: seqs at or below `seq` count as seen.
    void setLastSeq(const QString &channel, qint64 seq);
    // Sets the starting point only for a channel the sequencer does not know yet.
    void setLastSeqIfUnknown(const QString &channel, qint64 seq);
    bool knows(const QString &channel) const { return m_lastSeq.contains(channel); }
    qint64 lastSeq(const QString &channel) const { return m_lastSeq.value(channel); }
    // The `resume` map for `authenticate`: every known channel and its last seq.
    QHash<QString, qint64> resumeMap() const { return m_lastSeq; }

    // A `message`/`ack` copy. One at or below the last delivered seq is a
    // duplicate, unless it is a newer version (higher rev) of a message seen
    // lately: then it comes back in `updates`, never as a new message.
    Result accept(const Message &message);

    // What to do with a §6 `message_updated`.
    enum class Update {
        Apply, // a message already delivered (or before this client's range): apply by rev
        Held, // the message waits behind a gap: its held copy was brought up to date
        Ignore, // beyond what this client has (or an old version of a held one)
    };
    Update acceptUpdate(const Message &message);

    // A `resync` (§6): forget what is held for `channel` and start it at `seq`.
    void resetChannel(const QString &channel, qint64 seq);
    // A `history` reply that was asked for by `fill`. An empty reply means the
    // server has nothing more: the rest of the gap is given up so the channel
    // never stalls.
    Result acceptFill(const QString &channel, const QList<Message> &messages);

    // Forgets gap fills in flight (the connection dropped: after the next resume
    // the replay and new fills take over) but keeps what was held and the seqs.
    // Returns the gaps still open, so they can be asked for again.
    QList<Gap> openGaps() const;

private:
    Result drain(const QString &channel);

    QHash<QString, qint64> m_lastSeq;
    QHash<QString, QMap<qint64, Message>> m_held; // channel -> seq -> message after a gap
    QSet<QString> m_reportedGaps; // channel:before of gaps already signalled
    // Ids seen lately, so a message is dropped as a duplicate by its id as well as
    // by its seq (a server that renumbers would otherwise show it twice).
    // The value is the highest rev seen, so a newer copy is recognised as an update.
    QHash<QString, qint64> m_recentIds;
    QList<QString> m_recentOrder;
    void remember(const Message &m);
};

} // namespace Natter
