#include "QuickSwitcher.h"

#include "models/ChannelListModel.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace Natter {

QuickSwitcher::QuickSwitcher(QAbstractItemModel *channels, QWidget *parent)
    : QDialog(parent)
    , m_filter(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Switch to…"));
    m_proxy->setSourceModel(channels);
    m_proxy->setFilterRole(ChannelListModel::NameRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list->setModel(m_proxy);
    m_list->setAccessibleName(tr("Matching channels"));
    m_filter->setPlaceholderText(tr("Channel or person"));
    m_filter->setAccessibleName(tr("Find a channel or person"));
    m_filter->installEventFilter(this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text);
        m_list->setCurrentIndex(m_proxy->index(0, 0));
    });
    connect(m_filter, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_list, &QListView::activated, this, &QuickSwitcher::choose);
    m_list->setCurrentIndex(m_proxy->index(0, 0));
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    // Up/Down in the filter field move through the list, as in every switcher.
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = m_list->currentIndex().row() + (key == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_proxy->rowCount())
                m_list->setCurrentIndex(m_proxy->index(row, 0));
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::choose()
{
    const QModelIndex idx = m_list->currentIndex();
    if (!idx.isValid())
        return;
    Q_EMIT channelChosen(idx.data(ChannelListModel::IdRole).toString());
    accept();
}

} // namespace Natter
