#include "MentionCandidates.h"

#include "models/PresenceModel.h"

namespace Natter {

MentionCandidates::MentionCandidates(QAbstractItemModel *people, QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSourceModel(people);
    setSortRole(PresenceModel::UsernameRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    sort(0);
}

void MentionCandidates::setMembers(const QStringList &userIds, const QString &selfId)
{
    QSet<QString> members(userIds.cbegin(), userIds.cend());
    members.remove(selfId);
    if (members == m_members)
        return;
    m_members = members;
    invalidateFilter();
}

bool MentionCandidates::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex person = sourceModel()->index(sourceRow, 0, sourceParent);
    return m_members.contains(person.data(PresenceModel::IdRole).toString());
}

QVariant MentionCandidates::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        const QString username = index.data(PresenceModel::UsernameRole).toString();
        const QString display = index.data(PresenceModel::DisplayNameRole).toString();
        if (display.isEmpty() || display == username)
            return QStringLiteral("@") + username;
        return tr("%1 (@%2)", "mention completion: display name, username").arg(display, username);
    }
    return QSortFilterProxyModel::data(index, role);
}

} // namespace Natter
