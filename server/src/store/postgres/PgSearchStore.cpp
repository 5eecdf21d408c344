#include "store/postgres/PgSearchStore.h"

#include "store/MessageStore.h"
#include "store/postgres/PgConnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace Natter::Server {

namespace {

// What ts_headline() wraps the matches in: noncharacters, which text people
// type does not contain (the same markers as the SQLite backend).
constexpr char16_t kOpen = 0xFDD0;
constexpr char16_t kClose = 0xFDD1;
constexpr qsizetype kSnippetCodePoints = 200; // §10

qint64 dayStartMs(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

QString jsonList(const QStringList &values)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

// The tsquery SQL for `terms` joined by `op` (&& or ||): one
// natter_search_term() call per term, its text a placeholder (bound by the
// caller in the same order); only the prefix flag, ours, is in the SQL.
QString termsSql(const QList<SearchQuery::Term> &terms, const char *op)
{
    QStringList parts;
    for (const SearchQuery::Term &t : terms)
        parts << (t.prefix ? QStringLiteral("natter_search_term(?, true)")
                           : QStringLiteral("natter_search_term(?, false)"));
    return u'(' + parts.join(u' ' + QLatin1String(op) + u' ') + u')';
}

} // namespace

void PgSearchStore::plainSnippet(const QString &marked, const QString &text,
                                 qsizetype maxCodePoints, QString *snippet,
                                 QList<std::pair<qsizetype, qsizetype>> *ranges)
{
    snippet->clear();
    ranges->clear();
    // ts_headline() shows a part of a long text without saying so: say it.
    QString plain = marked;
    plain.remove(QChar(kOpen)).remove(QChar(kClose));
    plain = plain.trimmed();
    const QString whole = text.trimmed();
    QString input = marked.trimmed();
    if (!plain.isEmpty() && !whole.startsWith(plain))
        input.prepend(u'…');
    if (!plain.isEmpty() && !whole.endsWith(plain))
        input.append(u'…');
    // Code points of `input` without the markers, and where each match starts/ends.
    qsizetype total = 0;
    for (const QChar c : std::as_const(input)) {
        if (c != QChar(kOpen) && c != QChar(kClose) && !c.isLowSurrogate())
            ++total;
    }
    const bool cut = total > maxCodePoints;
    const qsizetype keep = cut ? maxCodePoints - 1 : total; // room for the ellipsis
    qsizetype points = 0;
    qsizetype openAt = -1;
    for (const QChar c : std::as_const(input)) {
        if (c == QChar(kOpen)) {
            openAt = points;
            continue;
        }
        if (c == QChar(kClose)) {
            if (openAt >= 0 && points > openAt)
                ranges->append({openAt, points - openAt});
            openAt = -1;
            continue;
        }
        if (c.isLowSurrogate()) {
            snippet->append(c);
            continue;
        }
        if (points == keep)
            break;
        snippet->append(c);
        ++points;
    }
    if (openAt >= 0 && points > openAt)
        ranges->append({openAt, points - openAt});
    if (cut)
        snippet->append(u'…');
}

StoreResult<QList<StoredSearchHit>> PgSearchStore::search(const QString &userId,
                                                          const SearchQuery &query,
                                                          const QString &afterCursor, int limit)
{
    qint64 cursor = 0;
    if (!afterCursor.isEmpty()) {
        bool ok = false;
        cursor = afterCursor.toLongLong(&ok);
        if (!ok || cursor <= 0)
            return StoreError::NotFound;
    }
    const bool match = !query.terms.isEmpty();
    const bool exclude = !query.excluded.isEmpty();
    // The query's tsqueries are computed once (q), then used by the WHERE and
    // by ts_headline(). The GIN index on tsv finds the matches; membership and
    // the filters narrow them in the same statement, before ORDER BY ... LIMIT.
    QString sql =
        QStringLiteral("WITH q AS (SELECT %1 AS m, %2 AS x) "
                       "SELECT d.doc, d.message_id, d.channel_id, %3 "
                       "FROM search_docs d JOIN messages msg ON msg.id = d.message_id "
                       "CROSS JOIN q "
                       "WHERE d.channel_id IN "
                       "(SELECT channel_id FROM memberships WHERE user_id = ?) ")
            .arg(match ? termsSql(query.terms, "&&") : QStringLiteral("NULL::tsquery"),
                 exclude ? termsSql(query.excluded, "||") : QStringLiteral("NULL::tsquery"),
                 match ? QStringLiteral("ts_headline('natter_search', msg.text, q.m, "
                                        "'StartSel=' || chr(%1) || ', StopSel=' || "
                                        "chr(%2) || ', MaxWords=32, MinWords=16, "
                                        "ShortWord=0')")
                             .arg(int(kOpen))
                             .arg(int(kClose))
                       : QStringLiteral("msg.text"));
    if (match)
        sql += QStringLiteral("AND d.tsv @@ q.m ");
    // A term with no word in it (NULL) excludes nothing.
    if (exclude)
        sql += QStringLiteral("AND NOT coalesce(d.tsv @@ q.x, false) ");
    if (!query.from.isEmpty())
        sql += QStringLiteral("AND d.author_id IN (SELECT id FROM users WHERE lower(username) IN "
                              "(SELECT lower(value) FROM json_array_elements_text(?::json))) ");
    if (!query.in.isEmpty())
        sql += QStringLiteral("AND d.channel_id IN (SELECT id FROM channels WHERE kind = 'channel' "
                              "AND lower(name) IN "
                              "(SELECT lower(value) FROM json_array_elements_text(?::json))) ");
    if (query.before.isValid())
        sql += QStringLiteral("AND d.ts < ? ");
    if (query.after.isValid())
        sql += QStringLiteral("AND d.ts >= ? ");
    if (query.hasFile)
        sql += QStringLiteral("AND d.has_file = 1 ");
    if (query.hasLink)
        sql += QStringLiteral("AND d.has_link = 1 ");
    if (cursor > 0)
        sql += QStringLiteral("AND d.doc < ? ");
    sql += QStringLiteral("ORDER BY d.doc DESC LIMIT ?");

    if (!m_conn.reconnectIfBroken())
        return StoreError::Failed;
    QSqlQuery q(m_conn.database());
    if (!q.prepare(sql))
        return StoreError::Failed;
    // Bound in the order of the placeholders above: every user word a value.
    for (const SearchQuery::Term &t : query.terms)
        q.addBindValue(t.text);
    for (const SearchQuery::Term &t : query.excluded)
        q.addBindValue(t.text);
    q.addBindValue(userId);
    if (!query.from.isEmpty())
        q.addBindValue(jsonList(query.from));
    if (!query.in.isEmpty())
        q.addBindValue(jsonList(query.in));
    // before:D is before D began; after:D is after D ended (UTC days).
    if (query.before.isValid())
        q.addBindValue(dayStartMs(query.before));
    if (query.after.isValid())
        q.addBindValue(dayStartMs(query.after.addDays(1)));
    if (cursor > 0)
        q.addBindValue(cursor);
    q.addBindValue(limit);

    struct Row
    {
        qint64 doc;
        QString id;
        QString channel;
        QString marked;
    };
    auto rows = m_conn.readAll<Row>(q, [](const QSqlQuery &r) {
        return Row{r.value(0).toLongLong(), r.value(1).toString(), r.value(2).toString(),
                   r.value(3).toString()};
    });
    if (!rows)
        return StoreError::Failed;
    QList<StoredSearchHit> hits;
    for (const Row &row : *rows) {
        StoreResult<StoredMessage> message = m_messages.messageById(row.channel, row.id);
        if (!message)
            return StoreError::Failed; // indexed in the same transaction: it exists
        StoredSearchHit hit;
        hit.message = std::move(*message);
        QString marked = row.marked;
        if (!match) // the text itself: no markers of ts_headline(), so none may count as one
            marked.remove(QChar(kOpen)).remove(QChar(kClose));
        plainSnippet(marked, hit.message.text, kSnippetCodePoints, &hit.snippet, &hit.highlights);
        hit.cursor = QString::number(row.doc);
        hits << hit;
    }
    return hits;
}

} // namespace Natter::Server
