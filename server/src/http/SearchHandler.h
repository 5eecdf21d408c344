// GET /api/v1/search (§10): parses the query (SearchQueryParser), asks the
// store's SearchStore for one page over the caller's channels and answers
// {"results":[{"message","snippet","highlights"}],"next"}. A bad query is
// `400 bad_query`; no input reaches the engine as its syntax, so none is a 500.
// The query text is user content and is never logged. The token's family
// check is a ChatStore job (issue 16: off the event loop on PostgreSQL); the
// search then runs on the store's reader thread (ChatStore::searchAsync), so
// a costly one holds up neither the event loop nor the writes. Owned by
// NatterServer.
//
// Searches are bounded twice (an audit: one user looping 32-prefix searches
// held SQLite's event loop for 0.8 s each, and 8 at once froze every client):
// per user by a token bucket and a share of time (`429 rate_limited`,
// Retry-After), and for all users together by the share of time searches may
// take (`share`, measured around the store's search, every run of it): when
// searches have used more than that, or kMaxInFlight are waiting for the
// store, the next is `503 busy` with Retry-After.
#pragma once

#include "http/HttpRouter.h"
#include "hub/TokenBucket.h"
#include "search/SearchQueryParser.h"
#include "store/SearchStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <optional>

namespace Natter::Server {

class AuthService;
class ChatStore;

class SearchHandler : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultLimit = 20; // §10
    static constexpr int kMaxLimit = 50; // §10

    struct Settings
    {
        double perSecond = 2; // per user
        int burst = 10;
        // The fraction of time all searches together may take: of any
        // kWindowSeconds, about share × kWindowSeconds (1 s by default).
        double share = 0.25;
        // The same for one user's searches, so one user cannot take it all.
        double userShare = 0.125;
    };
    static constexpr double kWindowSeconds = 4.0;
    static constexpr int kMaxInFlight = 4; // searches waiting for the store
    // One user's searches waiting for the store: searches run beside the
    // event loop and are charged when they end, so without it one user could
    // start kMaxInFlight costly ones at once and everyone else would get 503.
    static constexpr int kMaxInFlightPerUser = 2;

    SearchHandler(ChatStore *store, AuthService *auth, const Settings &settings,
                  QObject *parent = nullptr);
    void registerRoutes(HttpRouter *router);

private:
    // Seconds of search time to spend: `share` of the time, at most
    // share × kWindowSeconds at once; negative when overspent.
    struct TimeBudget
    {
        double seconds = 0;
        qint64 atMs = 0;
        double left(double share, qint64 nowMs);
    };
    struct PerUser
    {
        TokenBucket rate;
        TimeBudget time;
        int inFlight = 0;
    };

    void search(const HttpRequest &request, const HttpRouter::Responder &respond);
    // The user's next search, or how long until it may come (seconds).
    std::optional<double> userWait(const QString &userId);
    void charge(const QString &userId, double seconds);
    // `400 bad_query`, with the limit the query met as `reason`.
    static HttpResponse badQuery(SearchQueryParser::Refusal why);
    // The answer to a search the store ran for `limit` + 1 hits.
    static HttpResponse answer(const StoreResult<QList<StoredSearchHit>> &found, int limit);

    ChatStore *m_store;
    AuthService *m_auth;
    Settings m_settings;
    QHash<QString, PerUser> m_users;
    QElapsedTimer m_clock;
    TimeBudget m_budget;
    int m_inFlight = 0;
};

} // namespace Natter::Server
