#include "ChannelListModel.h"

#include "PresenceModel.h"

#include <algorithm>

namespace Natter {

ChannelListModel::ChannelListModel(const QString &selfUserId, const PresenceModel *users,
                                   QObject *parent)
    : QAbstractListModel(parent)
    , m_selfId(selfUserId)
    , m_users(users)
{
    if (m_users)
        connect(m_users, &PresenceModel::userChanged, this, &ChannelListModel::onUserChanged);
}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const Channel &c = r.channel;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return nameOf(r);
    case IdRole:
        return c.id;
    case KindRole:
        return int(c.kind);
    case UnreadRole:
        return int(qMax<qint64>(0, c.lastSeq - c.lastReadSeq));
    case LastMessageTextRole:
        return r.lastText;
    case LastMessageTimeRole:
        return r.lastTime;
    case PeerIdRole:
        return peerOf(c);
    case PeerStatusRole:
        return int(m_users ? m_users->status(peerOf(c)) : PresenceStatus::Offline);
    case LastSeqRole:
        return c.lastSeq;
    case LastReadSeqRole:
        return c.lastReadSeq;
    case MentionCountRole:
        return int(qMax<qint64>(0, c.mentionCount));
    case TopicRole:
        return c.topic;
    case ArchivedRole:
        return c.archived;
    case PrivateRole:
        return c.visibility == ChannelVisibility::Private;
    case NotifyLevelRole:
        return int(c.notify);
    default:
        return {};
    }
}

QHash<int, QByteArray> ChannelListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "channelId");
    names.insert(NameRole, "name");
    names.insert(KindRole, "kind");
    names.insert(UnreadRole, "unread");
    names.insert(LastMessageTextRole, "lastMessageText");
    names.insert(LastMessageTimeRole, "lastMessageTime");
    names.insert(PeerIdRole, "peerId");
    names.insert(PeerStatusRole, "peerStatus");
    names.insert(LastSeqRole, "lastSeq");
    names.insert(LastReadSeqRole, "lastReadSeq");
    names.insert(MentionCountRole, "mentionCount");
    names.insert(TopicRole, "topic");
    names.insert(ArchivedRole, "archived");
    names.insert(PrivateRole, "private");
    names.insert(NotifyLevelRole, "notifyLevel");
    return names;
}

void ChannelListModel::setChannels(const QList<Channel> &channels)
{
    QList<Row> rows;
    rows.reserve(channels.size());
    for (const Channel &c : channels) {
        Row r;
        const int old = rowOf(c.id);
        if (old >= 0)
            r = m_rows.at(old);
        r.channel = c;
        rows.append(std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(), &ChannelListModel::before);
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    updateTotal();
}

void ChannelListModel::upsertChannel(const Channel &channel)
{
    const int row = rowOf(channel.id);
    if (row >= 0) {
        m_rows[row].channel = channel;
        changed(row);
        return;
    }
    Row r;
    r.channel = channel;
    const auto pos = std::upper_bound(m_rows.begin(), m_rows.end(), r, &ChannelListModel::before);
    const int at = int(pos - m_rows.begin());
    beginInsertRows({}, at, at);
    m_rows.insert(at, std::move(r));
    endInsertRows();
    updateTotal();
}

void ChannelListModel::removeChannel(const QString &channelId)
{
    const int row = rowOf(channelId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    updateTotal();
}

void ChannelListModel::setLastMessage(const Message &message)
{
    const int row = rowOf(message.channel);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    if (r.lastTime.isValid() && r.lastTime > message.ts)
        return;
    r.lastText = previewText(message);
    r.lastTime = message.ts;
    r.lastAuthor = message.author;
    r.lastId = message.id;
    r.lastRev = message.rev;
    changed(row, {LastMessageTextRole, LastMessageTimeRole});
    reposition(row);
}

QString ChannelListModel::previewText(const Message &message)
{
    return message.deleted ? tr("Message deleted") : message.text;
}

void ChannelListModel::messageUpdated(const Message &message)
{
    const int row = rowOf(message.channel);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    if (r.lastId != message.id || message.rev <= r.lastRev)
        return;
    r.lastText = previewText(message);
    r.lastRev = message.rev;
    changed(row, {LastMessageTextRole});
}

void ChannelListModel::messageArrived(const Message &message)
{
    const int row = rowOf(message.channel);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    Channel &c = r.channel;
    // Everything up to our own newest message has been read by us.
    if (message.author == m_selfId && c.lastReadSeq >= c.lastSeq)
        c.lastReadSeq = qMax(c.lastReadSeq, message.seq);
    // §7: a mention newer than the snapshot's last_seq is not in its
    // mention_count yet (a replayed one is).
    if (message.seq > c.lastSeq && message.seq > c.lastReadSeq && !message.deleted
        && message.author != m_selfId && message.mentionsUser(m_selfId))
        ++c.mentionCount;
    c.lastSeq = qMax(c.lastSeq, message.seq);
    if (!r.lastTime.isValid() || message.ts >= r.lastTime) {
        r.lastText = previewText(message);
        r.lastTime = message.ts;
        r.lastAuthor = message.author;
        r.lastId = message.id;
        r.lastRev = message.rev;
    }
    changed(row);
    reposition(row);
}

void ChannelListModel::markRead(const QString &channelId, qint64 seq)
{
    const int row = rowOf(channelId);
    if (row < 0)
        return;
    Channel &c = m_rows[row].channel;
    if (seq <= c.lastReadSeq)
        return;
    c.lastReadSeq = seq;
    c.lastSeq = qMax(c.lastSeq, seq); // the server clamps markers to what exists
    // §7 mention_count counts after the read marker: none once all is read. A
    // partial read waits for the server's next count.
    if (c.lastReadSeq >= c.lastSeq)
        c.mentionCount = 0;
    changed(row, {UnreadRole, LastReadSeqRole, MentionCountRole});
}

void ChannelListModel::adjustMentions(const QString &channelId, qint64 seq, int delta)
{
    const int row = rowOf(channelId);
    if (row < 0 || delta == 0)
        return;
    Channel &c = m_rows[row].channel;
    if (seq <= c.lastReadSeq)
        return;
    c.mentionCount = qMax<qint64>(0, c.mentionCount + delta);
    changed(row, {MentionCountRole});
}

int ChannelListModel::totalMentions() const
{
    int total = 0;
    for (const Row &r : m_rows)
        total += int(qMax<qint64>(0, r.channel.mentionCount));
    return total;
}

int ChannelListModel::totalUnread() const
{
    // What the window title and the tray count: a channel set to "mentions"
    // (§8 notify) counts only its mentions of me, one set to "nothing" nothing,
    // so a muted channel stays as quiet in the totals as its badge.
    int total = 0;
    for (const Row &r : m_rows) {
        switch (r.channel.notify) {
        case NotifyLevel::All:
            total += int(qMax<qint64>(0, r.channel.lastSeq - r.channel.lastReadSeq));
            break;
        case NotifyLevel::Mentions:
            total += int(qMax<qint64>(0, r.channel.mentionCount));
            break;
        case NotifyLevel::None:
            break;
        }
    }
    return total;
}

void ChannelListModel::updateTotal()
{
    const int total = totalUnread();
    if (total != m_lastTotal) {
        m_lastTotal = total;
        Q_EMIT totalUnreadChanged(total);
    }
    const int mentions = totalMentions();
    if (mentions != m_lastMentions) {
        m_lastMentions = mentions;
        Q_EMIT totalMentionsChanged(mentions);
    }
}

Channel ChannelListModel::channel(const QString &channelId) const
{
    const int row = rowOf(channelId);
    return row < 0 ? Channel{} : m_rows.at(row).channel;
}

int ChannelListModel::rowOf(const QString &channelId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).channel.id == channelId)
            return i;
    }
    return -1;
}

QString ChannelListModel::displayName(const QString &channelId) const
{
    const int row = rowOf(channelId);
    return row < 0 ? QString() : nameOf(m_rows.at(row));
}

QString ChannelListModel::peerOf(const Channel &channel) const
{
    if (channel.kind != ChannelKind::Direct)
        return {};
    for (const QString &m : channel.members) {
        if (m != m_selfId)
            return m;
    }
    return {};
}

bool ChannelListModel::before(const Row &a, const Row &b)
{
    // Most recent activity first; channels without any known message after
    // those with one, alphabetically.
    if (a.lastTime.isValid() != b.lastTime.isValid())
        return a.lastTime.isValid();
    if (a.lastTime.isValid() && a.lastTime != b.lastTime)
        return a.lastTime > b.lastTime;
    return a.channel.name.localeAwareCompare(b.channel.name) < 0;
}

void ChannelListModel::reposition(int row)
{
    int target = row;
    while (target > 0 && before(m_rows.at(row), m_rows.at(target - 1)))
        --target;
    while (target + 1 < m_rows.size() && before(m_rows.at(target + 1), m_rows.at(row)))
        ++target;
    if (target == row)
        return;
    // beginMoveRows wants the destination as "insert before" in the old numbering.
    beginMoveRows({}, row, row, {}, target > row ? target + 1 : target);
    m_rows.move(row, target);
    endMoveRows();
}

void ChannelListModel::changed(int row, const QList<int> &roles)
{
    const QModelIndex idx = index(row);
    Q_EMIT dataChanged(idx, idx, roles);
    updateTotal();
}

QString ChannelListModel::nameOf(const Row &row) const
{
    if (row.channel.kind == ChannelKind::Direct && m_users) {
        const QString peer = peerOf(row.channel);
        if (!peer.isEmpty() && m_users->contains(peer))
            return m_users->displayName(peer);
    }
    return row.channel.name;
}

void ChannelListModel::onUserChanged(const QString &userId)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).channel.kind == ChannelKind::Direct
            && peerOf(m_rows.at(i).channel) == userId)
            changed(i, {NameRole, PeerStatusRole});
    }
}

} // namespace Natter
