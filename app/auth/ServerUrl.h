// Parses what a person types as "server address" into the URLs the client needs.
//
// Accepts http, https, ws and wss (and a bare "host:port", taken as http), since
// people paste whichever they were given. Normalises to the HTTP base URL the
// auth API lives under, derives the WebSocket URL (…/ws) and the Origin the
// client sends (docs/protocol.md §5: the server's own origin by default). Refuses
// credentials in the URL: a password must never travel in one.
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Natter {

class ServerUrl
{
public:
    ServerUrl() = default;
    // Parses `input`; check isValid() and errorString() afterwards.
    static ServerUrl parse(const QString &input);

    bool isValid() const { return m_base.isValid() && !m_base.isEmpty(); }
    // A sentence for the person who typed the address (translated).
    QString errorString() const { return m_error; }

    // http(s)://host[:port][/prefix] without a trailing slash.
    QUrl httpBase() const { return m_base; }
    // The same base as text, the form remembered in settings.
    QString toString() const { return m_base.toString(); }
    // http(s)://host[:port]/api/v1/<path>
    QUrl apiUrl(const QString &path) const;
    // ws(s)://host[:port][/prefix]/ws
    QUrl webSocketUrl() const;
    // scheme://host[:port], the value of the Origin header and of the keychain key.
    QByteArray origin() const;

private:
    QUrl m_base;
    QString m_error;
};

} // namespace Natter
