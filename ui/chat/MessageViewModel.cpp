#include "MessageViewModel.h"

#include "models/MessageListModel.h"

#include <QLocale>

namespace Natter {

using Role = MessageListModel::Role;

MessageViewModel::MessageViewModel(QObject *parent)
    : QIdentityProxyModel(parent)
{ }

QString MessageViewModel::editedTooltip(const QDateTime &editedAt)
{
    //: Tooltip of an edited message; %1 is the date and time of the last edit.
    return tr("Edited %1").arg(QLocale().toString(editedAt.toLocalTime(), QLocale::LongFormat));
}

QVariant MessageViewModel::data(const QModelIndex &index, int role) const
{
    if (role != Qt::AccessibleTextRole && role != Qt::AccessibleDescriptionRole
        && role != Qt::ToolTipRole)
        return QIdentityProxyModel::data(index, role);
    if (!index.isValid())
        return {};
    const bool deleted = index.data(Role::DeletedRole).toBool();
    const QDateTime editedAt = index.data(Role::EditedAtRole).toDateTime();
    const bool edited = !deleted && editedAt.isValid();
    switch (role) {
    case Qt::AccessibleTextRole: {
        const QString author = index.data(Role::AuthorNameRole).toString();
        const QString time =
            QLocale().toString(index.data(Role::TimestampRole).toDateTime().toLocalTime().time(),
                               QLocale::ShortFormat);
        if (deleted)
            //: Screen-reader text of a deleted message; %1 author, %2 time it was sent.
            return tr("%1, %2: message deleted").arg(author, time);
        const QString text = index.data(Role::TextRole).toString();
        if (edited)
            //: Screen-reader text of an edited message; %1 author, %2 time, %3 its text.
            return tr("%1, %2: %3 (edited)").arg(author, time, text);
        //: Screen-reader text of a message; %1 author, %2 time, %3 its text.
        return tr("%1, %2: %3").arg(author, time, text);
    }
    case Qt::AccessibleDescriptionRole:
        if (deleted)
            return tr("This message was deleted.");
        if (edited)
            return editedTooltip(editedAt);
        return {};
    case Qt::ToolTipRole:
        return edited ? QVariant(editedTooltip(editedAt)) : QVariant();
    }
    return {};
}

} // namespace Natter
