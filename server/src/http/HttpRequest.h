// One parsed HTTP/1.1 request, as HttpConnection hands it to the router.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrlQuery>

namespace Natter::Server {

struct HttpRequest
{
    QByteArray method;
    QString path; // without the query string
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QString peer; // peer address, for throttling and logs

    QByteArray header(const char *lowerName) const { return headers.value(lowerName); }
    // The token of an `Authorization: Bearer <token>` header, or empty.
    QByteArray bearerToken() const
    {
        const QByteArray value = header("authorization");
        return value.startsWith("Bearer ") ? value.mid(7).trimmed() : QByteArray();
    }
};

} // namespace Natter::Server
