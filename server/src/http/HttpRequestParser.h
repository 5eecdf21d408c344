// Strict parser of one HTTP/1.1 request head (request line and header fields).
//
// natterd sits behind a reverse proxy, where every leniency lets the proxy and
// natterd disagree about a request (smuggling, header injection). So this
// refuses what RFC 9112 says a server must refuse, and more: obs-fold, bare CR
// or LF, NUL and other control characters (HTAB aside), whitespace before a
// colon, different Content-Length values, Transfer-Encoding beside
// Content-Length, a missing or repeated Host on HTTP/1.1, any version but 1.0
// and 1.1 (505). The path stays percent-encoded: routes match the raw path, so
// `/api%2Fv1/...` is not `/api/v1/...`. Stateless; used by HttpConnection.
//
// (Debian 12 has no llhttp; its http-parser 2.9 folds obs-fold lines, accepts
// bare CR outside its compile-time strict mode, any HTTP/x.y and no Host, so it
// would have needed the same hand-written checks around it.)
#pragma once

#include "http/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Natter::Server {

class HttpRequestParser
{
public:
    struct Head
    {
        int error = 0; // 0, or the status to answer with (400, 505)
        HttpRequest request; // method, path, query, headers (names lower-cased)
        QString logPath; // the path percent-decoded, for the log only
        bool http10 = false;
        bool hasContentLength = false;
        qint64 contentLength = 0;
        bool hasTransferEncoding = false;
    };

    // `head` is everything before the blank line that ends the header section
    // (without that final CRLF CRLF). Method and path are filled in even when the
    // head is refused, when the request line could be split, for the log.
    static Head parse(QByteArrayView head);

private:
    static bool parseRequestLine(QByteArrayView line, Head &head);
    static bool addField(QByteArrayView line, Head &head, int &hostCount);
};

} // namespace Natter::Server
