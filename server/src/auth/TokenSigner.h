// HS256 JWT access tokens: sign and verify with `sub`, `sid`, `iat`, `exp`.
//
// Plain policy class. The header must say {"alg":"HS256"}; any other alg
// (none, RS256, HS512...) is rejected before the signature is looked at, and
// the MAC is compared in constant time (crypto_auth_hmacsha256_verify).
#pragma once

#include <QByteArray>
#include <QString>

namespace Natter::Server {

class TokenSigner
{
public:
    enum class Status { Valid, Invalid, Expired };
    struct Claims
    {
        QString sub; // user id
        QString sid; // session = refresh-token family id
        qint64 iat = 0;
        qint64 exp = 0;
    };
    struct Result
    {
        Status status = Status::Invalid;
        Claims claims;
    };

    static constexpr int kSecretSize = 32;

    explicit TokenSigner(const QByteArray &secret);

    QByteArray sign(const Claims &claims) const;
    Result verify(const QByteArray &token, qint64 nowSecs) const;

    // Reads the secret from `path`, or creates it (mode 0600) on first start.
    static QByteArray loadOrCreateSecret(const QString &path, QString *error);

private:
    QByteArray mac(const QByteArray &signingInput) const;

    QByteArray m_secret;
};

} // namespace Natter::Server
