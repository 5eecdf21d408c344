#include "PeoplePicker.h"

#include "DirectoryPager.h"
#include "session/ChatSession.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace Natter {

PeoplePicker::PeoplePicker(ChatSession *session, const QStringList &exclude, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_exclude(exclude)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_chosenLabel(new QLabel(this))
    , m_pager(
          new DirectoryPager(session->directory(), DirectoryPager::Kind::Users, kPageSize, this))
{
    m_search->setPlaceholderText(tr("Search people by name"));
    m_search->setAccessibleName(tr("Search people"));
    m_list->setAccessibleName(tr("People found; tick the ones to add"));
    m_chosenLabel->setAccessibleName(tr("People chosen"));
    m_chosenLabel->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    layout->addWidget(m_chosenLabel);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &PeoplePicker::search);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    // The directory is paged: more people come as the list is scrolled to its end.
    connect(m_pager, &DirectoryPager::pageArrived, this, &PeoplePicker::show);
    // Unreadable (natterd down, a refusal): said in the list; the next search starts over.
    connect(m_pager, &DirectoryPager::failed, this, [this](const QString &explanation) {
        const QSignalBlocker block(m_list);
        m_list->clear();
        auto *item = new QListWidgetItem(explanation, m_list);
        item->setFlags(Qt::ItemIsEnabled); // nobody to tick
        m_list->setAccessibleDescription(explanation);
    });
    m_pager->followScrolling(m_list);
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked)
            m_chosen.insert(id, item->data(Qt::UserRole + 1).value<User>());
        else
            m_chosen.remove(id);
        QStringList names;
        for (const User &u : std::as_const(m_chosen))
            names.append(u.name());
        names.sort(Qt::CaseInsensitive);
        m_chosenLabel->setText(
            names.isEmpty() ? QString() : tr("Chosen: %1").arg(names.join(QStringLiteral(", "))));
        Q_EMIT chosenChanged();
    });
    search();
}

QStringList PeoplePicker::chosenIds() const
{
    return m_chosen.keys();
}

void PeoplePicker::search()
{
    m_pager->search(m_search->text());
}

void PeoplePicker::show(bool first, int count)
{
    const QSignalBlocker block(m_list);
    if (first) {
        m_list->clear();
        m_list->setAccessibleDescription(QString());
    }
    const QList<User> &all = m_pager->users();
    for (qsizetype i = all.size() - count; i < all.size(); ++i) {
        const User &u = all.at(i);
        if (u.id == m_session->self().id || m_exclude.contains(u.id))
            continue;
        auto *item = new QListWidgetItem(u.displayName.isEmpty() || u.displayName == u.username
                                             ? u.username
                                             : tr("%1 (%2)").arg(u.displayName, u.username),
                                         m_list);
        item->setData(Qt::UserRole, u.id);
        item->setData(Qt::UserRole + 1, QVariant::fromValue(u));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(m_chosen.contains(u.id) ? Qt::Checked : Qt::Unchecked);
    }
    if (first && m_list->count() > 0)
        m_list->setCurrentRow(0);
}

} // namespace Natter
