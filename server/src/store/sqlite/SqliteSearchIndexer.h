// Brings natterd's FTS5 index (message_search, §10) up to date with the docs
// the search triggers queued in search_pending (schema 9), in one set-based
// pass: FTS5 then writes one index segment per batch instead of one per
// message (it writes its pending terms out at every statement savepoint, and a
// message insert inside the batch transaction opened two before schema 10). It
// also sets the queued docs' has_link (schema 10).
//
// SqliteConnection runs it just before a batch commits, in the same
// transaction (every 16th batch or after 250 ms, and in a batch that erased
// content), at a clean close, and at open, for what a writer outside the
// batching (the admin import) or a stop without close left queued;
// SqliteSearchStore runs it (SqliteConnection::indexSearch()) before a search
// reads the index. The queue is written in the messages' own statements, so
// it is as durable as they are. Owned by SqliteConnection; main thread only.
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
