#include "http/HttpRouter.h"

namespace Natter::Server {

void HttpRouter::add(const QByteArray &method, const QString &path, Handler handler)
{
    m_routes[path][method] = std::move(handler);
}

void HttpRouter::addPrefix(const QByteArray &method, const QString &prefix, Handler handler)
{
    for (auto &[p, handlers] : m_prefixes) {
        if (p == prefix) {
            handlers[method] = std::move(handler);
            return;
        }
    }
    m_prefixes.append({prefix, {{method, std::move(handler)}}});
}

void HttpRouter::addStreaming(const QByteArray &method, const QString &path, StreamHandler handler)
{
    m_streaming[path][method] = std::move(handler);
}

const HttpRouter::StreamHandler *HttpRouter::streamHandler(const HttpRequest &request) const
{
    const auto route = m_streaming.constFind(request.path);
    if (route == m_streaming.cend())
        return nullptr;
    const auto handler = route->constFind(request.method);
    return handler == route->cend() ? nullptr : &*handler;
}

void HttpRouter::dispatch(const HttpRequest &request, const Responder &respond) const
{
    const QMap<QByteArray, Handler> *handlers = nullptr;
    if (const auto route = m_routes.constFind(request.path); route != m_routes.cend()) {
        handlers = &*route;
    } else {
        for (const auto &[prefix, byMethod] : m_prefixes) {
            if (request.path.startsWith(prefix)) {
                handlers = &byMethod;
                break;
            }
        }
    }
    QList<QByteArray> allowed = handlers ? handlers->keys() : QList<QByteArray>();
    if (const auto streaming = m_streaming.constFind(request.path); streaming != m_streaming.cend())
        allowed += streaming->keys();
    if (allowed.isEmpty()) {
        respond(HttpResponse::error(404, QStringLiteral("not_found")));
        return;
    }
    const Handler *handler = nullptr;
    if (handlers) {
        if (const auto found = handlers->constFind(request.method); found != handlers->cend())
            handler = &*found;
    }
    if (!handler) {
        HttpResponse response = HttpResponse::error(405, QStringLiteral("method_not_allowed"));
        response.addHeader("Allow", allowed.join(", "));
        respond(response);
        return;
    }
    (*handler)(request, respond);
}

} // namespace Natter::Server
