#include "ChannelInfoBar.h"

#include "models/ChannelListModel.h"
#include "session/ChatSession.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Natter {

ChannelInfoBar::ChannelInfoBar(ChatSession *session, QWidget *composer, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_composer(composer)
    , m_topic(new QLabel(this))
    , m_banner(new QLabel(this))
{
    m_topic->setAccessibleName(tr("Channel topic"));
    m_topic->setWordWrap(true);
    m_topic->setTextFormat(Qt::PlainText);
    m_topic->setForegroundRole(QPalette::PlaceholderText);
    m_banner->setObjectName(QStringLiteral("archivedBanner"));
    m_banner->setAccessibleName(tr("Archived channel"));
    m_banner->setText(tr("This channel is archived: you can read it, but nobody can write "
                         "in it any more."));
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::ToolTipBase);
    m_banner->setForegroundRole(QPalette::ToolTipText);
    m_banner->setMargin(6);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 0, 10, 0);
    layout->addWidget(m_topic);
    layout->addWidget(m_banner);

    ChannelListModel *channels = m_session->channels();
    connect(channels, &QAbstractItemModel::dataChanged, this, &ChannelInfoBar::update);
    connect(channels, &QAbstractItemModel::modelReset, this, &ChannelInfoBar::update);
    connect(channels, &QAbstractItemModel::rowsInserted, this, &ChannelInfoBar::update);
    update();
}

void ChannelInfoBar::setChannel(const QString &channelId)
{
    m_channel = channelId;
    update();
}

QString ChannelInfoBar::topicText() const
{
    return m_topic->isHidden() ? QString() : m_topic->text();
}

bool ChannelInfoBar::bannerShown() const
{
    return !m_banner->isHidden();
}

void ChannelInfoBar::update()
{
    const Channel c = m_session->channels()->channel(m_channel);
    m_topic->setText(c.topic);
    m_topic->setVisible(!c.topic.isEmpty());
    m_banner->setVisible(c.archived);
    if (m_composer)
        m_composer->setEnabled(!c.archived);
}

} // namespace Natter
