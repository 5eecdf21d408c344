#include "store/postgres/PgFileStore.h"

#include "store/postgres/PgConnection.h"
#include "store/postgres/PgValues.h"

namespace Natter::Server {

using namespace PgValues;

StoreResult<void> PgFileStore::addFile(const StoredFile &file)
{
    auto &q = m_conn.statement(
        "INSERT INTO files (id, channel_id, uploader_id, name, size, mime, width, height, "
        "thumbnail, message_id, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, "
        "?)");
    q.addBindValue(file.id);
    q.addBindValue(file.channel);
    q.addBindValue(file.uploader);
    q.addBindValue(text(file.name));
    q.addBindValue(file.size);
    q.addBindValue(text(file.mime));
    q.addBindValue(file.width);
    q.addBindValue(file.height);
    q.addBindValue(file.thumbnail ? 1 : 0);
    q.addBindValue(
        toMs(file.createdAt.isValid() ? file.createdAt : QDateTime::currentDateTimeUtc()));
    return m_conn.writeOne(q, false);
}

StoreResult<StoredFile> PgFileStore::fileById(const QString &id)
{
    auto &q =
        m_conn.statement("SELECT id, channel_id, uploader_id, name, size, mime, width, height, "
                         "thumbnail, message_id, created_at FROM files WHERE id = ?");
    q.addBindValue(id);
    return m_conn.readOne<StoredFile>(q, [](const QSqlQuery &r) {
        StoredFile f;
        f.id = r.value(0).toString();
        f.channel = r.value(1).toString();
        f.uploader = r.value(2).toString();
        f.name = r.value(3).toString();
        f.size = r.value(4).toLongLong();
        f.mime = r.value(5).toString();
        f.width = r.value(6).toInt();
        f.height = r.value(7).toInt();
        f.thumbnail = r.value(8).toInt() != 0;
        f.messageId = r.value(9).toString();
        f.createdAt = fromMs(r.value(10).toLongLong());
        return f;
    });
}

StoreResult<void> PgFileStore::attachFiles(const QString &messageId, const QString &channelId,
                                           const QString &uploader, const QStringList &ids)
{
    // All of them or none: a file attached on another node meanwhile (the row
    // no longer unattached) rolls the others back.
    PgConnection::Transaction tx(m_conn);
    if (!tx.ok())
        return StoreError::Failed;
    int position = 0;
    for (const QString &id : ids) {
        auto &q = m_conn.statement("UPDATE files SET message_id = ?, position = ? WHERE id = ? "
                                   "AND channel_id = ? AND uploader_id = ? AND message_id IS NULL");
        q.addBindValue(messageId);
        q.addBindValue(position++);
        q.addBindValue(id);
        q.addBindValue(channelId);
        q.addBindValue(uploader);
        if (StoreResult<void> done = m_conn.write(q); !done)
            return done;
    }
    if (!tx.commit())
        return StoreError::Failed;
    return {};
}

StoreResult<QStringList> PgFileStore::unattachedBefore(const QDateTime &cutoff, int limit)
{
    auto &q = m_conn.statement("SELECT id FROM files WHERE message_id IS NULL AND created_at < ? "
                               "ORDER BY created_at LIMIT ?");
    q.addBindValue(toMs(cutoff));
    q.addBindValue(limit);
    auto rows =
        m_conn.readAll<QString>(q, [](const QSqlQuery &r) { return r.value(0).toString(); });
    if (!rows)
        return rows.error();
    return QStringList(*rows);
}

StoreResult<void> PgFileStore::removeUnattachedFile(const QString &id, const QString &uploader)
{
    if (uploader.isEmpty()) {
        auto &q = m_conn.statement("DELETE FROM files WHERE id = ? AND message_id IS NULL");
        q.addBindValue(id);
        return m_conn.writeOne(q, false);
    }
    auto &q = m_conn.statement(
        "DELETE FROM files WHERE id = ? AND message_id IS NULL AND uploader_id = ?");
    q.addBindValue(id);
    q.addBindValue(uploader);
    return m_conn.writeOne(q, false);
}

StoreResult<qint64> PgFileStore::storedBytesOf(const QString &uploader)
{
    // files_uploader (uploader_id, size): an index-only scan where the
    // visibility map allows.
    auto &q = m_conn.statement("SELECT COALESCE(SUM(size), 0) FROM files WHERE uploader_id = ?");
    q.addBindValue(uploader);
    return m_conn.readOne<qint64>(q, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
}

} // namespace Natter::Server
