#include "auth/AuthService.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "auth/PasswordHasher.h"
#include "auth/SharedLoginThrottle.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <QDateTime>
#include <QFuture>
#include <QPointer>

#include <sodium.h>

namespace Natter::Server {

namespace {
qint64 nowSecs()
{
    return QDateTime::currentSecsSinceEpoch();
}
} // namespace

AuthService::AuthService(ChatStore *store, PasswordHasher *hasher, const TokenSigner *signer,
                         const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_hasher(hasher)
    , m_signer(signer)
    , m_settings(settings)
    , m_throttle(settings.maxFailuresPerUser, settings.maxFailuresPerPeer, settings.windowSecs)
{ }

QByteArray AuthService::hashToken(const QByteArray &token)
{
    QByteArray out(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char *>(out.data()), size_t(out.size()),
                       reinterpret_cast<const unsigned char *>(token.constData()),
                       size_t(token.size()), nullptr, 0);
    return out;
}

QJsonObject AuthService::tokenPair(const QString &userId, const QString &familyId,
                                   const QByteArray &refreshToken,
                                   const std::optional<StoredUser> &user)
{
    const qint64 now = nowSecs();
    const QByteArray access =
        m_signer->sign({userId, familyId, now, now + m_settings.accessTtlSecs});
    return QJsonObject{
        {QStringLiteral("access_token"), QString::fromLatin1(access)},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), m_settings.accessTtlSecs},
        {QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)},
        {QStringLiteral("refresh_expires_in"), m_settings.refreshTtlSecs},
        {QStringLiteral("user"), user ? ServerCodec::user(*user) : QJsonObject()},
    };
}

void AuthService::login(const QString &username, const QByteArray &password,
                        const QString &deviceName, const QString &peer,
                        std::function<void(const Result &)> done)
{
    if (!m_shared) {
        loginLocally(username, password, deviceName, peer, std::move(done));
        return;
    }
    // §12: the limits hold over every node, so the count lives in Redis; when
    // Redis does not answer, this node's own limiter still protects (at worst
    // each node allows the limit once).
    QPointer<AuthService> self(this);
    m_shared->reserve(
        username, peer, [self, username, password, deviceName, peer, done](qint64 wait) {
            if (!self)
                return;
            if (wait < 0) {
                self->loginLocally(username, password, deviceName, peer, done);
            } else if (wait > 0) {
                qCInfo(lcServerAuth).noquote().nospace()
                    << "event=login_throttled shared=yes peer=" << ServerLog::value(peer);
                done(Result{Outcome::RateLimited, {}, wait});
            } else {
                self->verify(username, password, deviceName, peer, done, true);
            }
        });
}

void AuthService::loginLocally(const QString &username, const QByteArray &password,
                               const QString &deviceName, const QString &peer,
                               std::function<void(const Result &)> done)
{
    const qint64 wait = m_throttle.reserve(username, peer, nowSecs());
    if (wait > 0) {
        qCInfo(lcServerAuth).noquote().nospace()
            << "event=login_throttled peer=" << ServerLog::value(peer);
        done(Result{Outcome::RateLimited, {}, wait});
        return;
    }
    verify(username, password, deviceName, peer, std::move(done), false);
}

void AuthService::release(bool shared, const QString &username, const QString &peer,
                          LoginThrottle::Attempt attempt)
{
    if (shared)
        m_shared->release(username, peer, attempt);
    else
        m_throttle.release(username, peer, attempt, nowSecs());
}

void AuthService::verify(const QString &username, const QByteArray &password,
                         const QString &deviceName, const QString &peer,
                         std::function<void(const Result &)> done, bool shared)
{
    if (m_pendingVerifications >= m_settings.maxPendingVerifications) {
        // The hashing queue is full: answer now rather than queue unbounded work
        // (each check holds 19 MiB and a core). The contract's 429 tells every
        // client to come back after Retry-After; nothing is counted against the user.
        release(shared, username, peer, LoginThrottle::Attempt::NotMade);
        qCInfo(lcServerAuth).noquote().nospace()
            << "event=login_busy peer=" << ServerLog::value(peer);
        done(Result{Outcome::RateLimited, {}, 1});
        return;
    }
    // Counted from the lookup on: a login waiting for the store is queued work too.
    ++m_pendingVerifications;
    QPointer<AuthService> self(this);
    m_store->run([username](ChatStore &store) { return store.userByName(username); },
                 [self, username, password, deviceName, peer, done,
                  shared](const StoreResult<StoredUser> &user) {
                     if (!self)
                         return;
                     if (user.failed()) {
                         // The store did not answer: not a wrong password (a 401
                         // would send the user to retype a right one) and not an
                         // attempt against the account. 503: try again.
                         --self->m_pendingVerifications;
                         self->release(shared, username, peer, LoginThrottle::Attempt::NotMade);
                         qCWarning(lcServerAuth).noquote().nospace()
                             << "event=login_unavailable peer=" << ServerLog::value(peer);
                         done(Result{Outcome::Unavailable, {}, 0});
                         return;
                     }
                     self->checkPassword(user, username, password, deviceName, peer, done, shared);
                 });
}

void AuthService::checkPassword(const std::optional<StoredUser> &user, const QString &username,
                                const QByteArray &password, const QString &deviceName,
                                const QString &peer, std::function<void(const Result &)> done,
                                bool shared)
{
    // Unknown users are verified against a dummy hash: same work, same answer.
    const QByteArray hash = user ? user->passwordHash : QByteArray();
    m_hasher->verify(hash, password)
        .then(this, [this, user, username, deviceName, peer, done, shared](bool ok) {
            --m_pendingVerifications;
            if (!ok || !user || user->disabled) {
                release(shared, username, peer, LoginThrottle::Attempt::Failed);
                qCInfo(lcServerAuth).noquote().nospace()
                    << "event=login_failed peer=" << ServerLog::value(peer);
                done(Result{Outcome::InvalidCredentials, {}, 0});
                return;
            }
            release(shared, username, peer, LoginThrottle::Attempt::Succeeded);
            startSession(*user, deviceName, done);
        });
}

void AuthService::startSession(const StoredUser &user, const QString &deviceName,
                               std::function<void(const Result &)> done)
{
    const QString familyId = RandomId::hex(12);
    const QByteArray refresh = RandomId::base64url(32);
    const QDateTime expiresAt =
        QDateTime::fromSecsSinceEpoch(nowSecs() + m_settings.refreshTtlSecs, Qt::UTC);
    struct Stored
    {
        bool ok = false;
        std::optional<StoredUser> user;
    };
    QPointer<AuthService> self(this);
    m_store->run(
        [userId = user.id, familyId, deviceName, hash = hashToken(refresh),
         expiresAt](ChatStore &store) {
            Stored stored;
            stored.ok = store.addFamily(familyId, userId, deviceName)
                && store.addRefreshToken(hash, familyId, expiresAt);
            if (stored.ok)
                stored.user = store.userById(userId);
            return stored;
        },
        // Runs once the family is durable: only then are its tokens handed out.
        [self, userId = user.id, familyId, refresh, done](const Stored &stored) {
            if (!self)
                return;
            if (!stored.ok) {
                qCWarning(lcServerAuth).noquote().nospace()
                    << "event=login_unavailable user=" << userId;
                done(Result{Outcome::Unavailable, {}, 0});
                return;
            }
            qCInfo(lcServerAuth).noquote().nospace()
                << "event=login user=" << userId << " session=" << familyId.left(8);
            done(Result{Outcome::Ok, self->tokenPair(userId, familyId, refresh, stored.user), 0});
        });
}

void AuthService::refresh(const QByteArray &refreshToken, std::function<void(const Result &)> done)
{
    struct Rotation
    {
        Outcome outcome = Outcome::InvalidGrant;
        QString userId;
        QString familyId;
        bool reused = false; // a spent token presented again
        bool revokedNow = false; // ...and its family revoked by this call
        std::optional<StoredUser> user;
    };
    const QByteArray next = RandomId::base64url(32);
    const QDateTime nextExpiresAt =
        QDateTime::fromSecsSinceEpoch(nowSecs() + m_settings.refreshTtlSecs, Qt::UTC);
    QPointer<AuthService> self(this);
    m_store->run(
        [hash = hashToken(refreshToken), nextHash = hashToken(next),
         nextExpiresAt](ChatStore &store) {
            Rotation r;
            const auto record = store.refreshToken(hash);
            if (record.failed()) {
                r.outcome = Outcome::Unavailable; // the token may be fine: keep it usable
                return r;
            }
            if (!record)
                return r;
            r.userId = record->userId;
            r.familyId = record->familyId;
            if (record->used) {
                // A spent token presented again: someone holds a copy. Kill the family.
                r.reused = true;
                if (!record->familyRevoked) {
                    r.revokedNow = bool(store.revokeFamily(record->familyId));
                    // Not revoked (or rolled back with its batch): the family still
                    // works, so this is not a final invalid_grant. The copy is
                    // caught again when it is presented again.
                    if (!r.revokedNow)
                        r.outcome = Outcome::Unavailable;
                }
                return r;
            }
            if (record->familyRevoked || record->expiresAt <= QDateTime::currentDateTimeUtc())
                return r;
            // Unknown is neither: no new pair (a revoked family must not get one) and
            // the token is not spent (a fine session must not end), so the client can
            // present it again once the storage answers.
            const auto active = store.familyActive(record->familyId);
            if (active.failed()) {
                r.outcome = Outcome::Unavailable;
                return r;
            }
            if (!*active)
                return r;
            // The new token first: when either write fails the old one is
            // still unspent and the client may present it again.
            if (!store.addRefreshToken(nextHash, record->familyId, nextExpiresAt)
                || !store.markRefreshTokenUsed(hash)) {
                r.outcome = Outcome::Unavailable;
                return r;
            }
            r.user = store.userById(record->userId);
            r.outcome = Outcome::Ok;
            return r;
        },
        [self, next, done](const Rotation &r) {
            if (!self)
                return;
            if (r.reused && r.outcome == Outcome::Unavailable) {
                qCWarning(lcServerAuth).noquote().nospace()
                    << "event=refresh_reuse_not_revoked session=" << r.familyId.left(8);
            } else if (r.reused) {
                if (r.revokedNow)
                    qCWarning(lcServerAuth).noquote().nospace()
                        << "event=refresh_reuse session=" << r.familyId.left(8);
                Q_EMIT self->familyRevoked(r.familyId, 4401);
            }
            if (r.outcome == Outcome::Ok)
                done(Result{Outcome::Ok, self->tokenPair(r.userId, r.familyId, next, r.user), 0});
            else
                done(Result{r.outcome, {}, 0});
        });
}

void AuthService::logout(const QByteArray &refreshToken, std::function<void(bool stored)> done)
{
    struct Revocation
    {
        QString familyId; // empty: no such token
        bool revokedNow = false;
        bool failed = false; // the store could not tell or could not revoke
    };
    QPointer<AuthService> self(this);
    m_store->run(
        [hash = hashToken(refreshToken)](ChatStore &store) {
            Revocation r;
            const auto record = store.refreshToken(hash);
            if (!record) {
                r.failed = record.failed();
                return r;
            }
            r.familyId = record->familyId;
            if (!record->familyRevoked) {
                const StoreResult<void> revoked = store.revokeFamily(record->familyId);
                r.revokedNow = bool(revoked);
                r.failed = revoked.failed();
            }
            return r;
        },
        [self, done](const Revocation &r) {
            // The token still works: not a logout, and the client may try again.
            if (r.failed) {
                done(false);
                return;
            }
            if (self && !r.familyId.isEmpty()) {
                if (r.revokedNow)
                    qCInfo(lcServerAuth).noquote().nospace()
                        << "event=logout session=" << r.familyId.left(8);
                Q_EMIT self->familyRevoked(r.familyId, 1000);
            }
            done(true);
        });
}

AuthService::Access AuthService::verifyAccessToken(const QByteArray &token) const
{
    const auto verified = m_signer->verify(token, nowSecs());
    return Access{verified.status, verified.claims.sub, verified.claims.sid};
}

void AuthService::checkFamily(ChatStore &store, Access *access)
{
    if (access->status != TokenSigner::Status::Valid)
        return;
    // Fail closed without failing the session: an unknown answer does not let
    // the token in (it could be revoked) nor reject it (4401/401 would send a
    // fine client to refresh or to the login); callers answer "try again".
    const auto active = store.familyActive(access->familyId);
    if (active.failed()) {
        access->status = TokenSigner::Status::Invalid;
        access->unavailable = true;
    } else if (!*active) {
        access->status = TokenSigner::Status::Invalid;
    }
}

} // namespace Natter::Server
