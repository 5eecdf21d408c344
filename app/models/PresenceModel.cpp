#include "PresenceModel.h"

namespace Natter {

PresenceModel::PresenceModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int PresenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant PresenceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const User &u = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return u.name();
    case IdRole:
        return u.id;
    case UsernameRole:
        return u.username;
    case StatusRole:
        return int(u.status);
    case LastSeenRole:
        return u.lastSeen;
    default:
        return {};
    }
}

QHash<int, QByteArray> PresenceModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(IdRole, "userId");
    names.insert(UsernameRole, "username");
    names.insert(DisplayNameRole, "displayName");
    names.insert(StatusRole, "status");
    names.insert(LastSeenRole, "lastSeen");
    return names;
}

void PresenceModel::setUsers(const QList<User> &users)
{
    beginResetModel();
    m_users = users;
    rebuildIndex();
    endResetModel();
    for (const User &u : users)
        Q_EMIT userChanged(u.id);
}

void PresenceModel::upsertUser(const User &user)
{
    const auto it = m_rowById.constFind(user.id);
    if (it == m_rowById.constEnd()) {
        const int row = int(m_users.size());
        beginInsertRows({}, row, row);
        m_users.append(user);
        m_rowById.insert(user.id, row);
        endInsertRows();
    } else {
        User &existing = m_users[*it];
        if (existing == user)
            return;
        existing = user;
        const QModelIndex idx = index(*it);
        Q_EMIT dataChanged(idx, idx);
    }
    Q_EMIT userChanged(user.id);
}

void PresenceModel::applyPresence(const PresenceEvent &event)
{
    const auto it = m_rowById.constFind(event.user);
    if (it == m_rowById.constEnd())
        return; // Presence of someone we share no channel with: nothing to show.
    User &u = m_users[*it];
    u.status = event.status;
    if (event.lastSeen.isValid())
        u.lastSeen = event.lastSeen;
    const QModelIndex idx = index(*it);
    Q_EMIT dataChanged(idx, idx, {StatusRole, LastSeenRole});
    Q_EMIT userChanged(event.user);
}

void PresenceModel::markAllUnknown()
{
    // While we are offline we cannot tell who is online; showing stale green dots
    // would lie. Everyone shows as offline until the next snapshot.
    if (m_users.isEmpty())
        return;
    for (User &u : m_users)
        u.status = PresenceStatus::Offline;
    Q_EMIT dataChanged(index(0), index(int(m_users.size()) - 1), {StatusRole});
    for (const User &u : std::as_const(m_users))
        Q_EMIT userChanged(u.id);
}

User PresenceModel::user(const QString &userId) const
{
    const auto it = m_rowById.constFind(userId);
    return it == m_rowById.constEnd() ? User{} : m_users.at(*it);
}

QString PresenceModel::displayName(const QString &userId) const
{
    const auto it = m_rowById.constFind(userId);
    return it == m_rowById.constEnd() ? userId : m_users.at(*it).name();
}

PresenceStatus PresenceModel::status(const QString &userId) const
{
    const auto it = m_rowById.constFind(userId);
    return it == m_rowById.constEnd() ? PresenceStatus::Offline : m_users.at(*it).status;
}

void PresenceModel::rebuildIndex()
{
    m_rowById.clear();
    for (int i = 0; i < m_users.size(); ++i)
        m_rowById.insert(m_users.at(i).id, i);
}

} // namespace Natter
