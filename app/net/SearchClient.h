// Runs §10 searches for a signed-in client: GET /api/v1/search with the
// access token of an AccessTokenProvider, one page at a time. A newer search
// replaces one still running (typing in a search field). A 401 asks the
// provider for one refresh and retries once. Owned by whoever shows the
// results (natter-cli's search command, the desktop's search panel).
#pragma once

#include "protocol/Types.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

namespace Natter {

class AccessTokenProvider;

struct SearchHit
{
    Message message;
    QString snippet; // plain text, at most 200 code points (§10)
    QList<std::pair<int, int>> highlights; // [start, length] in UTF-16 units of `snippet`
};

struct SearchPage
{
    QString query;
    QList<SearchHit> hits; // newest first
    QString next; // the cursor of the next page; empty when this is the last
};

class SearchClient : public QObject
{
    Q_OBJECT
public:
    // RateLimited: 429 (past the user's search rate, or a peer's sockets past
    // natterd's cap) or 503 with Retry-After (natterd busy); the message says
    // how long to wait.
    enum class Error { BadQuery, NotSignedIn, Network, Server, RateLimited };
    Q_ENUM(Error)

    static constexpr int kDefaultLimit = 20;

    // `apiSearchUrl`: the server's /api/v1/search (ServerUrl::apiUrl("search")).
    SearchClient(const QUrl &apiSearchUrl, AccessTokenProvider *tokens, QObject *parent = nullptr);
    ~SearchClient() override;

    // Starts a search for `query` (the §10 language, sent as typed); `after`
    // continues from a page's `next`. Cancels the search still running.
    void search(const QString &query, const QString &after = {}, int limit = kDefaultLimit);
    void cancel();
    bool isRunning() const;

    // The code-point ranges of §10 as UTF-16 ranges of `snippet`.
    static QList<std::pair<int, int>> utf16Ranges(const QString &snippet,
                                                  const QList<std::pair<qint64, qint64>> &ranges);

Q_SIGNALS:
    void finished(const Natter::SearchPage &page);
    void failed(Natter::SearchClient::Error error, const QString &message);

private:
    void send();
    void onFinished();

    QUrl m_url;
    AccessTokenProvider *m_tokens;
    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QString m_query;
    QString m_after;
    int m_limit = kDefaultLimit;
    bool m_retried = false;
};

} // namespace Natter
