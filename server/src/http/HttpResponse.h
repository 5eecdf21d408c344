// One HTTP response; JSON bodies by default.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace Natter::Server {

struct HttpResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;

    void addHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append(QPair<QByteArray, QByteArray>(name, value));
    }

    static HttpResponse json(int status, const QJsonObject &object)
    {
        return HttpResponse{
            status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json", {}};
    }
    static HttpResponse error(int status, const QString &code)
    {
        return json(status, QJsonObject{{QStringLiteral("error"), code}});
    }
    static HttpResponse empty(int status) { return HttpResponse{status, {}, {}, {}}; }
};

} // namespace Natter::Server
