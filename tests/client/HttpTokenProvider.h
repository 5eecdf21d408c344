// An AccessTokenProvider for tests against the real natterd: logs in with a
// plain HTTP request (POST /api/v1/auth/login) and refreshes with a real
// POST /api/v1/auth/refresh, rotating the refresh token as the contract says.
#pragma once

#include "auth/AccessTokenProvider.h"

#include <QNetworkAccessManager>
#include <QUrl>

class HttpTokenProvider : public Natter::AccessTokenProvider
{
    Q_OBJECT
public:
    explicit HttpTokenProvider(const QUrl &server, QObject *parent = nullptr);

    // Blocks (spinning the event loop) until the login answered. False on failure.
    bool login(const QString &username, const QString &password);
    QString userId() const { return m_userId; }

    QString accessToken() const override { return m_access; }
    void refreshAccessToken() override;
    int refreshCount() const { return m_refreshCount; }
    // Replaces the access token with one the server refuses (401), as an
    // expired one is: the next request must refresh.
    void spoilAccessToken() { m_access = QStringLiteral("expired.access.token"); }

private:
    QUrl m_server;
    QNetworkAccessManager m_http;
    QString m_access;
    QString m_refresh;
    QString m_userId;
    bool m_refreshing = false;
    int m_refreshCount = 0;
};
