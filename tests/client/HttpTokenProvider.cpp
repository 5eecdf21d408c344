#include "HttpTokenProvider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace {
QNetworkRequest jsonRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return request;
}
} // namespace

HttpTokenProvider::HttpTokenProvider(const QUrl &server, QObject *parent)
    : AccessTokenProvider(parent)
    , m_server(server)
{ }

bool HttpTokenProvider::login(const QString &username, const QString &password)
{
    const QJsonObject body{
        {u"username"_s, username}, {u"password"_s, password}, {u"device_name"_s, u"test"_s}};
    QNetworkReply *reply =
        m_http.post(jsonRequest(m_server.resolved(QUrl(u"/api/v1/auth/login"_s))),
                    QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(20000))
        return false;
    reply->deleteLater();
    const QJsonObject pair = QJsonDocument::fromJson(reply->readAll()).object();
    m_access = pair.value(u"access_token").toString();
    m_refresh = pair.value(u"refresh_token").toString();
    m_userId = pair.value(u"user").toObject().value(u"id").toString();
    return reply->error() == QNetworkReply::NoError && !m_access.isEmpty();
}

void HttpTokenProvider::refreshAccessToken()
{
    ++m_refreshCount;
    if (m_refreshing)
        return;
    m_refreshing = true;
    const QJsonObject body{{u"refresh_token"_s, m_refresh}};
    QNetworkReply *reply =
        m_http.post(jsonRequest(m_server.resolved(QUrl(u"/api/v1/auth/refresh"_s))),
                    QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_refreshing = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject pair = QJsonDocument::fromJson(reply->readAll()).object();
        if (status == 200 && pair.contains(u"access_token")) {
            m_access = pair.value(u"access_token").toString();
            m_refresh = pair.value(u"refresh_token").toString();
            Q_EMIT accessTokenRefreshed();
        } else {
            // 4xx: the refresh token is gone; anything else may work later.
            Q_EMIT accessTokenRefreshFailed(u"refresh answered %1"_s.arg(status),
                                            status >= 400 && status < 500);
        }
    });
}
