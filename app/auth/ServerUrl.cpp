#include "ServerUrl.h"

#include <QCoreApplication>

namespace Natter {

ServerUrl ServerUrl::parse(const QString &input)
{
    ServerUrl result;
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        result.m_error = QCoreApplication::translate("ServerUrl", "Enter the server address.");
        return result;
    }

    // Without "://", QUrl reads "localhost:8080" as scheme "localhost"; a bare
    // address means plain http.
    const bool hasScheme = text.contains(QStringLiteral("://"));
    QUrl url(hasScheme ? text : QStringLiteral("http://") + text, QUrl::StrictMode);

    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty()) {
        result.m_error =
            QCoreApplication::translate(
                "ServerUrl", "“%1” is not a server address. Example: https://chat.example.org")
                .arg(text);
        return result;
    }
    if (scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("http"));
    else if (scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("https"));
    else if (scheme != QLatin1String("http") && scheme != QLatin1String("https")) {
        result.m_error = QCoreApplication::translate(
            "ServerUrl", "The address must start with http://, https://, ws:// or wss://.");
        return result;
    }
    if (!url.userInfo().isEmpty()) {
        result.m_error = QCoreApplication::translate(
            "ServerUrl", "Remove the user name and password from the address; enter them below.");
        return result;
    }

    // Someone pasting the WebSocket URL means the server it lives on.
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/ws")))
        path.chop(3);
    if (path.endsWith(QLatin1String("/api/v1")))
        path.chop(7);
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    url.setHost(url.host().toLower());
    // Default ports are implied by the scheme; keeping them would change the origin.
    if ((url.scheme() == QLatin1String("http") && url.port() == 80)
        || (url.scheme() == QLatin1String("https") && url.port() == 443))
        url.setPort(-1);
    result.m_base = url;
    return result;
}

QUrl ServerUrl::apiUrl(const QString &path) const
{
    QUrl url = m_base;
    url.setPath(m_base.path() + QStringLiteral("/api/v1/") + path);
    return url;
}

QUrl ServerUrl::webSocketUrl() const
{
    QUrl url = m_base;
    url.setScheme(m_base.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                            : QStringLiteral("ws"));
    url.setPath(m_base.path() + QStringLiteral("/ws"));
    return url;
}

QByteArray ServerUrl::origin() const
{
    if (!isValid())
        return {};
    return m_base.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toString(QUrl::FullyEncoded)
        .toUtf8();
}

} // namespace Natter
