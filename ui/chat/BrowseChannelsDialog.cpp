#include "BrowseChannelsDialog.h"

#include "DirectoryPager.h"
#include "session/ChatSession.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Natter {

namespace {
constexpr int kDebounceMs = 250;
} // namespace

BrowseChannelsDialog::BrowseChannelsDialog(ChatSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_search(new QLineEdit(this))
    , m_list(new QTreeWidget(this))
    , m_join(new QPushButton(tr("&Join"), this))
    , m_pager(
          new DirectoryPager(session->directory(), DirectoryPager::Kind::Channels, kPageSize, this))
{
    setWindowTitle(tr("Browse channels"));
    resize(560, 420);
    m_search->setPlaceholderText(tr("Search channels by name or topic"));
    m_search->setAccessibleName(tr("Search channels"));
    m_list->setAccessibleName(tr("Channels on this server"));
    m_list->setHeaderLabels({tr("Channel"), tr("Members"), tr("Topic")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(true);
    m_join->setAccessibleDescription(tr("Join the selected channel and open it"));
    m_join->setEnabled(false);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_join, QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &BrowseChannelsDialog::search);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &BrowseChannelsDialog::join);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_join, &QPushButton::clicked, this, &BrowseChannelsDialog::join);
    connect(m_list, &QTreeWidget::itemActivated, this, &BrowseChannelsDialog::join);
    connect(m_list, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) { m_join->setEnabled(current != nullptr); });
    // §8: the directory is paged; the next page comes as the list is scrolled to its end.
    connect(m_pager, &DirectoryPager::pageArrived, this, &BrowseChannelsDialog::show);
    // Unreadable (natterd down, a refusal): said in the list, where the eye and
    // a screen reader's focus already are; the next search starts over.
    connect(m_pager, &DirectoryPager::failed, this, [this](const QString &explanation) {
        m_list->clear();
        auto *item = new QTreeWidgetItem(m_list, {explanation});
        item->setFlags(Qt::ItemIsEnabled); // nothing to join
        item->setFirstColumnSpanned(true);
        m_list->setAccessibleDescription(explanation);
    });
    m_pager->followScrolling(m_list);
    search();
}

void BrowseChannelsDialog::search()
{
    m_pager->search(m_search->text());
}

void BrowseChannelsDialog::show(bool first, int count)
{
    if (first) {
        m_list->clear();
        m_list->setAccessibleDescription(QString());
    }
    const QList<DirectoryChannel> &all = m_pager->channels();
    for (qsizetype i = all.size() - count; i < all.size(); ++i) {
        const DirectoryChannel &c = all.at(i);
        QString name = QStringLiteral("#") + c.name;
        if (c.archived)
            name = tr("%1 (archived)").arg(name);
        else if (c.member)
            name = tr("%1 (joined)").arg(name);
        auto *item = new QTreeWidgetItem(
            m_list, {name, QString::number(c.memberCount), c.topic.simplified()});
        item->setData(0, Qt::UserRole, c.id);
        item->setData(0, Qt::AccessibleTextRole,
                      tr("%1, members: %2, %3").arg(name).arg(c.memberCount).arg(c.topic));
    }
    if (first && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    if (first)
        m_list->resizeColumnToContents(0);
}

void BrowseChannelsDialog::join()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item || !isVisible())
        return; // Enter in the search field reaches the default button too
    const QString channel = item->data(0, Qt::UserRole).toString();
    if (channel.isEmpty())
        return; // the line saying why the list is empty
    m_session->joinChannel(channel);
    accept();
}

} // namespace Natter
