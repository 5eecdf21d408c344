// ConnectionManager, part 1: the connection lifecycle (open, authenticate,
// heartbeat, reconnect). Close codes and token refresh are in
// ConnectionManagerClose.cpp, incoming frames in ConnectionManagerFrames.cpp,
// the outbox and outgoing frames in ConnectionManagerOutgoing.cpp.
#include "ConnectionManager.h"

#include "NatterVersion.h"
#include "auth/AccessTokenProvider.h"
#include "net/HandshakeRequest.h"
#include "net/NetworkWatcher.h"
#include "store/LocalStore.h"
#include "util/Logging.h"

#include <QNetworkRequest>
#include <QRegularExpression>
#include <QWebSocket>

namespace Natter {
namespace {
// History frames carry up to 200 messages of up to 4,000 characters each.
constexpr qint64 kMaxIncomingMessageBytes = 16 * 1024 * 1024;

} // namespace

ConnectionManager::ConnectionManager(AccessTokenProvider *tokens, LocalStore *store,
                                     QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_store(store)
    , m_watcher(new NetworkWatcher(this))
{
    if (!m_store) {
        m_memoryStore = std::make_unique<LocalStore>(QStringLiteral(":memory:"));
        m_store = m_memoryStore.get();
    }
    if (!m_store->isOpen() && !m_store->open())
        qCWarning(lcNet) << "the local store is not available:" << m_store->errorString();
    const auto seqs = m_store->lastSeqs();
    for (auto it = seqs.cbegin(); it != seqs.cend(); ++it)
        m_sequencer.setLastSeq(it.key(), it.value());
    m_lastEv = m_store->lastEvs();
    // Edits and deletes that were waiting for an ack when the program ended.
    for (const LocalStore::HeldAction &held : m_store->heldActions()) {
        const auto message = m_store->outgoing(held.clientMsgId);
        if (!message)
            continue;
        Action action;
        action.remove = held.remove;
        action.channel = message->channel;
        action.clientMsgId = held.clientMsgId;
        action.text = held.text;
        numberAction(action);
        m_heldActions[held.clientMsgId].append(action);
    }
    // Edits, deletes and reactions sent and not answered when the program ended
    // (or waiting after rate_limited): sent again after the first resume.
    for (const LocalStore::PendingAction &pending : m_store->pendingActions()) {
        Action action;
        action.react = pending.kind == u"react";
        action.remove = pending.kind == u"delete";
        action.on = pending.on;
        action.channel = pending.channel;
        action.messageId = pending.messageId;
        action.text = pending.text;
        action.key = pending.key;
        numberAction(action);
        action.sent = true; // on the last run: it may have arrived
        noteLatest(action);
        m_actions.insert(action.ref, action);
    }

    m_clock.start();
    m_reconnectTimer.setSingleShot(true);
    // A coarse timer may fire up to 5 % early; the backoff floor must hold.
    m_reconnectTimer.setTimerType(Qt::PreciseTimer);
    m_handshakeTimer.setSingleShot(true);
    m_actionRetry.setSingleShot(true);
    m_actionRetry.setInterval(1000);
    connect(&m_actionRetry, &QTimer::timeout, this, &ConnectionManager::retryActions);
    m_pongTimer.setSingleShot(true);
    m_pumpTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ConnectionManager::startAttempt);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcNet) << "handshake timed out in state" << m_state;
        connectionLost(m_state == State::Connecting
                           ? tr("The server did not answer in time.")
                           : tr("The server did not confirm the login in time."));
    });
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ConnectionManager::onHeartbeat);
    connect(&m_pongTimer, &QTimer::timeout, this, [this] {
        qCWarning(lcNet) << "no frame within" << m_options.pongTimeoutMs
                         << "ms of a ping: the connection is dead";
        connectionLost(tr("The server stopped answering."));
    });
    connect(&m_pumpTimer, &QTimer::timeout, this, &ConnectionManager::pumpFrames);
    m_cacheTimer.setSingleShot(true);
    m_cacheTimer.setInterval(100);
    connect(&m_cacheTimer, &QTimer::timeout, this, &ConnectionManager::flushCache);

    if (m_tokens) {
        connect(m_tokens, &AccessTokenProvider::accessTokenRefreshed, this,
                &ConnectionManager::onTokenRefreshed);
        connect(m_tokens, &AccessTokenProvider::accessTokenRefreshFailed, this,
                &ConnectionManager::onTokenRefreshFailed);
    }
    connect(m_watcher, &NetworkWatcher::networkBack, this, &ConnectionManager::reconnectNow);
    connect(m_watcher, &NetworkWatcher::machineWoke, this, [this] {
        // After sleep the old socket is most likely dead without knowing it.
        if (m_state == State::Connected)
            onHeartbeat();
        else
            reconnectNow();
    });
}

ConnectionManager::~ConnectionManager()
{
    flushCache();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ConnectionManager::setOptions(const Options &options)
{
    m_options = options;
    m_backoff = Backoff(options.backoff);
    m_limiter = RateLimiter(options.framesPerSecond, options.frameBurst);
    if (options.authMethod == AuthMethod::QueryParameter) {
        qCWarning(lcNet) << "this account sends its access token in the URL (?token=): proxies "
                            "and server logs may record it; use it only for legacy servers";
    }
}

void ConnectionManager::open()
{
    m_wantOpen = true;
    m_retriedAfterRefresh = false;
    if (m_state == State::Disconnected || m_state == State::LoggedOut
        || m_state == State::Reconnecting)
        startAttempt();
}

void ConnectionManager::close()
{
    m_wantOpen = false;
    m_refreshInFlight = false;
    if (m_socket) {
        // Say goodbye properly (1000); the socket deletes itself once closed.
        QWebSocket *socket = m_socket;
        socket->disconnect(this);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        socket->close(QWebSocketProtocol::CloseCodeNormal);
        m_socket = nullptr;
    }
    teardown();
    setState(State::Disconnected);
}

void ConnectionManager::reconnectNow()
{
    if (!m_wantOpen || m_refreshInFlight)
        return;
    if (m_state == State::Reconnecting || m_state == State::Disconnected) {
        qCInfo(lcNet) << "reconnecting now";
        startAttempt();
    }
}

void ConnectionManager::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcNet) << "state" << m_state << "->" << state;
    m_state = state;
    if (state != State::Reconnecting)
        m_nextAttemptAt = {};
    Q_EMIT stateChanged(state);
}

void ConnectionManager::setLastError(const QString &error)
{
    if (m_lastError == error)
        return;
    m_lastError = error;
    Q_EMIT lastErrorChanged();
}

QString ConnectionManager::redacted(QString text) const
{
    // Error strings from the stack may echo the URL; with ?token= that would
    // put the token on screen.
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (!token.isEmpty())
        text.replace(token, QStringLiteral("[redacted]"));
    return text;
}

void ConnectionManager::startAttempt()
{
    m_reconnectTimer.stop();
    teardown();
    if (!m_wantOpen)
        return;
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (token.isEmpty()) {
        onAuthRejected(tr("There is no valid login."));
        return;
    }

    const QNetworkRequest request = HandshakeRequest::build(m_options, token);
    const QString logUrl = HandshakeRequest::webSocketUrl(m_options.serverUrl).toDisplayString();

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    socket->setMaxAllowedIncomingMessageSize(kMaxIncomingMessageBytes);
    m_socket = socket;
    m_peerClosed = false;
    connect(socket, &QWebSocket::connected, this, &ConnectionManager::onSocketConnected);
    connect(socket, &QWebSocket::disconnected, this, &ConnectionManager::onSocketDisconnected);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &ConnectionManager::onSocketError);
    connect(socket, &QWebSocket::sslErrors, this, &ConnectionManager::onSslErrors);
    connect(socket, &QWebSocket::aboutToClose, this, [this] { m_peerClosed = true; });
    connect(socket, &QWebSocket::textMessageReceived, this, &ConnectionManager::onTextFrame);
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this] {
        onFrameArrived();
        qCWarning(lcNet) << "skipping a binary frame: the protocol has none";
    });
    connect(socket, &QWebSocket::pong, this, &ConnectionManager::onFrameArrived);

    qCInfo(lcNet) << "connecting to" << logUrl << "auth" << m_options.authMethod;
    setState(State::Connecting);
    m_handshakeTimer.start(m_options.connectTimeoutMs);
    socket->open(request);
}

void ConnectionManager::onSocketConnected()
{
    setState(State::Authenticating);
    m_handshakeTimer.start(m_options.authTimeoutMs);
    m_resumedThisConnection = false;
    const QString token = m_options.authMethod == AuthMethod::FirstMessage && m_tokens
        ? m_tokens->accessToken()
        : QString();
    // §6 resume_ev: only for channels whose last_ev a v2 server told us; any
    // other channel gets the seq replay only.
    const QHash<QString, qint64> resume = m_sequencer.resumeMap();
    QHash<QString, qint64> resumeEv;
    m_resumedWithoutEv.clear();
    for (auto it = resume.cbegin(); it != resume.cend(); ++it) {
        if (const auto ev = m_lastEv.constFind(it.key()); ev != m_lastEv.cend())
            resumeEv.insert(it.key(), ev.value());
        else if (it.value() > 0)
            m_resumedWithoutEv.insert(it.key());
    }
    // authenticate is not counted by the server's rate limit: send it directly.
    m_socket->sendTextMessage(QString::fromUtf8(Codec::encodeAuthenticate(
        token, m_options.clientName, QLatin1String(kVersion), resume, resumeEv)));
}

void ConnectionManager::onSocketDisconnected()
{
    if (!m_socket)
        return;
    // Without a close frame Qt still reports 1000; a dropped TCP connection is
    // an abnormal closure (1006) and must reconnect.
    const int code = m_peerClosed ? int(m_socket->closeCode())
                                  : int(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    handleClose(code, m_socket->closeReason());
}

QString ConnectionManager::handshakeRefusal(int status) const
{
    switch (status) {
    case 403: {
        // natterd's Origin allow-list (docs/server.md: allow_origin).
        const QByteArray origin = m_options.origin.isEmpty()
            ? HandshakeRequest::defaultOrigin(m_options.serverUrl)
            : m_options.origin;
        //: %1: the origin Natter sent, e.g. https://chat.example.org
        return tr("The server does not accept connections from %1. Its operator can allow "
                  "that origin (allow_origin).")
            .arg(QString::fromUtf8(origin));
    }
    case 429:
        return tr("The server has too many connections from this address right now.");
    case 503:
        return tr("The server is busy or starting up.");
    default:
        //: %1: an HTTP status code, e.g. 404
        return tr("The server refused the connection (HTTP status %1).").arg(status);
    }
}

void ConnectionManager::onSocketError(QAbstractSocket::SocketError error)
{
    if (!m_socket)
        return;
    // The peer closing is reported through disconnected(), with its close code.
    if (error == QAbstractSocket::RemoteHostClosedError)
        return;
    QString text;
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: {
        // Qt reports an HTTP answer other than 101 to the handshake as a refused
        // connection too; only its (untranslated) text has the status.
        static const QRegularExpression status(QStringLiteral("status code: (\\d{3})"));
        const QRegularExpressionMatch m = status.match(m_socket->errorString());
        text = m.hasMatch() ? handshakeRefusal(m.captured(1).toInt())
                            : tr("The server refused the connection. Is it running?");
        break;
    }
    case QAbstractSocket::HostNotFoundError:
        text = tr("The server's address could not be found.");
        break;
    case QAbstractSocket::SslHandshakeFailedError:
        text = tr("A secure connection could not be established: %1")
                   .arg(redacted(m_socket->errorString()));
        break;
    default:
        text = tr("The connection failed: %1").arg(redacted(m_socket->errorString()));
        break;
    }
    qCInfo(lcNet) << "socket error" << error;
    connectionLost(text);
}

void ConnectionManager::onSslErrors(const QList<QSslError> &errors)
{
    // Never ignored: the user sees why, and the attempt ends here.
    QStringList reasons;
    for (const QSslError &e : errors)
        reasons.append(e.errorString());
    qCWarning(lcNet) << "TLS errors:" << reasons;
    connectionLost(
        tr("The server's certificate is not trusted: %1").arg(reasons.join(QStringLiteral("; "))));
}

void ConnectionManager::dropSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void ConnectionManager::teardown()
{
    if (m_connectedFor.isValid())
        m_backoff.connectionEnded(m_connectedFor.elapsed());
    m_connectedFor.invalidate();
    dropSocket();
    m_handshakeTimer.stop();
    m_heartbeatTimer.stop();
    m_pongTimer.stop();
    m_pumpTimer.stop();
    m_frameQueue.clear();
    m_inFlight.clear();
    m_sendRefs.clear();
    m_fillRefs.clear();
    m_lastSendId.clear();
    m_resumedThisConnection = false;
}

void ConnectionManager::connectionLost(const QString &error, int minDelayMs)
{
    teardown();
    setLastError(error);
    if (!m_wantOpen) {
        setState(State::Disconnected);
        return;
    }
    scheduleReconnect(std::max(m_backoff.nextDelayMs(), minDelayMs));
}

void ConnectionManager::scheduleReconnect(int delayMs)
{
    m_reconnectTimer.start(delayMs);
    qCInfo(lcNet) << "next attempt in" << delayMs << "ms";
    m_nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(delayMs);
    if (m_state == State::Reconnecting)
        Q_EMIT stateChanged(m_state); // same state, new time of the next try
    else
        setState(State::Reconnecting);
}

void ConnectionManager::onHeartbeat()
{
    if (!m_socket)
        return;
    m_socket->ping();
    if (!m_pongTimer.isActive())
        m_pongTimer.start(m_options.pongTimeoutMs);
}

void ConnectionManager::onFrameArrived()
{
    // Any frame at all proves the peer alive, not only the pong.
    m_pongTimer.stop();
}

} // namespace Natter
