// Who `@` completes to in the composer: the people of PresenceModel who are
// members of the open channel (a mention of anyone else would notify nobody,
// §7), each shown as "Display Name (@username)". ChatWindow owns it and sets
// the members whenever the open channel or its membership changes.
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>

namespace Natter {

class MentionCandidates : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    // `people` is a PresenceModel (IdRole, UsernameRole, DisplayNameRole); not owned.
    explicit MentionCandidates(QAbstractItemModel *people, QObject *parent = nullptr);

    // The user ids that may be offered; the signed-in user is left out.
    void setMembers(const QStringList &userIds, const QString &selfId);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QSet<QString> m_members;
};

} // namespace Natter
