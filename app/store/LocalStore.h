// The client's per-profile SQLite file: the outbox and a cache of recent history.
//
// The outbox keeps every message the user sent until the server acknowledged it,
// in the order it was written, across application restarts. The cache keeps the
// newest messages of each channel, the channel list of the last `connected`
// snapshot, and the last seq the client has seen per channel (the `resume` map),
// so a restart shows the conversation before the network is up and resumes
// where it left off. Messages are kept in their latest known state (§6 `rev`:
// edits and tombstones included), with each channel's `last_ev`, so a restart
// shows an edit made while we were away and resumes the change feed; §7
// reactions, reply targets and each channel's mention_count are kept too, and (§8)
// each channel's visibility, topic, owner, archived flag and notify level, so a
// start before the network is up shows the topic and the archived banner; and the
// unsent draft of each channel and the unanswered edits, deletes and reactions,
// so quitting does not lose them. The schema
// grows by a list of numbered migration steps, like natterd's SqliteSchema. Owned by the
// composition root; ConnectionManager writes it, models read it. Plain class, one thread.
#pragma once

#include "protocol/Types.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace Natter {

class LocalStore
{
public:
    // `path` is the SQLite file; ":memory:" keeps everything in memory.
    explicit LocalStore(const QString &path, int cachedMessagesPerChannel = 200);
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    // <AppDataLocation>/profiles/<profile>/store.sqlite (the directory is created).
    static QString defaultPath(const QString &profile);

    // Opens (and creates or migrates) the file. False with errorString() on failure.
    bool open();
    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }

    // --- outbox: in the order messages were added ---
    bool enqueue(const OutgoingMessage &message);
    QList<OutgoingMessage> outbox(const QString &channel = {}) const;
    std::optional<OutgoingMessage> outgoing(const QString &clientMsgId) const;
    bool markFailed(const QString &clientMsgId, const QString &error);
    // Failed -> Pending again (retry). Keeps its place in the order.
    bool markPending(const QString &clientMsgId);
    // Acknowledged or discarded.
    bool remove(const QString &clientMsgId);

    // §13: an edit or delete of a message still in the outbox waits for its ack;
    // kept here so a restart does not lose it. In the order they were made.
    struct HeldAction
    {
        QString clientMsgId;
        bool remove = false; // delete (else edit to `text`)
        QString text;
    };
    bool holdAction(const HeldAction &action);
    QList<HeldAction> heldActions() const;
    bool dropHeldActions(const QString &clientMsgId);

    // §7 edits, deletes and reactions sent and not answered yet (or answered
    // rate_limited, to be sent again): sent again after a restart. `key` is the
    // client's own name for one; `kind` is "edit", "delete" or "react" (`text`
    // the emoji, `on` add or remove).
    struct PendingAction
    {
        QString key;
        QString channel;
        QString messageId;
        QString kind;
        QString text;
        bool on = true;
    };
    bool keepAction(const PendingAction &action); // replaces one with the same key
    bool forgetAction(const QString &key);
    QList<PendingAction> pendingActions() const; // in the order first kept

    // What the person typed in a channel and has not sent: kept across
    // restarts. An empty `draft` forgets the channel's.
    bool setDraft(const QString &channel, const QString &draft);
    QHash<QString, QString> drafts() const; // channel -> draft

    // --- history cache ---
    // Stores messages (replacing one with the same id unless the stored copy has
    // a higher rev) and trims each channel to the newest cachedMessagesPerChannel.
    bool cacheMessages(const QList<Message> &messages);
    // §6 apply rule for changes: replaces a cached copy with a lower rev; a message
    // not cached is stored only if its seq lies between cached ones of its channel.
    bool updateMessages(const QList<Message> &messages);
    // A `resync`: forgets every cached message of `channel`.
    bool dropMessages(const QString &channel);
    // The newest `limit` cached messages of `channel`, oldest first.
    QList<Message> cachedMessages(const QString &channel, int limit = 50) const;
    // The cached copy of message `id`, if there is one.
    std::optional<Message> cachedMessage(const QString &id) const;

    // The channel list of the last `connected` snapshot (replaces the previous one).
    bool cacheChannels(const QList<Channel> &channels);
    QList<Channel> cachedChannels() const;

    // The last seq delivered per channel (the `resume` map across restarts).
    bool setLastSeq(const QString &channel, qint64 seq);
    QHash<QString, qint64> lastSeqs() const;
    // §6 last_ev per channel (only channels a v2 server numbered).
    bool setLastEv(const QString &channel, qint64 ev);
    QHash<QString, qint64> lastEvs() const;

    // The schema version this build writes (PRAGMA user_version).
    static int schemaVersion();

private:
    bool exec(const QString &sql);
    bool migrate();
    bool insertMessage(const Message &m, bool onlyIfNewer);
    bool trimChannel(const QString &channel);
    QList<Message> selectMessages(QSqlQuery &query) const;

    QString m_path;
    QString m_connectionName;
    int m_cachePerChannel;
    mutable QString m_error;
};

} // namespace Natter
