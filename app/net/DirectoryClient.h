// The two §8 directories over HTTP: people (`GET /api/v1/users`) and channels
// (`GET /api/v1/channels`), one page per request, with the signed-in user's
// Bearer token. A 401 refreshes the token once and asks again.
//
// Owned by whoever searches (ChatSession keeps one for the window and
// natter-cli); the token provider and the server URL are the connection's.
#pragma once

#include "protocol/Types.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Natter {

class AccessTokenProvider;

class DirectoryClient : public QObject
{
    Q_OBJECT
public:
    // `serverUrl`: http(s)://host:port[/prefix], as ConnectionManager::Options has it.
    DirectoryClient(AccessTokenProvider *tokens, const QUrl &serverUrl, QObject *parent = nullptr);

    void setServerUrl(const QUrl &serverUrl) { m_server = serverUrl; }

    // A page of people / channels whose name matches `query` (empty: all), after
    // the cursor `after` (empty: the first page). Returns the request's id, which
    // the answer carries.
    int findUsers(const QString &query, int limit = 50, const QString &after = {});
    int findChannels(const QString &query, int limit = 50, const QString &after = {});

Q_SIGNALS:
    void usersFound(int request, const QList<Natter::User> &users, const QString &next);
    void channelsFound(int request, const QList<Natter::DirectoryChannel> &channels,
                       const QString &next);
    // `explanation`: plain translated words.
    void failed(int request, const QString &explanation);

private:
    enum class Kind { Users, Channels };
    struct Request
    {
        int id = 0;
        Kind kind = Kind::Users;
        QUrl url;
        bool retried = false; // after one token refresh
    };
    int start(Kind kind, const QString &query, int limit, const QString &after);
    void send(const Request &request);
    void onFinished(QNetworkReply *reply, Request request);

    AccessTokenProvider *m_tokens;
    QUrl m_server;
    QNetworkAccessManager *m_network;
    int m_nextId = 1;
};

} // namespace Natter
