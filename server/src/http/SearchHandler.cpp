#include "http/SearchHandler.h"

#include "auth/AuthService.h"
#include "http/ApiHandlers.h"
#include "hub/ServerCodec.h"
#include "search/SearchQueryParser.h"
#include "store/ChatStore.h"

#include <QJsonArray>

namespace Natter::Server {

SearchHandler::SearchHandler(ChatStore *store, AuthService *auth, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
{ }

void SearchHandler::registerRoutes(HttpRouter *router)
{
    router->add(
        "GET", QStringLiteral("/api/v1/search"),
        [this](const HttpRequest &r, const HttpRouter::Responder &respond) { search(r, respond); });
}

void SearchHandler::search(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    const AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = ApiHandlers::refusal(access)) {
        respond(*refused); // no store needed to refuse a bad token
        return;
    }
    int limit = kDefaultLimit;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit <= 0) {
            respond(HttpResponse::error(400, QStringLiteral("bad_request")));
            return;
        }
        limit = qMin(limit, kMaxLimit);
    }
    const auto query = SearchQueryParser::parse(
        request.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded));
    if (!query) {
        respond(HttpResponse::error(400, QStringLiteral("bad_query")));
        return;
    }
    const QString after = request.query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
    struct Read
    {
        AuthService::Access access;
        StoreResult<QList<StoredSearchHit>> hits = StoreError::NotFound;
    };
    // The family check and the search: one store job (issue 16).
    m_store->run(
        [access, query = *query, after, limit](ChatStore &store) {
            Read read{access};
            AuthService::checkFamily(store, &read.access);
            // One more than asked: whether there is a next page, without a second query.
            if (read.access.status == TokenSigner::Status::Valid)
                read.hits = store.search(read.access.userId, query, after, limit + 1);
            return read;
        },
        [respond, limit](const Read &read) {
            if (const auto refused = ApiHandlers::refusal(read.access)) {
                respond(*refused);
                return;
            }
            if (read.hits.notFound()) { // a cursor this server did not hand out
                respond(HttpResponse::error(400, QStringLiteral("bad_query")));
                return;
            }
            if (!read.hits) {
                respond(ApiHandlers::unavailableResponse()); // not an empty result
                return;
            }
            QList<StoredSearchHit> hits = *read.hits;
            QJsonValue next = QJsonValue::Null;
            if (hits.size() > limit) {
                hits.resize(limit);
                next = hits.last().cursor;
            }
            QJsonArray results;
            for (const StoredSearchHit &hit : hits) {
                QJsonArray highlights;
                for (const auto &[start, length] : hit.highlights)
                    highlights.append(QJsonArray{start, length});
                results.append(
                    QJsonObject{{QStringLiteral("message"), ServerCodec::message(hit.message)},
                                {QStringLiteral("snippet"), hit.snippet},
                                {QStringLiteral("highlights"), highlights}});
            }
            respond(HttpResponse::json(
                200,
                QJsonObject{{QStringLiteral("results"), results}, {QStringLiteral("next"), next}}));
        });
}

} // namespace Natter::Server
