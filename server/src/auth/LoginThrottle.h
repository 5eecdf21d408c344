// Failed-login throttling per username and per peer address (contract §5).
//
// Plain policy class; time is passed in (seconds) so it is testable without
// waiting. After `maxPerUser` failures for one username within `windowSecs`, or
// `maxPerPeer` from one address, attempts are refused until the oldest counted
// failure leaves the window. A success clears that username's count.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Natter::Server {

class LoginThrottle
{
public:
    LoginThrottle(int maxPerUser = 10, int maxPerPeer = 50, qint64 windowSecs = 15 * 60);

    // Seconds to wait before another attempt is allowed; 0 when allowed now.
    qint64 retryAfter(const QString &username, const QString &peer, qint64 nowSecs);
    void recordFailure(const QString &username, const QString &peer, qint64 nowSecs);
    void recordSuccess(const QString &username);

private:
    qint64 retryFor(QHash<QString, QList<qint64>> &map, const QString &key, int max,
                    qint64 nowSecs);
    void prune(QList<qint64> &times, qint64 nowSecs) const;

    int m_maxPerUser;
    int m_maxPerPeer;
    qint64 m_window;
    QHash<QString, QList<qint64>> m_byUser;
    QHash<QString, QList<qint64>> m_byPeer;
};

} // namespace Natter::Server
