#include "MessageViewModel.h"

#include "AttachmentPainter.h"
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

QString MessageViewModel::reactionsSummary(const QModelIndex &index)
{
    QStringList parts;
    const QVariantList reactions = index.data(Role::ReactionsRole).toList();
    for (const QVariant &v : reactions) {
        const QVariantMap r = v.toMap();
        const QString emoji = r.value(QStringLiteral("emoji")).toString();
        const int count = r.value(QStringLiteral("count")).toInt();
        parts.append(r.value(QStringLiteral("mine")).toBool()
                         //: One reaction, read to screen readers; %1 the emoji.
                         ? tr("%1: %n, including you", nullptr, count).arg(emoji)
                         //: One reaction, read to screen readers; %1 the emoji.
                         : tr("%1: %n", nullptr, count).arg(emoji));
    }
    if (parts.isEmpty())
        return {};
    //: Screen-reader description of a message's reactions; %1 the list.
    return tr("Reactions: %1.").arg(parts.join(QStringLiteral("; ")));
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
    case Qt::AccessibleDescriptionRole: {
        if (deleted)
            return tr("This message was deleted.");
        QStringList parts;
        // Our own message the server has not stored: said first.
        const QString delivery = deliveryText(index);
        if (!delivery.isEmpty())
            parts.append(delivery);
        const QVariantMap reply = index.data(Role::ReplyToRole).toMap();
        if (!reply.isEmpty()) {
            const QString author = reply.value(QStringLiteral("authorName")).toString();
            parts.append(reply.value(QStringLiteral("deleted")).toBool()
                             //: Screen-reader description of a reply to a deleted message.
                             ? tr("In reply to a deleted message by %1.").arg(author)
                             //: Screen-reader description of a reply; %1 author, %2 excerpt.
                             : tr("In reply to %1: %2.")
                                   .arg(author, reply.value(QStringLiteral("excerpt")).toString()));
        }
        if (edited)
            parts.append(editedTooltip(editedAt));
        // §9 files: name, type and size, and that Enter opens or saves them.
        const QString files =
            AttachmentPainter::summary(index.data(Role::AttachmentsRole).toList());
        if (!files.isEmpty())
            parts.append(files);
        const QString reactions = reactionsSummary(index);
        if (!reactions.isEmpty())
            parts.append(reactions);
        return parts.isEmpty() ? QVariant() : QVariant(parts.join(QLatin1Char(' ')));
    }
    case Qt::ToolTipRole: {
        QStringList parts;
        const QString delivery = deliveryText(index);
        if (!delivery.isEmpty())
            parts.append(delivery);
        if (edited)
            parts.append(editedTooltip(editedAt));
        return parts.isEmpty() ? QVariant() : QVariant(parts.join(QLatin1Char('\n')));
    }
    }
    return {};
}

QString MessageViewModel::deliveryText(const QModelIndex &index)
{
    using State = MessageListModel::DeliveryState;
    switch (State(index.data(Role::DeliveryStateRole).toInt())) {
    case State::Sent:
        return {};
    case State::Pending:
        //: Screen-reader description of our message on its way to the server.
        return tr("Sending.");
    case State::Failed: {
        const QString why = index.data(Role::ErrorRole).toString();
        return why.isEmpty()
            ? tr("Not sent.")
            //: Screen-reader description and tooltip of a message the server refused; %1 why.
            : tr("Not sent: %1").arg(why);
    }
    }
    return {};
}

bool MessageViewModel::canFetchMore(const QModelIndex &parent) const
{
    if (sourceModel() && sourceModel()->rowCount() > 0)
        return false;
    return QIdentityProxyModel::canFetchMore(parent);
}

} // namespace Natter
