#include "AuthSession.h"

#include "AuthClient.h"
#include "ProfileSettings.h"
#include "util/Logging.h"

#include <algorithm>
#include <utility>

namespace Natter {

namespace {
// After a refresh failed for a passing reason (network), try again this soon,
// but never later than the access token's expiry.
constexpr int kRetryAfterTransientFailureMs = 30000;
} // namespace

AuthSession::AuthSession(AuthClient *client, TokenStore *store, ProfileSettings *settings,
                         QObject *parent)
    : AccessTokenProvider(parent)
    , m_client(client)
    , m_store(store)
    , m_settings(settings)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_refreshTimer, &QTimer::timeout, this, &AuthSession::refreshAccessToken);

    connect(m_client, &AuthClient::loginSucceeded, this, &AuthSession::onLoginSucceeded);
    connect(m_client, &AuthClient::loginFailed, this, &AuthSession::onLoginFailed);
    connect(m_client, &AuthClient::refreshSucceeded, this, &AuthSession::onRefreshSucceeded);
    connect(m_client, &AuthClient::refreshFailed, this, &AuthSession::onRefreshFailed);
    connect(m_client, &AuthClient::logoutSucceeded, this, [this](quint64 request) {
        if (request != m_logoutRequest)
            return; // the revoke of a late login answer (onLoginSucceeded)
        m_logoutRequest = 0;
        finishLogout();
    });
    connect(m_client, &AuthClient::logoutFailed, this,
            [this](const AuthError &error, quint64 request) {
                // The session is cleared locally anyway; the server forgets it when
                // it expires. The person is told, since they may have signed out to
                // end it there.
                qCWarning(lcAuth) << "server logout failed:" << int(error.kind);
                if (request != m_logoutRequest)
                    return; // the revoke of a late login answer (onLoginSucceeded)
                m_logoutRequest = 0;
                m_logoutNotice =
                    tr("You are signed out on this computer, but the server could not end the "
                       "session there: %1 It ends there by itself when it expires.")
                        .arg(error.message);
                Q_EMIT logoutIncomplete(error);
                finishLogout();
            });

    connect(m_store, &TokenStore::written, this, &AuthSession::storeOpDone);
    connect(m_store, &TokenStore::readFinished, this, &AuthSession::onStoreRead);
    connect(m_store, &TokenStore::removed, this, &AuthSession::onStoreRemoved);
    connect(m_store, &TokenStore::failed, this, &AuthSession::onStoreFailed);

    m_server = ServerUrl::parse(m_settings->serverUrl());
    m_username = m_settings->username();
    m_staySignedIn = m_settings->staySignedIn();
}

AuthSession::~AuthSession() = default;

QString AuthSession::accessToken() const
{
    return m_state == State::SignedIn ? m_tokens.accessToken : QString();
}

bool AuthSession::isBusy() const
{
    return m_state == State::SigningIn || m_state == State::Restoring
        || m_state == State::SigningOut;
}

QString AuthSession::rememberedServerUrl() const
{
    return m_settings->serverUrl();
}

QString AuthSession::rememberedUsername() const
{
    return m_settings->username();
}

bool AuthSession::rememberedStaySignedIn() const
{
    return m_settings->staySignedIn();
}

bool AuthSession::canRestore() const
{
    return m_settings->staySignedIn() && ServerUrl::parse(m_settings->serverUrl()).isValid()
        && !m_settings->username().isEmpty();
}

QString AuthSession::currentKey() const
{
    return m_settings->profile().keychainKey(QString::fromUtf8(m_server.origin()), m_username);
}

QString AuthSession::keptKey() const
{
    if (!canRestore())
        return {};
    return m_settings->profile().keychainKey(
        QString::fromUtf8(ServerUrl::parse(m_settings->serverUrl()).origin()),
        m_settings->username());
}

void AuthSession::setState(State state)
{
    if (m_state == state)
        return;
    const bool wasBusy = isBusy();
    m_state = state;
    Q_EMIT stateChanged(state);
    if (wasBusy != isBusy())
        Q_EMIT busyChanged(isBusy());
}

void AuthSession::login(const QString &serverUrl, const QString &username, const QString &password,
                        bool staySignedIn)
{
    if (isBusy() || m_state == State::SignedIn) {
        qCWarning(lcAuth) << "login ignored in state" << m_state;
        return;
    }
    const ServerUrl server = ServerUrl::parse(serverUrl);
    if (!server.isValid()) {
        AuthError error;
        error.kind = AuthError::Kind::BadResponse;
        error.message = server.errorString();
        Q_EMIT errorOccurred(error);
        return;
    }
    m_server = server;
    m_username = username.trimmed();
    m_staySignedIn = staySignedIn;
    m_client->setServer(m_server);
    setState(State::SigningIn);
    qCInfo(lcAuth) << "signing in to" << m_server.toString();
    m_loginRequest = m_client->login(m_username, password);
}

bool AuthSession::restore()
{
    if (m_state != State::SignedOut || !canRestore())
        return false;
    m_server = ServerUrl::parse(m_settings->serverUrl());
    m_username = m_settings->username();
    m_staySignedIn = true;
    m_client->setServer(m_server);
    setState(State::Restoring);
    m_logoutAfterRead = false;
    m_pendingReadKey = currentKey();
    m_store->read(m_pendingReadKey);
    return true;
}

void AuthSession::logout()
{
    if (m_state == State::SigningOut)
        return;
    m_refreshTimer.stop();
    // Refresh answers to come are ignored: the logout revokes the whole family.
    m_refreshRequest = 0;
    // A login still waiting is abandoned: its answer is revoked where it went.
    if (m_loginRequest != 0)
        m_abandonedLogins.insert(std::exchange(m_loginRequest, 0), m_server);
    m_logoutNotice.clear();
    const QString refreshToken = m_tokens.refreshToken;
    const bool hadSession = m_state == State::SignedIn || !refreshToken.isEmpty();
    // Nor is a cancelled restore's answer kept for the sign-in this removes
    // from the keychain (an ephemeral session's removes none).
    const QString removed = !hadSession ? keptKey() : m_ephemeral ? QString() : currentKey();
    for (AbandonedRefresh &abandoned : m_abandonedRefreshes) {
        if (!removed.isEmpty() && abandoned.key == removed)
            abandoned.key.clear();
    }
    m_tokens = TokenPair();
    m_accessDeadline = QDeadlineTimer(QDeadlineTimer::Forever);

    if (!hadSession) {
        // Nothing in memory: a kept sign-in may still be in the keychain
        // (natter-cli logout). Read it so the server can revoke it too.
        if (!canRestore()) {
            setState(State::SignedOut);
            Q_EMIT signedOut(QString());
            return;
        }
        m_server = ServerUrl::parse(m_settings->serverUrl());
        m_username = m_settings->username();
        m_client->setServer(m_server);
        setState(State::SigningOut);
        m_logoutAfterRead = true;
        m_pendingReadKey = currentKey();
        m_store->read(m_pendingReadKey);
        return;
    }
    setState(State::SigningOut);
    qCInfo(lcAuth) << "signing out";
    m_logoutRequest = m_client->logout(refreshToken);
}

void AuthSession::cancel()
{
    if (m_state != State::SigningIn && m_state != State::Restoring)
        return;
    // A late login answer is revoked at once (onLoginSucceeded). A refresh in
    // flight for a restore stays in flight: its answer spends the kept token,
    // so the rotated one must still reach the keychain (onRefreshSucceeded).
    m_pendingReadKey.clear();
    if (m_loginRequest != 0)
        m_abandonedLogins.insert(std::exchange(m_loginRequest, 0), m_server);
    if (m_refreshRequest != 0)
        m_abandonedRefreshes.insert(std::exchange(m_refreshRequest, 0),
                                    AbandonedRefresh{currentKey(), m_server});
    m_tokens = TokenPair();
    setState(State::SignedOut);
}

void AuthSession::onLoginSucceeded(const TokenPair &tokens, quint64 request)
{
    if (request != m_loginRequest || m_state != State::SigningIn) {
        // Cancelled meanwhile, perhaps with another login now waiting (someone
        // else's, on another server): do not keep a session nobody asked for.
        m_client->logout(tokens.refreshToken, m_abandonedLogins.value(request, m_server));
        m_abandonedLogins.remove(request);
        if (request == m_loginRequest)
            m_loginRequest = 0;
        return;
    }
    m_loginRequest = 0;
    if (!m_ephemeral) {
        // This sign-in is what the profile keeps now, whatever a cancelled
        // restore's refresh answers.
        for (AbandonedRefresh &abandoned : m_abandonedRefreshes)
            abandoned.key.clear();
    }
    adopt(tokens);
    if (!m_ephemeral) {
        // A profile keeps one account: signing in as someone else (or on another
        // server) forgets the previous account's kept sign-in.
        const ServerUrl previousServer = ServerUrl::parse(m_settings->serverUrl());
        const QString previousUser = m_settings->username();
        if (previousServer.isValid() && !previousUser.isEmpty()) {
            const QString previousKey = m_settings->profile().keychainKey(
                QString::fromUtf8(previousServer.origin()), previousUser);
            if (previousKey != currentKey())
                storeRemove(previousKey);
        }
        m_settings->setServerUrl(m_server.toString());
        m_settings->setUsername(m_username);
        m_settings->setStaySignedIn(m_staySignedIn);
        m_settings->sync();
        if (m_staySignedIn)
            persistRefreshToken();
        else
            storeRemove(currentKey()); // forget an older kept sign-in of this account
    }
    setState(State::SignedIn);
    qCInfo(lcAuth) << "signed in";
    Q_EMIT signedIn();
}

void AuthSession::onLoginFailed(const AuthError &error, quint64 request)
{
    m_abandonedLogins.remove(request);
    if (request != m_loginRequest || m_state != State::SigningIn)
        return; // a cancelled login's answer: the login now waiting is unanswered
    m_loginRequest = 0;
    setState(State::SignedOut);
    Q_EMIT errorOccurred(error);
}

void AuthSession::refreshAccessToken()
{
    if (m_refreshRequest != 0)
        return; // single flight: the caller hears the shared answer
    if (m_tokens.refreshToken.isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT accessTokenRefreshFailed(tr("You are not signed in."), true);
        });
        return;
    }
    m_refreshTimer.stop();
    qCDebug(lcAuth) << "refreshing the access token";
    m_refreshRequest = m_client->refresh(m_tokens.refreshToken);
}

void AuthSession::onRefreshSucceeded(const TokenPair &tokens, quint64 request)
{
    if (settleAbandonedRefresh(request, &tokens, nullptr))
        return;
    if (request != m_refreshRequest)
        return; // signed out meanwhile (logout revoked the whole family)
    m_refreshRequest = 0;
    const bool restoring = m_state == State::Restoring;
    adopt(tokens);
    // The old refresh token is spent now: the kept one must be the new one.
    if (m_staySignedIn && !m_ephemeral)
        persistRefreshToken();
    if (restoring) {
        setState(State::SignedIn);
        qCInfo(lcAuth) << "restored the kept sign-in";
        Q_EMIT signedIn();
    }
    Q_EMIT accessTokenRefreshed();
}

void AuthSession::onRefreshFailed(const AuthError &error, quint64 request)
{
    if (settleAbandonedRefresh(request, nullptr, &error))
        return;
    if (request != m_refreshRequest)
        return;
    m_refreshRequest = 0;
    const bool restoring = m_state == State::Restoring;
    qCInfo(lcAuth) << "refresh failed:" << int(error.kind);
    Q_EMIT accessTokenRefreshFailed(error.message, error.isPermanent());
    if (error.isPermanent()) {
        endSession(error.message, true);
        return;
    }
    if (restoring) {
        // The server may just be down: keep the kept sign-in for next time.
        Q_EMIT errorOccurred(error);
        endSession(error.message, false);
        return;
    }
    // Try again soon, before the access token runs out if possible.
    const qint64 left = m_accessDeadline.remainingTime();
    const int retry = left < 0
        ? kRetryAfterTransientFailureMs
        : int(std::clamp<qint64>(left / 2, 1000, kRetryAfterTransientFailureMs));
    m_refreshTimer.start(retry);
}

bool AuthSession::settleAbandonedRefresh(quint64 request, const TokenPair *tokens,
                                         const AuthError *error)
{
    const auto it = m_abandonedRefreshes.constFind(request);
    if (it == m_abandonedRefreshes.cend())
        return false;
    const AbandonedRefresh abandoned = *it;
    m_abandonedRefreshes.erase(it);
    if (m_state == State::Restoring && !abandoned.key.isEmpty()
        && abandoned.key == m_pendingReadKey) {
        // A restore of that account waits for the keychain, which still holds
        // the token this answer spent: the answer is the restore's.
        m_pendingReadKey.clear();
        m_refreshRequest = request;
        return false;
    }
    // The kept token is spent now: keep its successor so the next start still
    // goes straight in, unless the profile keeps another sign-in by now.
    const bool kept = !abandoned.key.isEmpty() && abandoned.key == keptKey() && !m_ephemeral
        && m_keychainAvailable;
    if (tokens) {
        if (kept)
            storeWrite(abandoned.key, tokens->refreshToken);
        else
            m_client->logout(tokens->refreshToken, abandoned.server);
    } else if (kept && error->isPermanent()) {
        storeRemove(abandoned.key);
    }
    return true;
}

void AuthSession::adopt(const TokenPair &tokens)
{
    m_tokens = tokens;
    m_accessDeadline = QDeadlineTimer(qint64(tokens.expiresInSecs) * 1000);
    m_refreshTimer.start(int(qint64(tokens.expiresInSecs) * 1000 * kRefreshAt));
}

void AuthSession::endSession(const QString &reason, bool forgetKept)
{
    m_refreshTimer.stop();
    m_refreshRequest = 0;
    const QString key = currentKey();
    m_tokens = TokenPair();
    m_accessDeadline = QDeadlineTimer(QDeadlineTimer::Forever);
    if (forgetKept && m_keychainAvailable && !m_ephemeral)
        storeRemove(key);
    setState(State::SignedOut);
    Q_EMIT signedOut(reason);
}

void AuthSession::finishLogout()
{
    if (m_state != State::SigningOut)
        return;
    if (m_ephemeral) {
        setState(State::SignedOut);
        Q_EMIT signedOut(std::exchange(m_logoutNotice, QString()));
        return;
    }
    m_pendingRemoveKey = currentKey();
    storeRemove(m_pendingRemoveKey);
}

} // namespace Natter
