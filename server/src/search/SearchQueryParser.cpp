#include "search/SearchQueryParser.h"

#include <algorithm>

#include <QRegularExpression>

namespace Natter::Server {

namespace {

// One piece of the query as typed: a word or a phrase, maybe negated.
struct Token
{
    QString text;
    bool quoted = false; // "…" (a phrase)
    bool negated = false; // -…
    bool prefix = false; // …* (a word or a phrase followed by *)
};

// Splits `query` at whitespace outside quotes. A quote opens a phrase that the
// next quote (or the end) closes; `key:"value with spaces"` keeps its quoted
// value in the same token.
QList<Token> tokenize(const QString &query)
{
    QList<Token> tokens;
    qsizetype i = 0;
    const qsizetype n = query.size();
    while (i < n) {
        if (query.at(i).isSpace()) {
            ++i;
            continue;
        }
        Token t;
        if (query.at(i) == u'-' && i + 1 < n && !query.at(i + 1).isSpace()) {
            t.negated = true;
            ++i;
        }
        if (query.at(i) == u'"') {
            t.quoted = true;
            const qsizetype close = query.indexOf(u'"', i + 1);
            const qsizetype end = close < 0 ? n : close;
            t.text = query.mid(i + 1, end - i - 1);
            i = close < 0 ? n : close + 1;
            // "phrase"* is a prefix phrase; anything else glued on is a new token.
            while (i < n && query.at(i) == u'*') {
                t.prefix = true;
                ++i;
            }
        } else {
            const qsizetype start = i;
            while (i < n && !query.at(i).isSpace()) {
                // key:"quoted value": the quote belongs to the filter's value.
                if (query.at(i) == u'"' && i > start && query.at(i - 1) == u':') {
                    const qsizetype close = query.indexOf(u'"', i + 1);
                    i = close < 0 ? n : close + 1;
                    continue;
                }
                ++i;
            }
            t.text = query.mid(start, i - start);
        }
        tokens << t;
    }
    return tokens;
}

// YYYY-MM-DD exactly; invalid QDate when malformed.
QDate parseDay(const QString &value)
{
    static const QRegularExpression kDay(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!kDay.match(value).hasMatch())
        return {};
    return QDate::fromString(value, Qt::ISODate);
}

QString unquote(QString value)
{
    if (value.startsWith(u'"'))
        value = value.mid(1);
    if (value.endsWith(u'"'))
        value.chop(1);
    return value.trimmed();
}

enum class FilterResult { NotAFilter, Applied, Bad };

// Applies `token` as a filter when it is one (key:value with a known key).
FilterResult applyFilter(const Token &token, SearchQuery *q)
{
    if (token.quoted)
        return FilterResult::NotAFilter;
    const qsizetype colon = token.text.indexOf(u':');
    if (colon <= 0)
        return FilterResult::NotAFilter;
    const QString key = token.text.left(colon).toLower();
    static const QStringList kKeys = {QStringLiteral("from"), QStringLiteral("in"),
                                      QStringLiteral("before"), QStringLiteral("after"),
                                      QStringLiteral("has")};
    if (!kKeys.contains(key))
        return FilterResult::NotAFilter; // `http://x`, `12:30`: words
    // §10 defines `-` for words only, and whatever a user types is valid input
    // taken literally: `-from:bob` is the word `from:bob` excluded (the
    // engine's tokenizer makes it "from bob"), never a negated filter and never
    // bad_query (that is only for no word and no filter, or a malformed value).
    if (token.negated)
        return FilterResult::NotAFilter;
    QString value = unquote(token.text.mid(colon + 1));
    if (value.isEmpty())
        return FilterResult::Bad;
    if (key == u"from") {
        if (value.startsWith(u'@'))
            value = value.mid(1);
        if (value.isEmpty())
            return FilterResult::Bad;
        q->from << value;
    } else if (key == u"in") {
        if (value.startsWith(u'#'))
            value = value.mid(1);
        if (value.isEmpty())
            return FilterResult::Bad;
        q->in << value;
    } else if (key == u"before" || key == u"after") {
        const QDate day = parseDay(value);
        if (!day.isValid())
            return FilterResult::Bad;
        (key == u"before" ? q->before : q->after) = day;
    } else { // has:
        const QString what = value.toLower();
        if (what == u"file")
            q->hasFile = true;
        else if (what == u"link")
            q->hasLink = true;
        else
            return FilterResult::Bad;
    }
    return FilterResult::Applied;
}

} // namespace

bool SearchQueryParser::hasWordCharacter(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char32_t c = text.at(i).isHighSurrogate() && i + 1 < text.size()
            ? QChar::surrogateToUcs4(text.at(i), text.at(i + 1))
            : text.at(i).unicode();
        if (QChar::isLetterOrNumber(c))
            return true;
        if (c > 0xFFFF)
            ++i;
    }
    return false;
}

std::optional<SearchQuery> SearchQueryParser::parse(const QString &query, Refusal *why)
{
    const auto refuse = [why](Refusal refusal) {
        if (why)
            *why = refusal;
        return std::nullopt;
    };
    if (query.size() > kMaxQueryLength)
        return refuse(Refusal::TooLong);
    // Control characters (NUL among them) separate words: no tokenizer keeps
    // them, and an engine may read a NUL as the end of the query.
    QString cleaned = query;
    for (QChar &c : cleaned) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    SearchQuery q;
    int terms = 0;
    int prefixes = 0;
    for (Token &token : tokenize(cleaned)) {
        switch (applyFilter(token, &q)) {
        case FilterResult::Applied:
            continue;
        case FilterResult::Bad:
            return refuse(Refusal::Malformed);
        case FilterResult::NotAFilter:
            break;
        }
        if (!token.quoted) {
            // word*: a prefix; the stars themselves are not part of the word.
            while (token.text.endsWith(u'*')) {
                token.prefix = true;
                token.text.chop(1);
            }
        }
        // Nothing a tokenizer keeps: it could match nothing, so it asks nothing.
        if (!hasWordCharacter(token.text))
            continue;
        if (++terms > kMaxTerms)
            return refuse(Refusal::TooManyTerms);
        SearchQuery::Term term{token.text.trimmed(), token.quoted, token.prefix};
        // A term asked twice asks nothing more, but each costs the engine a
        // pass (`s* s* s*`: one doclist merge per copy).
        QList<SearchQuery::Term> &list = token.negated ? q.excluded : q.terms;
        const bool repeated = std::any_of(list.cbegin(), list.cend(), [&](const auto &t) {
            return t.phrase == term.phrase && t.prefix == term.prefix
                && t.text.compare(term.text, Qt::CaseInsensitive) == 0;
        });
        if (repeated)
            continue;
        if (term.prefix && ++prefixes > kMaxPrefixTerms)
            return refuse(Refusal::TooManyPrefixes);
        list << term;
    }
    if (q.terms.isEmpty() && q.excluded.isEmpty() && !q.hasFilter())
        return refuse(Refusal::Malformed);
    return q;
}

} // namespace Natter::Server
