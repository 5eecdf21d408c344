// An AccessTokenProvider for tests against scripted peers: a fixed token and a
// scripted refresh (to a given token, or refused). The refresh answers on the
// next event-loop turn, like a real HTTP refresh would.
#pragma once

#include "auth/AccessTokenProvider.h"

#include <QTimer>

class StaticTokenProvider : public Natter::AccessTokenProvider
{
    Q_OBJECT
public:
    explicit StaticTokenProvider(const QString &token, QObject *parent = nullptr)
        : AccessTokenProvider(parent)
        , m_token(token)
    { }

    QString accessToken() const override { return m_token; }
    void refreshAccessToken() override
    {
        ++refreshCount;
        QTimer::singleShot(0, this, [this] {
            if (refreshTo.isEmpty()) {
                Q_EMIT accessTokenRefreshFailed(QStringLiteral("invalid_grant"), true);
            } else {
                m_token = refreshTo;
                Q_EMIT accessTokenRefreshed();
            }
        });
    }

    QString refreshTo; // empty: the refresh is refused for good
    int refreshCount = 0;

private:
    QString m_token;
};
