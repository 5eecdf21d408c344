#include "store/postgres/PgChatStore.h"

#include "store/postgres/PgSchema.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace Natter::Server {

PgChatStore::PgChatStore(const QString &conninfo, const QString &password, QObject *parent)
    : QObject(parent)
    , PgUserStore(m_conn)
    , PgChannelStore(m_conn)
    , PgMessageStore(m_conn)
    , PgRefreshTokenStore(m_conn)
    , PgSearchStore(m_conn, *this)
    , PgFileStore(m_conn)
    , m_conn(conninfo, password)
    , m_conninfo(conninfo)
    , m_password(password)
    , m_listener(conninfo, password, &m_changeFeed)
{
    // Issue 16: the event loop's own calls no longer run often enough to find
    // a dead session before a user's request does (a login after a restart
    // would fail on it): the probe that saw the server come back says so.
    connect(&m_listener, &PgChangeListener::cameBack, this, [this] { m_conn.markBroken(); });
}

PgChatStore::~PgChatStore()
{
    close();
}

bool PgChatStore::open(QString *error)
{
    if (!m_conn.open(error))
        return false;
    if (!PgSchema::migrate(m_conn, error) || !m_listener.start(m_conn.sourceId(), error)) {
        close();
        return false;
    }
    // A synchronous write takes its seq/ev after every queued send's: a
    // channel's changes then reach the fan-out in ev order (§13).
    m_conn.setBeforeWrite([this] {
        if (m_writer)
            m_writer->waitIdle();
    });
    return true;
}

void PgChatStore::close()
{
    // The queued sends still run (and commit); their results, posted to this
    // object, are dropped with the continuations still waiting: the clients
    // resend them (idempotent, §3).
    // Searches not started are dropped (not answered: natterd is stopping); a
    // running one ends first (statement_timeout bounds it).
    if (m_searcher)
        m_searcher->stop(true);
    m_searcher.reset();
    if (m_writer)
        m_writer->stop();
    m_writer.reset();
    m_pending.clear();
    m_conn.setBeforeWrite({});
    m_listener.stop();
    m_conn.close();
}

bool PgChatStore::flush()
{
    // Every queued send has run once the writer is idle, and its answer is
    // posted to this object: deliver those now, in order (shutdown acks and
    // fans out what is owed before it closes the sockets).
    if (m_writer) {
        m_writer->waitIdle();
        QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    }
    return m_conn.isOpen();
}

void PgChatStore::whenDurable(std::function<void()> done)
{
    // Nothing queued: every write so far has committed. Called from a
    // continuation being run: everything before it has run too, and running it
    // now keeps it before the results queued behind (a resend's ack, §3,
    // before the next send's).
    if (m_pending.empty() || m_draining) {
        done();
        return;
    }
    m_pending.push_back(std::make_shared<Pending>(Pending{true, std::move(done)}));
}

void PgChatStore::drainPending()
{
    if (m_draining)
        return;
    m_draining = true;
    while (!m_pending.empty() && m_pending.front()->ready) {
        const std::shared_ptr<Pending> next = m_pending.front();
        m_pending.pop_front();
        next->run();
    }
    m_draining = false;
}

StoreResult<void> PgChatStore::appendMessageWithFiles(StoredMessage *message,
                                                      const QStringList &fileIds)
{
    PgWriter::Session session{m_conn, *this, *this, *this};
    return PgWriter::appendMessageWithFiles(session, message, fileIds);
}

void PgChatStore::runSendJob(SendJob job, std::function<void(const StoredMessage &)> allocated)
{
    // Closed (or never opened): the statements fail at once on the closed
    // main connection, without starting a writer.
    if (!m_conn.isOpen()) {
        ChatStore::runSendJob(std::move(job), std::move(allocated));
        return;
    }
    auto pending = std::make_shared<Pending>();
    m_pending.push_back(pending);
    // Runs on the writer thread; `this` only as the receiver of the queued
    // calls (close() joins the thread before this object goes). `allocated`
    // is posted before the COMMIT, the answer after it: one sender, one
    // receiver, so they arrive in that order.
    writer().submit([this, pending, job = std::move(job),
                     allocated = std::move(allocated)](PgWriter::Session &session) mutable {
        const auto announce = [this, &allocated](const StoredMessage &m) {
            if (allocated)
                QMetaObject::invokeMethod(
                    this, [allocated, m] { allocated(m); }, Qt::QueuedConnection);
        };
        const Append append = [&session, &announce](StoredMessage *message,
                                                    const QStringList &fileIds,
                                                    bool refuseArchived) {
            return PgWriter::appendMessageWithFiles(session, message, fileIds, announce,
                                                    refuseArchived);
        };
        Continuation answer = job(session.store, append);
        answerLater(pending, std::move(answer));
    });
}

void PgChatStore::answerLater(const std::shared_ptr<Pending> &pending, Continuation answer)
{
    // Called on the writer thread: the answer runs on this object's thread,
    // in its turn (drainPending).
    QMetaObject::invokeMethod(
        this,
        [this, pending, answer = std::move(answer)]() mutable {
            pending->run = std::move(answer);
            pending->ready = true;
            drainPending();
        },
        Qt::QueuedConnection);
}

PgWriter &PgChatStore::writer()
{
    if (!m_writer)
        m_writer = std::make_unique<PgWriter>(m_conninfo, m_password);
    return *m_writer;
}

void PgChatStore::runJob(Job job)
{
    // Closed (or never opened): the job's statements fail at once on the
    // closed main connection, without starting a writer.
    if (!m_conn.isOpen()) {
        whenDurable(job(*this));
        return;
    }
    auto pending = std::make_shared<Pending>();
    m_pending.push_back(pending);
    writer().submit([this, pending, job = std::move(job)](PgWriter::Session &session) mutable {
        Continuation answer = job(session.store);
        answerLater(pending, std::move(answer));
    });
}

void PgChatStore::searchAsync(const QString &userId, const SearchQuery &query,
                              const QString &afterCursor, int limit, SearchDone done)
{
    if (!m_conn.isOpen()) { // fails at once, as runJob() does
        ChatStore::searchAsync(userId, query, afterCursor, limit, std::move(done));
        return;
    }
    if (!m_searcher)
        m_searcher = std::make_unique<PgWriter>(m_conninfo, m_password, QStringLiteral("search"));
    // Every acknowledged message is committed, so the search finds it.
    m_searcher->submit([this, userId, query, afterCursor, limit,
                        done = std::move(done)](PgWriter::Session &s) mutable {
        QElapsedTimer clock;
        clock.start();
        // One snapshot for the query and the reads of its hits, as on SQLite:
        // a message deleted or edited meanwhile is seen before or after, never
        // half (a deleted message with its old snippet). Without one, no
        // answer (503): the next search reconnects.
        StoreResult<QList<StoredSearchHit>> hits = StoreError::Failed;
        {
            PgConnection::Transaction snapshot(s.connection);
            if (snapshot.ok()
                && s.connection.run(
                    QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")))
                hits = s.store.search(userId, query, afterCursor, limit);
        } // read only: rolled back
        const qint64 spentNs = clock.nsecsElapsed();
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), hits = std::move(hits), spentNs] { done(hits, spentNs); },
            Qt::QueuedConnection);
    });
}

int PgChatStore::schemaVersion()
{
    return PgSchema::version(m_conn);
}

QByteArray PgChatStore::sharedSecret(const QString &name, const QByteArray &candidate,
                                     QString *error)
{
    auto &insert = m_conn.statement(
        "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING");
    insert.addBindValue(name);
    insert.addBindValue(candidate);
    if (m_conn.writeOne(insert, false).failed()) {
        *error = tr("cannot store the shared secret %1").arg(name);
        return {};
    }
    auto &q = m_conn.statement("SELECT value FROM server_secrets WHERE name = ?");
    q.addBindValue(name);
    const auto value =
        m_conn.readOne<QByteArray>(q, [](const QSqlQuery &r) { return r.value(0).toByteArray(); });
    if (!value) {
        *error = tr("cannot read the shared secret %1").arg(name);
        return {};
    }
    return *value;
}

} // namespace Natter::Server
