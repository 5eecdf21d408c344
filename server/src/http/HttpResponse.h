// One HTTP response; JSON bodies by default. A large body (a §9 download) is
// a device HttpConnection reads piece by piece while the client takes it.
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <memory>

namespace Natter::Server {

struct HttpResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    // When set, the body is `streamLength` bytes read from `stream` (open, at
    // its start), not `body`.
    std::shared_ptr<QIODevice> stream{};
    qint64 streamLength = 0;

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
