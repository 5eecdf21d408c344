// The HTTP API of protocol v1 (§1): auth login/refresh/logout, me, the user
// directory and health. Registers its routes on an HttpRouter; answers are sent
// only once what they report is committed. Owned by NatterServer.
#pragma once

#include "http/HttpRouter.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

namespace Natter::Server {

class AuthService;
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
    // The user id of a valid Bearer token, or empty (401 already sent).
    QString authorize(const HttpRequest &request, const HttpRouter::Responder &respond);
    void respondDurable(const HttpRouter::Responder &respond, const HttpResponse &response);

    ChatStore *m_store;
    AuthService *m_auth;
    HealthProbe m_healthProbe;
};

} // namespace Natter::Server
