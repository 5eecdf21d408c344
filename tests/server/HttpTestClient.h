// Blocking-style HTTP helper for natterd integration tests, over a real
// QNetworkAccessManager (waits on the reply's finished signal).
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
};

class HttpTestClient
{
public:
    explicit HttpTestClient(const QUrl &base);

    HttpResult request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                       const QByteArray &bearer = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult postJson(const QString &path, const QJsonObject &body);
    // POST /api/v1/auth/login; the token pair on 200.
    HttpResult login(const QString &username, const QString &password);
    // The access token of a successful login (empty otherwise).
    QString accessToken(const QString &username, const QString &password);

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};
