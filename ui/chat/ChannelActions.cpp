#include "ChannelActions.h"

#include "BrowseChannelsDialog.h"
#include "ChannelInfoBar.h"
#include "CreateChannelDialog.h"
#include "EditChannelDialog.h"
#include "InviteDialog.h"
#include "MembersPanel.h"
#include "QuickSwitcher.h"
#include "models/ChannelListModel.h"
#include "models/PresenceModel.h"
#include "session/ChatSession.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>

namespace Natter {

ChannelActions::ChannelActions(ChatSession *session, QMainWindow *window, QWidget *composer,
                               QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_window(window)
    , m_infoBar(new ChannelInfoBar(session, composer))
    , m_members(new MembersPanel(session, window))
{
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_members);
    m_members->hide();

    connect(m_session->channels(), &QAbstractItemModel::dataChanged, this,
            &ChannelActions::updateState);
    connect(m_session, &ChatSession::channelLeft, this,
            [this](const QString &channelId, const QString &name) {
                if (!m_leaving.remove(channelId))
                    return;
                // After the window's own "removed" line, which this one corrects.
                QTimer::singleShot(0, this, [this, name] {
                    //: %1 is a channel name
                    Q_EMIT notice(tr("You left #%1.").arg(name));
                });
            });
    connect(m_session, &ChatSession::channelActionFailed, this,
            [this](const QString &, const QString &why) { Q_EMIT notice(why); });
}

void ChannelActions::installMenu()
{
    QMenu *menu = m_window->menuBar()->addMenu(tr("&Conversations"));
    QAction *dm = menu->addAction(tr("New &direct message…"));
    dm->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    connect(dm, &QAction::triggered, this, &ChannelActions::newDirectMessage);
    QAction *create = menu->addAction(tr("&Create channel…"));
    create->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    connect(create, &QAction::triggered, this, &ChannelActions::createChannel);
    QAction *browse = menu->addAction(tr("&Browse channels…"));
    browse->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    connect(browse, &QAction::triggered, this, &ChannelActions::browseChannels);
    menu->addSeparator();
    m_invite = menu->addAction(tr("&Invite people…"));
    m_invite->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_invite, &QAction::triggered, this, &ChannelActions::invitePeople);
    m_edit = menu->addAction(tr("&Edit name and topic…"));
    connect(m_edit, &QAction::triggered, this, &ChannelActions::editChannel);
    m_archive = menu->addAction(tr("&Archive channel"));
    connect(m_archive, &QAction::triggered, this, &ChannelActions::toggleArchived);
    m_leave = menu->addAction(tr("&Leave channel"));
    connect(m_leave, &QAction::triggered, this, &ChannelActions::leaveChannel);
    menu->addSeparator();
    // An action of the menu's own (the dock's toggleViewAction has no window
    // shortcut while the dock is hidden).
    QAction *members = menu->addAction(tr("Show &members"));
    members->setCheckable(true);
    members->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(members, &QAction::toggled, m_members, &QWidget::setVisible);
    connect(m_members, &QDockWidget::visibilityChanged, members,
            [this, members] { members->setChecked(!m_members->isHidden()); });
    connect(menu, &QMenu::aboutToShow, this, &ChannelActions::updateState);

    updateState();
}

void ChannelActions::setChannel(const QString &channelId)
{
    m_channel = channelId;
    m_infoBar->setChannel(channelId);
    m_members->setChannel(channelId);
    updateState();
}

void ChannelActions::updateState()
{
    if (!m_leave)
        return; // before installMenu()
    const Channel c = m_session->channels()->channel(m_channel);
    const bool named = !c.id.isEmpty() && c.kind == ChannelKind::Channel;
    m_invite->setEnabled(named && !c.archived);
    m_edit->setEnabled(named && m_session->canManageChannel(c.id));
    m_archive->setEnabled(named && m_session->canManageChannel(c.id));
    m_archive->setText(c.archived ? tr("Un&archive channel") : tr("&Archive channel"));
    m_leave->setEnabled(named);
}

void ChannelActions::addMessagePersonAction(QMenu *menu, const QString &userId)
{
    if (userId.isEmpty() || userId == m_session->self().id)
        return;
    //: %1 is a person's name; opens the direct conversation with them
    QAction *a = menu->addAction(tr("&Message %1").arg(m_session->people()->displayName(userId)));
    connect(a, &QAction::triggered, this, [this, userId] { m_session->openDirect(userId); });
}

void ChannelActions::newDirectMessage()
{
    QuickSwitcher dialog(m_session, m_window, QuickSwitcher::Mode::PeopleOnly);
    dialog.exec();
}

void ChannelActions::createChannel()
{
    CreateChannelDialog dialog(m_session, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session->createChannel(dialog.name(), dialog.isPrivate(), dialog.topic(), dialog.memberIds());
}

void ChannelActions::browseChannels()
{
    BrowseChannelsDialog dialog(m_session, m_window);
    dialog.exec();
}

void ChannelActions::addChannelActions(QMenu *menu, const QString &channelId)
{
    const Channel c = m_session->channels()->channel(channelId);
    if (c.id.isEmpty() || c.kind != ChannelKind::Channel)
        return; // §8: a direct conversation can be neither left nor joined by more
    QAction *invite = menu->addAction(tr("&Invite people…"));
    invite->setObjectName(QStringLiteral("inviteAction"));
    invite->setEnabled(!c.archived); // §13: an archived channel refuses invite
    connect(invite, &QAction::triggered, this, [this, channelId] { inviteTo(channelId); });
    QAction *leaveAction = menu->addAction(tr("&Leave channel"));
    leaveAction->setObjectName(QStringLiteral("leaveAction"));
    connect(leaveAction, &QAction::triggered, this, [this, channelId] { leave(channelId); });
}

void ChannelActions::invitePeople()
{
    inviteTo(m_channel);
}

void ChannelActions::inviteTo(const QString &channelId)
{
    const Channel c = m_session->channels()->channel(channelId);
    if (c.id.isEmpty() || c.kind != ChannelKind::Channel)
        return;
    InviteDialog dialog(m_session, c.name, c.members, m_window);
    if (dialog.exec() == QDialog::Accepted)
        m_session->inviteToChannel(c.id, dialog.chosenIds());
}

void ChannelActions::editChannel()
{
    const Channel c = m_session->channels()->channel(m_channel);
    if (!m_session->canManageChannel(c.id))
        return;
    EditChannelDialog dialog(c.name, c.topic, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const std::optional<QString> name =
        dialog.name() != c.name ? std::optional<QString>(dialog.name()) : std::nullopt;
    const std::optional<QString> topic =
        dialog.topic() != c.topic ? std::optional<QString>(dialog.topic()) : std::nullopt;
    m_session->updateChannel(c.id, name, topic);
}

void ChannelActions::toggleArchived()
{
    const Channel c = m_session->channels()->channel(m_channel);
    if (!m_session->canManageChannel(c.id))
        return;
    if (!c.archived) {
        const auto answer = QMessageBox::question(
            m_window, tr("Archive channel"),
            tr("Archive #%1? Everyone can still read it, but nobody can write in it until it "
               "is unarchived.")
                .arg(c.name),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_session->archiveChannel(c.id, !c.archived);
}

void ChannelActions::leaveChannel()
{
    leave(m_channel);
}

void ChannelActions::leave(const QString &channelId)
{
    const Channel c = m_session->channels()->channel(channelId);
    if (c.id.isEmpty() || c.kind != ChannelKind::Channel)
        return;
    const auto answer = QMessageBox::question(
        m_window, tr("Leave channel"),
        c.visibility == ChannelVisibility::Private
            ? tr("Leave #%1? It is private: you need an invitation to come back.").arg(c.name)
            : tr("Leave #%1? You can join it again from Browse channels.").arg(c.name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_leaving.insert(c.id);
    m_session->leaveChannel(c.id);
}

} // namespace Natter
