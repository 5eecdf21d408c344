// The seam between the connection layer and the login/token machinery.
//
// ConnectionManager asks it for the current access token when it authenticates,
// and asks for one refresh when the server answers 4401 or auth_failed. The
// desktop app and natter-cli implement it with AuthSession (refresh token from
// the keychain); tests implement it with a token from a real login.
#pragma once

#include <QObject>
#include <QString>

namespace Natter {

class AccessTokenProvider : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // The access token to present now; empty when there is none.
    virtual QString accessToken() const = 0;

    // Starts (or joins) a refresh. Exactly one of the signals below follows.
    virtual void refreshAccessToken() = 0;

Q_SIGNALS:
    // A new access token is available through accessToken().
    void accessTokenRefreshed();
    // The refresh was refused or impossible. `permanent` means the refresh token
    // is gone or invalid (back to login); otherwise it may work later (network).
    void accessTokenRefreshFailed(const QString &reason, bool permanent);
};

} // namespace Natter
