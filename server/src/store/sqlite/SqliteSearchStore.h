// The search aggregate on SQLite (§10): an FTS5 table (message_search,
// tokenizer unicode61 with diacritics removed) beside search_docs, which
// numbers the searchable messages in the order they were sent (doc, an
// INTEGER PRIMARY KEY, so VACUUM keeps it) and carries what the filters need.
// Triggers on messages (schema 7) keep both in the transaction of every write:
// a user message is indexed when stored, re-indexed under the same doc when
// edited, removed when deleted; system messages never enter. The query is
// built from a parsed SearchQuery: every term quoted for FTS5, membership and
// filters in the same SQL before LIMIT, newest (highest doc) first; the
// cursor is the last doc of a page.
//
// Runs on the store's one SqliteConnection; reads the hits' messages through
// the MessageStore it is given (both owned by SqliteChatStore). Main thread only.
#pragma once

#include "store/SearchStore.h"

namespace Natter::Server {

class MessageStore;
class SqliteConnection;

class SqliteSearchStore : public virtual SearchStore
{
public:
    SqliteSearchStore(SqliteConnection &connection, MessageStore &messages)
        : m_conn(connection)
        , m_messages(messages)
    { }

    StoreResult<QList<StoredSearchHit>> search(const QString &userId, const SearchQuery &query,
                                               const QString &afterCursor, int limit) override;

    // The FTS5 expression for `terms` joined by `op` ("AND" / "OR"): each term a
    // quoted string (quotes doubled inside), a prefix term followed by *. No
    // user text is ever FTS5 syntax.
    static QString matchExpression(const QList<SearchQuery::Term> &terms, const QString &op);
    // Turns FTS5 snippet() output, whose matches are wrapped in the two marker
    // characters, into plain text of at most `maxCodePoints` with the matches as
    // [start, length] code-point ranges.
    static void plainSnippet(const QString &marked, qsizetype maxCodePoints, QString *snippet,
                             QList<std::pair<qsizetype, qsizetype>> *highlights);

private:
    SqliteConnection &m_conn;
    MessageStore &m_messages;
};

} // namespace Natter::Server
