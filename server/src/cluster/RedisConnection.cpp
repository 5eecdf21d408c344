#include "cluster/RedisConnection.h"

#include "cluster/ClusterLog.h"

#include <QRandomGenerator>
#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace Natter::Server {

namespace {

RedisReply copyReply(const redisReply *r)
{
    RedisReply out;
    if (!r)
        return RedisReply::connectionLost();
    switch (r->type) {
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.str = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.str = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = r->integer;
        break;
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.str = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i)
            out.elements.append(copyReply(r->element[i]));
        break;
    default:
        out.type = RedisReply::Type::Nil;
        break;
    }
    return out;
}

} // namespace

// hiredis' event-library hooks on QSocketNotifiers. hiredis calls cleanup() just
// before it frees the context (after a disconnect or a failed connect); from then
// on the notifiers must never call into it again, so they are disabled and
// deleted later (cleanup may run inside one of their own signals).
struct RedisConnection::Loop
{
    redisAsyncContext *context = nullptr;
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;

    static void retire(QSocketNotifier **n)
    {
        if (!*n)
            return;
        (*n)->setEnabled(false);
        (*n)->deleteLater();
        *n = nullptr;
    }
    static void addRead(void *data)
    {
        auto *loop = static_cast<Loop *>(data);
        if (loop->read || !loop->context)
            return;
        loop->read = new QSocketNotifier(loop->context->c.fd, QSocketNotifier::Read);
        QObject::connect(loop->read, &QSocketNotifier::activated, loop->read, [loop] {
            if (loop->context)
                redisAsyncHandleRead(loop->context);
        });
    }
    static void delRead(void *data) { retire(&static_cast<Loop *>(data)->read); }
    static void addWrite(void *data)
    {
        auto *loop = static_cast<Loop *>(data);
        if (loop->write || !loop->context)
            return;
        loop->write = new QSocketNotifier(loop->context->c.fd, QSocketNotifier::Write);
        QObject::connect(loop->write, &QSocketNotifier::activated, loop->write, [loop] {
            if (loop->context)
                redisAsyncHandleWrite(loop->context);
        });
    }
    static void delWrite(void *data) { retire(&static_cast<Loop *>(data)->write); }
    static void cleanup(void *data)
    {
        auto *loop = static_cast<Loop *>(data);
        retire(&loop->read);
        retire(&loop->write);
        loop->context = nullptr;
    }
};

RedisConnection::RedisConnection(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisConnection::connectNow);
    m_ping.setInterval(m_settings.pingIntervalMs);
    connect(&m_ping, &QTimer::timeout, this, &RedisConnection::ping);
    m_clock.start();
}

RedisConnection::~RedisConnection()
{
    m_reconnect.stop();
    m_ping.stop();
    if (m_context) {
        // Pending callbacks run with no reply while the context is freed; they
        // must not reach this half-destroyed object.
        m_context->data = nullptr;
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        redisAsyncFree(context);
    }
}

void RedisConnection::open()
{
    if (!m_context && !m_reconnect.isActive())
        connectNow();
}

void RedisConnection::connectNow()
{
    if (m_context)
        return;
    redisAsyncContext *context =
        redisAsyncConnect(m_settings.host.toUtf8().constData(), int(m_settings.port));
    if (!context) {
        scheduleReconnect();
        return;
    }
    if (context->err) {
        qCDebug(lcServerCluster).noquote().nospace()
            << "event=redis_connect_failed conn=" << m_settings.name << " error=\""
            << QString::fromUtf8(context->errstr) << '"';
        redisAsyncFree(context);
        scheduleReconnect();
        return;
    }
    m_loop = std::make_unique<Loop>();
    m_loop->context = context;
    context->ev.data = m_loop.get();
    context->ev.addRead = &Loop::addRead;
    context->ev.delRead = &Loop::delRead;
    context->ev.addWrite = &Loop::addWrite;
    context->ev.delWrite = &Loop::delWrite;
    context->ev.cleanup = &Loop::cleanup;
    context->data = this;
    redisAsyncSetConnectCallback(context, &RedisConnection::connectCallback);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::disconnectCallback);
    m_context = context;
    m_tcpConnected = false;
    m_owed.clear();
    // The TCP connect is bounded too (a peer that drops SYNs): ping() checks it.
    m_connectStartedAt = m_clock.elapsed();
    m_ping.start();
    // hiredis starts a non-blocking connect and waits for the socket to be writable.
    Loop::addWrite(m_loop.get());
}

void RedisConnection::connectCallback(const redisAsyncContext *ac, int status)
{
    if (auto *self = static_cast<RedisConnection *>(ac->data))
        self->onConnected(status);
}

void RedisConnection::disconnectCallback(const redisAsyncContext *ac, int status)
{
    if (auto *self = static_cast<RedisConnection *>(ac->data))
        self->onDisconnected(status);
}

void RedisConnection::onConnected(int status)
{
    if (status != REDIS_OK) {
        // hiredis frees the context right after this callback.
        if (m_attempt == 0 || m_wasConnected) {
            qCWarning(lcServerCluster).noquote().nospace()
                << "event=redis_unreachable conn=" << m_settings.name << " addr=" << m_settings.host
                << ':' << m_settings.port << " error=\""
                << QString::fromUtf8(m_context ? m_context->errstr : "") << '"';
        }
        m_context = nullptr;
        m_wasConnected = false;
        m_ping.stop();
        scheduleReconnect();
        return;
    }
    m_tcpConnected = true;
    redisEnableKeepAlive(&m_context->c);
    // The handshake before anything else (hiredis sends in order; nothing else
    // is queued yet: command() waits for m_connected, set in onReady()). A TCP
    // accept alone proves nothing (a hung Redis, a proxy in front of a dead
    // one): without a password a PING must be answered first.
    QList<QByteArray> args;
    if (m_settings.password.isEmpty()) {
        args << QByteArrayLiteral("PING");
    } else {
        args << QByteArrayLiteral("AUTH");
        if (!m_settings.user.isEmpty())
            args << m_settings.user;
        args << m_settings.password;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lens;
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lens.push_back(size_t(a.size()));
    }
    if (redisAsyncCommandArgv(m_context, &RedisConnection::handshakeCallback, nullptr,
                              int(argv.size()), argv.data(), lens.data())
        != REDIS_OK) {
        dropContext("handshake not sent");
        return;
    }
    expectReply();
}

void RedisConnection::handshakeCallback(redisAsyncContext *ac, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(ac->data);
    if (!self || !reply)
        return; // the connection went away meanwhile: its disconnect reconnects
    self->gotReply();
    self->onHandshakeReply(copyReply(static_cast<redisReply *>(reply)));
}

void RedisConnection::onHandshakeReply(const RedisReply &reply)
{
    // +OK to AUTH, +PONG to PING.
    if (reply.type == RedisReply::Type::Status) {
        m_authRefused = false;
        onReady();
        return;
    }
    // Redis' own words (WRONGPASS …, NOAUTH for a PING without the password
    // Redis wants, LOADING …): they never echo the password. Once per failure streak at warning,
    // retries at debug.
    const QString error = QString::fromUtf8(reply.str.left(200));
    if (!m_authRefused) {
        qCWarning(lcServerCluster).noquote().nospace()
            << "event=redis_auth_failed conn=" << m_settings.name << " addr=" << m_settings.host
            << ':' << m_settings.port << " user=\""
            << (m_settings.user.isEmpty() ? QStringLiteral("default")
                                          : QString::fromUtf8(m_settings.user))
            << "\" error=\"" << error << '"';
    } else {
        qCDebug(lcServerCluster).noquote().nospace()
            << "event=redis_auth_failed conn=" << m_settings.name << " error=\"" << error << '"';
    }
    m_authRefused = true;
    // Not from inside hiredis' callback: drop on the next turn of the loop; the
    // disconnect schedules the reconnect with the usual backoff.
    redisAsyncContext *context = m_context;
    QMetaObject::invokeMethod(
        this,
        [this, context] {
            // redisAsyncFree runs the disconnect callback (no log line for a
            // refused AUTH: it was logged above), which schedules the retry.
            if (m_context == context)
                redisAsyncFree(context);
        },
        Qt::QueuedConnection);
}

void RedisConnection::onReady()
{
    m_connected = true;
    m_wasConnected = true;
    m_attempt = 0;
    m_confirmed.clear();
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=redis_connected conn=" << m_settings.name << " addr=" << m_settings.host << ':'
        << m_settings.port;
    m_ping.start();
    for (const QByteArray &channel : std::as_const(m_channels))
        sendSubscribe(channel);
    Q_EMIT connected();
}

void RedisConnection::onDisconnected(int status)
{
    // hiredis frees the context right after this callback.
    m_context = nullptr;
    m_tcpConnected = false;
    m_owed.clear();
    const bool was = m_connected;
    m_connected = false;
    m_ping.stop();
    m_confirmed.clear();
    // A connection that never got past AUTH was already logged as refused.
    if (was || !m_authRefused)
        qCWarning(lcServerCluster).noquote().nospace()
            << "event=redis_disconnected conn=" << m_settings.name << " addr=" << m_settings.host
            << ':' << m_settings.port << " clean=" << (status == REDIS_OK ? "yes" : "no");
    scheduleReconnect();
    if (was)
        Q_EMIT disconnected();
}

void RedisConnection::scheduleReconnect()
{
    if (m_reconnect.isActive())
        return;
    // Exponential backoff with jitter, so the nodes of a cluster do not all
    // come back in the same millisecond after Redis restarts.
    const int shift = qMin(m_attempt, 10);
    const int base = qMin(m_settings.maxBackoffMs, m_settings.minBackoffMs << shift);
    const int delay = base / 2 + int(QRandomGenerator::global()->bounded(base / 2 + 1));
    ++m_attempt;
    m_reconnect.start(delay);
}

void RedisConnection::command(const QList<QByteArray> &args, Callback done)
{
    if (!m_connected || !m_context) {
        if (done)
            done(RedisReply::connectionLost());
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lens;
    argv.reserve(size_t(args.size()));
    lens.reserve(size_t(args.size()));
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lens.push_back(size_t(a.size()));
    }
    auto *callback = new Callback(std::move(done));
    if (redisAsyncCommandArgv(m_context, &RedisConnection::replyCallback, callback,
                              int(argv.size()), argv.data(), lens.data())
        != REDIS_OK) {
        if (*callback)
            (*callback)(RedisReply::connectionLost());
        delete callback;
        return;
    }
    expectReply();
}

void RedisConnection::replyCallback(redisAsyncContext *ac, void *reply, void *privdata)
{
    std::unique_ptr<Callback> callback(static_cast<Callback *>(privdata));
    auto *self = static_cast<RedisConnection *>(ac->data);
    if (!self)
        return;
    if (reply)
        self->gotReply();
    if (callback && *callback)
        (*callback)(copyReply(static_cast<redisReply *>(reply)));
}

void RedisConnection::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_connected)
        sendSubscribe(channel);
}

void RedisConnection::sendSubscribe(const QByteArray &channel)
{
    const char *argv[] = {"SUBSCRIBE", channel.constData()};
    const size_t lens[] = {9, size_t(channel.size())};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::pubSubCallback, nullptr, 2, argv, lens)
        == REDIS_OK)
        expectReply(); // Redis confirms every SUBSCRIBE, repeated ones too
}

void RedisConnection::pubSubCallback(redisAsyncContext *ac, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(ac->data);
    if (!self || !reply)
        return;
    self->onPubSub(copyReply(static_cast<redisReply *>(reply)));
}

void RedisConnection::onPubSub(const RedisReply &reply)
{
    if (reply.type != RedisReply::Type::Array || reply.elements.size() < 3)
        return;
    const QByteArray &kind = reply.elements.at(0).str;
    if (kind == "message") {
        Q_EMIT message(reply.elements.at(1).str, reply.elements.at(2).str);
    } else if (kind == "subscribe") {
        gotReply();
        const QByteArray &channel = reply.elements.at(1).str;
        if (m_confirmed.contains(channel))
            return; // a heartbeat's repeated SUBSCRIBE
        m_confirmed.insert(channel);
        if (m_confirmed.size() == m_channels.size())
            Q_EMIT subscribed();
    }
}

void RedisConnection::ping()
{
    if (!m_context)
        return;
    const qint64 now = m_clock.elapsed();
    if (!m_tcpConnected) {
        if (now - m_connectStartedAt > m_settings.replyTimeoutMs)
            dropContext("connect timeout");
        return;
    }
    if (!m_owed.empty()) {
        // Redis answers in order: the oldest reply owed is the first one due.
        if (now - m_owed.front() > m_settings.replyTimeoutMs)
            dropContext("reply timeout");
        return;
    }
    if (!m_connected)
        return;
    // Idle: ask for something, so that a Redis that stopped answering is
    // noticed within the bound rather than at the next command (or, on a
    // subscribed connection, never: it only receives). hiredis 0.14 cannot
    // match a PING's reply on a subscribed connection, so that one repeats a
    // SUBSCRIBE of a channel it holds (Redis confirms it, nothing changes).
    if (m_channels.isEmpty()) {
        command({QByteArrayLiteral("PING")});
    } else if (!m_confirmed.isEmpty()) {
        sendSubscribe(*m_confirmed.cbegin());
    }
}

void RedisConnection::expectReply()
{
    m_owed.push_back(m_clock.elapsed());
}

void RedisConnection::gotReply()
{
    if (!m_owed.empty())
        m_owed.pop_front();
}

void RedisConnection::dropContext(const char *why)
{
    if (!m_context)
        return;
    qCWarning(lcServerCluster).noquote().nospace()
        << "event=redis_drop conn=" << m_settings.name << " addr=" << m_settings.host << ':'
        << m_settings.port << " reason=\"" << why << "\" timeout_ms=" << m_settings.replyTimeoutMs;
    redisAsyncContext *context = m_context;
    if (!m_tcpConnected) {
        // hiredis runs no disconnect callback for a context that never
        // connected: forget it and schedule the retry here.
        m_context = nullptr;
        m_ping.stop();
        m_owed.clear();
        redisAsyncFree(context);
        scheduleReconnect();
        return;
    }
    // redisAsyncFree runs the pending callbacks (no reply) and the disconnect
    // callback, which schedules the reconnect.
    redisAsyncFree(context);
}

} // namespace Natter::Server
