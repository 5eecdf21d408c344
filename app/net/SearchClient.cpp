#include "SearchClient.h"

#include "auth/AccessTokenProvider.h"
#include "net/TokenRefresh.h"
#include "protocol/Codec.h"
#include "util/Logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace Natter {

SearchClient::SearchClient(const QUrl &apiSearchUrl, AccessTokenProvider *tokens, QObject *parent)
    : QObject(parent)
    , m_url(apiSearchUrl)
    , m_tokens(tokens)
    , m_nam(new QNetworkAccessManager(this))
{ }

SearchClient::~SearchClient()
{
    cancel();
}

bool SearchClient::isRunning() const
{
    return !m_reply.isNull();
}

void SearchClient::cancel()
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void SearchClient::search(const QString &query, const QString &after, int limit)
{
    cancel();
    m_query = query;
    m_after = after;
    m_limit = limit;
    m_retried = false;
    send();
}

void SearchClient::send()
{
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (token.isEmpty()) {
        Q_EMIT failed(Error::NotSignedIn, tr("You are not signed in."));
        return;
    }
    QUrl url = m_url;
    // Every character of the query percent-encoded: `+`, `&` and `#` are words
    // a user may type, not URL syntax.
    QString q = QStringLiteral("q=") + QString::fromLatin1(QUrl::toPercentEncoding(m_query))
        + QStringLiteral("&limit=%1").arg(m_limit);
    if (!m_after.isEmpty())
        q += QStringLiteral("&after=") + QString::fromLatin1(QUrl::toPercentEncoding(m_after));
    url.setQuery(q, QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &SearchClient::onFinished);
}

QList<std::pair<int, int>> SearchClient::utf16Ranges(const QString &snippet,
                                                     const QList<std::pair<qint64, qint64>> &ranges)
{
    // Code point index -> UTF-16 index.
    QList<int> offsets;
    for (int i = 0; i < snippet.size(); ++i) {
        offsets << i;
        if (snippet.at(i).isHighSurrogate() && i + 1 < snippet.size())
            ++i;
    }
    offsets << int(snippet.size());
    QList<std::pair<int, int>> out;
    for (const auto &[start, length] : ranges) {
        if (start < 0 || length <= 0 || start + length >= offsets.size())
            continue; // not inside the snippet: ignore rather than mark the wrong text
        const int from = offsets.at(start);
        out.append({from, offsets.at(start + length) - from});
    }
    return out;
}

void SearchClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    if (status == 401 && !m_retried && m_tokens) {
        // The access token expired: one refresh, then the same request again.
        m_retried = true;
        TokenRefresh::once(
            m_tokens, this, [this] { send(); },
            [this](const QString &reason) {
                Q_EMIT failed(Error::NotSignedIn,
                              tr("The server ended the session: %1").arg(reason));
            });
        return;
    }
    if (status == 400) {
        // natterd names the limit a query met (docs/protocol.md §10).
        const QString reason = body.value(QStringLiteral("reason")).toString();
        if (reason == u"too_many_prefixes")
            Q_EMIT failed(Error::BadQuery,
                          tr("The search has too many words ending in *: use at most 8."));
        else if (reason == u"too_many_terms")
            Q_EMIT failed(Error::BadQuery, tr("The search has too many words: use at most 32."));
        else if (reason == u"too_long")
            Q_EMIT failed(Error::BadQuery,
                          tr("The search is too long: use at most 1,000 characters."));
        else
            Q_EMIT failed(Error::BadQuery,
                          tr("The server did not understand this search. Use words, \"phrases\", "
                             "-word, word*, from:user, in:channel, before:YYYY-MM-DD, "
                             "after:YYYY-MM-DD, has:file or has:link."));
        return;
    }
    if (status == 401) {
        Q_EMIT failed(Error::NotSignedIn, tr("The server ended the session."));
        return;
    }
    // 429: past the server's rate (per user, or a peer's sockets); 503 with a
    // time to wait: searches together have taken the server's share, or its
    // storage cannot answer now.
    const bool retryLater = status == 429
        || (status == 503
            && (body.contains(QStringLiteral("retry_after"))
                || reply->hasRawHeader("Retry-After")));
    if (retryLater) {
        int wait = body.value(QStringLiteral("retry_after")).toInt();
        if (wait <= 0)
            wait = reply->rawHeader("Retry-After").trimmed().toInt();
        Q_EMIT failed(Error::RateLimited,
                      tr("The server is busy. Search again in %n s.", nullptr, qMax(1, wait)));
        return;
    }
    if (status == 0) {
        qCInfo(lcNet) << "search failed:" << reply->errorString();
        Q_EMIT failed(Error::Network, tr("Cannot reach the server: %1").arg(reply->errorString()));
        return;
    }
    if (status != 200 || !body.value(QStringLiteral("results")).isArray()) {
        Q_EMIT failed(Error::Server, tr("The server could not search now (HTTP %1).").arg(status));
        return;
    }
    SearchPage page;
    page.query = m_query;
    page.next = body.value(QStringLiteral("next")).toString();
    for (const QJsonValue &v : body.value(QStringLiteral("results")).toArray()) {
        const auto message = Codec::messageFromJson(v.toObject().value(QStringLiteral("message")));
        if (!message)
            continue; // malformed entry: skipped, never the page
        SearchHit hit;
        hit.message = *message;
        hit.snippet = v.toObject().value(QStringLiteral("snippet")).toString();
        QList<std::pair<qint64, qint64>> ranges;
        for (const QJsonValue &r : v.toObject().value(QStringLiteral("highlights")).toArray())
            ranges.append({r.toArray().at(0).toInteger(-1), r.toArray().at(1).toInteger(-1)});
        hit.highlights = utf16Ranges(hit.snippet, ranges);
        page.hits << hit;
    }
    Q_EMIT finished(page);
}

} // namespace Natter
