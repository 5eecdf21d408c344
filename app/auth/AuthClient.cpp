#include "AuthClient.h"

#include "util/Logging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <QSysInfo>
#include <QTimer>

namespace Natter {

namespace {

User userFromJson(const QJsonObject &o)
{
    User user;
    user.id = o.value(QLatin1String("id")).toString();
    user.username = o.value(QLatin1String("username")).toString();
    user.displayName = o.value(QLatin1String("display_name")).toString();
    return user;
}

bool tokenPairFromJson(const QJsonObject &o, TokenPair *out)
{
    TokenPair pair;
    pair.accessToken = o.value(QLatin1String("access_token")).toString();
    pair.refreshToken = o.value(QLatin1String("refresh_token")).toString();
    pair.expiresInSecs = o.value(QLatin1String("expires_in")).toInt();
    pair.refreshExpiresInSecs = o.value(QLatin1String("refresh_expires_in")).toInt();
    pair.user = userFromJson(o.value(QLatin1String("user")).toObject());
    if (!pair.isValid() || pair.expiresInSecs <= 0)
        return false;
    *out = pair;
    return true;
}

bool isUnreachable(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // what setTransferTimeout() produces
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

} // namespace

AuthClient::AuthClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network ? network : new QNetworkAccessManager(this))
    // Named after program and machine, so a person can tell their sessions apart.
    , m_deviceName(QStringLiteral("%1 on %2")
                       .arg(QCoreApplication::applicationName(), QSysInfo::machineHostName()))
{ }

AuthClient::Request AuthClient::login(const QString &username, const QString &password)
{
    if (!m_server.isValid())
        return failNotConfigured(&AuthClient::loginFailed);
    QJsonObject body{{QStringLiteral("username"), username},
                     {QStringLiteral("password"), password}};
    if (!m_deviceName.isEmpty())
        body.insert(QStringLiteral("device_name"), m_deviceName);
    return post(Endpoint::Login, m_server, QStringLiteral("auth/login"),
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

AuthClient::Request AuthClient::refresh(const QString &refreshToken)
{
    if (!m_server.isValid())
        return failNotConfigured(&AuthClient::refreshFailed);
    const QJsonObject body{{QStringLiteral("refresh_token"), refreshToken}};
    return post(Endpoint::Refresh, m_server, QStringLiteral("auth/refresh"),
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

AuthClient::Request AuthClient::logout(const QString &refreshToken)
{
    return logout(refreshToken, m_server);
}

AuthClient::Request AuthClient::logout(const QString &refreshToken, const ServerUrl &server)
{
    if (!server.isValid())
        return failNotConfigured(&AuthClient::logoutFailed);
    const QJsonObject body{{QStringLiteral("refresh_token"), refreshToken}};
    return post(Endpoint::Logout, server, QStringLiteral("auth/logout"),
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

AuthClient::Request AuthClient::me(const QString &accessToken)
{
    if (!m_server.isValid())
        return failNotConfigured(&AuthClient::meFailed);
    QNetworkRequest request(m_server.apiUrl(QStringLiteral("me")));
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    request.setRawHeader("Accept", "application/json");
    const Request id = ++m_lastRequest;
    Q_EMIT requestStarted(Endpoint::Me);
    handle(m_network->get(request), Endpoint::Me, id);
    return id;
}

AuthClient::Request AuthClient::failNotConfigured(void (AuthClient::*fail)(const AuthError &,
                                                                           quint64))
{
    const Request id = ++m_lastRequest;
    const AuthError error = notConfigured();
    QTimer::singleShot(0, this, [this, fail, error, id] { Q_EMIT(this->*fail)(error, id); });
    return id;
}

AuthClient::Request AuthClient::post(Endpoint endpoint, const ServerUrl &server,
                                     const QString &path, const QByteArray &body)
{
    QNetworkRequest request(server.apiUrl(path));
    request.setTransferTimeout(m_timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    qCDebug(lcAuth) << "POST" << path;
    const Request id = ++m_lastRequest;
    Q_EMIT requestStarted(endpoint);
    handle(m_network->post(request, body), endpoint, id);
    return id;
}

void AuthClient::handle(QNetworkReply *reply, Endpoint endpoint, Request request)
{
    // TLS errors are not ignored: the reply then fails with SslHandshakeFailedError,
    // mapped to AuthError::Tls below. Remember the reason for the message.
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        if (!errors.isEmpty())
            reply->setProperty("natterSslError", errors.first().errorString());
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, endpoint, request] {
        reply->deleteLater();
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        qCDebug(lcAuth) << endpoint << "answered HTTP" << status << reply->error();

        const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
        if (ok) {
            const QJsonObject json = QJsonDocument::fromJson(body).object();
            TokenPair pair;
            switch (endpoint) {
            case Endpoint::Login:
                if (tokenPairFromJson(json, &pair))
                    Q_EMIT loginSucceeded(pair, request);
                else
                    Q_EMIT loginFailed(errorFor(nullptr, body), request);
                return;
            case Endpoint::Refresh:
                if (tokenPairFromJson(json, &pair))
                    Q_EMIT refreshSucceeded(pair, request);
                else
                    Q_EMIT refreshFailed(errorFor(nullptr, body), request);
                return;
            case Endpoint::Logout:
                Q_EMIT logoutSucceeded(request);
                return;
            case Endpoint::Me: {
                const User user = userFromJson(json.value(QLatin1String("user")).toObject());
                if (user.id.isEmpty())
                    Q_EMIT meFailed(errorFor(nullptr, body), request);
                else
                    Q_EMIT meSucceeded(user, request);
                return;
            }
            }
        }
        const AuthError error = errorFor(reply, body);
        qCInfo(lcAuth) << endpoint << "failed:" << int(error.kind) << "HTTP" << status;
        switch (endpoint) {
        case Endpoint::Login:
            Q_EMIT loginFailed(error, request);
            break;
        case Endpoint::Refresh:
            Q_EMIT refreshFailed(error, request);
            break;
        case Endpoint::Logout:
            Q_EMIT logoutFailed(error, request);
            break;
        case Endpoint::Me:
            Q_EMIT meFailed(error, request);
            break;
        }
    });
}

AuthError AuthClient::errorFor(QNetworkReply *reply, const QByteArray &body) const
{
    AuthError error;
    if (!reply) {
        error.kind = AuthError::Kind::BadResponse;
        error.message = tr("The server at %1 gave an answer Natter does not understand. "
                           "Is it a Natter server?")
                            .arg(m_server.toString());
        return error;
    }

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    error.httpStatus = status;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QString code = json.value(QLatin1String("error")).toString();

    if (status == 0) {
        const QNetworkReply::NetworkError netError = reply->error();
        if (netError == QNetworkReply::SslHandshakeFailedError
            || reply->property("natterSslError").isValid()) {
            error.kind = AuthError::Kind::Tls;
            const QString reason = reply->property("natterSslError").toString();
            error.message = reason.isEmpty()
                ? tr("A secure connection to %1 could not be established (TLS problem).")
                      .arg(m_server.toString())
                : tr("A secure connection to %1 could not be established: %2")
                      .arg(m_server.toString(), reason);
            return error;
        }
        if (isUnreachable(netError)) {
            error.kind = AuthError::Kind::Unreachable;
            error.message = netError == QNetworkReply::OperationCanceledError
                    || netError == QNetworkReply::TimeoutError
                ? tr("The server at %1 did not answer in time. Check the address and your "
                     "network connection, then try again.")
                      .arg(m_server.toString())
                : tr("Cannot reach the server at %1. Check the address and your network "
                     "connection.")
                      .arg(m_server.toString());
            return error;
        }
        error.kind = AuthError::Kind::Unreachable;
        error.message = tr("Cannot talk to the server at %1: %2")
                            .arg(m_server.toString(), reply->errorString());
        return error;
    }

    if (status == 429) {
        error.kind = AuthError::Kind::RateLimited;
        int wait = json.value(QLatin1String("retry_after")).toInt();
        if (wait <= 0)
            wait = reply->rawHeader("Retry-After").trimmed().toInt();
        error.retryAfterSecs = qMax(1, wait);
        error.message = error.retryAfterSecs >= 120
            ? tr("Too many sign-in attempts. Please wait %n minute(s) before trying again.",
                 nullptr, (error.retryAfterSecs + 59) / 60)
            : tr("Too many sign-in attempts. Please wait %n second(s) before trying again.",
                 nullptr, error.retryAfterSecs);
        return error;
    }
    if (status == 401 && code == QLatin1String("invalid_credentials")) {
        error.kind = AuthError::Kind::InvalidCredentials;
        error.message = tr("Wrong username or password.");
        return error;
    }
    if (status == 401 && code == QLatin1String("invalid_grant")) {
        error.kind = AuthError::Kind::InvalidGrant;
        error.message = tr("Your session has expired — please sign in again");
        return error;
    }
    if (status == 401) {
        error.kind = AuthError::Kind::InvalidToken;
        error.message = tr("Your session is no longer valid — please sign in again");
        return error;
    }
    if (status >= 500) {
        error.kind = AuthError::Kind::ServerError;
        error.message =
            tr("The server had a problem (HTTP %1). Please try again later.").arg(status);
        return error;
    }
    error.kind = AuthError::Kind::BadResponse;
    error.message = status == 404
        ? tr("%1 does not look like a Natter server (no sign-in service found).")
              .arg(m_server.toString())
        : tr("The server refused the request (HTTP %1).").arg(status);
    return error;
}

AuthError AuthClient::notConfigured() const
{
    AuthError error;
    error.kind = AuthError::Kind::BadResponse;
    error.message = tr("No server address is set.");
    return error;
}

} // namespace Natter
