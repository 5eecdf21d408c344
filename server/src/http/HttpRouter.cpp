#include "http/HttpRouter.h"

namespace Natter::Server {

void HttpRouter::add(const QByteArray &method, const QString &path, Handler handler)
{
    m_routes[path][method] = std::move(handler);
}

void HttpRouter::dispatch(const HttpRequest &request, const Responder &respond) const
{
    const auto route = m_routes.constFind(request.path);
    if (route == m_routes.cend()) {
        respond(HttpResponse::error(404, QStringLiteral("not_found")));
        return;
    }
    const auto handler = route->constFind(request.method);
    if (handler == route->cend()) {
        HttpResponse response = HttpResponse::error(405, QStringLiteral("method_not_allowed"));
        response.addHeader("Allow", route->keys().join(", "));
        respond(response);
        return;
    }
    (*handler)(request, respond);
}

} // namespace Natter::Server
