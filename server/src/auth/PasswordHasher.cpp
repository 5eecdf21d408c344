#include "auth/PasswordHasher.h"

#include "RandomId.h"

#include <QtConcurrent/QtConcurrentRun>

#include <sodium.h>

namespace Natter::Server {

PasswordHasher::PasswordHasher(QObject *parent)
    : QObject(parent)
    , m_dummyHash(hashSync(RandomId::base64url(16)))
{
    // Each hash holds 19 MiB: bound the concurrency so a login storm cannot
    // exhaust memory, and leave the main thread free.
    m_pool.setMaxThreadCount(2);
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

QByteArray PasswordHasher::hashSync(const QByteArray &password)
{
    QByteArray out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str_alg(out.data(), password.constData(),
                              static_cast<unsigned long long>(password.size()), kOpsLimit,
                              kMemLimit, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    out.truncate(int(qstrnlen(out.constData(), size_t(out.size()))));
    return out;
}

bool PasswordHasher::verifyImpl(const QByteArray &hash, const QByteArray &dummy,
                                const QByteArray &password)
{
    const QByteArray &target = hash.isEmpty() ? dummy : hash;
    const bool ok = crypto_pwhash_str_verify(target.constData(), password.constData(),
                                             static_cast<unsigned long long>(password.size()))
        == 0;
    return ok && !hash.isEmpty();
}

QFuture<QByteArray> PasswordHasher::hash(const QByteArray &password)
{
    return QtConcurrent::run(&m_pool, [password] { return hashSync(password); });
}

QFuture<bool> PasswordHasher::verify(const QByteArray &storedHash, const QByteArray &password)
{
    return QtConcurrent::run(&m_pool, [storedHash, dummy = m_dummyHash, password] {
        return verifyImpl(storedHash, dummy, password);
    });
}

bool PasswordHasher::verifySync(const QByteArray &storedHash, const QByteArray &password) const
{
    return verifyImpl(storedHash, m_dummyHash, password);
}

} // namespace Natter::Server
