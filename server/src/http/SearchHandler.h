// GET /api/v1/search (§10): parses the query (SearchQueryParser), asks the
// store's SearchStore for one page over the caller's channels and answers
// {"results":[{"message","snippet","highlights"}],"next"}. A bad query is
// `400 bad_query`; no input reaches the engine as its syntax, so none is a 500.
// The query text is user content and is never logged. The token's family
// check and the search are one ChatStore job (issue 16: off the event loop on
// PostgreSQL). Owned by NatterServer.
#pragma once

#include "http/HttpRouter.h"

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

    SearchHandler(ChatStore *store, AuthService *auth, QObject *parent = nullptr);
    void registerRoutes(HttpRouter *router);

private:
    void search(const HttpRequest &request, const HttpRouter::Responder &respond);

    ChatStore *m_store;
    AuthService *m_auth;
};

} // namespace Natter::Server
