// Failed-login throttling per username and per peer address (contract §5).
//
// Plain policy class owned by AuthService; time is passed in (seconds) so it is
// testable without waiting. After `maxPerUser` failures for one username within
// `windowSecs`, or `maxPerPeer` from one address, attempts are refused until the
// oldest counted failure leaves the window. A success clears that username's count.
//
// An attempt is reserved *before* its password is hashed and counts against the
// limit until it is released: otherwise a burst of simultaneous logins would all
// pass the check and all be verified before the first failure was counted.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Natter::Server {

class LoginThrottle
{
public:
    // How a reserved attempt ended.
    enum class Attempt {
        Failed, // counted as a failure for the username and the peer
        Succeeded, // clears the username's failures
        NotMade, // the password was never checked: nothing is counted
    };

    LoginThrottle(int maxPerUser = 10, int maxPerPeer = 50, qint64 windowSecs = 15 * 60);

    // Reserves an attempt for `username` from `peer`: 0 when reserved (release()
    // must follow), otherwise the seconds to wait, and nothing is reserved.
    qint64 reserve(const QString &username, const QString &peer, qint64 nowSecs);
    void release(const QString &username, const QString &peer, Attempt attempt, qint64 nowSecs);

    // Seconds to wait before another attempt is allowed; 0 when allowed now.
    qint64 retryAfter(const QString &username, const QString &peer, qint64 nowSecs);
    void recordFailure(const QString &username, const QString &peer, qint64 nowSecs);
    void recordSuccess(const QString &username);

private:
    struct Entry
    {
        QList<qint64> failures; // oldest first
        int pending = 0; // reserved attempts still being verified
    };
    using Map = QHash<QString, Entry>;

    qint64 retryFor(Map &map, const QString &key, int max, qint64 nowSecs);
    void prune(QList<qint64> &times, qint64 nowSecs) const;
    void sweepIfLarge(qint64 nowSecs);
    static void finish(Map &map, const QString &key, bool failed, bool clear, qint64 nowSecs);

    int m_maxPerUser;
    int m_maxPerPeer;
    qint64 m_window;
    Map m_byUser;
    Map m_byPeer;
};

} // namespace Natter::Server
