#include "http/SearchHandler.h"

#include "ServerLog.h"
#include "auth/AuthService.h"
#include "http/ApiHandlers.h"
#include "hub/ServerCodec.h"
#include "search/SearchQueryParser.h"
#include "store/ChatStore.h"

#include <QJsonArray>
#include <QPointer>
#include <QtMath>

namespace Natter::Server {

namespace {

HttpResponse retryLater(int status, const QString &error, double seconds)
{
    const int retryAfter = qMax(1, int(qCeil(seconds)));
    HttpResponse r = HttpResponse::json(
        status,
        QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("retry_after"), retryAfter}});
    r.addHeader("Retry-After", QByteArray::number(retryAfter));
    return r;
}

} // namespace

SearchHandler::SearchHandler(ChatStore *store, AuthService *auth, const Settings &settings,
                             QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_settings(settings)
    , m_budget(settings.share * kWindowSeconds)
{
    m_clock.start();
}

bool SearchHandler::admitUser(const QString &userId)
{
    const qint64 now = m_clock.elapsed();
    auto bucket = m_rates.find(userId);
    if (bucket == m_rates.end())
        bucket = m_rates.insert(userId, TokenBucket(m_settings.perSecond, m_settings.burst, now));
    return bucket->tryTake(now);
}

double SearchHandler::budget()
{
    const qint64 now = m_clock.elapsed();
    m_budget = qMin(m_settings.share * kWindowSeconds,
                    m_budget + double(now - m_budgetAtMs) / 1000.0 * m_settings.share);
    m_budgetAtMs = now;
    return m_budget;
}

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
    if (!admitUser(access.userId)) {
        qCInfo(lcServerHttp).noquote().nospace()
            << "event=search_refused reason=user_rate user=" << access.userId;
        respond(retryLater(429, QStringLiteral("rate_limited"), 1.0 / m_settings.perSecond));
        return;
    }
    if (const double left = budget(); left <= 0) {
        qCWarning(lcServerHttp).noquote().nospace()
            << "event=search_refused reason=busy user=" << access.userId;
        respond(retryLater(503, QStringLiteral("busy"), -left / m_settings.share));
        return;
    }
    struct Read
    {
        AuthService::Access access;
        StoreResult<QList<StoredSearchHit>> hits = StoreError::NotFound;
        qint64 searchNs = 0;
    };
    // The family check and the search: one store job (issue 16).
    QPointer<SearchHandler> self(this);
    m_store->run(
        [access, query = *query, after, limit](ChatStore &store) {
            Read read{access};
            AuthService::checkFamily(store, &read.access);
            // One more than asked: whether there is a next page, without a second query.
            if (read.access.status == TokenSigner::Status::Valid) {
                QElapsedTimer clock;
                clock.start();
                read.hits = store.search(read.access.userId, query, after, limit + 1);
                read.searchNs = clock.nsecsElapsed();
            }
            return read;
        },
        [self, respond, limit](const Read &read) {
            if (self) {
                self->budget();
                self->m_budget -= double(read.searchNs) / 1e9;
            }
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
