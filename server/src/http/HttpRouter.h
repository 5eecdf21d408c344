// Maps (method, path) to a handler; JSON 404 for unknown paths, 405 (with an
// `Allow` header) for a known path with the wrong method.
//
// Handlers answer through the Responder, possibly later (login hashes off the
// event loop); HttpConnection makes a late answer to a vanished client harmless.
#pragma once

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QMap>

#include <functional>

namespace Natter::Server {

class HttpRouter
{
public:
    using Responder = std::function<void(const HttpResponse &)>;
    using Handler = std::function<void(const HttpRequest &, const Responder &)>;

    void add(const QByteArray &method, const QString &path, Handler handler);
    void dispatch(const HttpRequest &request, const Responder &respond) const;

private:
    QMap<QString, QMap<QByteArray, Handler>> m_routes;
};

} // namespace Natter::Server
