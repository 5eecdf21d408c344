#include "DirectoryClient.h"

#include "TokenRefresh.h"

#include "auth/AccessTokenProvider.h"
#include "protocol/Codec.h"
#include "util/Logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <utility>

namespace Natter {

namespace {
constexpr int kTimeoutMs = 15000;
}

DirectoryClient::DirectoryClient(AccessTokenProvider *tokens, const QUrl &serverUrl,
                                 QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_server(serverUrl)
    , m_network(new QNetworkAccessManager(this))
{ }

int DirectoryClient::findUsers(const QString &query, int limit, const QString &after)
{
    return start(Kind::Users, query, limit, after);
}

int DirectoryClient::findChannels(const QString &query, int limit, const QString &after)
{
    return start(Kind::Channels, query, limit, after);
}

int DirectoryClient::start(Kind kind, const QString &query, int limit, const QString &after)
{
    Request request;
    request.id = m_nextId++;
    request.kind = kind;
    QString path = m_server.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    request.url = m_server;
    request.url.setPath(path
                        + (kind == Kind::Users ? QStringLiteral("/api/v1/users")
                                               : QStringLiteral("/api/v1/channels")));
    QUrlQuery q;
    if (!query.isEmpty())
        q.addQueryItem(QStringLiteral("query"),
                       QString::fromLatin1(QUrl::toPercentEncoding(query)));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (!after.isEmpty())
        q.addQueryItem(QStringLiteral("after"), after);
    request.url.setQuery(q);
    send(request);
    return request.id;
}

void DirectoryClient::send(const Request &request)
{
    QNetworkRequest http(request.url);
    http.setTransferTimeout(kTimeoutMs);
    http.setRawHeader("Authorization", "Bearer " + m_tokens->accessToken().toUtf8());
    QNetworkReply *reply = m_network->get(http);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, request] { onFinished(reply, request); });
}

void DirectoryClient::onFinished(QNetworkReply *reply, Request request)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && !request.retried) {
        // The access token expired between two frames: one refresh, then again.
        request.retried = true;
        TokenRefresh::once(
            m_tokens, this, [this, request] { send(request); },
            [this, id = request.id](const QString &) {
                Q_EMIT failed(id, tr("The server no longer accepts this login."));
            });
        return;
    }
    if (reply->error() != QNetworkReply::NoError || status != 200) {
        qCInfo(lcNet) << "directory request failed:" << status << reply->error();
        Q_EMIT failed(request.id,
                      status == 0 ? tr("The server cannot be reached.")
                                  : tr("The server could not search (HTTP %1).").arg(status));
        return;
    }
    const QJsonObject page = QJsonDocument::fromJson(reply->readAll()).object();
    QString next;
    if (request.kind == Kind::Users) {
        const QList<User> users = Codec::directoryUsersFromJson(page, &next);
        Q_EMIT usersFound(request.id, users, next);
    } else {
        const QList<DirectoryChannel> channels = Codec::directoryChannelsFromJson(page, &next);
        Q_EMIT channelsFound(request.id, channels, next);
    }
}

} // namespace Natter
