#include "TokenRefresh.h"

#include "auth/AccessTokenProvider.h"

#include <QObject>

namespace Natter {

QObject *TokenRefresh::once(AccessTokenProvider *tokens, QObject *context,
                            std::function<void()> refreshed,
                            std::function<void(const QString &reason)> failed)
{
    auto *waiting = new QObject(context);
    // Whichever answer comes first is the only one: the other (or a second
    // refresh before deleteLater() ran) no longer reaches us.
    const auto done = [tokens, waiting] {
        QObject::disconnect(tokens, nullptr, waiting, nullptr);
        waiting->deleteLater();
    };
    QObject::connect(tokens, &AccessTokenProvider::accessTokenRefreshed, waiting,
                     [done, refreshed = std::move(refreshed)] {
                         const auto call = refreshed;
                         done();
                         call();
                     });
    QObject::connect(tokens, &AccessTokenProvider::accessTokenRefreshFailed, waiting,
                     [done, failed = std::move(failed)](const QString &reason) {
                         const auto call = failed;
                         done();
                         call(reason);
                     });
    tokens->refreshAccessToken();
    return waiting;
}

} // namespace Natter
