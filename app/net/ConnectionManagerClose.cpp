// ConnectionManager, part 4: how a connection ends — the contract's close
// codes (docs/protocol.md §4) and the loss of the login (one refresh, then logged out).
#include "ConnectionManager.h"

#include "auth/AccessTokenProvider.h"
#include "util/Logging.h"

#include <QWebSocket>

namespace Natter {

void ConnectionManager::handleClose(int code, const QString &reason)
{
    qCInfo(lcNet) << "connection closed with" << code;
    switch (code) {
    case QWebSocketProtocol::CloseCodeNormal:
        // 1000 is the server's "logout": stay disconnected.
        m_wantOpen = false;
        teardown();
        setLastError(tr("The server closed the connection."));
        setState(State::Disconnected);
        return;
    case 4401:
        onAuthRejected(tr("The server no longer accepts this login."));
        return;
    case 4429:
        // Flooding, or (natterd) too many sign-ins of this account in a short time.
        connectionLost(reason == u"too many sign-ins"
                           ? refusal(reason)
                           : tr("Too many messages were sent too fast; waiting before "
                                "reconnecting."),
                       m_backoff.capMs());
        return;
    case QWebSocketProtocol::CloseCodeTooMuchData:
        if (!m_lastSendId.isEmpty())
            failOutgoing(m_lastSendId, tr("The message is too large to send."));
        connectionLost(tr("The server refused a message that was too large."));
        return;
    case QWebSocketProtocol::CloseCodePolicyViolated:
        connectionLost(refusal(reason));
        return;
    case QWebSocketProtocol::CloseCodeGoingAway:
        connectionLost(tr("The server is restarting."));
        return;
    case 4408:
        connectionLost(tr("The connection was idle for too long."));
        return;
    default:
        connectionLost(tr("The connection was lost."));
        return;
    }
}

QString ConnectionManager::refusal(const QString &reason)
{
    // natterd's reasons (§2, docs/protocol.md): the `auth_failed` reason and
    // the 1008 close reason say the same thing in two spellings.
    if (reason == u"too_many_connections" || reason == u"too many connections")
        return tr("This account is connected from too many places at once. Close Natter where "
                  "you no longer use it.");
    if (reason == u"rate_limited" || reason == u"too many sign-ins")
        return tr("This account connected too often in a short time; waiting before "
                  "reconnecting.");
    if (reason == u"authentication_required" || reason == u"authentication timeout")
        return tr("The server did not receive the sign-in in time.");
    if (reason == u"protocol abuse")
        return tr("The server refused what this app sent and closed the connection.");
    return tr("The server refused the connection.");
}

void ConnectionManager::onAuthRejected(const QString &why)
{
    teardown();
    if (!m_tokens || m_retriedAfterRefresh) {
        logOut(why);
        return;
    }
    // One refresh per failure; if the fresh token is refused as well, the
    // login is gone (docs/protocol.md §4, 4401).
    m_retriedAfterRefresh = true;
    m_refreshInFlight = true;
    setLastError(why);
    qCInfo(lcNet) << "the server refused the access token; refreshing it once";
    m_nextAttemptAt = {}; // the next try waits for the refresh, not for a time
    setState(State::Reconnecting);
    m_tokens->refreshAccessToken();
}

void ConnectionManager::onTokenRefreshed()
{
    if (!m_refreshInFlight)
        return;
    m_refreshInFlight = false;
    if (m_wantOpen)
        startAttempt();
}

void ConnectionManager::onTokenRefreshFailed(const QString &reason, bool permanent)
{
    if (!m_refreshInFlight)
        return;
    m_refreshInFlight = false;
    if (permanent) {
        logOut(reason);
        return;
    }
    // The refresh itself could not reach the server: try again later, with a
    // fresh refresh allowed then.
    m_retriedAfterRefresh = false;
    setLastError(tr("The login could not be renewed: %1").arg(reason));
    if (m_wantOpen)
        scheduleReconnect(m_backoff.nextDelayMs());
}

void ConnectionManager::logOut(const QString &reason)
{
    teardown();
    m_wantOpen = false;
    m_refreshInFlight = false;
    m_reconnectTimer.stop();
    qCInfo(lcNet) << "logged out";
    setLastError(tr("You have been signed out: %1").arg(reason));
    setState(State::LoggedOut);
    Q_EMIT loggedOut(reason);
}

} // namespace Natter
