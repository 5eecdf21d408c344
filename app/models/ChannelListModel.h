// The signed-in user's channels and direct conversations, most recently active
// first, with unread counts and a preview of the last message. Fed by
// ChatSession from the `connected` snapshot, the local cache and live events.
#pragma once

#include "protocol/Types.h"

#include <QAbstractListModel>
#include <QDateTime>

namespace Natter {

class PresenceModel;

class ChannelListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
    Q_PROPERTY(int totalMentions READ totalMentions NOTIFY totalMentionsChanged)
public:
    enum Role {
        IdRole = Qt::UserRole + 1, // QString: channel id
        NameRole, // QString: channel name, or the peer's name for a direct channel
        KindRole, // int: ChannelKind
        UnreadRole, // int: messages after our read marker, not written by us
        LastMessageTextRole, // QString: text of the newest known message
        LastMessageTimeRole, // QDateTime: time of the newest known message
        PeerIdRole, // QString: the other member of a direct channel
        PeerStatusRole, // int: PresenceStatus of that peer (direct channels)
        LastSeqRole, // qint64: newest seq known
        LastReadSeqRole, // qint64: our read marker
        // int: §7 unread messages that mention the signed-in user (a "@3" badge).
        // The server's `mention_count` from `connected` and `channel` frames; in
        // between raised by new live mentions and cleared when everything is read.
        MentionCountRole,
        // §8
        TopicRole, // QString: the channel's topic ("" for none)
        ArchivedRole, // bool: read-only for everyone
        PrivateRole, // bool: a private channel (not listed to non-members)
        // int: §8 NotifyLevel, the signed-in user's notification level for the
        // channel as the server keeps it (set with ChatSession::setNotifyLevel).
        NotifyLevelRole,
    };
    Q_ENUM(Role)

    ChannelListModel(const QString &selfUserId, const PresenceModel *users,
                     QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setSelfUserId(const QString &id) { m_selfId = id; }
    // A `connected` snapshot: replaces the list, keeping previews we already know.
    void setChannels(const QList<Channel> &channels);
    void upsertChannel(const Channel &channel);
    // We are no longer in the channel.
    void removeChannel(const QString &channelId);
    // The newest message we know of, from the local cache: no unread change.
    void setLastMessage(const Message &message);
    // A live (or replayed) message: preview, ordering and unread count.
    void messageArrived(const Message &message);
    // §6: a newer state of a message; the preview follows if it shows that message.
    void messageUpdated(const Message &message);
    // Our read marker moved (locally or from another of our devices). Only forward.
    // Read to the newest message: no unread mentions are left.
    void markRead(const QString &channelId, qint64 seq);
    // §7: a live edit added (+1) or removed (-1) a mention of us in the unread
    // message `seq`, or its deletion removed one (-1). Never below 0.
    void adjustMentions(const QString &channelId, qint64 seq, int delta);
    int totalMentions() const;

    int totalUnread() const;
    bool contains(const QString &channelId) const { return rowOf(channelId) >= 0; }
    Channel channel(const QString &channelId) const;
    int rowOf(const QString &channelId) const;
    QString displayName(const QString &channelId) const;
    QString peerOf(const Channel &channel) const;

Q_SIGNALS:
    void totalUnreadChanged(int total);
    void totalMentionsChanged(int total);

private:
    struct Row
    {
        Channel channel;
        QString lastText;
        QDateTime lastTime;
        QString lastAuthor;
        QString lastId; // the message the preview shows
        qint64 lastRev = 0;
    };
    static bool before(const Row &a, const Row &b);
    static QString previewText(const Message &message);
    void reposition(int row);
    void updateTotal();
    void changed(int row, const QList<int> &roles = {});
    QString nameOf(const Row &row) const;
    void onUserChanged(const QString &userId);

    QString m_selfId;
    const PresenceModel *m_users;
    QList<Row> m_rows;
    int m_lastTotal = 0;
    int m_lastMentions = 0;
};

} // namespace Natter
