#include "HandshakeRequest.h"

#include "NatterVersion.h"

#include <QSysInfo>
#include <QUrlQuery>

namespace Natter {

QUrl HandshakeRequest::webSocketUrl(const QUrl &serverUrl)
{
    const bool secure = serverUrl.scheme() == u"https" || serverUrl.scheme() == u"wss";
    QUrl url;
    url.setScheme(secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(serverUrl.host());
    url.setPort(serverUrl.port());
    url.setPath(QStringLiteral("/ws"));
    return url;
}

QByteArray HandshakeRequest::defaultOrigin(const QUrl &serverUrl)
{
    QUrl own;
    const bool secure = serverUrl.scheme() == u"https" || serverUrl.scheme() == u"wss";
    own.setScheme(secure ? QStringLiteral("https") : QStringLiteral("http"));
    own.setHost(serverUrl.host());
    own.setPort(serverUrl.port());
    return own.toString(QUrl::FullyEncoded).toUtf8();
}

QByteArray HandshakeRequest::userAgent()
{
    return QStringLiteral("Natter/%1 (%2; %3 %4)")
        .arg(QLatin1String(kVersion), QSysInfo::kernelType(), QSysInfo::productType(),
             QSysInfo::productVersion())
        .toUtf8();
}

QNetworkRequest HandshakeRequest::build(const ConnectionManager::Options &options,
                                        const QString &token)
{
    using AuthMethod = ConnectionManager::AuthMethod;
    QUrl url = webSocketUrl(options.serverUrl);
    if (options.authMethod == AuthMethod::QueryParameter) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("token"), token);
        url.setQuery(query);
    }
    QNetworkRequest request(url);
    // The origin goes in as a raw header only: giving it to the QWebSocket
    // constructor as well would send two Origin lines.
    request.setRawHeader(
        "Origin", options.origin.isEmpty() ? defaultOrigin(options.serverUrl) : options.origin);
    request.setRawHeader("User-Agent", userAgent());
    if (options.authMethod == AuthMethod::BearerHeader)
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    else if (options.authMethod == AuthMethod::Cookie)
        request.setRawHeader("Cookie", options.cookieName + '=' + token.toUtf8());
    return request;
}

} // namespace Natter
