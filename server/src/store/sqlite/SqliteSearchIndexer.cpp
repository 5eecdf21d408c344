#include "store/sqlite/SqliteSearchIndexer.h"

#include "ServerLog.h"
#include "store/sqlite/SqliteConnection.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Natter::Server {

void SqliteSearchIndexer::attach()
{
    QSqlQuery q(m_conn.database());
    m_queues = q.exec(QStringLiteral("SELECT 1 FROM sqlite_master "
                                     "WHERE type = 'table' AND name = 'search_pending'"))
        && q.next();
}

bool SqliteSearchIndexer::drain()
{
    if (!m_queues)
        return true;
    // Every statement here runs once per batch, and a batch is often a single
    // message: as few as the queue needs. Most batches without a message (a
    // read marker, a reaction) stop at this one, before FTS5 joins the
    // transaction.
    QSqlQuery &queued =
        m_conn.statement("SELECT COUNT(*), COALESCE(SUM(fresh = 0), 0) FROM search_pending");
    if (!m_conn.exec(queued) || !queued.next()) {
        queued.finish();
        return false;
    }
    const qint64 count = queued.value(0).toLongLong();
    const qint64 indexed = queued.value(1).toLongLong();
    queued.finish();
    if (count == 0)
        return true;
    // Edited and deleted docs lose their old entry; every queued doc that is
    // still in search_docs (not deleted since) is indexed with its message's
    // text now, the last edit's.
    // CROSS JOIN keeps the queue the outer loop: without statistics SQLite's
    // planner would walk all of search_docs for every batch.
    const char *const steps[] = {
        // Schema 10: a new message's doc arrives with has_link = 0 (the insert
        // trigger calls no function, SqliteSchema). Set it for the queued docs
        // whose text has a link, with the rule the update trigger uses for
        // edits (which also clears it); rows without one are not written.
        // About 65,000 instructions a pass: about 1,000 a message at load,
        // where a pass indexes a few dozen messages.
        "UPDATE search_docs SET has_link = 1 WHERE has_link = 0 AND doc IN "
        "(SELECT d.doc FROM search_pending p CROSS JOIN search_docs d ON d.doc = p.doc "
        "CROSS JOIN messages m ON m.id = d.message_id WHERE (m.text LIKE '%http://%' "
        "OR m.text LIKE '%https://%' OR m.text LIKE '%www.%'))",
        indexed > 0 ? "DELETE FROM message_search WHERE rowid IN "
                      "(SELECT doc FROM search_pending WHERE fresh = 0)"
                    : nullptr,
        "INSERT INTO message_search (rowid, text) SELECT d.doc, m.text FROM search_pending p "
        "CROSS JOIN search_docs d ON d.doc = p.doc CROSS JOIN messages m ON m.id = d.message_id",
        "DELETE FROM search_pending",
    };
    for (const char *step : steps) {
        if (!step)
            continue;
        QSqlQuery &q = m_conn.statement(step);
        const bool ok = m_conn.exec(q);
        q.finish();
        if (!ok) {
            // The message writes stay in the batch and the queue is kept for
            // the next run (the next batch or the next start). Whichever step
            // failed, its docs may now have an entry: the next run removes it
            // before indexing them again.
            qCCritical(lcServerStore).noquote().nospace() << "event=search_index_failed";
            QSqlQuery undo(m_conn.database());
            undo.exec(QStringLiteral("UPDATE search_pending SET fresh = 0"));
            return false;
        }
    }
    return true;
}

} // namespace Natter::Server
