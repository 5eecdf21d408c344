// Parses the §10 query language into a SearchQuery: words (all must match),
// word* prefixes, "exact phrases", -exclusions and the filters from:, in:,
// before:, after:, has:file and has:link. natterd parses the query itself so
// that no user input ever reaches a search engine as that engine's syntax:
// every word comes out as literal text, and the backend quotes it.
//
// A filter with a leading `-` is not a filter: §10 negates words only, so
// `-from:bob` excludes the literal word `from:bob`.
//
// Words with nothing a tokenizer could match (no letter or digit: `-`, `*`,
// `%`, a lone `"`) are dropped; a query left with no word and no filter, an
// unknown has: value, a malformed date, an empty filter value or an oversized
// query is bad (§10 `400 bad_query`). Plain class of static functions.
#pragma once

#include "store/SearchStore.h"

#include <optional>

namespace Natter::Server {

class SearchQueryParser
{
public:
    // Longer queries are refused rather than handed to the engine.
    static constexpr qsizetype kMaxQueryLength = 1000; // UTF-16 code units
    static constexpr int kMaxTerms = 32; // words, phrases and exclusions together
    // word*: FTS5 merges the lists of every word with that prefix before it
    // walks them (about 25 ms for a one-letter prefix in 300,000 messages).
    static constexpr int kMaxPrefixTerms = 8; // different ones

    // Why a query is bad: malformed (§10), or past one of the limits above,
    // which natterd names in its answer (`reason`, docs/protocol.md §10) so a
    // client can say which limit it met.
    enum class Refusal { Malformed, TooLong, TooManyTerms, TooManyPrefixes };

    // The parsed query, or nothing when it is bad (§10), with why in `why`.
    static std::optional<SearchQuery> parse(const QString &query, Refusal *why = nullptr);
    // Whether `text` has a letter or digit: something a word tokenizer keeps.
    static bool hasWordCharacter(const QString &text);
};

} // namespace Natter::Server
