#include "http/WebSocketHandshake.h"

#include <QCryptographicHash>

namespace Natter::Server::WebSocketHandshake {

namespace {
// Whether a comma-separated header value lists `token` (case-insensitive).
bool listsToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &item : value.split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
} // namespace

QByteArray acceptKey(const QByteArray &key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

Answer answer(const HttpRequest &request, bool http10, const QSet<QString> &allowedOrigins)
{
    Answer result;
    // §4.2.1: HTTP/1.1 or later, `Upgrade` lists `websocket` and `Connection`
    // lists `Upgrade`, exactly one key of 16 bytes in base64 (a repeated field
    // reads as a list, which is no base64), version 13.
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (http10 || !listsToken(request.header("upgrade"), "websocket")
        || !listsToken(request.header("connection"), "upgrade") || !decoded
        || decoded.decoded.size() != 16) {
        result.response = HttpResponse::error(400, QStringLiteral("bad_websocket_handshake"));
        return result;
    }
    if (request.header("sec-websocket-version").trimmed() != "13") {
        // §4.4: the versions the server speaks, and the client may try again.
        result.response =
            HttpResponse::error(426, QStringLiteral("websocket_version_not_supported"));
        result.response.addHeader("Sec-WebSocket-Version", "13");
        result.response.addHeader("Upgrade", "websocket"); // RFC 9110 §15.5.22
        return result;
    }
    const QString origin = QString::fromUtf8(request.header("origin"));
    if (origin.isEmpty() || !allowedOrigins.contains(origin)) {
        result.response = HttpResponse::error(403, QStringLiteral("origin_not_allowed"));
        result.originRefused = true;
        return result;
    }
    result.response = HttpResponse::empty(101);
    result.switchingProtocols = "HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: "
        + acceptKey(key) + "\r\n\r\n";
    return result;
}

} // namespace Natter::Server::WebSocketHandshake
