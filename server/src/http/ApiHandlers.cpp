#include "http/ApiHandlers.h"

#include "auth/AuthService.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <NatterVersion.h>

#include <QJsonArray>
#include <QJsonDocument>

#include <type_traits>

namespace Natter::Server {

namespace {

// A JSON object body, or nothing (→ 400).
std::optional<QJsonObject> jsonBody(const HttpRequest &request)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

HttpResponse badRequest()
{
    return HttpResponse::error(400, QStringLiteral("bad_request"));
}

// The storage could not answer. §1 lists no server error; a 5xx is what any
// HTTP client already treats as "the server, not you: try again later", where
// 401 would throw away good tokens and 200 would claim an empty answer.
HttpResponse unavailable()
{
    HttpResponse r = HttpResponse::error(503, QStringLiteral("unavailable"));
    r.addHeader("Retry-After", "5");
    return r;
}

} // namespace

ApiHandlers::ApiHandlers(ChatStore *store, AuthService *auth, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
{ }

void ApiHandlers::registerRoutes(HttpRouter *router)
{
    const auto bind =
        [this](void (ApiHandlers::*handler)(const HttpRequest &, const HttpRouter::Responder &)) {
            return [this, handler](const HttpRequest &r, const HttpRouter::Responder &respond) {
                (this->*handler)(r, respond);
            };
        };
    router->add("POST", QStringLiteral("/api/v1/auth/login"), bind(&ApiHandlers::login));
    router->add("POST", QStringLiteral("/api/v1/auth/refresh"), bind(&ApiHandlers::refresh));
    router->add("POST", QStringLiteral("/api/v1/auth/logout"), bind(&ApiHandlers::logout));
    router->add("GET", QStringLiteral("/api/v1/me"), bind(&ApiHandlers::me));
    router->add("GET", QStringLiteral("/api/v1/users"), bind(&ApiHandlers::users));
    router->add("GET", QStringLiteral("/api/v1/channels"), bind(&ApiHandlers::channels));
    router->add("GET", QStringLiteral("/api/v1/health"), bind(&ApiHandlers::health));
    // /ws reaches the router only when it asks for no upgrade at all.
    router->add("GET", QStringLiteral("/ws"),
                [](const HttpRequest &, const HttpRouter::Responder &respond) {
                    HttpResponse response =
                        HttpResponse::error(426, QStringLiteral("upgrade_required"));
                    response.addHeader("Upgrade", "websocket"); // RFC 9110 §15.5.22
                    respond(response);
                });
}

void ApiHandlers::login(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    const auto body = jsonBody(request);
    if (!body || !body->value(QStringLiteral("username")).isString()
        || !body->value(QStringLiteral("password")).isString()
        || body->value(QStringLiteral("username")).toString().isEmpty()) {
        respond(badRequest());
        return;
    }
    m_auth->login(
        body->value(QStringLiteral("username")).toString(),
        body->value(QStringLiteral("password")).toString().toUtf8(),
        body->value(QStringLiteral("device_name")).toString().left(100), request.peer,
        [respond](const AuthService::Result &result) {
            switch (result.outcome) {
            case AuthService::Outcome::Ok:
                respond(HttpResponse::json(200, result.tokenPair));
                return;
            case AuthService::Outcome::RateLimited:
                respond(retryLater(429, QStringLiteral("rate_limited"), result.retryAfterSecs));
                return;
            case AuthService::Outcome::Unavailable:
                respond(unavailable()); // user or session not read or stored
                return;
            default:
                respond(HttpResponse::error(401, QStringLiteral("invalid_credentials")));
                return;
            }
        });
}

void ApiHandlers::refresh(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    const auto body = jsonBody(request);
    const QJsonValue token = body ? body->value(QStringLiteral("refresh_token")) : QJsonValue();
    if (!token.isString() || token.toString().isEmpty()) {
        respond(badRequest());
        return;
    }
    // Answered once the rotation is durable (AuthService's store job).
    m_auth->refresh(token.toString().toUtf8(), [respond](const AuthService::Result &result) {
        if (result.outcome == AuthService::Outcome::Ok)
            respond(HttpResponse::json(200, result.tokenPair));
        else if (result.outcome == AuthService::Outcome::Unavailable)
            respond(unavailable()); // not 401: the client keeps its refresh token and retries
        else
            respond(HttpResponse::error(401, QStringLiteral("invalid_grant")));
    });
}

void ApiHandlers::logout(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    const auto body = jsonBody(request);
    const QJsonValue token = body ? body->value(QStringLiteral("refresh_token")) : QJsonValue();
    if (!token.isString() || token.toString().isEmpty()) {
        respond(badRequest());
        return;
    }
    // Unknown or spent tokens still get 204: logout must not reveal anything.
    // 503 when the storage failed: the token was not revoked, not a 204 that says it was.
    m_auth->logout(token.toString().toUtf8(), [respond](bool stored) {
        respond(stored ? HttpResponse::empty(204) : unavailable());
    });
}

std::optional<HttpResponse> ApiHandlers::refusal(const AuthService::Access &access)
{
    if (access.unavailable)
        return unavailable();
    if (access.status != TokenSigner::Status::Valid) {
        HttpResponse r = HttpResponse::error(401, QStringLiteral("invalid_token"));
        r.addHeader("WWW-Authenticate", "Bearer");
        return r;
    }
    return std::nullopt;
}

HttpResponse ApiHandlers::unavailableResponse()
{
    return unavailable();
}

HttpResponse ApiHandlers::retryLater(int status, const QString &error, int seconds)
{
    HttpResponse r = HttpResponse::json(
        status,
        QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("retry_after"), seconds}});
    r.addHeader("Retry-After", QByteArray::number(seconds));
    return r;
}

void ApiHandlers::me(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = refusal(access)) {
        respond(*refused); // no store needed to refuse a bad token
        return;
    }
    struct Read
    {
        AuthService::Access access;
        StoreResult<StoredUser> user = StoreError::NotFound;
    };
    m_store->run(
        [access](ChatStore &store) {
            Read read{access};
            AuthService::checkFamily(store, &read.access);
            if (read.access.status == TokenSigner::Status::Valid)
                read.user = store.userById(read.access.userId);
            return read;
        },
        [respond](const Read &read) {
            if (const auto refused = refusal(read.access)) {
                respond(*refused);
                return;
            }
            if (read.user.failed()) {
                respond(unavailable());
                return;
            }
            if (!read.user) {
                respond(HttpResponse::error(401, QStringLiteral("invalid_token")));
                return;
            }
            respond(HttpResponse::json(
                200, QJsonObject{{QStringLiteral("user"), ServerCodec::user(*read.user)}}));
        });
}

template<typename Read, typename Name, typename Json>
void ApiHandlers::directory(const HttpRequest &request, const HttpRouter::Responder &respond,
                            const QString &key, Read read, Name name, Json json)
{
    AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = refusal(access)) {
        respond(*refused);
        return;
    }
    int limit = 0;
    QString after;
    if (!pageParameters(request, respond, &limit, &after))
        return;
    const QString query = request.query.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    struct Page
    {
        AuthService::Access access;
        std::invoke_result_t<Read, ChatStore &, const QString &, const QString &, const QString &,
                             int>
            found = StoreError::NotFound;
    };
    m_store->run(
        [access, query, after, limit, read](ChatStore &store) {
            Page page{access};
            AuthService::checkFamily(store, &page.access);
            if (page.access.status == TokenSigner::Status::Valid)
                page.found = read(store, page.access.userId, query, after, limit + 1);
            return page;
        },
        [respond, limit, key, name, json](const Page &page) {
            if (const auto refused = refusal(page.access)) {
                respond(*refused);
                return;
            }
            if (!page.found) {
                respond(unavailable()); // not an empty directory
                return;
            }
            auto found = *page.found;
            QJsonValue next = QJsonValue::Null;
            if (found.size() > limit) {
                found.resize(limit);
                // The cursor pageParameters decodes: the last name, base64url-encoded.
                next = QString::fromLatin1(
                    name(found.last())
                        .toUtf8()
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            }
            QJsonArray array;
            for (const auto &entry : found)
                array.append(json(entry));
            respond(
                HttpResponse::json(200, QJsonObject{{key, array}, {QStringLiteral("next"), next}}));
        });
}

void ApiHandlers::users(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    directory(
        request, respond, QStringLiteral("users"),
        [](ChatStore &store, const QString &, const QString &query, const QString &after,
           int limit) { return store.users(query, after, limit, false); },
        [](const StoredUser &u) { return u.username; }, &ServerCodec::user);
}

bool ApiHandlers::pageParameters(const HttpRequest &request, const HttpRouter::Responder &respond,
                                 int *limit, QString *after)
{
    *limit = kDefaultUserLimit;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        *limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || *limit <= 0) {
            respond(badRequest());
            return false;
        }
        *limit = qMin(*limit, kMaxUserLimit);
    }
    const QString cursor = request.query.queryItemValue(QStringLiteral("after"));
    if (!cursor.isEmpty()) {
        // The cursor is opaque to clients: the last name, base64url-encoded.
        const auto decoded = QByteArray::fromBase64Encoding(
            cursor.toLatin1(),
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            respond(badRequest());
            return false;
        }
        *after = QString::fromUtf8(*decoded);
    }
    return true;
}

void ApiHandlers::channels(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    directory(
        request, respond, QStringLiteral("channels"),
        // §8, §13: public channels and the private ones the caller is in, by
        // name; never a direct one.
        [](ChatStore &store, const QString &user, const QString &query, const QString &after,
           int limit) { return store.channelDirectory(user, query, after, limit); },
        [](const StoredDirectoryEntry &e) { return e.name; }, &ServerCodec::directoryEntry);
}

void ApiHandlers::health(const HttpRequest &, const HttpRouter::Responder &respond)
{
    QJsonObject health = ServerCodec::health();
    const bool serving = !m_healthProbe || m_healthProbe(&health);
    if (!serving)
        health.insert(QStringLiteral("status"), QStringLiteral("unavailable"));
    respond(HttpResponse::json(serving ? 200 : 503, health));
}

} // namespace Natter::Server
