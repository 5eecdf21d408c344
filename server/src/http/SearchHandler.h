// GET /api/v1/search (§10): parses the query (SearchQueryParser), asks the
// store's SearchStore for one page over the caller's channels and answers
// {"results":[{"message","snippet","highlights"}],"next"}. A bad query is
// `400 bad_query`; no input reaches the engine as its syntax, so none is a 500.
// The query text is user content and is never logged. The token's family
// check and the search are one ChatStore job (issue 16: off the event loop on
// PostgreSQL). Owned by NatterServer.
//
// Searches are bounded twice (an audit: one user looping 32-prefix searches
// held SQLite's event loop for 0.8 s each, and 8 at once froze every client):
// per user by a token bucket (`429 rate_limited`, Retry-After), and for all
// users together by the share of time searches may take (`share`, measured
// around the store's search): when searches have used more than that, the
// next is `503 busy` with Retry-After until the budget has refilled.
#pragma once

#include "http/HttpRouter.h"
#include "hub/TokenBucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

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
    };
    static constexpr double kWindowSeconds = 4.0;

    SearchHandler(ChatStore *store, AuthService *auth, const Settings &settings,
                  QObject *parent = nullptr);
    void registerRoutes(HttpRouter *router);

private:
    void search(const HttpRequest &request, const HttpRouter::Responder &respond);
    bool admitUser(const QString &userId);
    // Seconds of search time left to spend now (negative: overspent).
    double budget();

    ChatStore *m_store;
    AuthService *m_auth;
    Settings m_settings;
    QHash<QString, TokenBucket> m_rates; // per user
    QElapsedTimer m_clock;
    double m_budget = 0; // seconds; at most share × kWindowSeconds
    qint64 m_budgetAtMs = 0;
};

} // namespace Natter::Server
