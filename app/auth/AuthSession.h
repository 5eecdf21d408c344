// The signed-in session of one profile: the AccessTokenProvider the connection
// layer asks for tokens, and the one object the login dialog talks to.
//
// Holds the current token pair and user in memory. The access token never
// leaves memory; the refresh token goes to the TokenStore (the OS keychain)
// only when "Stay signed in" is on. Refresh is single-flight — concurrent
// callers join the one request in flight, because refresh tokens are single-use
// and presenting a spent one revokes the whole login (docs/protocol.md §1) — and
// proactive at 80% of the access token's life. The connection layer also asks
// for a refresh when the server closes with 4401.
//
// Owned by the program's composition root; it does not own the AuthClient,
// TokenStore or ProfileSettings it is given.
#pragma once

#include "AccessTokenProvider.h"
#include "AuthTypes.h"
#include "ServerUrl.h"
#include "TokenStore.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QTimer>

namespace Natter {

class AuthClient;
class ProfileSettings;

class AuthSession : public AccessTokenProvider
{
    Q_OBJECT
public:
    enum class State { SignedOut, SigningIn, Restoring, SignedIn, SigningOut };
    Q_ENUM(State)

    AuthSession(AuthClient *client, TokenStore *store, ProfileSettings *settings,
                QObject *parent = nullptr);
    ~AuthSession() override;

    // AccessTokenProvider
    QString accessToken() const override;
    void refreshAccessToken() override;

    State state() const { return m_state; }
    bool isBusy() const;
    bool isSignedIn() const { return m_state == State::SignedIn; }
    User user() const { return m_tokens.user; }
    ServerUrl server() const { return m_server; }
    // When the current access token expires (infinite when signed out).
    QDeadlineTimer accessTokenDeadline() const { return m_accessDeadline; }
    // False once the keychain reported that it cannot work in this session.
    bool isKeychainAvailable() const { return m_keychainAvailable; }

    // What the login dialog pre-fills.
    QString rememberedServerUrl() const;
    QString rememberedUsername() const;
    bool rememberedStaySignedIn() const;

    // An ephemeral session persists nothing: login() neither writes the settings
    // nor touches the token store (natter-cli --user, one command, one sign-in).
    void setEphemeral(bool ephemeral) { m_ephemeral = ephemeral; }
    bool isEphemeral() const { return m_ephemeral; }

    // True when the settings say a sign-in was kept (server, user, stay signed in).
    bool canRestore() const;

    // Signs in; signedIn() or errorOccurred() follows. `serverUrl` is what the
    // person typed (validated with ServerUrl; an invalid one gives errorOccurred).
    void login(const QString &serverUrl, const QString &username, const QString &password,
               bool staySignedIn);
    // Resumes the kept sign-in: reads the refresh token from the keychain and
    // refreshes. signedIn() follows, or signedOut(reason) with a reason to show
    // in the login dialog ("Your session has expired — please sign in again"
    // when the server refuses the token). Returns false, doing nothing, when
    // canRestore() is false.
    bool restore();
    // Revokes the session on the server, deletes the keychain entry and clears
    // the session from memory; signedOut("") follows. Works from SignedOut too
    // when a kept sign-in exists (natter-cli logout). When the server could not
    // revoke it (unreachable, 503), logoutIncomplete() comes first and the
    // session still ends here, with signedOut(a sentence saying so).
    void logout();
    // Abandons a login or restore in progress (the dialog's Cancel). Their
    // answers, whenever they come, are never taken for a later login's: a late
    // sign-in is revoked on its server; a restore's refresh keeps the successor
    // of the token it spent while the profile keeps that account and no login
    // or logout came since, and is revoked otherwise.
    void cancel();

    // True while a keychain write or delete this session started is unanswered.
    // A program must not exit then: the kept refresh token would be the spent one.
    bool hasPendingStoreWork() const { return m_pendingStoreOps > 0; }

    // The proactive refresh happens at this fraction of the token's life.
    static constexpr double kRefreshAt = 0.8;

Q_SIGNALS:
    void stateChanged(Natter::AuthSession::State state);
    void busyChanged(bool busy);
    void signedIn();
    // The session ended. `reason` is empty after logout or when there was
    // nothing to restore; otherwise a sentence to show in the login dialog.
    void signedOut(const QString &reason);
    // logout() ended the session on this computer only: the server was not
    // told (`error` says why); signedOut follows.
    void logoutIncomplete(const Natter::AuthError &error);
    // A login or restore failed (wrong password, unreachable, ...).
    void errorOccurred(const Natter::AuthError &error);
    // No keychain works: the session goes on in memory only and the person has
    // to sign in again next time. Emitted at most once per AuthSession.
    void keychainUnavailable(const QString &message);
    // Every keychain write and delete this session started has been answered.
    void storeWorkFinished();

private:
    void setState(State state);
    void adopt(const TokenPair &tokens);
    void persistRefreshToken();
    void endSession(const QString &reason, bool forgetKept);
    void finishLogout();
    void reportKeychainUnavailable(const QString &detail);
    QString currentKey() const;
    // The keychain key of the account the settings keep (empty: none kept).
    QString keptKey() const;
    void storeWrite(const QString &key, const QString &token);
    void storeRemove(const QString &key);
    void storeOpDone();

    void onLoginSucceeded(const TokenPair &tokens, quint64 request);
    void onLoginFailed(const AuthError &error, quint64 request);
    void onRefreshSucceeded(const TokenPair &tokens, quint64 request);
    void onRefreshFailed(const AuthError &error, quint64 request);
    void onStoreRead(const QString &key, const QString &token);
    void onStoreRemoved(const QString &key);
    void onStoreFailed(const QString &key, TokenStore::Operation operation, const QString &message,
                       bool unavailable);

    AuthClient *m_client;
    TokenStore *m_store;
    ProfileSettings *m_settings;

    State m_state = State::SignedOut;
    ServerUrl m_server;
    QString m_username;
    bool m_staySignedIn = true;
    TokenPair m_tokens;
    QDeadlineTimer m_accessDeadline{QDeadlineTimer::Forever};
    QTimer m_refreshTimer;
    quint64 m_refreshRequest = 0; // the refresh this session waits for (0: none)
    // Logins cancelled before their answer, with their server: a late sign-in
    // is revoked there.
    QHash<quint64, ServerUrl> m_abandonedLogins;
    // Refreshes of restores cancelled before their answer: the keychain key of
    // the token each one spends (the answer is that entry's alone; empty once
    // a login or logout made it nobody's, so the answer is revoked) and the
    // server.
    struct AbandonedRefresh
    {
        QString key;
        ServerUrl server;
    };
    QHash<quint64, AbandonedRefresh> m_abandonedRefreshes;
    // Settles the answer (`tokens` or `error`) to a cancelled restore's refresh;
    // true when there is nothing more to do, false when `request` is not one,
    // or a restore of the same account now waiting takes it as its own.
    bool settleAbandonedRefresh(quint64 request, const TokenPair *tokens, const AuthError *error);
    bool m_keychainAvailable = true;
    bool m_keychainWarned = false;
    bool m_ephemeral = false;
    int m_pendingStoreOps = 0;

    QString m_pendingReadKey; // restore() / logout() waiting for the keychain
    QString m_pendingRemoveKey; // logout() waiting for the keychain
    bool m_logoutAfterRead = false;
    QString m_logoutNotice; // for signedOut() when the server could not revoke
    // The AuthClient requests whose answers this session waits for (0: none).
    // Another answer is to a call abandoned meanwhile (cancel(), a late revoke).
    quint64 m_loginRequest = 0;
    quint64 m_logoutRequest = 0;
};

} // namespace Natter
