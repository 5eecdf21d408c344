// SearchQueryParser (§10): what the query language means, that every input is
// either a query of literal words or bad (never engine syntax), and the two
// pieces SqliteSearchStore builds from it: the quoted FTS5 expression and the
// plain snippet with its highlight ranges.
#include "search/SearchQueryParser.h"
#include "store/sqlite/SqliteSearchStore.h"

#include <QtTest>

using namespace Natter::Server;

namespace {

// "word", "\"phrase\"", "word*" as the parser understood them.
QStringList describe(const QList<SearchQuery::Term> &terms)
{
    QStringList out;
    for (const SearchQuery::Term &t : terms)
        out << (t.phrase ? u'"' + t.text + u'"' : t.text) + (t.prefix ? u"*"_qs : QString());
    return out;
}

} // namespace

class tst_SearchQueryParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wordsPhrasesPrefixesAndExclusions();
    void filters();
    void badQueries_data();
    void badQueries();
    void hostileInputIsLiteral();
    void matchExpressionQuotesEverything();
    void plainSnippet();
};

void tst_SearchQueryParser::wordsPhrasesPrefixesAndExclusions()
{
    const auto q = SearchQueryParser::parse(
        u"  deploy  \"exact phrase\" pre* -skip -\"not this\" \"pre phrase\"* t-shirt  "_qs);
    QVERIFY(q);
    QCOMPARE(describe(q->terms),
             (QStringList{u"deploy"_qs, u"\"exact phrase\""_qs, u"pre*"_qs, u"\"pre phrase\"*"_qs,
                          u"t-shirt"_qs}));
    QCOMPARE(describe(q->excluded), (QStringList{u"skip"_qs, u"\"not this\""_qs}));
    QVERIFY(!q->hasFilter());
    // A lone or unbalanced quote runs to the end.
    const auto open = SearchQueryParser::parse(u"a \"b c"_qs);
    QVERIFY(open);
    QCOMPARE(describe(open->terms), (QStringList{u"a"_qs, u"\"b c\""_qs}));
    // A term typed again (in any case) is asked once: each copy would cost the
    // engine another pass (32 × `s*` held natterd for 0.8 s).
    const auto repeated = SearchQueryParser::parse(u"s* S* s s* \"s\" -x -X"_qs);
    QVERIFY(repeated);
    QCOMPARE(describe(repeated->terms), (QStringList{u"s*"_qs, u"s"_qs, u"\"s\""_qs}));
    QCOMPARE(describe(repeated->excluded), (QStringList{u"x"_qs}));
    // Eight different prefixes are fine (a repeated one counts once); a ninth,
    // excluded ones included, is refused.
    QVERIFY(SearchQueryParser::parse(u"a* b* c* d* e* f* g* h* a*"_qs));
    QVERIFY(!SearchQueryParser::parse(u"a* b* c* d* e* f* g* h* a* -i*"_qs));
}

void tst_SearchQueryParser::filters()
{
    const auto q = SearchQueryParser::parse(
        u"From:@alice in:#general IN:\"team room\" before:2026-03-01 after:2026-02-01 "
        u"has:file HAS:Link http://example.org 12:30"_qs);
    QVERIFY(q);
    QCOMPARE(q->from, QStringList{u"alice"_qs});
    QCOMPARE(q->in, (QStringList{u"general"_qs, u"team room"_qs}));
    QCOMPARE(q->before, QDate(2026, 3, 1));
    QCOMPARE(q->after, QDate(2026, 2, 1));
    QVERIFY(q->hasFile);
    QVERIFY(q->hasLink);
    // Unknown keys are words.
    QCOMPARE(describe(q->terms), (QStringList{u"http://example.org"_qs, u"12:30"_qs}));
    // A filter alone is a query.
    QVERIFY(SearchQueryParser::parse(u"from:bob"_qs));
    QVERIFY(SearchQueryParser::parse(u"has:link"_qs));
    // An exclusion alone is one too.
    QVERIFY(SearchQueryParser::parse(u"-prod"_qs));
    // §10 negates words only: a `-` before a filter excludes that text as a
    // literal word, and is neither a filter nor bad_query.
    const auto negated = SearchQueryParser::parse(
        u"word -from:bob -has:file -in:#ops -before:2026-01-01 -after:x -has:pin"_qs);
    QVERIFY(negated);
    QVERIFY(!negated->hasFilter());
    QCOMPARE(describe(negated->terms), QStringList{u"word"_qs});
    QCOMPARE(describe(negated->excluded),
             (QStringList{u"from:bob"_qs, u"has:file"_qs, u"in:#ops"_qs, u"before:2026-01-01"_qs,
                          u"after:x"_qs, u"has:pin"_qs}));
    const auto alone = SearchQueryParser::parse(u"-from:bob"_qs);
    QVERIFY(alone);
    QCOMPARE(describe(alone->excluded), QStringList{u"from:bob"_qs});
}

void tst_SearchQueryParser::badQueries_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<SearchQueryParser::Refusal>("why");
    using R = SearchQueryParser::Refusal;
    QTest::newRow("empty") << QString() << R::Malformed;
    QTest::newRow("spaces") << u"   "_qs << R::Malformed;
    QTest::newRow("dash") << u"-"_qs << R::Malformed;
    QTest::newRow("quote") << u"\""_qs << R::Malformed;
    QTest::newRow("star") << u"*"_qs << R::Malformed;
    QTest::newRow("percent") << u"%"_qs << R::Malformed;
    QTest::newRow("punctuation") << u"-- ** \"\" %% ()"_qs << R::Malformed;
    QTest::newRow("empty from") << u"word from:"_qs << R::Malformed;
    QTest::newRow("empty in") << u"word in:#"_qs << R::Malformed;
    QTest::newRow("bad has") << u"has:pin"_qs << R::Malformed;
    QTest::newRow("bad date") << u"before:2026-02-30"_qs << R::Malformed;
    QTest::newRow("date format") << u"after:1.2.2026"_qs << R::Malformed;
    QTest::newRow("too long") << QString(SearchQueryParser::kMaxQueryLength + 1, u'a')
                              << R::TooLong;
    QTest::newRow("too many terms")
        << u"w "_qs.repeated(SearchQueryParser::kMaxTerms + 1) << R::TooManyTerms;
    QTest::newRow("too many prefixes") << u"a* b* c* d* e* f* g* h* i*"_qs << R::TooManyPrefixes;
}

void tst_SearchQueryParser::badQueries()
{
    QFETCH(QString, query);
    QFETCH(SearchQueryParser::Refusal, why);
    SearchQueryParser::Refusal said = SearchQueryParser::Refusal::Malformed;
    QVERIFY(!SearchQueryParser::parse(query, &said));
    QCOMPARE(said, why); // the limit natterd names in its answer
}

void tst_SearchQueryParser::hostileInputIsLiteral()
{
    const auto q = SearchQueryParser::parse(u"NEAR(a b) a OR b NOT c ^x col:y '; DROP TABLE x"_qs);
    QVERIFY(q);
    QCOMPARE(describe(q->terms),
             (QStringList{u"NEAR(a"_qs, u"b)"_qs, u"a"_qs, u"OR"_qs, u"b"_qs, u"NOT"_qs, u"c"_qs,
                          u"^x"_qs, u"col:y"_qs, u"DROP"_qs, u"TABLE"_qs, u"x"_qs}));
    // `';` has nothing to match and is dropped.
    QVERIFY(q->excluded.isEmpty());
    // Control characters separate words; NUL never reaches the engine.
    const auto controls = SearchQueryParser::parse(u"a\u0000b\u0007c\td"_qs);
    QVERIFY(controls);
    QCOMPARE(describe(controls->terms), (QStringList{u"a"_qs, u"b"_qs, u"c"_qs, u"d"_qs}));
}

void tst_SearchQueryParser::matchExpressionQuotesEverything()
{
    const auto q = SearchQueryParser::parse(u"say \"he said\" x* NEAR(a -\"b\" c\"d"_qs);
    QVERIFY(q);
    QCOMPARE(SqliteSearchStore::matchExpression(q->terms, u"AND"_qs),
             u"\"say\" AND \"he said\" AND \"x\"* AND \"NEAR(a\" AND \"c\"\"d\""_qs);
    QCOMPARE(SqliteSearchStore::matchExpression(q->excluded, u"OR"_qs), u"\"b\""_qs);
    SearchQuery quotes;
    quotes.terms << SearchQuery::Term{u"a\"b"_qs, false, true};
    QCOMPARE(SqliteSearchStore::matchExpression(quotes.terms, u"AND"_qs), u"\"a\"\"b\"*"_qs);
}

void tst_SearchQueryParser::plainSnippet()
{
    const QChar open(0xFDD0);
    const QChar close(0xFDD1);
    QString snippet;
    QList<std::pair<qsizetype, qsizetype>> ranges;
    SqliteSearchStore::plainSnippet(u"the "_qs + open + u"café"_qs + close + u" 🎉 "_qs + open
                                        + u"crème"_qs + close,
                                    200, &snippet, &ranges);
    QCOMPARE(snippet, u"the café 🎉 crème"_qs);
    // Code points: the emoji counts once.
    QCOMPARE(ranges, (QList<std::pair<qsizetype, qsizetype>>{{4, 4}, {11, 5}}));
    // At most 200 code points, the cut marked by an ellipsis; a match cut in two
    // keeps its visible part.
    const QString longText = QString(190, u'a') + u' ' + open + QString(30, u'b') + close;
    SqliteSearchStore::plainSnippet(longText, 200, &snippet, &ranges);
    QCOMPARE(snippet.size(), 200);
    QVERIFY(snippet.endsWith(u'…'));
    QCOMPARE(ranges, (QList<std::pair<qsizetype, qsizetype>>{{191, 8}}));
}

QTEST_GUILESS_MAIN(tst_SearchQueryParser)
#include "tst_searchqueryparser.moc"
