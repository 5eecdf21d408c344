#include "QuickSwitcher.h"

#include "DirectoryPager.h"
#include "models/ChannelListModel.h"
#include "session/ChatSession.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace Natter {

QuickSwitcher::QuickSwitcher(ChatSession *session, QWidget *parent, Mode mode)
    : QDialog(parent)
    , m_session(session)
    , m_mode(mode)
    , m_filter(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_model(new QStandardItemModel(this))
    , m_pager(new DirectoryPager(session->directory(), DirectoryPager::Kind::Users, kPeoplePageSize,
                                 this))
{
    const bool peopleOnly = mode == Mode::PeopleOnly;
    setWindowTitle(peopleOnly ? tr("New direct message") : tr("Switch to…"));
    m_list->setModel(m_model);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAccessibleName(peopleOnly ? tr("Matching people")
                                         : tr("Matching channels and people"));
    m_filter->setPlaceholderText(peopleOnly ? tr("Person") : tr("Channel or person"));
    m_filter->setAccessibleName(peopleOnly ? tr("Find a person") : tr("Find a channel or person"));
    m_filter->installEventFilter(this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &QuickSwitcher::askDirectory);
    connect(m_filter, &QLineEdit::textChanged, this, [this] {
        refresh(); // the last answer, filtered here, until the directory's own

        m_debounce.start();
    });
    // The people directory is paged (§1, §8): more people come as the list is
    // scrolled (or moved through with Down) to its end.
    connect(m_pager, &DirectoryPager::pageArrived, this, [this] {
        m_people = m_pager->users();
        refresh();
    });
    m_pager->followScrolling(m_list);
    connect(m_filter, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_list, &QListView::activated, this, &QuickSwitcher::choose);
    refresh();
    askDirectory();
}

void QuickSwitcher::refresh()
{
    const QString text = m_filter->text().trimmed();
    // Keep the person's place in the list when an answer adds rows below it.
    const QString currentId = m_list->currentIndex().data(IdRole).toString();
    m_model->clear();
    if (m_mode == Mode::ChannelsAndPeople) {
        const ChannelListModel *channels = m_session->channels();
        for (int i = 0; i < channels->rowCount(); ++i) {
            const QModelIndex idx = channels->index(i);
            const QString name = idx.data(ChannelListModel::NameRole).toString();
            if (!name.contains(text, Qt::CaseInsensitive))
                continue;
            const bool direct =
                ChannelKind(idx.data(ChannelListModel::KindRole).toInt()) == ChannelKind::Direct;
            auto *item = new QStandardItem(direct ? name : QStringLiteral("#") + name);
            item->setData(idx.data(ChannelListModel::IdRole), IdRole);
            item->setData(false, IsPersonRole);
            m_model->appendRow(item);
        }
    }
    for (const User &u : std::as_const(m_people)) {
        if (u.id == m_session->self().id
            || !(u.username.contains(text, Qt::CaseInsensitive)
                 || u.displayName.contains(text, Qt::CaseInsensitive)))
            continue;
        const QString label = u.displayName.isEmpty() || u.displayName == u.username
            ? u.username
            : tr("%1 (%2)").arg(u.displayName, u.username);
        //: A person in the quick switcher: Enter opens a direct conversation.
        auto *item = new QStandardItem(tr("%1 — direct message").arg(label));
        item->setData(u.id, IdRole);
        item->setData(true, IsPersonRole);
        m_model->appendRow(item);
    }
    int row = 0;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (!currentId.isEmpty() && m_model->index(i, 0).data(IdRole).toString() == currentId)
            row = i;
    }
    m_list->setCurrentIndex(m_model->index(row, 0));
}

void QuickSwitcher::askDirectory()
{
    m_pager->search(m_filter->text());
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    // Up/Down in the filter field move through the list, as in every switcher.
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down || key == Qt::Key_Up) {
            const int row = m_list->currentIndex().row() + (key == Qt::Key_Down ? 1 : -1);
            if (row >= 0 && row < m_model->rowCount())
                m_list->setCurrentIndex(m_model->index(row, 0));
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
    const QString id = idx.data(IdRole).toString();
    if (idx.data(IsPersonRole).toBool()) {
        m_session->openDirect(id);
        Q_EMIT personChosen(id);
    } else {
        Q_EMIT channelChosen(id);
    }
    accept();
}

} // namespace Natter
