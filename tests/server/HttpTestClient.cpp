#include "HttpTestClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpTestClient::HttpTestClient(const QUrl &base)
    : m_base(base)
{ }

HttpResult HttpTestClient::request(const QByteArray &method, const QString &path,
                                   const QByteArray &body, const QByteArray &bearer,
                                   const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QUrl url = m_base;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

HttpResult HttpTestClient::postJson(const QString &path, const QJsonObject &body)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResult HttpTestClient::login(const QString &username, const QString &password)
{
    return postJson(QStringLiteral("/api/v1/auth/login"),
                    QJsonObject{{QStringLiteral("username"), username},
                                {QStringLiteral("password"), password},
                                {QStringLiteral("device_name"), QStringLiteral("test")}});
}

QString HttpTestClient::accessToken(const QString &username, const QString &password)
{
    const HttpResult r = login(username, password);
    return r.status == 200 ? r.json.value(QStringLiteral("access_token")).toString() : QString();
}
