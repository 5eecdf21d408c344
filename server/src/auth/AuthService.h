// Logins, refresh-token rotation, logout and access-token checks.
//
// Owned by NatterServer; used by the HTTP handlers and ChatHub. Its store work
// runs as ChatStore jobs (issue 16: off the event loop on PostgreSQL), so
// login, refresh and logout answer through a callback; password hashing stays
// on PasswordHasher's pool. Refresh tokens
// are opaque random strings stored only as BLAKE2b hashes, grouped in families
// (one per login; the family id is the access token's `sid`). Reusing a spent
// refresh token revokes the family and emits familyRevoked(…, 4401); logout
// revokes it with 1000. ChatHub closes that family's sockets in response.
#pragma once

#include "auth/LoginThrottle.h"
#include "auth/TokenSigner.h"
#include "store/UserStore.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace Natter::Server {

class ChatStore;
class PasswordHasher;
class SharedLoginThrottle;

class AuthService : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        qint64 accessTtlSecs = 15 * 60;
        qint64 refreshTtlSecs = 30 * 24 * 3600;
        int maxFailuresPerUser = 10;
        int maxFailuresPerPeer = 50;
        qint64 windowSecs = 15 * 60;
        // Password checks queued or running at once; past it a login is answered
        // 429 at once instead of waiting behind a flood (see docs/server.md).
        int maxPendingVerifications = 16;
    };

    // Unavailable: the storage could not answer; the credentials may be fine.
    enum class Outcome {
        Ok,
        BadRequest,
        InvalidCredentials,
        RateLimited,
        InvalidGrant,
        Unavailable
    };
    struct Result
    {
        Outcome outcome = Outcome::BadRequest;
        QJsonObject tokenPair; // on Ok
        qint64 retryAfterSecs = 0; // on RateLimited
    };

    struct Access
    {
        TokenSigner::Status status = TokenSigner::Status::Invalid;
        QString userId;
        QString familyId;
        // The storage could not tell whether the family is active: the token
        // is neither accepted nor rejected (status stays Invalid, so a caller
        // that ignores this still refuses it).
        bool unavailable = false;
    };

    AuthService(ChatStore *store, PasswordHasher *hasher, const TokenSigner *signer,
                const Settings &settings, QObject *parent = nullptr);

    // Checks the password off the event loop; `done` runs on this thread. The
    // attempt is reserved with the throttle before hashing, so no more than the
    // limit's worth of checks run for one username or one peer.
    // The user lookup and the new session's rows are store jobs; Unavailable
    // when the session could not be stored.
    void login(const QString &username, const QByteArray &password, const QString &deviceName,
               const QString &peer, std::function<void(const Result &)> done);
    // Rotates a refresh token in one store job (lookup, reuse detection, the
    // new token, the old one spent); `done` runs on this thread once that is
    // durable. Jobs run one after another, so two refreshes with one token
    // rotate it once (the second is a reuse).
    void refresh(const QByteArray &refreshToken, std::function<void(const Result &)> done);
    // Revokes the token's family (a store job); `done` once that is durable,
    // with false when the store failed to read or revoke it (the token still works).
    void logout(const QByteArray &refreshToken, std::function<void(bool stored)> done);
    // Verifies an access token in two halves, for callers whose store work is
    // a job: the token itself (signature, alg, expiry; no store; status Valid
    // means "now check the family"), on the event loop...
    Access verifyAccessToken(const QByteArray &token) const;
    // ...and the family, inside the job (any thread; touches only `store`).
    static void checkFamily(ChatStore &store, Access *access);
    // Several nodes (§12): count failed logins in `shared` (not owned), with
    // the in-memory limiter as the fallback whenever it does not answer.
    void setSharedThrottle(SharedLoginThrottle *shared) { m_shared = shared; }

Q_SIGNALS:
    // A token family was revoked; its live sockets must close with `closeCode`
    // (4401 after refresh-token reuse, 1000 after logout).
    void familyRevoked(const QString &familyId, int closeCode);

private:
    // A token pair for a refresh token already stored (its hash) in a job;
    // the access token is signed here, on the event loop.
    QJsonObject tokenPair(const QString &userId, const QString &familyId,
                          const QByteArray &refreshToken, const std::optional<StoredUser> &user);
    // The password of `user` (nullopt: unknown, checked against a dummy hash).
    void checkPassword(const std::optional<StoredUser> &user, const QString &username,
                       const QByteArray &password, const QString &deviceName, const QString &peer,
                       std::function<void(const Result &)> done, bool shared);
    // Stores a new session (family and first refresh token) for `user` and answers.
    void startSession(const StoredUser &user, const QString &deviceName,
                      std::function<void(const Result &)> done);
    void loginLocally(const QString &username, const QByteArray &password,
                      const QString &deviceName, const QString &peer,
                      std::function<void(const Result &)> done);
    // The attempt is reserved (in `shared` or the local limiter): check the password.
    void verify(const QString &username, const QByteArray &password, const QString &deviceName,
                const QString &peer, std::function<void(const Result &)> done, bool shared);
    void release(bool shared, const QString &username, const QString &peer,
                 LoginThrottle::Attempt attempt);
    static QByteArray hashToken(const QByteArray &token);

    ChatStore *m_store;
    PasswordHasher *m_hasher;
    const TokenSigner *m_signer;
    Settings m_settings;
    LoginThrottle m_throttle;
    SharedLoginThrottle *m_shared = nullptr;
    int m_pendingVerifications = 0;
};

} // namespace Natter::Server
