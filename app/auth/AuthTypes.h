// Values exchanged with natterd's HTTP auth API (docs/protocol.md §1).
#pragma once

#include "protocol/Types.h"

#include <QMetaEnum>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace Natter {

// A token pair as the server hands it out. Secrets: never log, never persist the
// access token; the refresh token goes only to a TokenStore.
struct TokenPair
{
    QString accessToken;
    int expiresInSecs = 0;
    QString refreshToken;
    int refreshExpiresInSecs = 0;
    User user;

    bool isValid() const { return !accessToken.isEmpty() && !refreshToken.isEmpty(); }
};

// Why an auth request failed, with a sentence a person understands.
struct AuthError
{
    Q_GADGET
public:
    enum class Kind {
        None,
        InvalidCredentials, // 401 invalid_credentials: wrong username or password
        RateLimited, // 429: too many attempts; retryAfterSecs says how long to wait
        Unreachable, // connection refused, DNS, timeout
        Tls, // TLS handshake or certificate problem
        InvalidGrant, // 401 invalid_grant: refresh token expired, spent or revoked
        InvalidToken, // 401 invalid_token on a Bearer request
        ServerError, // 5xx
        BadResponse, // anything else: not a Natter server, or one we do not understand
    };

    Kind kind = Kind::None;
    QString message; // translated
    int retryAfterSecs = 0;
    int httpStatus = 0;

    bool isError() const { return kind != Kind::None; }
    // Refusals that no retry will fix (back to the login dialog).
    bool isPermanent() const
    {
        return kind == Kind::InvalidGrant || kind == Kind::InvalidCredentials
            || kind == Kind::InvalidToken;
    }
};

} // namespace Natter

Q_DECLARE_METATYPE(Natter::TokenPair)
Q_DECLARE_METATYPE(Natter::AuthError)
