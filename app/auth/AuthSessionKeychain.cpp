// AuthSession's keychain side: keeping the refresh token in the TokenStore,
// reading it back for restore() and logout(), and the no-keychain path.
#include "AuthSession.h"

#include "AuthClient.h"
#include "ProfileSettings.h"
#include "util/Logging.h"

#include <utility>

namespace Natter {

void AuthSession::persistRefreshToken()
{
    if (!m_keychainAvailable)
        return; // already told the person; the token lives in memory only
    storeWrite(currentKey(), m_tokens.refreshToken);
}

void AuthSession::onStoreRead(const QString &key, const QString &token)
{
    if (key != m_pendingReadKey)
        return;
    m_pendingReadKey.clear();
    if (m_logoutAfterRead) {
        m_logoutAfterRead = false;
        if (token.isEmpty()) {
            setState(State::SignedOut);
            Q_EMIT signedOut(QString());
        } else {
            m_logoutRequest = m_client->logout(token);
        }
        return;
    }
    if (m_state != State::Restoring)
        return;
    if (token.isEmpty()) {
        setState(State::SignedOut);
        Q_EMIT signedOut(QString());
        return;
    }
    m_tokens.refreshToken = token;
    // The refresh of a cancelled restore of this account may still be on its
    // way: its answer serves this restore too. A second request would present
    // the same single-use token again and get the whole session revoked.
    for (auto it = m_abandonedRefreshes.cbegin(); it != m_abandonedRefreshes.cend(); ++it) {
        if (it->key == key) {
            m_refreshRequest = it.key();
            m_abandonedRefreshes.erase(it);
            return;
        }
    }
    m_refreshRequest = m_client->refresh(token);
}

void AuthSession::storeWrite(const QString &key, const QString &token)
{
    ++m_pendingStoreOps;
    m_store->write(key, token);
}

void AuthSession::storeRemove(const QString &key)
{
    ++m_pendingStoreOps;
    m_store->remove(key);
}

void AuthSession::storeOpDone()
{
    if (m_pendingStoreOps > 0 && --m_pendingStoreOps == 0)
        Q_EMIT storeWorkFinished();
}

void AuthSession::onStoreRemoved(const QString &key)
{
    storeOpDone();
    if (key != m_pendingRemoveKey || m_state != State::SigningOut)
        return;
    m_pendingRemoveKey.clear();
    setState(State::SignedOut);
    qCInfo(lcAuth) << "signed out";
    Q_EMIT signedOut(std::exchange(m_logoutNotice, QString()));
}

void AuthSession::onStoreFailed(const QString &key, TokenStore::Operation operation,
                                const QString &message, bool unavailable)
{
    // Tell about the keychain first: whoever waits for storeWorkFinished must
    // already know the sign-in was not kept.
    if (unavailable && operation != TokenStore::Operation::Remove)
        reportKeychainUnavailable(message);
    if (operation != TokenStore::Operation::Read)
        storeOpDone();
    if (key == m_pendingReadKey) {
        m_pendingReadKey.clear();
        m_logoutAfterRead = false;
        setState(State::SignedOut);
        Q_EMIT signedOut(QString());
        return;
    }
    if (key == m_pendingRemoveKey && m_state == State::SigningOut) {
        m_pendingRemoveKey.clear();
        setState(State::SignedOut);
        Q_EMIT signedOut(std::exchange(m_logoutNotice, QString()));
    }
}

void AuthSession::reportKeychainUnavailable(const QString &detail)
{
    m_keychainAvailable = false;
    if (m_keychainWarned)
        return;
    m_keychainWarned = true;
    qCWarning(lcAuth) << "no working keychain; the session is kept in memory only";
    Q_EMIT keychainUnavailable(
        tr("Natter cannot use the system keychain, so it cannot remember this sign-in. "
           "You can keep chatting now, but you will have to sign in again next time.")
        + QLatin1Char(' ') + detail);
}

} // namespace Natter
