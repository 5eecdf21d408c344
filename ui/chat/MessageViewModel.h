// What the message view needs beyond the channel's MessageListModel: the words
// a screen reader speaks for each message (author, time, text, and whether it
// was edited or deleted) and the tooltip with the time of the last edit. A thin
// identity proxy in front of the open channel's model; owned by ChatWindow.
#pragma once

#include <QIdentityProxyModel>

namespace Natter {

class MessageViewModel : public QIdentityProxyModel
{
    Q_OBJECT
public:
    explicit MessageViewModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Older pages load when the view reaches the top (ChatWindow asks the channel's
    // model), not whenever the newest row is visible: Qt's views call fetchMore()
    // while their *last* row is in sight, which in a chat held at the bottom would
    // page through the whole history. The first page of an empty channel still
    // comes through the view.
    bool canFetchMore(const QModelIndex &parent) const override;

    // "Edited 5 December 2026 at 09:12": the tooltip of an edited message.
    // "Reactions: 👍: 2, including you." for screen readers; empty if none.
    static QString reactionsSummary(const QModelIndex &index);
    static QString editedTooltip(const QDateTime &editedAt);
    // "Not sent: <why>" for our own message the server refused, "Sending."
    // while on its way; empty once stored.
    static QString deliveryText(const QModelIndex &index);
};

} // namespace Natter
