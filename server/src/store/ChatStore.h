// The storage seam of natterd: everything the protocol code needs to persist,
// by aggregate (UserStore, ChannelStore, MessageStore, RefreshTokenStore,
// SearchStore, FileStore), plus
// the store's lifecycle, write batching and change feed.
//
// Two implementations (SqliteChatStore, PgChatStore), neither known to the
// hub, AuthService or the HTTP handlers; both pass tst_ChatStoreContract.
// Callers that need one aggregate only may take that interface.
//
// Writes are batched on SQLite: a write opens a transaction if none is open,
// and the store commits once per event-loop turn (PostgreSQL commits each
// write call). Callers that must not tell anyone about a write before it is
// durable (the `ack`, the fan-out) queue their continuation with
// whenDurable(); it runs right after the commit. Writes that belong together
// (a channel event) go in an Atomic.
#pragma once

#include "store/ChangeFeed.h"
#include "store/ChannelStore.h"
#include "store/FileStore.h"
#include "store/MessageStore.h"
#include "store/RefreshTokenStore.h"
#include "store/SearchStore.h"
#include "store/UserStore.h"

#include <QElapsedTimer>
#include <QString>

#include <functional>
#include <memory>

namespace Natter::Server {

// The aggregates are virtual bases so that a backend can implement each in a
// class of its own and combine them (see SqliteChatStore).
class ChatStore : public virtual UserStore,
                  public virtual ChannelStore,
                  public virtual MessageStore,
                  public virtual RefreshTokenStore,
                  public virtual SearchStore,
                  public virtual FileStore
{
public:
    ~ChatStore() override = default;

    // Opens (creating or migrating) the store. False with a reason on failure.
    virtual bool open(QString *error) = 0;
    virtual void close() = 0;
    // Commits the open batch now (also done automatically once per event-loop turn)
    // and runs the queued whenDurable() continuations.
    virtual bool flush() = 0;
    // Runs `done` once everything written so far is committed (at once if nothing is pending).
    virtual void whenDurable(std::function<void()> done) = 0;

    // Several writes stored together or not at all: a channel event's change,
    // its system messages and its members. Without it a write that failed
    // half-way left the first ones stored (SQLite: in the batch, committed
    // with it; PostgreSQL: each committed on its own), so a rename was made
    // without its `renamed` message, and the retry found nothing to change
    // and told nobody. SQLite: a savepoint inside the batch; PostgreSQL: the
    // transaction (a savepoint when one is open), so the rows become visible
    // to other nodes at once, the message with the membership it tells of.
    // Destroyed without commit(), it undoes every write made since it opened.
    // On the store's own thread (a job's store), not nested in another.
    class Atomic
    {
    public:
        explicit Atomic(ChatStore &store)
            : m_store(store)
            , m_ok(store.beginAtomic())
        { }
        ~Atomic()
        {
            if (m_ok && !m_done)
                m_store.rollbackAtomic();
        }
        Atomic(const Atomic &) = delete;
        Atomic &operator=(const Atomic &) = delete;
        // False: it could not open, and nothing may be written in it.
        bool ok() const { return m_ok; }
        // Keeps the writes (durable with the batch on SQLite, at once on
        // PostgreSQL). False: none of them is kept.
        bool commit()
        {
            if (!m_ok || m_done)
                return false;
            m_done = true;
            return m_store.commitAtomic();
        }

    private:
        ChatStore &m_store;
        bool m_ok;
        bool m_done = false;
    };

    // Signals that another process (the admin CLI) committed to the store, so
    // the server reacts to `user disable` or `channel join` while running.
    // Owned by the store; valid for its lifetime, live while it is open.
    virtual ChangeFeed *changeFeed() = 0;

    // A new message with the files it carries (§9): both stored, or neither.
    // The answers are appendMessage()'s (Conflict: the client_msg_id is taken)
    // and attachFiles()'s (NotFound: a file cannot be attached). This default
    // relies on write batching (SQLite: one batch holds both); a store whose
    // writes commit one by one (PostgreSQL) overrides it with one transaction.
    virtual StoreResult<void> appendMessageWithFiles(StoredMessage *message,
                                                     const QStringList &fileIds)
    {
        if (StoreResult<void> appended = appendMessage(message); !appended)
            return appended;
        if (fileIds.isEmpty())
            return {};
        return attachFiles(message->id, message->channel, message->author, fileIds);
    }

    // appendMessage() that stores nothing in an archived channel (§13) and
    // answers NotFound, as for a missing one (channelArchived() tells the two
    // apart on that rare path). This default reads the flag first; SQLite
    // checks it in the statement that takes the seq.
    virtual StoreResult<void> appendMessageUnlessArchived(StoredMessage *message)
    {
        const StoreResult<bool> archived = channelArchived(message->channel);
        if (archived.failed())
            return StoreError::Failed;
        if (!archived.has_value() || *archived)
            return StoreError::NotFound;
        return appendMessage(message);
    }

    // appendMessageWithFiles() for the send path, whose answer must not hold
    // up the event loop (issue 16: PostgreSQL runs it on a worker thread).
    // Called and answered on the event loop's thread:
    // - `allocated` runs once the message has its seq and ev, before its
    //   commit can be seen (the cluster fan-out waits for that ev rather than
    //   fill it from the store); not at all when the message is refused, but
    //   also for a message whose commit then fails (SQLite: its batch does not
    //   commit; PostgreSQL: its COMMIT fails), and the cluster fan-out then
    //   waits for that ev for a bounded time, kExpectMs;
    // - `done` runs once the outcome is durable: the result (the answers of
    //   appendMessageWithFiles()) and the message as stored (id, seq, ev, ts
    //   and its attachments read back). It always runs, unless the store is
    //   closed first.
    // Calls complete in the order they were made, and in that order with
    // whenDurable() continuations queued between them, so a connection's acks
    // keep the order of its sends and a channel's messages reach the fan-out
    // in seq order. runSendJob() underneath (SQLite: the synchronous call,
    // the answer, a failure's too, after the batch commits).
    using AppendDone = std::function<void(StoreResult<void> result, const StoredMessage &message)>;
    void appendMessageAsync(StoredMessage message, const QStringList &fileIds,
                            std::function<void(const StoredMessage &)> allocated, AppendDone done)
    {
        runSendJob(
            [message = std::move(message), fileIds, done = std::move(done)](ChatStore &store,
                                                                            const Append &append) {
                // A copy: SQLite may run the job again, from the same input
                // (SqliteChatStore::runSendJob).
                StoredMessage stored = message;
                const StoreResult<void> appended = append(&stored, fileIds, false);
                if (appended) {
                    for (const QString &id : fileIds) {
                        if (auto file = store.fileById(id))
                            stored.attachments.append(*file);
                    }
                }
                return Continuation([done, appended, stored] { done(appended, stored); });
            },
            std::move(allocated));
    }

    // Store work for a frame or request, off the event loop where the backend
    // can (issue 16). A job runs its reads and writes against the ChatStore
    // it is given and returns the continuation that answers:
    // - PostgreSQL: the job runs on the writer thread against a store on the
    //   writer's own connection, in one FIFO with the sends, so it sees every
    //   write submitted before it and a channel's ev stays in order (§13); the
    //   continuation runs on the event loop's thread.
    // - This default (SQLite): the job runs now, on this store, and the
    //   continuation once what it wrote is durable (at once when nothing is
    //   pending), as whenDurable().
    // Either way continuations run in call order, interleaved in that order
    // with appendMessageAsync() answers and whenDurable() continuations. A job
    // must touch nothing but the store it is given and what it captured by
    // value (it may run on another thread); the continuation guards what may
    // have gone meanwhile (a QPointer to the connection). A continuation is
    // not run when the store is closed first.
    using Continuation = std::function<void()>;
    using Job = std::function<Continuation(ChatStore &store)>;
    virtual void runJob(Job job) { whenDurable(job(*this)); }

    // runJob() with a typed result: `work(ChatStore &)` returns a value,
    // `done(value)` answers on the event loop's thread.
    template<typename Work, typename Done> void run(Work work, Done done)
    {
        runJob([work = std::move(work),
                done = std::move(done)](ChatStore &store) mutable -> Continuation {
            auto result = work(store);
            // `done` copied, not moved: SQLite runs the job a second time when
            // its batch does not commit (SqliteChatStore::runJob).
            return [done, result = std::move(result)]() mutable {
                done(std::move(result));
            };
        });
    }

    // A search (SearchStore::search) that holds up neither the event loop nor
    // the writes: SQLite and PostgreSQL run it on a thread and connection of
    // its own (docs/server.md, "Searches run beside the event loop"), after
    // everything written before the call is committed, so it finds what was
    // acknowledged before it. `done` runs on the event loop's thread with the
    // hits and how long the store searched (ns), unless the store is closed
    // first. This default runs it as a runJob() job; `spentNs` then counts
    // every run of it (SQLite runs a job again when its batch does not commit).
    using SearchDone =
        std::function<void(const StoreResult<QList<StoredSearchHit>> &hits, qint64 spentNs)>;
    virtual void searchAsync(const QString &userId, const SearchQuery &query,
                             const QString &afterCursor, int limit, SearchDone done)
    {
        auto spentNs = std::make_shared<qint64>(0);
        run(
            [userId, query, afterCursor, limit, spentNs](ChatStore &store) {
                QElapsedTimer clock;
                clock.start();
                StoreResult<QList<StoredSearchHit>> hits =
                    store.search(userId, query, afterCursor, limit);
                *spentNs += clock.nsecsElapsed();
                return hits;
            },
            [done = std::move(done), spentNs](const StoreResult<QList<StoredSearchHit>> &hits) {
                done(hits, *spentNs);
            });
    }

    // The send path in general form (issue 16): a send's reads (reply target,
    // archived channel, files, mentions) and its append in ONE job, run where
    // appendMessageAsync() runs its transaction (PostgreSQL: the writer
    // thread, in the FIFO of every job) against the store it is given. The
    // job calls `append` at most once and returns the continuation that
    // answers (on the event loop's thread, in call order, as runJob()'s).
    // `append` is appendMessageWithFiles(); with `refuseArchived` it stores
    // nothing in an archived channel and answers NotFound, as for a missing
    // one (PostgreSQL checks it in the UPDATE that takes the seq: no read of
    // its own; tell the two apart with channelArchived() on that rare path).
    // Once a message has its seq and ev, and before its commit can be seen,
    // `allocated` runs on the event loop's thread (the cluster fan-out waits
    // for that ev rather than fill it from the store).
    // This default (SQLite): the job now, `allocated` right after the append,
    // the continuation once the batch is durable.
    using Append = std::function<StoreResult<void>(
        StoredMessage *message, const QStringList &fileIds, bool refuseArchived)>;
    using SendJob = std::function<Continuation(ChatStore &store, const Append &append)>;
    virtual void runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated)
    {
        whenDurable(job(*this, sendAppend(std::move(allocated))));
    }

protected:
    // Atomic's three steps.
    virtual bool beginAtomic() = 0;
    virtual bool commitAtomic() = 0;
    virtual void rollbackAtomic() = 0;

    // runSendJob()'s `append` on this store.
    Append sendAppend(std::function<void(const StoredMessage &)> allocated)
    {
        return [this, allocated = std::move(allocated)](StoredMessage *message,
                                                        const QStringList &fileIds,
                                                        bool refuseArchived) -> StoreResult<void> {
            StoreResult<void> appended;
            if (refuseArchived && fileIds.isEmpty()) {
                appended = appendMessageUnlessArchived(message);
            } else {
                if (refuseArchived) {
                    const StoreResult<bool> archived = channelArchived(message->channel);
                    if (archived.failed())
                        return StoreError::Failed;
                    if (!archived.has_value() || *archived)
                        return StoreError::NotFound;
                }
                appended = appendMessageWithFiles(message, fileIds);
            }
            if (appended && allocated)
                allocated(*message);
            return appended;
        };
    }
};

} // namespace Natter::Server
