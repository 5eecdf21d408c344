#include "store/sqlite/SqliteSearchStore.h"

#include "store/MessageStore.h"
#include "store/sqlite/SqliteConnection.h"
#include "store/sqlite/SqliteValues.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace Natter::Server {

using namespace SqliteValues;

namespace {

// What snippet() wraps the matches in: noncharacters, which text people type
// does not contain; plainSnippet() turns them into ranges.
constexpr char16_t kOpen = 0xFDD0;
constexpr char16_t kClose = 0xFDD1;
constexpr qsizetype kSnippetCodePoints = 200; // §10
constexpr int kSnippetTokens = 32; // FTS5 allows up to 64

qint64 dayStartMs(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

QString jsonList(const QStringList &values)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

} // namespace

QString SqliteSearchStore::matchExpression(const QList<SearchQuery::Term> &terms, const QString &op)
{
    QStringList parts;
    for (const SearchQuery::Term &t : terms) {
        // Inside an FTS5 string only `"` is special (doubled); the tokenizer
        // then splits it into words, so `t-shirt` is the phrase "t shirt".
        QString part = u'"' + QString(t.text).replace(u'"', QStringLiteral("\"\"")) + u'"';
        if (t.prefix)
            part += u'*';
        parts << part;
    }
    return parts.join(u' ' + op + u' ');
}

void SqliteSearchStore::plainSnippet(const QString &marked, qsizetype maxCodePoints,
                                     QString *snippet,
                                     QList<std::pair<qsizetype, qsizetype>> *ranges)
{
    snippet->clear();
    ranges->clear();
    // Code points of `marked` without the markers, and where each match starts/ends.
    qsizetype total = 0;
    for (qsizetype i = 0; i < marked.size(); ++i) {
        const QChar c = marked.at(i);
        if (c != QChar(kOpen) && c != QChar(kClose) && !c.isLowSurrogate())
            ++total;
    }
    const bool cut = total > maxCodePoints;
    const qsizetype keep = cut ? maxCodePoints - 1 : total; // room for the ellipsis
    qsizetype points = 0;
    qsizetype openAt = -1;
    for (qsizetype i = 0; i < marked.size(); ++i) {
        const QChar c = marked.at(i);
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

StoreResult<QList<StoredSearchHit>> SqliteSearchStore::search(const QString &userId,
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
    // The open batch's messages are indexed when it commits; a search before
    // that (the same event-loop turn) indexes them now, so it finds them.
    m_conn.indexSearch();
    const bool match = !query.terms.isEmpty();
    // With words, FTS5 drives: it walks its matches by rowid (= doc) downwards,
    // so the newest come first and LIMIT stops the walk; the joins below only
    // keep the caller's channels and the filters. Without words, search_docs
    // is walked by doc the same way.
    QString sql = match ? QStringLiteral("SELECT d.doc, d.message_id, d.channel_id, "
                                         "snippet(message_search, 0, char(%1), char(%2), '…', %3) "
                                         "FROM message_search JOIN search_docs d "
                                         "ON d.doc = message_search.rowid "
                                         "WHERE message_search MATCH :match ")
                              .arg(int(kOpen))
                              .arg(int(kClose))
                              .arg(kSnippetTokens)
                        : QStringLiteral("SELECT d.doc, d.message_id, d.channel_id, "
                                         "(SELECT text FROM message_search WHERE rowid = d.doc) "
                                         "FROM search_docs d WHERE 1 ");
    const QString doc = match ? QStringLiteral("message_search.rowid") : QStringLiteral("d.doc");
    // Membership now, inside the query (before LIMIT): a channel the caller
    // left or was never in contributes nothing, not even a short page.
    sql += QStringLiteral("AND d.channel_id IN "
                          "(SELECT channel_id FROM memberships WHERE user_id = :user) ");
    if (!query.excluded.isEmpty())
        sql += QStringLiteral("AND d.doc NOT IN (SELECT rowid FROM message_search "
                              "WHERE message_search MATCH :exclude) ");
    if (!query.from.isEmpty())
        sql += QStringLiteral("AND d.author_id IN (SELECT id FROM users WHERE username "
                              "COLLATE NOCASE IN (SELECT value FROM json_each(:from))) ");
    if (!query.in.isEmpty())
        sql += QStringLiteral("AND d.channel_id IN (SELECT id FROM channels WHERE kind = 'channel' "
                              "AND name COLLATE NOCASE IN (SELECT value FROM json_each(:in))) ");
    if (query.before.isValid())
        sql += QStringLiteral("AND d.ts < :before ");
    if (query.after.isValid())
        sql += QStringLiteral("AND d.ts >= :after ");
    if (query.hasFile)
        sql += QStringLiteral("AND d.has_file = 1 ");
    if (query.hasLink)
        sql += QStringLiteral("AND d.has_link = 1 ");
    if (cursor > 0)
        sql += QStringLiteral("AND %1 < :cursor ").arg(doc);
    sql += QStringLiteral("ORDER BY %1 DESC LIMIT :limit").arg(doc);

    QSqlQuery q(m_conn.database());
    q.setForwardOnly(true); // read with next() only (SqliteConnection::statement())
    if (!q.prepare(sql))
        return StoreError::Failed;
    if (match)
        q.bindValue(QStringLiteral(":match"), matchExpression(query.terms, QStringLiteral("AND")));
    q.bindValue(QStringLiteral(":user"), userId);
    if (!query.excluded.isEmpty())
        q.bindValue(QStringLiteral(":exclude"),
                    matchExpression(query.excluded, QStringLiteral("OR")));
    if (!query.from.isEmpty())
        q.bindValue(QStringLiteral(":from"), jsonList(query.from));
    if (!query.in.isEmpty())
        q.bindValue(QStringLiteral(":in"), jsonList(query.in));
    // before:D is before D began; after:D is after D ended (UTC days).
    if (query.before.isValid())
        q.bindValue(QStringLiteral(":before"), dayStartMs(query.before));
    if (query.after.isValid())
        q.bindValue(QStringLiteral(":after"), dayStartMs(query.after.addDays(1)));
    if (cursor > 0)
        q.bindValue(QStringLiteral(":cursor"), cursor);
    q.bindValue(QStringLiteral(":limit"), limit);

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
        if (!match) // the text itself: no markers of snippet(), so none may count as one
            marked.remove(QChar(kOpen)).remove(QChar(kClose));
        plainSnippet(marked, kSnippetCodePoints, &hit.snippet, &hit.highlights);
        hit.cursor = QString::number(row.doc);
        hits << hit;
    }
    return hits;
}

} // namespace Natter::Server
