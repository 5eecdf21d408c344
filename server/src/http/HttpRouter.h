// Maps (method, path) to a handler; JSON 404 for unknown paths, 405 (with an
// `Allow` header) for a known path with the wrong method. A prefix route takes
// every path under it (`/api/v1/files/<id>`); a streaming route gets the
// request head before its body is read (HttpBodyReceiver).
//
// Handlers answer through the Responder, possibly later (login hashes off the
// event loop); HttpConnection makes a late answer to a vanished client harmless.
#pragma once

#include "http/HttpBodyReceiver.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QMap>

#include <functional>
#include <memory>

namespace Natter::Server {

class HttpRouter
{
public:
    using Responder = std::function<void(const HttpResponse &)>;
    using Handler = std::function<void(const HttpRequest &, const Responder &)>;
    // Hands the receiver of the body to the connection, which then reads the
    // body into it; at most once, now or later (after a store job), instead of
    // answering. Harmless once the client has gone (the receiver is dropped).
    using BodyAcceptor = std::function<void(std::unique_ptr<HttpBodyReceiver>)>;
    // Gets the request head (`request.body` is empty) and either answers
    // through `respond` (the body is never read) or passes a receiver to
    // `accept`; no byte of the body is read before one of them.
    using StreamHandler =
        std::function<void(const HttpRequest &, const Responder &, const BodyAcceptor &)>;

    void add(const QByteArray &method, const QString &path, Handler handler);
    // Every path that starts with `prefix` (and has no exact route).
    void addPrefix(const QByteArray &method, const QString &prefix, Handler handler);
    void addStreaming(const QByteArray &method, const QString &path, StreamHandler handler);
    void dispatch(const HttpRequest &request, const Responder &respond) const;
    // The streaming handler of the request's method and path, or nullptr.
    const StreamHandler *streamHandler(const HttpRequest &request) const;

private:
    QMap<QString, QMap<QByteArray, Handler>> m_routes;
    QList<std::pair<QString, QMap<QByteArray, Handler>>> m_prefixes;
    QMap<QString, QMap<QByteArray, StreamHandler>> m_streaming;
};

} // namespace Natter::Server
