#include "BrowseChannelsDialog.h"

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
constexpr int kPage = 100;
} // namespace

BrowseChannelsDialog::BrowseChannelsDialog(ChatSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_search(new QLineEdit(this))
    , m_list(new QTreeWidget(this))
    , m_join(new QPushButton(tr("&Join"), this))
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
    connect(m_session->directory(), &DirectoryClient::channelsFound, this,
            [this](int request, const QList<DirectoryChannel> &channels, const QString &) {
                if (request == m_request)
                    show(channels);
            });
    search();
}

void BrowseChannelsDialog::search()
{
    m_request = m_session->directory()->findChannels(m_search->text().trimmed(), kPage);
}

void BrowseChannelsDialog::show(const QList<DirectoryChannel> &channels)
{
    m_list->clear();
    for (const DirectoryChannel &c : channels) {
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
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    m_list->resizeColumnToContents(0);
}

void BrowseChannelsDialog::join()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item || !isVisible())
        return; // Enter in the search field reaches the default button too
    m_session->joinChannel(item->data(0, Qt::UserRole).toString());
    accept();
}

} // namespace Natter
