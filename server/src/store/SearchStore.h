// The search aggregate of natterd's storage (§10): full-text search over the
// messages of the channels a user is a member of, newest first, paged by an
// opaque cursor. The query arrives already parsed (SearchQueryParser), so a
// backend never sees the user's raw text: it gets words to match literally and
// filters, and turns them into its own engine's syntax (SQLite FTS5 here,
// PostgreSQL's full-text search for the multi-node backend).
//
// A backend keeps its index in step with the messages in the transaction that
// changes them: a new user message is found, an edited one by its current
// text only, a deleted one and system messages never. An interface; ChatStore
// inherits it virtually, like the other aggregates.
#pragma once

#include "store/MessageStore.h"
#include "store/StoreResult.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace Natter::Server {

// A parsed §10 query. Terms are taken literally (never an engine's syntax);
// matching ignores case and diacritics.
struct SearchQuery
{
    struct Term
    {
        QString text; // a word or the words of a phrase, as typed
        bool phrase = false; // "exact phrase": its words adjacent, in order
        bool prefix = false; // word*: the last word matches as a prefix
    };
    QList<Term> terms; // every one must match
    QList<Term> excluded; // -word: none may match
    QStringList from; // usernames (any of them), case-insensitive
    QStringList in; // channel names (any of them), case-insensitive
    QDate before; // messages sent before this day (UTC) began; invalid = no bound
    QDate after; // messages sent after this day (UTC) ended; invalid = no bound
    bool hasFile = false;
    bool hasLink = false;

    bool hasFilter() const
    {
        return !from.isEmpty() || !in.isEmpty() || before.isValid() || after.isValid() || hasFile
            || hasLink;
    }
};

// One result: the message in its current state, the part of its text that
// matched (plain text, at most 200 code points, §10) with the matched words as
// [start, length] ranges in code points of `snippet`, and the cursor that
// continues after it.
struct StoredSearchHit
{
    StoredMessage message;
    QString snippet;
    QList<std::pair<qsizetype, qsizetype>> highlights;
    QString cursor;
};

class SearchStore
{
public:
    virtual ~SearchStore() = default;

    // Up to `limit` messages matching `query` in the channels `userId` is a
    // member of now, newest first, older than the hit `afterCursor` came from
    // ("" = from the newest). Membership is part of the query, so a page is
    // never short because of channels the user cannot read. NotFound: a cursor
    // this backend did not hand out. Failed: the storage failed (never an
    // empty page in its place).
    virtual StoreResult<QList<StoredSearchHit>> search(const QString &userId,
                                                       const SearchQuery &query,
                                                       const QString &afterCursor, int limit) = 0;
};

} // namespace Natter::Server
