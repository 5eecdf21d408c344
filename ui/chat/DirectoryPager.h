// Pages through one of the §8 directories (`GET /api/v1/users` or
// `GET /api/v1/channels`) for a list in a dialog: search() asks for the first
// page of a query and forgets what came before; the next page (the server's
// opaque `next` cursor) is asked for when the list is scrolled to its end, or
// while the list is not full enough to scroll at all. Answers to an older query
// or page are dropped, so typing fast never mixes two searches.
//
// Owned by the dialog or widget whose list it fills; asks the session's
// DirectoryClient (not owned).
#pragma once

#include "protocol/Types.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QAbstractItemView;

namespace Natter {

class DirectoryClient;

class DirectoryPager : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Users, Channels };

    DirectoryPager(DirectoryClient *client, Kind kind, int pageSize, QObject *parent = nullptr);

    // Asks for the next page whenever `view` is scrolled to its end or has no
    // scroll bar yet while more pages exist.
    void followScrolling(QAbstractItemView *view);

    // Starts over with `query` (trimmed; empty: everything).
    void search(const QString &query);
    // The next page, unless one is on its way or there is none.
    void fetchMore();

    QString query() const { return m_query; }
    bool hasMore() const { return !m_next.isEmpty(); }
    bool isLoading() const { return m_request != 0; }
    int pageSize() const { return m_pageSize; }
    // Everything received for the current query, in the server's order.
    const QList<User> &users() const { return m_users; }
    const QList<DirectoryChannel> &channels() const { return m_channels; }

Q_SIGNALS:
    // A page of the current query arrived: `first` when it is the first (the
    // list starts over), else it adds `count` entries at the end.
    void pageArrived(bool first, int count);
    // The directory could not be asked (plain translated words).
    void failed(const QString &explanation);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void ask(const QString &after);
    void maybeFetchForView();

    DirectoryClient *m_client;
    Kind m_kind;
    int m_pageSize;
    QString m_query;
    QString m_next; // the cursor of the page after the last one received
    int m_request = 0; // the request in flight (0: none)
    bool m_started = false;
    QList<User> m_users;
    QList<DirectoryChannel> m_channels;
    QPointer<QAbstractItemView> m_view;
};

} // namespace Natter
