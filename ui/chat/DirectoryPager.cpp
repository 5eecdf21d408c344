#include "DirectoryPager.h"

#include "net/DirectoryClient.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QScrollBar>
#include <QTimer>

namespace Natter {

DirectoryPager::DirectoryPager(DirectoryClient *client, Kind kind, int pageSize, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_kind(kind)
    , m_pageSize(pageSize)
{
    connect(m_client, &DirectoryClient::usersFound, this,
            [this](int request, const QList<User> &users, const QString &next) {
                if (request != m_request || m_kind != Kind::Users)
                    return;
                m_request = 0;
                const bool first = !m_started;
                m_started = true;
                if (first)
                    m_users.clear();
                m_users.append(users);
                m_next = next;
                Q_EMIT pageArrived(first, int(users.size()));
                maybeFetchForView();
            });
    connect(m_client, &DirectoryClient::channelsFound, this,
            [this](int request, const QList<DirectoryChannel> &channels, const QString &next) {
                if (request != m_request || m_kind != Kind::Channels)
                    return;
                m_request = 0;
                const bool first = !m_started;
                m_started = true;
                if (first)
                    m_channels.clear();
                m_channels.append(channels);
                m_next = next;
                Q_EMIT pageArrived(first, int(channels.size()));
                maybeFetchForView();
            });
    connect(m_client, &DirectoryClient::failed, this,
            [this](int request, const QString &explanation) {
                if (request != m_request)
                    return;
                m_request = 0;
                Q_EMIT failed(explanation);
            });
}

void DirectoryPager::followScrolling(QAbstractItemView *view)
{
    m_view = view;
    QScrollBar *bar = view->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &DirectoryPager::maybeFetchForView);
    connect(bar, &QScrollBar::rangeChanged, this, &DirectoryPager::maybeFetchForView);
    view->installEventFilter(this); // shown: full enough now?
}

bool DirectoryPager::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::Show)
        maybeFetchForView();
    return QObject::eventFilter(watched, event);
}

void DirectoryPager::search(const QString &query)
{
    m_query = query.trimmed();
    m_next.clear();
    m_started = false; // the next answer replaces the list
    ask({});
}

void DirectoryPager::fetchMore()
{
    if (m_request != 0 || m_next.isEmpty())
        return;
    ask(m_next);
}

void DirectoryPager::ask(const QString &after)
{
    m_request = m_kind == Kind::Users ? m_client->findUsers(m_query, m_pageSize, after)
                                      : m_client->findChannels(m_query, m_pageSize, after);
}

void DirectoryPager::maybeFetchForView()
{
    if (!m_view || m_request != 0 || m_next.isEmpty())
        return;
    // Once the rows just added are laid out: only then does the scroll bar say
    // whether the list is full. A hidden list asks nothing (it would page through
    // the whole directory); it is checked again when it shows and gets its size.
    QTimer::singleShot(0, this, [this] {
        if (!m_view || !m_view->isVisible() || m_request != 0 || m_next.isEmpty())
            return;
        m_view->doItemsLayout();
        const QScrollBar *bar = m_view->verticalScrollBar();
        if (bar->maximum() <= 0 || bar->value() >= bar->maximum())
            fetchMore();
    });
}

} // namespace Natter
