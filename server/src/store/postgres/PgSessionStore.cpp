#include "store/postgres/PgSessionStore.h"

#include "store/postgres/PgWriter.h"

namespace Natter::Server {

PgSessionStore::PgSessionStore(PgConnection &connection)
    : PgUserStore(connection)
    , PgChannelStore(connection)
    , PgMessageStore(connection)
    , PgRefreshTokenStore(connection)
    , PgSearchStore(connection, *this)
    , PgFileStore(connection)
    , m_conn(connection)
{ }

StoreResult<void> PgSessionStore::appendMessageWithFiles(StoredMessage *message,
                                                         const QStringList &fileIds)
{
    PgWriter::Session session{m_conn, *this, *this, *this};
    return PgWriter::appendMessageWithFiles(session, message, fileIds);
}

} // namespace Natter::Server
