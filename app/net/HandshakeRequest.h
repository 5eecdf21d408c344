// Builds the WebSocket opening request for an account: the /ws URL derived from
// the server URL, Origin, User-Agent, and the token where the account's
// authentication method puts it. Plain functions, so every header is tested
// without a socket. Used by ConnectionManager.
#pragma once

#include "net/ConnectionManager.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace Natter {

class HandshakeRequest
{
public:
    // http(s)://host:port[/anything] -> ws(s)://host:port/ws (ws/wss accepted too).
    static QUrl webSocketUrl(const QUrl &serverUrl);
    // The server's own origin, scheme://host[:port] with http(s) schemes.
    static QByteArray defaultOrigin(const QUrl &serverUrl);
    // "Natter/<version> (<kernel>; <os> <os version>)".
    static QByteArray userAgent();
    // The full request; `token` goes into the URL or a header only for the
    // handshake methods. Never log request.url(): it may carry the token.
    static QNetworkRequest build(const ConnectionManager::Options &options, const QString &token);
};

} // namespace Natter
