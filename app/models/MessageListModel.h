// The messages of one channel, oldest first, as the message view shows them.
//
// Confirmed messages are kept in `seq` order with no duplicates, whatever order
// they arrive in (local cache, resume replay, live, history pages); messages we
// sent that the server has not confirmed yet follow them as pending or failed
// rows. Grouping, day separators and gaps are derived from neighbouring rows,
// never stored, so they cannot go stale. Created lazily by ChatSession, one per
// open channel.
#pragma once

#include "protocol/Types.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QVariant>

#include <optional>

namespace Natter {

class PresenceModel;

class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class DeliveryState { Sent, Pending, Failed };
    Q_ENUM(DeliveryState)

    enum Role {
        IdRole = Qt::UserRole + 1, // QString: server message id (empty while pending)
        SeqRole, // qint64: per-channel sequence number (0 while pending)
        AuthorIdRole, // QString: author's user id
        AuthorNameRole, // QString: author's display name
        TextRole, // QString: message text as typed (plain text)
        TimestampRole, // QDateTime: server time, or local creation time while pending
        DeliveryStateRole, // int: DeliveryState
        IsOwnRole, // bool: written by the signed-in user
        FirstOfGroupRole, // bool: starts a group (new author, or > 5 min since the previous)
        DaySeparatorRole, // bool: first message of a local calendar day
        ClientMsgIdRole, // QString: client_msg_id (for retry/discard of our own)
        GapBeforeRole, // bool: messages before this one may be missing (seq jump)
        ErrorRole, // QString: why a failed message failed, in plain words
        RevRole, // qint64: the message's version (§6), 0 while pending or from a v1 server
        EditedAtRole, // QDateTime: when it was last edited; invalid if never edited
        DeletedRole, // bool: a tombstone (§7 delete): text is empty
        KindRole, // int: MessageKind (User or System)
        // §7 reactions, in order of first use: a QVariantList of QVariantMap, one per
        // distinct emoji: {"emoji": QString, "count": int, "mine": bool (the
        // signed-in user reacted with it), "users": QStringList (user ids),
        // "names": QStringList (their display names, for a tooltip)}. Empty list: none.
        ReactionsRole,
        // §7 the message this one replies to, as a QVariantMap; an empty map when it
        // is not a reply: {"id": QString, "seq": qint64, "authorId": QString,
        // "authorName": QString, "excerpt": QString (at most 200 code points, ""
        // when deleted), "deleted": bool, "held": bool}. When this model holds the
        // target, excerpt/deleted come from its current copy (and follow its edits
        // and deletion); otherwise they are the server's excerpt (`held` false).
        ReplyToRole,
        MentionsMeRole, // bool: the signed-in user is in the message's `mentions` (§7)
        MentionsRole, // QStringList: user ids the message mentions (§7)
        // §9 files, in order: a QVariantList of QVariantMap, one per file: {"id",
        // "name", "mime": QString, "size": qint64 (bytes), "width", "height": int
        // (pixels, 0 when unknown), "thumbnail": bool, "image": bool (shown as a
        // picture)}. Empty for a deleted message (§7: its files are gone).
        AttachmentsRole,
    };
    Q_ENUM(Role)

    static constexpr qint64 kGroupWindowSecs = 5 * 60;

    MessageListModel(const QString &channelId, const QString &selfUserId,
                     const PresenceModel *users, QObject *parent = nullptr);

    QString channelId() const { return m_channelId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Confirmed messages from any source; duplicates (by id) are ignored, and a
    // pending row with the same client_msg_id is replaced by the confirmed one.
    void addMessages(const QList<Message> &messages);
    void addMessage(const Message &message) { addMessages({message}); }

    // §6 apply rule for a `message_updated` (or any later copy of a message):
    // replaces the held copy when `m.rev` is greater, ignores it otherwise; a
    // message not held is inserted only if its seq lies inside the range the
    // model holds. Never duplicates a row. True when a row was changed or added.
    bool applyUpdate(const Message &m);

    // A `resync` (§6) is reloading the channel: the rows stay as they are until
    // the fresh page arrives through historyLoaded(), which then replaces them.
    void beginReload();
    bool isReloading() const { return m_reloading; }

    // Our own unconfirmed messages (the outbox for this channel). `replyTo`: the id
    // of the message it answers (§7), shown from the held copy.
    void upsertPending(const QString &clientMsgId, const QString &text, const QDateTime &createdAt,
                       DeliveryState state, const QString &error = {}, const QString &replyTo = {});
    void removePending(const QString &clientMsgId);
    QStringList pendingClientMsgIds() const;

    // A `history` page arrived (or failed, with an empty list and hasMore=false kept).
    void historyLoaded(const QList<Message> &messages, bool hasMore);
    void setHistoryExhausted() { m_hasMoreHistory = false; }

    // Holds a confirmed row with this message id.
    bool holds(const QString &messageId) const { return m_ids.contains(messageId); }
    // The held copy of message `messageId` (nullopt: not held).
    std::optional<Message> message(const QString &messageId) const;
    // The row of the confirmed message `messageId`, -1 when not held (e.g. to
    // scroll to a reply's target).
    int rowOfId(const QString &messageId) const;
    // The user ids that reacted to `messageId` with `emoji` include the signed-in user.
    bool reactedByMe(const QString &messageId, const QString &emoji) const;

    // §7: the first 200 code points of `text` (a reply's excerpt).
    static QString excerptOf(const QString &text);
    // The id of the confirmed row sent under `clientMsgId` (empty: none).
    QString idOfClientMsgId(const QString &clientMsgId) const;

    qint64 firstSeq() const;
    qint64 lastSeq() const;
    int confirmedCount() const { return m_confirmedCount; }
    bool isFetchingHistory() const { return m_fetching; }

    // A system message (§7) in the user's language: "alice joined", "bob renamed
    // the channel to ops". Empty for a user's message.
    QString systemText(const Message &m) const;

Q_SIGNALS:
    // The view scrolled to the top: ChatSession should ask for the page before
    // `beforeSeq` (0 = the newest page) and call historyLoaded() with it.
    void historyRequested(const QString &channelId, qint64 beforeSeq);
    // isReloading() changed: true while a resync reload is under way ("loading").
    void reloadingChanged(bool reloading);

private:
    struct Row
    {
        Message message;
        DeliveryState state = DeliveryState::Sent;
        QString error;
        mutable QDate day; // local calendar day of message.ts: computed on first use
        QDate localDay() const
        {
            if (!day.isValid())
                day = message.ts.toLocalTime().date();
            return day;
        }
    };
    static Row makeRow(const Message &m, DeliveryState state, const QString &error = {});
    void insertConfirmedSorted(QList<Message> sorted);
    void replaceWithPage(const QList<Message> &messages, bool hasMore);
    static bool confirmedHas(const QList<Row> &rows, const QString &clientMsgId);
    int confirmedRow(const Message &m) const;
    bool replaceIfNewer(int row, const Message &m);
    void notifyNeighbour(int row);
    void notifyReplies(const QSet<QString> &targetIds);
    QVariantMap replyData(const Message &m) const;
    QVariantList reactionsData(const Message &m) const;
    static QVariantList attachmentsData(const Message &m);
    int pendingRow(const QString &clientMsgId) const;
    void refreshAuthorNames();

    QString m_channelId;
    QString m_selfId;
    const PresenceModel *m_users;
    QList<Row> m_rows; // [0, m_confirmedCount) confirmed by seq, then pending
    int m_confirmedCount = 0;
    QSet<QString> m_ids;
    bool m_hasMoreHistory = true;
    bool m_fetching = false;
    bool m_reloading = false;
};

} // namespace Natter
