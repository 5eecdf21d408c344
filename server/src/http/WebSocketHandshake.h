// The server's side of the WebSocket opening handshake (RFC 6455 §4.2).
//
// natterd answers `GET /ws` itself, on the HTTP front that already parsed the
// request strictly (HttpRequestParser), instead of handing the socket to
// QWebSocketServer: after the handshake the socket is read by natterd's own
// WebSocket layer (hub/SocketReader), and no QWebSocket is made per connection
// (idle memory, docs/benchmarks.md). The Origin allow-list is checked here, so a
// missing or foreign Origin gets a real HTTP 403.
#pragma once

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QByteArray>
#include <QSet>
#include <QString>

namespace Natter::Server::WebSocketHandshake {

struct Answer
{
    // 101 when the upgrade goes ahead; otherwise the error to answer with.
    HttpResponse response;
    // The response head to write for a 101 (an error goes through HttpConnection).
    QByteArray switchingProtocols;
    bool originRefused = false;

    bool accepted() const { return response.status == 101; }
};

// The answer to an upgrade request (method, path and `Upgrade: websocket`
// already matched): 400 for a malformed handshake, 426 (with
// `Sec-WebSocket-Version: 13`) for another version, 403 for an Origin that is
// missing or not in `allowedOrigins`.
Answer answer(const HttpRequest &request, bool http10, const QSet<QString> &allowedOrigins);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key (§4.2.2: SHA-1 of the key and
// the protocol's GUID, in base64).
QByteArray acceptKey(const QByteArray &key);

} // namespace Natter::Server::WebSocketHandshake
