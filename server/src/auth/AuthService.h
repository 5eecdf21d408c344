// Logins, refresh-token rotation, logout and access-token checks.
//
// Owned by NatterServer; used by the HTTP handlers and ChatHub. Refresh tokens
// are opaque random strings stored only as BLAKE2b hashes, grouped in families
// (one per login; the family id is the access token's `sid`). Reusing a spent
// refresh token revokes the family and emits familyRevoked(…, 4401); logout
// revokes it with 1000. ChatHub closes that family's sockets in response.
#pragma once

#include "auth/LoginThrottle.h"
#include "auth/TokenSigner.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

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
    void login(const QString &username, const QByteArray &password, const QString &deviceName,
               const QString &peer, std::function<void(const Result &)> done);
    Result refresh(const QByteArray &refreshToken);
    void logout(const QByteArray &refreshToken);
    // Verifies an access token: signature, alg, expiry, and that its family is
    // still active and the user not disabled.
    Access checkAccessToken(const QByteArray &token);
    // Several nodes (§12): count failed logins in `shared` (not owned), with
    // the in-memory limiter as the fallback whenever it does not answer.
    void setSharedThrottle(SharedLoginThrottle *shared) { m_shared = shared; }

Q_SIGNALS:
    // A token family was revoked; its live sockets must close with `closeCode`
    // (4401 after refresh-token reuse, 1000 after logout).
    void familyRevoked(const QString &familyId, int closeCode);

private:
    QJsonObject issue(const QString &userId, const QString &familyId);
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
