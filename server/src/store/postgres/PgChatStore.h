// ChatStore on PostgreSQL 15 through Qt SQL (QPSQL): the backend for several
// natterd nodes sharing one database (§12), selected by `--postgres CONNINFO`
// or `storage = postgres`.
//
// The queries live in one class per aggregate (PgUserStore, PgChannelStore,
// PgMessageStore, PgRefreshTokenStore, PgSearchStore,
// PgFileStore), which this class combines as
// SqliteChatStore does. The schema is created or upgraded by open() (and by
// `natterd migrate`); the change feed is fed by PgChangeListener (LISTEN/NOTIFY).
// Owned by NatterServer (or AdminCli); used on the main thread only. Every
// call blocks the event loop for its round trips (see docs/server.md, "On the
// event loop"), except runSendJob() (the send path) and runJob()
// jobs, which run on PgWriter's thread and connection. The ordering between the two:
// - A synchronous write first waits until the writer has run every queued job
//   (PgConnection's before-write hook), so it takes its ev after theirs.
// - whenDurable() continuations and the async results run on the main thread
//   in one FIFO (m_pending), in call order: an ack or fan-out queued after a
//   send goes out after that send's.
#pragma once

#include "store/ChatStore.h"
#include "store/postgres/PgChangeListener.h"
#include "store/postgres/PgChannelStore.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgFileStore.h"
#include "store/postgres/PgMessageStore.h"
#include "store/postgres/PgRefreshTokenStore.h"
#include "store/postgres/PgSearchStore.h"
#include "store/postgres/PgUserStore.h"
#include "store/postgres/PgWriter.h"

#include <QObject>

#include <deque>
#include <memory>

namespace Natter::Server {

class PgChatStore : public QObject,
                    public ChatStore,
                    public PgUserStore,
                    public PgChannelStore,
                    public PgMessageStore,
                    public PgRefreshTokenStore,
                    public PgSearchStore,
                    public PgFileStore
{
    Q_OBJECT
public:
    // `conninfo`: a libpq connection string or URI without a password;
    // `password`: from --postgres-password-file (empty: libpq's PGPASSWORD or
    // PGPASSFILE, or none).
    PgChatStore(const QString &conninfo, const QString &password, QObject *parent = nullptr);
    ~PgChatStore() override;

    bool open(QString *error) override;
    void close() override;
    // Every synchronous write commits before it returns; flush() waits for the
    // writer's queue and runs the answers and continuations behind it.
    bool flush() override;
    void whenDurable(std::function<void()> done) override;
    ChangeFeed *changeFeed() override { return &m_changeFeed; }
    // One transaction for the message and its attachments (the message's and
    // the files' statements are savepoints inside it): a failure between them
    // rolls back both, the seq bump included, so nothing is half stored.
    StoreResult<void> appendMessageWithFiles(StoredMessage *message,
                                             const QStringList &fileIds) override;
    // On the writer thread (started with the first call), in one FIFO with
    // runJob()'s jobs; `allocated` and the continuation come back to this
    // thread as queued calls. `append` is one transaction of at most 3 round
    // trips for a send without files or mentions (PgWriter).
    void runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated) override;
    // On the writer thread against its PgSessionStore, in one FIFO with the
    // sends; the continuation comes back to this thread as a queued call and
    // runs in call order.
    void runJob(Job job) override;
    // On a thread and connection of its own (a PgWriter named `search`,
    // started with the first search), so a costly search holds up neither the
    // event loop nor the writer's queue of sends.
    void searchAsync(const QString &userId, const SearchQuery &query, const QString &afterCursor,
                     int limit, SearchDone done) override;

    // Whether the server answered the last probe (at most a second old).
    bool reachable() const { return m_listener.reachable(); }
    int schemaVersion();
    // The named secret shared by all nodes (§12: the token signing secret);
    // the first node to ask stores `candidate`, every later one gets that.
    QByteArray sharedSecret(const QString &name, const QByteArray &candidate, QString *error);

protected:
    bool beginAtomic() override { return m_conn.beginAtomic(); }
    bool commitAtomic() override { return m_conn.commitAtomic(); }
    void rollbackAtomic() override { m_conn.rollbackAtomic(); }

private:
    // A continuation waiting for its turn: a whenDurable() one is ready at
    // once, an async write's when its result arrives.
    struct Pending
    {
        bool ready = false;
        std::function<void()> run;
    };
    // Runs the ready continuations at the front of m_pending, in order.
    void drainPending();
    // Posts a job's `answer` (from the writer thread) to run here as
    // `pending`'s continuation, in call order.
    void answerLater(const std::shared_ptr<Pending> &pending, Continuation answer);
    // The writer, started with the first asynchronous call.
    PgWriter &writer();

    PgConnection m_conn;
    QString m_conninfo; // for the writer's connection
    QString m_password; // never logged
    std::unique_ptr<PgWriter> m_writer;
    std::unique_ptr<PgWriter> m_searcher; // searchAsync()'s thread
    std::deque<std::shared_ptr<Pending>> m_pending;
    bool m_draining = false;
    ChangeFeed m_changeFeed;
    PgChangeListener m_listener;
};

} // namespace Natter::Server
