#include "auth/TokenSigner.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <sodium.h>

namespace Natter::Server {

namespace {
constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

TokenSigner::TokenSigner(const QByteArray &secret)
    : m_secret(secret)
{ }

QByteArray TokenSigner::mac(const QByteArray &signingInput) const
{
    QByteArray out(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state,
                                reinterpret_cast<const unsigned char *>(m_secret.constData()),
                                size_t(m_secret.size()));
    crypto_auth_hmacsha256_update(&state,
                                  reinterpret_cast<const unsigned char *>(signingInput.constData()),
                                  size_t(signingInput.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray TokenSigner::sign(const Claims &claims) const
{
    const QByteArray header = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(kB64);
    const QJsonObject payload{{QStringLiteral("sub"), claims.sub},
                              {QStringLiteral("sid"), claims.sid},
                              {QStringLiteral("iat"), claims.iat},
                              {QStringLiteral("exp"), claims.exp}};
    const QByteArray input =
        header + '.' + QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(kB64);
    return input + '.' + mac(input).toBase64(kB64);
}

TokenSigner::Result TokenSigner::verify(const QByteArray &token, qint64 nowSecs) const
{
    Result result;
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty())
        return result;
    const auto headerBytes =
        QByteArray::fromBase64Encoding(parts[0], kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!headerBytes)
        return result;
    const QJsonObject header = QJsonDocument::fromJson(*headerBytes).object();
    // Only HS256: "none" and every other algorithm are refused outright.
    if (header.value(QStringLiteral("alg")).toString() != u"HS256")
        return result;
    const auto sig =
        QByteArray::fromBase64Encoding(parts[2], kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!sig || (*sig).size() != crypto_auth_hmacsha256_BYTES)
        return result;
    const QByteArray input = parts[0] + '.' + parts[1];
    const QByteArray expected = mac(input);
    if (sodium_memcmp(expected.constData(), (*sig).constData(), crypto_auth_hmacsha256_BYTES) != 0)
        return result;
    const auto payloadBytes =
        QByteArray::fromBase64Encoding(parts[1], kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!payloadBytes)
        return result;
    const QJsonObject payload = QJsonDocument::fromJson(*payloadBytes).object();
    Claims claims;
    claims.sub = payload.value(QStringLiteral("sub")).toString();
    claims.sid = payload.value(QStringLiteral("sid")).toString();
    claims.iat = payload.value(QStringLiteral("iat")).toInteger();
    claims.exp = payload.value(QStringLiteral("exp")).toInteger();
    if (claims.sub.isEmpty() || claims.sid.isEmpty() || claims.exp <= 0)
        return result;
    result.claims = claims;
    result.status = nowSecs >= claims.exp ? Status::Expired : Status::Valid;
    return result;
}

QByteArray TokenSigner::loadOrCreateSecret(const QString &path, QString *error)
{
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = file.errorString();
            return {};
        }
        const QByteArray secret = file.readAll();
        if (secret.size() < kSecretSize) {
            *error = QCoreApplication::translate("TokenSigner", "signing secret %1 is too short")
                         .arg(path);
            return {};
        }
        return secret;
    }
    QByteArray secret(kSecretSize, '\0');
    randombytes_buf(secret.data(), size_t(secret.size()));
    // Create it empty with 0600 first, so the secret is never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(secret) != secret.size() || !file.flush()) {
        *error = file.errorString();
        return {};
    }
    return secret;
}

} // namespace Natter::Server
