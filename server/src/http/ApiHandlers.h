// The HTTP API of protocol v1 (§1): auth login/refresh/logout, me, the user
// directory and health. Registers its routes on an HttpRouter; answers are sent
// only once what they report is committed. A request's store work (the token's
// family included) is one ChatStore job (issue 16: off the event loop on
// PostgreSQL); the answer comes from its continuation, and HttpConnection
// keeps a connection's answers in request order. Owned by NatterServer.
#pragma once

#include "auth/AuthService.h"
#include "http/HttpRouter.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace Natter::Server {

class ChatStore;

class ApiHandlers : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultUserLimit = 50;
    static constexpr int kMaxUserLimit = 100;

    ApiHandlers(ChatStore *store, AuthService *auth, QObject *parent = nullptr);
    void registerRoutes(HttpRouter *router);
    // Adds the node's own fields to GET /api/v1/health (node id, storage
    // reachability, §12) and answers whether the node can serve: false makes
    // the answer 503 with status "unavailable". Set by the composition root.
    using HealthProbe = std::function<bool(QJsonObject *health)>;
    void setHealthProbe(HealthProbe probe) { m_healthProbe = std::move(probe); }

    // The answer to a request whose access token `access` does not let in
    // (401 invalid_token, or 503 when the store could not tell), or nullopt.
    static std::optional<HttpResponse> refusal(const AuthService::Access &access);
    // 503 unavailable with Retry-After: the storage could not answer.
    static HttpResponse unavailableResponse();
    // `status` {"error":error,"retry_after":seconds} with Retry-After: seconds
    // (a rate or a budget the request is past; §1's login answer has this shape).
    static HttpResponse retryLater(int status, const QString &error, int seconds);

private:
    void login(const HttpRequest &request, const HttpRouter::Responder &respond);
    void refresh(const HttpRequest &request, const HttpRouter::Responder &respond);
    void logout(const HttpRequest &request, const HttpRouter::Responder &respond);
    void me(const HttpRequest &request, const HttpRouter::Responder &respond);
    void users(const HttpRequest &request, const HttpRouter::Responder &respond);
    void health(const HttpRequest &request, const HttpRouter::Responder &respond);
    // §8 GET /api/v1/channels: the channel directory.
    void channels(const HttpRequest &request, const HttpRouter::Responder &respond);
    // The `limit` and `after` of a paged directory (§1, §8): false (400 sent) when malformed.
    bool pageParameters(const HttpRequest &request, const HttpRouter::Responder &respond,
                        int *limit, QString *after);
    // A paged directory by name, /users (§1) and /channels (§8): the caller's
    // token, the page parameters, then `read(store, userId, query, after,
    // limit + 1)` in one store job. Answers {key: [json(entry), ...], next:
    // the cursor after name(last entry) when there is more, else null}.
    template<typename Read, typename Name, typename Json>
    void directory(const HttpRequest &request, const HttpRouter::Responder &respond,
                   const QString &key, Read read, Name name, Json json);

    ChatStore *m_store;
    AuthService *m_auth;
    HealthProbe m_healthProbe;
};

} // namespace Natter::Server
