#include "MembersPanel.h"

#include "ChannelDelegate.h"
#include "models/ChannelListModel.h"
#include "models/PresenceModel.h"
#include "session/ChatSession.h"

#include <algorithm>

#include <QIcon>
#include <QKeyEvent>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPixmap>

namespace Natter {

namespace {
QIcon dot(PresenceStatus status)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(ChannelDelegate::presenceColor(int(status)));
    p.drawEllipse(1, 1, 10, 10);
    return QIcon(pixmap);
}
} // namespace

MembersPanel::MembersPanel(ChatSession *session, QWidget *parent)
    : QDockWidget(tr("Members"), parent)
    , m_session(session)
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("membersPanel"));
    setAccessibleName(tr("Members"));
    m_list->setAccessibleName(tr("Members of this channel"));
    m_list->setAccessibleDescription(tr("Enter opens a direct conversation with the person"));
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    setWidget(m_list);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (id != m_session->self().id)
            m_session->openDirect(id);
    });
    connect(m_list, &QWidget::customContextMenuRequested, this, &MembersPanel::showMenu);
    m_list->installEventFilter(this); // the Menu key and Shift+F10 open the menu too
    connect(m_session->people(), &PresenceModel::userChanged, this, &MembersPanel::refresh);
    connect(m_session->channels(), &QAbstractItemModel::dataChanged, this, &MembersPanel::refresh);
    connect(m_session->channels(), &QAbstractItemModel::modelReset, this, &MembersPanel::refresh);
}

void MembersPanel::setChannel(const QString &channelId)
{
    m_channel = channelId;
    refresh();
}

void MembersPanel::refresh()
{
    const Channel c = m_session->channels()->channel(m_channel);
    const int row = m_list->currentRow();
    m_list->clear();
    const PresenceModel *people = m_session->people();
    QStringList ids = c.members;
    std::sort(ids.begin(), ids.end(), [people](const QString &a, const QString &b) {
        return people->displayName(a).compare(people->displayName(b), Qt::CaseInsensitive) < 0;
    });
    for (const QString &id : std::as_const(ids)) {
        const User u = people->user(id);
        const PresenceStatus st = people->status(id);
        QString state;
        if (st == PresenceStatus::Online)
            state = tr("online");
        else if (st == PresenceStatus::Away)
            state = tr("away");
        else if (u.lastSeen.isValid())
            //: %1 is a date and time
            state = tr("last seen %1")
                        .arg(QLocale().toString(u.lastSeen.toLocalTime(), QLocale::ShortFormat));
        else
            state = tr("offline");
        QString name = people->displayName(id);
        if (id == m_session->self().id)
            name = tr("%1 (you)").arg(name);
        if (id == c.owner)
            name = tr("%1 · owner").arg(name);
        auto *item = new QListWidgetItem(dot(st), tr("%1 — %2").arg(name, state), m_list);
        item->setData(Qt::UserRole, id);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(qBound(0, row, m_list->count() - 1));
}

bool MembersPanel::eventFilter(QObject *watched, QEvent *event)
{
    // Offscreen and on some platforms the Menu key arrives as a plain key, and
    // Shift+F10 always does: the menu of the current person, as for a right click.
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *ke = static_cast<QKeyEvent *>(event);
        if ((ke->key() == Qt::Key_Menu && ke->modifiers() == Qt::NoModifier)
            || (ke->key() == Qt::Key_F10 && ke->modifiers() == Qt::ShiftModifier)) {
            showMenu(QPoint(-1, -1));
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

void MembersPanel::showMenu(const QPoint &pos)
{
    QListWidgetItem *item = m_list->itemAt(pos);
    if (!item)
        item = m_list->currentItem();
    if (!item)
        return;
    const QString id = item->data(Qt::UserRole).toString();
    if (id == m_session->self().id)
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("memberMenu"));
    //: Accessible name of a member's context menu; %1 is the person's name
    menu.setAccessibleName(tr("Actions for %1").arg(m_session->people()->displayName(id)));
    QAction *message = menu.addAction(tr("&Message"));
    message->setObjectName(QStringLiteral("messagePersonAction"));
    connect(message, &QAction::triggered, this, [this, id] { m_session->openDirect(id); });
    menu.exec(m_list->viewport()->mapToGlobal(m_list->visualItemRect(item).center()));
}

} // namespace Natter
