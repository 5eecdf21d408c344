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

#include <memory>

namespace Natter::Server {

namespace {

HttpResponse retryLater(int status, const QString &error, double seconds)
{
    return ApiHandlers::retryLater(status, error, qMax(1, int(qCeil(seconds))));
}

} // namespace

SearchHandler::SearchHandler(ChatStore *store, AuthService *auth, const Settings &settings,
                             QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_settings(settings)
{
    m_clock.start();
    m_budget.seconds = settings.share * kWindowSeconds;
}

double SearchHandler::TimeBudget::left(double share, qint64 nowMs)
{
    seconds = qMin(share * kWindowSeconds, seconds + double(nowMs - atMs) / 1000.0 * share);
    atMs = nowMs;
    return seconds;
}

std::optional<double> SearchHandler::userWait(const QString &userId)
{
    const qint64 now = m_clock.elapsed();
    auto user = m_users.find(userId);
    if (user == m_users.end()) {
        PerUser fresh{TokenBucket(m_settings.perSecond, m_settings.burst, now), {}, 0};
        fresh.time = {m_settings.userShare * kWindowSeconds, now};
        user = m_users.insert(userId, fresh);
    }
    if (const double left = user->time.left(m_settings.userShare, now); left <= 0)
        return -left / m_settings.userShare;
    if (user->inFlight >= kMaxInFlightPerUser)
        return 1.0;
    if (!user->rate.tryTake(now))
        return 1.0 / m_settings.perSecond;
    return std::nullopt;
}

void SearchHandler::charge(const QString &userId, double seconds)
{
    const qint64 now = m_clock.elapsed();
    m_budget.left(m_settings.share, now);
    m_budget.seconds -= seconds;
    if (auto user = m_users.find(userId); user != m_users.end()) {
        user->time.left(m_settings.userShare, now);
        user->time.seconds -= seconds;
    }
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
    SearchQueryParser::Refusal why = SearchQueryParser::Refusal::Malformed;
    const auto query = SearchQueryParser::parse(
        request.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded), &why);
    if (!query) {
        respond(badQuery(why));
        return;
    }
    const QString after = request.query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded);
    if (const auto wait = userWait(access.userId)) {
        qCInfo(lcServerHttp).noquote().nospace()
            << "event=search_refused reason=user_rate user=" << access.userId;
        respond(retryLater(429, QStringLiteral("rate_limited"), *wait));
        return;
    }
    const double left = m_budget.left(m_settings.share, m_clock.elapsed());
    if (left <= 0 || m_inFlight >= kMaxInFlight) {
        qCWarning(lcServerHttp).noquote().nospace()
            << "event=search_refused reason=busy user=" << access.userId;
        respond(
            retryLater(503, QStringLiteral("busy"), left <= 0 ? -left / m_settings.share : 1.0));
        return;
    }
    ++m_inFlight;
    ++m_users[access.userId].inFlight; // userWait() made the entry
    QPointer<SearchHandler> self(this);
    // Answers and ends this search's turn in flight, charging what the store spent.
    auto finish = [self, respond, user = access.userId](const HttpResponse &response,
                                                        qint64 spentNs) {
        if (self) {
            --self->m_inFlight;
            if (auto it = self->m_users.find(user); it != self->m_users.end())
                --it->inFlight;
            self->charge(user, double(spentNs) / 1e9);
        }
        respond(response);
    };
    // The family check (a store job, issue 16), then the search where it
    // holds up nothing else (ChatStore::searchAsync).
    m_store->run(
        [access](ChatStore &store) {
            AuthService::Access checked = access;
            AuthService::checkFamily(store, &checked);
            return checked;
        },
        [self, finish, query = *query, after, limit](const AuthService::Access &checked) {
            if (const auto refused = ApiHandlers::refusal(checked)) {
                finish(*refused, 0);
                return;
            }
            if (!self) {
                finish(ApiHandlers::unavailableResponse(), 0);
                return;
            }
            // One more than asked: whether there is a next page, without a second query.
            self->m_store->searchAsync(
                checked.userId, query, after, limit + 1,
                [finish, limit](const StoreResult<QList<StoredSearchHit>> &found, qint64 spentNs) {
                    finish(answer(found, limit), spentNs);
                });
        });
}

HttpResponse SearchHandler::badQuery(SearchQueryParser::Refusal why)
{
    // §10's answer; past a limit, which one (docs/protocol.md §10), so the
    // desktop can say more than that it did not understand.
    QString reason;
    switch (why) {
    case SearchQueryParser::Refusal::Malformed:
        return HttpResponse::error(400, QStringLiteral("bad_query"));
    case SearchQueryParser::Refusal::TooLong:
        reason = QStringLiteral("too_long");
        break;
    case SearchQueryParser::Refusal::TooManyTerms:
        reason = QStringLiteral("too_many_terms");
        break;
    case SearchQueryParser::Refusal::TooManyPrefixes:
        reason = QStringLiteral("too_many_prefixes");
        break;
    }
    return HttpResponse::json(400,
                              QJsonObject{{QStringLiteral("error"), QStringLiteral("bad_query")},
                                          {QStringLiteral("reason"), reason}});
}

HttpResponse SearchHandler::answer(const StoreResult<QList<StoredSearchHit>> &found, int limit)
{
    if (found.notFound()) // a cursor this server did not hand out
        return HttpResponse::error(400, QStringLiteral("bad_query"));
    if (!found)
        return ApiHandlers::unavailableResponse(); // not an empty result
    QList<StoredSearchHit> hits = *found;
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
        results.append(QJsonObject{{QStringLiteral("message"), ServerCodec::message(hit.message)},
                                   {QStringLiteral("snippet"), hit.snippet},
                                   {QStringLiteral("highlights"), highlights}});
    }
    return HttpResponse::json(
        200, QJsonObject{{QStringLiteral("results"), results}, {QStringLiteral("next"), next}});
}

} // namespace Natter::Server
