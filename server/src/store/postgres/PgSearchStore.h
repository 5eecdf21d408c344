// The search aggregate on PostgreSQL (§10): PostgreSQL's own full-text search.
// search_docs (schema 2, PgSchema) holds a tsvector per searchable message,
// built by natter_search_vector() (the words as SQLite's unicode61 tokenizer
// sees them, diacritics folded by unaccent, the `simple` dictionary) and kept
// in step by a trigger in the transaction of every write to messages: a user
// message is indexed when stored, re-indexed under the same doc when edited,
// removed when deleted; system messages never enter.
//
// The query is built from a parsed SearchQuery: every term is a bound value
// that natter_search_term() turns into a tsquery (words adjacent, `<->`, for a
// phrase; `:*` on the last word of a prefix), joined with && (the terms) and
// || (the exclusions, negated). Membership and the filters are in the same SQL
// before LIMIT, newest (highest doc) first; the cursor is the last doc of a
// page; the snippet is ts_headline() of the message's text, its matches wrapped
// in marker characters that plainSnippet() turns into ranges.
//
// Runs on the store's PgConnection; reads the hits' messages through the
// MessageStore it is given (both owned by PgChatStore). Main thread only.
#pragma once

#include "store/SearchStore.h"

namespace Natter::Server {

class MessageStore;
class PgConnection;

class PgSearchStore : public virtual SearchStore
{
public:
    PgSearchStore(PgConnection &connection, MessageStore &messages)
        : m_conn(connection)
        , m_messages(messages)
    { }

    StoreResult<QList<StoredSearchHit>> search(const QString &userId, const SearchQuery &query,
                                               const QString &afterCursor, int limit) override;

    // Turns ts_headline() output of `text`, whose matches are wrapped in the two
    // marker characters, into plain text of at most `maxCodePoints` (an
    // ellipsis where it is cut, also where the headline left out the start or
    // the end of `text`) with the matches as [start, length] code-point ranges.
    static void plainSnippet(const QString &marked, const QString &text, qsizetype maxCodePoints,
                             QString *snippet, QList<std::pair<qsizetype, qsizetype>> *highlights);

private:
    PgConnection &m_conn;
    MessageStore &m_messages;
};

} // namespace Natter::Server
