#include "NotifyLevelMenu.h"

#include "session/ChatSession.h"

#include <QActionGroup>

namespace Natter {

NotifyLevelMenu::NotifyLevelMenu(ChatSession *session, const QString &channelId, QWidget *parent)
    : QMenu(tr("&Notifications"), parent)
    , m_session(session)
    , m_channelId(channelId)
{
    setObjectName(QStringLiteral("notifyLevelMenu"));
    auto *group = new QActionGroup(this);
    group->setExclusive(true);
    const auto add = [this, group](const QString &text, const QString &description,
                                   NotifyLevel level) {
        QAction *a = addAction(text);
        a->setCheckable(true);
        a->setActionGroup(group);
        a->setStatusTip(description);
        a->setToolTip(description);
        connect(a, &QAction::triggered, this, [this, level] {
            const QString channel = target();
            if (!channel.isEmpty())
                m_session->setNotifyLevel(channel, level);
        });
        return a;
    };
    m_all = add(tr("&All messages"), tr("Notify me about every new message in this channel"),
                NotifyLevel::All);
    m_mentions = add(tr("Only &mentions"), tr("Notify me only when someone mentions me here"),
                     NotifyLevel::Mentions);
    m_nothing = add(tr("N&othing"), tr("Never notify me about this channel; its badge stays quiet"),
                    NotifyLevel::None);
    connect(this, &QMenu::aboutToShow, this, &NotifyLevelMenu::refresh);
    refresh();
}

QString NotifyLevelMenu::target() const
{
    return m_channelId.isEmpty() ? m_session->activeChannel() : m_channelId;
}

void NotifyLevelMenu::refresh()
{
    const QString channel = target();
    const bool known = !channel.isEmpty() && m_session->channels()->contains(channel);
    for (QAction *a : {m_all, m_mentions, m_nothing})
        a->setEnabled(known);
    const NotifyLevel level =
        known ? m_session->channels()->channel(channel).notify : NotifyLevel::All;
    m_all->setChecked(level == NotifyLevel::All);
    m_mentions->setChecked(level == NotifyLevel::Mentions);
    m_nothing->setChecked(level == NotifyLevel::None);
}

} // namespace Natter
