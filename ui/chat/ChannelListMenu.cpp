#include "ChannelListMenu.h"

#include "ChannelActions.h"
#include "app/NotifyLevelMenu.h"
#include "models/ChannelListModel.h"
#include "session/ChatSession.h"

#include <QKeyEvent>
#include <QListView>
#include <QMenu>

namespace Natter {

ChannelListMenu::ChannelListMenu(ChatSession *session, ChannelActions *actions, QListView *view,
                                 QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_actions(actions)
    , m_view(view)
{
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { show(&pos); });
    // Offscreen and on some platforms the Menu key arrives as a plain key, and
    // Shift+F10 always does: both open the menu of the current row.
    m_view->installEventFilter(this);
}

bool ChannelListMenu::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *ke = static_cast<QKeyEvent *>(event);
        if ((ke->key() == Qt::Key_Menu && ke->modifiers() == Qt::NoModifier)
            || (ke->key() == Qt::Key_F10 && ke->modifiers() == Qt::ShiftModifier)) {
            show(nullptr);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void ChannelListMenu::show(const QPoint *pos)
{
    QModelIndex idx = pos ? m_view->indexAt(*pos) : QModelIndex();
    const bool atMouse = idx.isValid();
    if (!idx.isValid())
        idx = m_view->currentIndex(); // the keyboard's context menu
    if (!idx.isValid())
        return;
    const QString channelId = idx.data(ChannelListModel::IdRole).toString();
    QMenu menu(m_view);
    menu.setObjectName(QStringLiteral("channelMenu"));
    //: Accessible name of the channel list's context menu; %1 is the channel's name
    const QString name = idx.data(ChannelListModel::NameRole).toString();
    const bool direct =
        ChannelKind(idx.data(ChannelListModel::KindRole).toInt()) == ChannelKind::Direct;
    menu.setAccessibleName(tr("Actions for %1").arg(direct ? name : QStringLiteral("#") + name));
    menu.addMenu(new NotifyLevelMenu(m_session, channelId, &menu));
    const int before = int(menu.actions().size());
    m_actions->addChannelActions(&menu, channelId);
    if (menu.actions().size() > before)
        menu.insertSeparator(menu.actions().at(before));
    m_open = &menu;
    m_view->scrollTo(idx);
    menu.exec(m_view->viewport()->mapToGlobal(atMouse ? *pos : m_view->visualRect(idx).center()));
}

} // namespace Natter
