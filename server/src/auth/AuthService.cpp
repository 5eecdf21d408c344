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

QJsonObject AuthService::issue(const QString &userId, const QString &familyId)
{
    const qint64 now = nowSecs();
    const QByteArray access =
        m_signer->sign({userId, familyId, now, now + m_settings.accessTtlSecs});
    const QByteArray refresh = RandomId::base64url(32);
    m_store->addRefreshToken(
        hashToken(refresh), familyId,
        QDateTime::fromSecsSinceEpoch(now + m_settings.refreshTtlSecs, Qt::UTC));
    const auto user = m_store->userById(userId);
    return QJsonObject{
        {QStringLiteral("access_token"), QString::fromLatin1(access)},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), m_settings.accessTtlSecs},
        {QStringLiteral("refresh_token"), QString::fromLatin1(refresh)},
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
    const auto user = m_store->userByName(username);
    // Unknown users are verified against a dummy hash: same work, same answer.
    const QByteArray hash = user ? user->passwordHash : QByteArray();
    ++m_pendingVerifications;
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
            const QString familyId = RandomId::hex(12);
            m_store->addFamily(familyId, user->id, deviceName);
            Result result{Outcome::Ok, issue(user->id, familyId), 0};
            qCInfo(lcServerAuth).noquote().nospace()
                << "event=login user=" << user->id << " session=" << familyId.left(8);
            // The family must be durable before its tokens are handed out.
            m_store->whenDurable([done, result] { done(result); });
        });
}

AuthService::Result AuthService::refresh(const QByteArray &refreshToken)
{
    const QByteArray hash = hashToken(refreshToken);
    const auto record = m_store->refreshToken(hash);
    if (record.failed())
        return Result{Outcome::Unavailable, {}, 0}; // the token may be fine: keep it usable
    if (!record)
        return Result{Outcome::InvalidGrant, {}, 0};
    if (record->used) {
        // A spent token presented again: someone holds a copy. Kill the family.
        if (!record->familyRevoked) {
            m_store->revokeFamily(record->familyId);
            qCWarning(lcServerAuth).noquote().nospace()
                << "event=refresh_reuse session=" << record->familyId.left(8);
        }
        Q_EMIT familyRevoked(record->familyId, 4401);
        return Result{Outcome::InvalidGrant, {}, 0};
    }
    if (record->familyRevoked || record->expiresAt <= QDateTime::currentDateTimeUtc())
        return Result{Outcome::InvalidGrant, {}, 0};
    // Unknown is neither: no new pair (a revoked family must not get one) and
    // the token is not spent (a fine session must not end), so the client can
    // present it again once the storage answers.
    const auto active = m_store->familyActive(record->familyId);
    if (active.failed())
        return Result{Outcome::Unavailable, {}, 0};
    if (!*active)
        return Result{Outcome::InvalidGrant, {}, 0};
    m_store->markRefreshTokenUsed(hash);
    return Result{Outcome::Ok, issue(record->userId, record->familyId), 0};
}

void AuthService::logout(const QByteArray &refreshToken)
{
    const auto record = m_store->refreshToken(hashToken(refreshToken));
    if (!record)
        return;
    if (!record->familyRevoked) {
        m_store->revokeFamily(record->familyId);
        qCInfo(lcServerAuth).noquote().nospace()
            << "event=logout session=" << record->familyId.left(8);
    }
    Q_EMIT familyRevoked(record->familyId, 1000);
}

AuthService::Access AuthService::checkAccessToken(const QByteArray &token)
{
    const auto verified = m_signer->verify(token, nowSecs());
    Access access{verified.status, verified.claims.sub, verified.claims.sid};
    if (access.status != TokenSigner::Status::Valid)
        return access;
    // Fail closed without failing the session: an unknown answer does not let
    // the token in (it could be revoked) nor reject it (4401/401 would send a
    // fine client to refresh or to the login); callers answer "try again".
    const auto active = m_store->familyActive(access.familyId);
    if (active.failed()) {
        access.status = TokenSigner::Status::Invalid;
        access.unavailable = true;
    } else if (!*active) {
        access.status = TokenSigner::Status::Invalid;
    }
    return access;
}

} // namespace Natter::Server
