// The people the signed-in user can see (everyone sharing a channel), with their
// presence. Fed from the `connected` snapshot and live `presence` events; also the
// place other models look up display names. Owned by ChatSession.
#pragma once

#include "protocol/Types.h"

#include <QAbstractListModel>
#include <QHash>

namespace Natter {

class PresenceModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1, // QString: user id
        UsernameRole, // QString: login name
        DisplayNameRole, // QString: display name, falling back to the username
        StatusRole, // int: PresenceStatus
        LastSeenRole, // QDateTime: when last online (invalid if never)
    };
    Q_ENUM(Role)

    explicit PresenceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces everyone (a new `connected` snapshot).
    void setUsers(const QList<User> &users);
    // Adds or updates one user (e.g. from the user directory or a direct channel).
    void upsertUser(const User &user);
    void applyPresence(const PresenceEvent &event);
    // Our own connection dropped: nobody's presence is known any more.
    void markAllUnknown();

    bool contains(const QString &userId) const { return m_rowById.contains(userId); }
    User user(const QString &userId) const;
    // Display name for an author id; the id itself when the user is unknown.
    QString displayName(const QString &userId) const;
    PresenceStatus status(const QString &userId) const;

Q_SIGNALS:
    // A user's name or status changed (rows changed are also signalled as dataChanged).
    void userChanged(const QString &userId);

private:
    void rebuildIndex();

    QList<User> m_users;
    QHash<QString, int> m_rowById;
};

} // namespace Natter
