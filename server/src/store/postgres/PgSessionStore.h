// The whole ChatStore over one PgConnection, for store work that runs on
// PgWriter's thread (issue 16): ChatStore::runJob() hands a job this store,
// whose queries go over the writer's own connection, never the event loop's.
//
// Every write commits before it returns (there is no batch), so whenDurable()
// runs its continuation at once; the change feed is PgChatStore's (the writes
// NOTIFY in their transactions like the main connection's, and
// PgChangeListener hears them), so changeFeed() here is an unused one.
// Created and used on the writer thread only; owned by PgWriter::run().
#pragma once

#include "store/ChatStore.h"
#include "store/postgres/PgChannelStore.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgFileStore.h"
#include "store/postgres/PgMessageStore.h"
#include "store/postgres/PgRefreshTokenStore.h"
#include "store/postgres/PgSearchStore.h"
#include "store/postgres/PgUserStore.h"

namespace Natter::Server {

class PgSessionStore : public ChatStore,
                       public PgUserStore,
                       public PgChannelStore,
                       public PgMessageStore,
                       public PgRefreshTokenStore,
                       public PgSearchStore,
                       public PgFileStore
{
public:
    explicit PgSessionStore(PgConnection &connection);

    // The connection is PgWriter's: it opens and closes it.
    bool open(QString *) override { return true; }
    void close() override { }
    bool flush() override { return true; }
    void whenDurable(std::function<void()> done) override { done(); }
    ChangeFeed *changeFeed() override { return &m_unusedFeed; }
    // One transaction for the message and its files (PgWriter::appendMessageWithFiles).
    StoreResult<void> appendMessageWithFiles(StoredMessage *message,
                                             const QStringList &fileIds) override;
    // Already on the writer thread: the job runs now.
    void runJob(Job job) override { job (*this)(); }

protected:
    bool beginAtomic() override { return m_conn.beginAtomic(); }
    bool commitAtomic() override { return m_conn.commitAtomic(); }
    void rollbackAtomic() override { m_conn.rollbackAtomic(); }

private:
    PgConnection &m_conn;
    ChangeFeed m_unusedFeed;
};

} // namespace Natter::Server
