// Brings natterd's FTS5 index (message_search, §10) up to date with the docs
// the search triggers queued in search_pending (schema 9), in one set-based
// pass: FTS5 then writes one index segment per batch instead of one per
// message (it writes its pending terms out at every statement savepoint, and a
// message insert inside the batch transaction opens two).
//
// SqliteConnection runs it just before every batch commits, in the same
// transaction, so a message and its index entry are exactly as durable as each
// other, and at open, for what a writer outside the batching (the admin
// import) left queued; SqliteSearchStore runs it before a search reads the
// index inside an open batch. Owned by SqliteConnection; main thread only.
#pragma once

namespace Natter::Server {

class SqliteConnection;

class SqliteSearchIndexer
{
public:
    explicit SqliteSearchIndexer(SqliteConnection &connection)
        : m_conn(connection)
    { }

    // Whether the schema queues (search_pending exists: an older schema a test
    // opens on purpose indexes in its triggers). Call after the migration.
    void attach();
    // Indexes what is queued and empties the queue. On failure the queue
    // stays for the next run, which may repeat what this one did. True when
    // done or there was nothing to do.
    bool drain();

private:
    SqliteConnection &m_conn;
    bool m_queues = false;
};

} // namespace Natter::Server
