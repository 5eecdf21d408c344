#include "MessageListModel.h"

#include "PresenceModel.h"
#include "SystemMessageText.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>

namespace Natter {

MessageListModel::MessageListModel(const QString &channelId, const QString &selfUserId,
                                   const PresenceModel *users, QObject *parent)
    : QAbstractListModel(parent)
    , m_channelId(channelId)
    , m_selfId(selfUserId)
    , m_users(users)
{
    if (m_users)
        connect(m_users, &PresenceModel::userChanged, this, &MessageListModel::refreshAuthorNames);
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString MessageListModel::systemText(const Message &m) const
{
    return SystemMessageText::text(
        m, [this](const QString &id) { return m_users ? m_users->displayName(id) : id; });
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Row &r = m_rows.at(row);
    const Message &m = r.message;
    const Row *prev = row > 0 ? &m_rows.at(row - 1) : nullptr;
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m.kind == MessageKind::System ? systemText(m) : m.text;
    case IdRole:
        return m.id;
    case SeqRole:
        return m.seq;
    case AuthorIdRole:
        return m.author;
    case AuthorNameRole:
        return m_users ? m_users->displayName(m.author) : m.author;
    case TimestampRole:
        return m.ts;
    case DeliveryStateRole:
        return int(r.state);
    case IsOwnRole:
        return m.author == m_selfId;
    case ClientMsgIdRole:
        return m.clientMsgId;
    case ErrorRole:
        return r.error;
    case DaySeparatorRole:
        return !prev || prev->localDay() != r.localDay();
    case FirstOfGroupRole:
        return !prev || prev->message.author != m.author || prev->localDay() != r.localDay()
            || prev->message.ts.secsTo(m.ts) > kGroupWindowSecs;
    case RevRole:
        return m.rev;
    case EditedAtRole:
        return m.editedAt;
    case DeletedRole:
        return m.deleted;
    case KindRole:
        return int(m.kind);
    case ReactionsRole:
        return reactionsData(m);
    case ReplyToRole:
        return replyData(m);
    case MentionsMeRole:
        return !m_selfId.isEmpty() && m.mentionsUser(m_selfId);
    case MentionsRole:
        return m.mentions;
    case AttachmentsRole:
        return attachmentsData(m);
    case GapBeforeRole:
        // seq is gapless per channel (docs/protocol.md §3): a jump between two
        // confirmed neighbours means we have not seen what lies between.
        return prev && row < m_confirmedCount && m.seq > prev->message.seq + 1;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "messageId");
    names.insert(SeqRole, "seq");
    names.insert(AuthorIdRole, "authorId");
    names.insert(AuthorNameRole, "authorName");
    names.insert(TextRole, "text");
    names.insert(TimestampRole, "timestamp");
    names.insert(DeliveryStateRole, "deliveryState");
    names.insert(IsOwnRole, "isOwn");
    names.insert(FirstOfGroupRole, "firstOfGroup");
    names.insert(DaySeparatorRole, "daySeparator");
    names.insert(ClientMsgIdRole, "clientMsgId");
    names.insert(GapBeforeRole, "gapBefore");
    names.insert(ErrorRole, "error");
    names.insert(RevRole, "rev");
    names.insert(EditedAtRole, "editedAt");
    names.insert(DeletedRole, "deleted");
    names.insert(KindRole, "kind");
    names.insert(ReactionsRole, "reactions");
    names.insert(ReplyToRole, "replyTo");
    names.insert(MentionsMeRole, "mentionsMe");
    names.insert(MentionsRole, "mentions");
    names.insert(AttachmentsRole, "attachments");
    return names;
}

QString MessageListModel::excerptOf(const QString &text)
{
    constexpr int kExcerptCodePoints = 200; // §7 `R.excerpt`
    int codePoints = 0;
    qsizetype i = 0;
    while (i < text.size() && codePoints < kExcerptCodePoints) {
        i +=
            (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ? 2
            : 1;
        ++codePoints;
    }
    return text.left(i);
}

QVariantMap MessageListModel::replyData(const Message &m) const
{
    if (!m.replyTo)
        return {};
    const ReplyRef &r = *m.replyTo;
    QVariantMap map{{QStringLiteral("id"), r.id},           {QStringLiteral("seq"), r.seq},
                    {QStringLiteral("authorId"), r.author}, {QStringLiteral("excerpt"), r.excerpt},
                    {QStringLiteral("deleted"), r.deleted}, {QStringLiteral("held"), false}};
    // §7: a client holding the target quotes its own, current copy.
    if (const auto target = message(r.id)) {
        map.insert(QStringLiteral("seq"), target->seq);
        map.insert(QStringLiteral("authorId"), target->author);
        map.insert(QStringLiteral("excerpt"),
                   target->deleted ? QString() : excerptOf(target->text));
        map.insert(QStringLiteral("deleted"), target->deleted);
        map.insert(QStringLiteral("held"), true);
    }
    const QString author = map.value(QStringLiteral("authorId")).toString();
    map.insert(QStringLiteral("authorName"), m_users ? m_users->displayName(author) : author);
    return map;
}

QVariantList MessageListModel::reactionsData(const Message &m) const
{
    QVariantList list;
    list.reserve(m.reactions.size());
    for (const Reaction &x : m.reactions) {
        QStringList names;
        for (const QString &user : x.users)
            names.append(m_users ? m_users->displayName(user) : user);
        list.append(QVariantMap{{QStringLiteral("emoji"), x.emoji},
                                {QStringLiteral("count"), x.count},
                                {QStringLiteral("mine"), x.users.contains(m_selfId)},
                                {QStringLiteral("users"), x.users},
                                {QStringLiteral("names"), names}});
    }
    return list;
}

QVariantList MessageListModel::attachmentsData(const Message &m)
{
    QVariantList list;
    if (m.deleted)
        return list; // §7: a tombstone has no files, whatever a copy says
    list.reserve(m.attachments.size());
    for (const Attachment &f : m.attachments) {
        list.append(QVariantMap{{QStringLiteral("id"), f.id},
                                {QStringLiteral("name"), f.name},
                                {QStringLiteral("mime"), f.mime},
                                {QStringLiteral("size"), f.size},
                                {QStringLiteral("width"), f.width},
                                {QStringLiteral("height"), f.height},
                                {QStringLiteral("thumbnail"), f.thumbnail},
                                {QStringLiteral("image"), f.isImage()}});
    }
    return list;
}

std::optional<Message> MessageListModel::message(const QString &messageId) const
{
    const int row = rowOfId(messageId);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row).message;
}

int MessageListModel::rowOfId(const QString &messageId) const
{
    if (messageId.isEmpty() || !m_ids.contains(messageId))
        return -1;
    for (int i = m_confirmedCount - 1; i >= 0; --i) {
        if (m_rows.at(i).message.id == messageId)
            return i;
    }
    return -1;
}

bool MessageListModel::reactedByMe(const QString &messageId, const QString &emoji) const
{
    const auto m = message(messageId);
    if (!m)
        return false;
    for (const Reaction &x : m->reactions) {
        if (x.emoji == emoji)
            return x.users.contains(m_selfId);
    }
    return false;
}

void MessageListModel::notifyReplies(const QSet<QString> &targetIds)
{
    // Replies quote their target's current copy (§7): a target that changed or
    // just arrived changes how they look.
    if (targetIds.isEmpty())
        return;
    for (int i = 0; i < m_rows.size(); ++i) {
        const auto &reply = m_rows.at(i).message.replyTo;
        if (reply && targetIds.contains(reply->id)) {
            const QModelIndex idx = index(i);
            Q_EMIT dataChanged(idx, idx, {ReplyToRole});
        }
    }
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || m_fetching || !m_hasMoreHistory)
        return false;
    return m_confirmedCount == 0 || m_rows.first().message.seq > 1;
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT historyRequested(m_channelId, m_confirmedCount == 0 ? 0 : m_rows.first().message.seq);
}

void MessageListModel::historyLoaded(const QList<Message> &messages, bool hasMore)
{
    if (m_reloading) {
        replaceWithPage(messages, hasMore);
        return;
    }
    // Still "fetching" while the rows go in: a view reacting to the insertion
    // must not ask for the same page again.
    m_hasMoreHistory = hasMore;
    addMessages(messages);
    m_fetching = false;
}

void MessageListModel::beginReload()
{
    if (m_reloading)
        return;
    m_reloading = true;
    m_fetching = true;
    Q_EMIT reloadingChanged(true);
    Q_EMIT historyRequested(m_channelId, 0);
}

void MessageListModel::replaceWithPage(const QList<Message> &messages, bool hasMore)
{
    // §6 resync: the cached copy is dropped and the fresh page takes its place in
    // one step, so the view goes from the old rows to the new ones, never empty.
    // Rows newer than the page (live messages that overtook the reply) stay.
    QList<Message> page;
    for (const Message &m : messages) {
        if ((m.channel == m_channelId || m.channel.isEmpty()) && !m.id.isEmpty())
            page.append(m);
    }
    std::stable_sort(page.begin(), page.end(),
                     [](const Message &a, const Message &b) { return a.seq < b.seq; });
    if (page.isEmpty() && messages.isEmpty() && hasMore) {
        // The request was lost with the connection: keep the old rows and ask again
        // once the view wants more.
        m_reloading = false;
        m_fetching = false;
        Q_EMIT reloadingChanged(false);
        return;
    }
    const qint64 pageLast = page.isEmpty() ? 0 : page.last().seq;
    QList<Row> rows;
    rows.reserve(page.size() + m_rows.size());
    QSet<QString> ids;
    for (const Message &m : std::as_const(page)) {
        if (ids.contains(m.id))
            continue;
        ids.insert(m.id);
        rows.append(makeRow(m, DeliveryState::Sent));
    }
    for (int i = 0; i < m_confirmedCount; ++i) {
        const Message &m = m_rows.at(i).message;
        if (m.seq > pageLast && !ids.contains(m.id)) {
            ids.insert(m.id);
            rows.append(m_rows.at(i));
        }
    }
    const int confirmed = int(rows.size());
    for (int i = m_confirmedCount; i < m_rows.size(); ++i) {
        const Message &m = m_rows.at(i).message;
        if (!(m.author == m_selfId && !m.clientMsgId.isEmpty()
              && confirmedHas(rows, m.clientMsgId)))
            rows.append(m_rows.at(i));
    }
    beginResetModel();
    m_rows = std::move(rows);
    m_confirmedCount = confirmed;
    m_ids = std::move(ids);
    m_hasMoreHistory = hasMore && !(m_confirmedCount > 0 && m_rows.first().message.seq <= 1);
    m_reloading = false;
    m_fetching = false;
    endResetModel();
    Q_EMIT reloadingChanged(false);
}

bool MessageListModel::confirmedHas(const QList<Row> &rows, const QString &clientMsgId)
{
    return std::any_of(rows.cbegin(), rows.cend(), [&](const Row &r) {
        return r.state == DeliveryState::Sent && r.message.clientMsgId == clientMsgId;
    });
}

int MessageListModel::confirmedRow(const Message &m) const
{
    const auto begin = m_rows.cbegin();
    const auto end = begin + m_confirmedCount;
    auto pos = std::lower_bound(begin, end, m.seq,
                                [](const Row &r, qint64 seq) { return r.message.seq < seq; });
    for (; pos != end && pos->message.seq == m.seq; ++pos) {
        if (pos->message.id == m.id)
            return int(pos - begin);
    }
    // A server that renumbered: look for the id anywhere.
    for (int i = 0; i < m_confirmedCount; ++i) {
        if (m_rows.at(i).message.id == m.id)
            return i;
    }
    return -1;
}

bool MessageListModel::replaceIfNewer(int row, const Message &m)
{
    Row &r = m_rows[row];
    if (m.rev == r.message.rev && m.replyTo && r.message.replyTo
        && m.replyTo->id == r.message.replyTo->id && *m.replyTo != *r.message.replyTo) {
        // §7: R is the target as it was when the server serialized this copy, not
        // part of the reply's own rev: a later copy of the same version brings
        // the target's newer excerpt (shown when we do not hold the target).
        r.message.replyTo = m.replyTo;
        const QModelIndex idx = index(row);
        Q_EMIT dataChanged(idx, idx, {ReplyToRole});
        return false;
    }
    if (m.rev == r.message.rev && r.message.attachments.isEmpty() && !m.attachments.isEmpty()
        && !m.deleted && !r.message.deleted) {
        // A copy cached before this client kept files (local store < 5): the
        // server's copy of the same version brings them.
        r.message.attachments = m.attachments;
        const QModelIndex idx = index(row);
        Q_EMIT dataChanged(idx, idx, {AttachmentsRole});
        return false;
    }
    if (m.rev <= r.message.rev)
        return false; // §6: an older or the same version changes nothing
    r.message = m;
    r.day = QDate();
    const QModelIndex idx = index(row);
    Q_EMIT dataChanged(idx, idx);
    notifyNeighbour(row + 1);
    notifyReplies({m.id});
    return true;
}

bool MessageListModel::applyUpdate(const Message &m)
{
    if ((m.channel != m_channelId && !m.channel.isEmpty()) || m.id.isEmpty())
        return false;
    if (m_ids.contains(m.id)) {
        const int row = confirmedRow(m);
        return row >= 0 && replaceIfNewer(row, m);
    }
    // §6: a change to a message we do not hold is stored only inside the range we
    // hold (a hole there is a gap being filled); never shown as a new message.
    if (m_confirmedCount == 0 || m.seq < firstSeq() || m.seq > lastSeq())
        return false;
    addMessages({m});
    return true;
}

QString MessageListModel::idOfClientMsgId(const QString &clientMsgId) const
{
    for (int i = m_confirmedCount - 1; i >= 0; --i) {
        if (m_rows.at(i).message.clientMsgId == clientMsgId)
            return m_rows.at(i).message.id;
    }
    return {};
}

qint64 MessageListModel::firstSeq() const
{
    return m_confirmedCount == 0 ? 0 : m_rows.first().message.seq;
}

qint64 MessageListModel::lastSeq() const
{
    return m_confirmedCount == 0 ? 0 : m_rows.at(m_confirmedCount - 1).message.seq;
}

void MessageListModel::addMessages(const QList<Message> &messages)
{
    QList<Message> fresh;
    fresh.reserve(messages.size());
    QHash<QString, qsizetype> freshAt; // id -> index in `fresh`: one row per id
    for (const Message &m : messages) {
        if (m.channel != m_channelId && !m.channel.isEmpty())
            continue;
        if (m.id.isEmpty())
            continue;
        if (const auto at = freshAt.constFind(m.id); at != freshAt.cend()) {
            if (m.rev > fresh.at(at.value()).rev)
                fresh[at.value()] = m;
            continue;
        }
        if (m_ids.contains(m.id)) {
            // A later copy (history page, replay, cache) of a message we hold:
            // the newer version wins, and it is never a second row.
            if (const int row = confirmedRow(m); row >= 0)
                replaceIfNewer(row, m);
            continue;
        }
        freshAt.insert(m.id, fresh.size());
        m_ids.insert(m.id);
        fresh.append(m);
    }
    if (fresh.isEmpty())
        return;

    // A confirmed copy of one of our pending messages replaces the pending row.
    for (const Message &m : std::as_const(fresh)) {
        if (m.author == m_selfId && !m.clientMsgId.isEmpty())
            removePending(m.clientMsgId);
    }

    std::stable_sort(fresh.begin(), fresh.end(),
                     [](const Message &a, const Message &b) { return a.seq < b.seq; });
    QSet<QString> freshIds;
    for (const Message &m : std::as_const(fresh))
        freshIds.insert(m.id);
    insertConfirmedSorted(std::move(fresh));
    notifyReplies(freshIds);
    if (m_confirmedCount > 0 && m_rows.first().message.seq <= 1)
        m_hasMoreHistory = false;
}

void MessageListModel::insertConfirmedSorted(QList<Message> sorted)
{
    auto toRow = [](const Message &m) {
        return makeRow(m, DeliveryState::Sent);
    };
    const qint64 last = lastSeq();
    const qint64 first = firstSeq();

    // Fast paths: a block newer than everything (live, resume, cache) or older
    // than everything (a history page). One insert signal each.
    if (m_confirmedCount == 0 || sorted.first().seq > last) {
        const int at = m_confirmedCount;
        beginInsertRows({}, at, at + int(sorted.size()) - 1);
        QList<Row> block;
        block.reserve(sorted.size());
        for (const Message &m : sorted)
            block.append(toRow(m));
        m_rows.insert(at, sorted.size(), Row{});
        std::move(block.begin(), block.end(), m_rows.begin() + at);
        m_confirmedCount += int(sorted.size());
        endInsertRows();
        notifyNeighbour(at + int(sorted.size()));
        return;
    }
    if (sorted.last().seq < first) {
        beginInsertRows({}, 0, int(sorted.size()) - 1);
        QList<Row> block;
        block.reserve(sorted.size() + m_rows.size());
        for (const Message &m : sorted)
            block.append(toRow(m));
        block.append(std::move(m_rows));
        m_rows = std::move(block);
        m_confirmedCount += int(sorted.size());
        endInsertRows();
        notifyNeighbour(int(sorted.size()));
        return;
    }
    // Interleaved (rare: filling a gap): one by one at their sorted place.
    for (const Message &m : sorted) {
        const auto begin = m_rows.begin();
        const auto pos =
            std::lower_bound(begin, begin + m_confirmedCount, m.seq,
                             [](const Row &r, qint64 seq) { return r.message.seq < seq; });
        const int at = int(pos - begin);
        beginInsertRows({}, at, at);
        m_rows.insert(at, toRow(m));
        ++m_confirmedCount;
        endInsertRows();
        notifyNeighbour(at + 1);
    }
}

MessageListModel::Row MessageListModel::makeRow(const Message &m, DeliveryState state,
                                                const QString &error)
{
    return Row{m, state, error, QDate()};
}

void MessageListModel::notifyNeighbour(int row)
{
    // Grouping, day separator and gap of the row after an insertion depend on
    // its new predecessor.
    if (row >= 0 && row < m_rows.size()) {
        const QModelIndex idx = index(row);
        Q_EMIT dataChanged(idx, idx, {FirstOfGroupRole, DaySeparatorRole, GapBeforeRole});
    }
}

int MessageListModel::pendingRow(const QString &clientMsgId) const
{
    for (int i = m_confirmedCount; i < m_rows.size(); ++i) {
        if (m_rows.at(i).message.clientMsgId == clientMsgId)
            return i;
    }
    return -1;
}

void MessageListModel::upsertPending(const QString &clientMsgId, const QString &text,
                                     const QDateTime &createdAt, DeliveryState state,
                                     const QString &error, const QString &replyTo)
{
    const int existing = pendingRow(clientMsgId);
    if (existing >= 0) {
        Row &r = m_rows[existing];
        r.state = state;
        r.error = error;
        const QModelIndex idx = index(existing);
        Q_EMIT dataChanged(idx, idx, {DeliveryStateRole, ErrorRole});
        return;
    }
    Message m;
    m.channel = m_channelId;
    m.author = m_selfId;
    m.text = text;
    m.ts = createdAt;
    m.clientMsgId = clientMsgId;
    if (!replyTo.isEmpty())
        m.replyTo = ReplyRef{replyTo, 0, {}, {}, false};
    Row r = makeRow(m, state, error);
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(std::move(r));
    endInsertRows();
}

void MessageListModel::removePending(const QString &clientMsgId)
{
    const int row = pendingRow(clientMsgId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    notifyNeighbour(row);
}

QStringList MessageListModel::pendingClientMsgIds() const
{
    QStringList ids;
    for (int i = m_confirmedCount; i < m_rows.size(); ++i)
        ids.append(m_rows.at(i).message.clientMsgId);
    return ids;
}

void MessageListModel::refreshAuthorNames()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1),
                           {AuthorNameRole, ReactionsRole, ReplyToRole});
}

} // namespace Natter
