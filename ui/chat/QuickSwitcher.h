// Ctrl+K: a small dialog to jump to a channel or person by typing part of the name.
#pragma once

#include <QDialog>

class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QAbstractItemModel;

namespace Natter {

class QuickSwitcher : public QDialog
{
    Q_OBJECT
public:
    // `channels` is a ChannelListModel (filtered on its display name).
    QuickSwitcher(QAbstractItemModel *channels, QWidget *parent = nullptr);

Q_SIGNALS:
    void channelChosen(const QString &channelId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void choose();

    QLineEdit *m_filter;
    QListView *m_list;
    QSortFilterProxyModel *m_proxy;
};

} // namespace Natter
