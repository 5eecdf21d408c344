// The client's one WebSocket connection to a Natter server, kept alive.
//
// Opens /ws, authenticates (by default with the `authenticate` first frame),
// keeps the connection with heartbeats, reconnects with backoff when it drops,
// resumes where it left off and hands every server event on as a typed signal.
// Sends go through an outbox (LocalStore) first, so nothing the user wrote is
// lost to a dropped connection or a restart. Owned by the composition root of
// each program (desktop, natter-cli, benchmarks); models listen to its signals
// and never see JSON or a socket.
#pragma once

#include "net/Backoff.h"
#include "net/MessageSequencer.h"
#include "net/RateLimiter.h"
#include "protocol/Codec.h"
#include "protocol/Types.h"

#include <QAbstractSocket>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslError>
#include <QTimer>
#include <QUrl>

#include <memory>

class QWebSocket;

namespace Natter {

class AccessTokenProvider;
class LocalStore;
class NetworkWatcher;

class ConnectionManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QDateTime nextAttemptAt READ nextAttemptAt NOTIFY stateChanged)

public:
    enum class State {
        Disconnected, // not open, or closed by the user or a normal server close (1000)
        Connecting, // TCP/TLS/WebSocket handshake under way
        Authenticating, // socket open, waiting for `connected`
        Connected, // authenticated; events flow
        Reconnecting, // waiting until nextAttemptAt() (or a token refresh) to try again
        LoggedOut, // the token could not be refreshed: back to login
    };
    Q_ENUM(State)

    // How the access token reaches the server. FirstMessage is the contract;
    // the others are for other backends that authenticate in the handshake. With
    // them the `authenticate` frame is still sent (for `client` and `resume`) but
    // carries no token.
    enum class AuthMethod {
        FirstMessage, // {"type":"authenticate","token":...} (default)
        BearerHeader, // Authorization: Bearer <token>
        Cookie, // Cookie: <cookieName>=<token>
        QueryParameter // /ws?token=<token>: legacy only, warned about; never the default
    };
    Q_ENUM(AuthMethod)

    struct Options
    {
        QUrl serverUrl; // http(s)://host:port — the ws(s) URL is <scheme>://host:port/ws
        QByteArray origin; // empty → the server's own origin (scheme://host:port of serverUrl)
        AuthMethod authMethod = AuthMethod::FirstMessage;
        QString clientName = QStringLiteral("natter-desktop");
        QByteArray cookieName = QByteArrayLiteral("natter_access_token");

        // Timings. The defaults are the contract's; tests shorten them.
        int connectTimeoutMs = 15000; // handshake must finish within this
        int authTimeoutMs = 10000; // `connected` must follow the socket opening
        int pongTimeoutMs = 10000; // dead when nothing arrives this long after a ping
        int heartbeatIntervalMs = 0; // 0: use `heartbeat_interval` from `connected`
        Backoff::Policy backoff;
        // Outgoing pace, below the server's 20/s with bursts of 40.
        double framesPerSecond = 15.0;
        int frameBurst = 30;
        // The server answers every history page with up to 200 messages.
        int gapFillPageSize = 200;
    };

    // `tokens` must outlive the manager. `store` may be nullptr: then the outbox
    // and the resume state live in memory only.
    ConnectionManager(AccessTokenProvider *tokens, LocalStore *store, QObject *parent = nullptr);
    ~ConnectionManager() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    void open(); // connect now and keep reconnecting until close() or logged out
    void close(); // close 1000, stay Disconnected, no reconnect
    void reconnectNow(); // skip the backoff wait (user asked, network back, machine woke)

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; } // plain words, translated
    QDateTime nextAttemptAt() const { return m_nextAttemptAt; }
    // True when the account uses ?token= (the UI warns about it).
    bool usesInsecureAuth() const { return m_options.authMethod == AuthMethod::QueryParameter; }
    // The last `connected` snapshot (empty before the first one).
    const ConnectedEvent &session() const { return m_session; }
    // The sign-in this connection uses (for HTTP requests of the same account).
    AccessTokenProvider *tokenProvider() const { return m_tokens; }

    // Outbox-backed: persisted first, sent when connected (in order), matched to
    // the ack by client_msg_id. Returns the client_msg_id. `replyTo` (§7): the id
    // of the message this one answers (empty: none). `attachments` (§9): ids of
    // files uploaded to `channel` (FileUploader), kept in the outbox with the
    // message, so it goes out once even after a reconnect or a restart; `text`
    // may then be empty.
    QString sendMessage(const QString &channel, const QString &text, const QString &replyTo = {},
                        const QStringList &attachments = {});
    void retryMessage(const QString &clientMsgId);
    void discardMessage(const QString &clientMsgId);
    QList<OutgoingMessage> outbox(const QString &channel = {}) const;

    void sendTyping(const QString &channel, TypingState state); // dropped when not connected
    void setPresence(PresenceStatus status); // re-sent after reconnects
    void markRead(const QString &channel, qint64 seq); // sent once connected
    // The reply comes as historyReceived with this ref (sent once connected).
    QString requestHistory(const QString &channel, qint64 beforeSeq = 0, int limit = 50);
    // The reply comes as channelReceived with this ref (sent once connected).
    QString openDirect(const QString &userId);
    // §8 notify: our notification level for `channel`, kept by the server for all
    // our devices. The answer comes as channelReceived with this ref (sent once connected).
    QString setNotifyLevel(const QString &channel, NotifyLevel level);
    qint64 lastSeq(const QString &channel) const;
    // §6: the channel's last_ev as this client may claim it (sent as `resume_ev`);
    // -1 when unknown (a channel never seen by a v2 server: seq replay only).
    qint64 lastEv(const QString &channel) const { return m_lastEv.value(channel, -1); }

    // §7 edit/delete. `messageId` empty: the message is still in the outbox under
    // `clientMsgId`; the edit or delete goes out after its ack (§13), and a delete
    // of a message not sent yet just removes it from the outbox. Returns the ref
    // the answer (messageUpdated or actionRefused) carries; empty when nothing
    // is sent at all (the unsent message was simply dropped, or nothing to act on).
    QString editMessage(const QString &channel, const QString &messageId,
                        const QString &clientMsgId, const QString &text);
    QString deleteMessage(const QString &channel, const QString &messageId,
                          const QString &clientMsgId);
    // §7 react: add (`on`) or remove our `emoji` on message `messageId`. Idempotent
    // on the server, so it is simply sent again after a dropped connection.
    // Returns the ref of the answer (messageUpdated or actionRefused).
    QString react(const QString &channel, const QString &messageId, const QString &emoji, bool on);

    // §8 channel actions (ConnectionManagerChannels.cpp). Each returns the frame's
    // ref; the answer is channelReceived (channelRemoved for leave) with that ref,
    // or errorReceived with it. Sent once connected, like openDirect().
    QString createChannel(const QString &name, bool isPrivate, const QString &topic = {},
                          const QStringList &members = {});
    QString joinChannel(const QString &channel);
    QString leaveChannel(const QString &channel);
    QString inviteToChannel(const QString &channel, const QStringList &userIds);
    QString updateChannel(const QString &channel, const std::optional<QString> &name,
                          const std::optional<QString> &topic);
    QString archiveChannel(const QString &channel, bool archived);

Q_SIGNALS:
    void stateChanged(Natter::ConnectionManager::State state);
    void lastErrorChanged();
    void connected(const Natter::ConnectedEvent &event); // after every successful authenticate
    void resumed(); // replay finished
    // Every message of a channel — live, replayed, gap-filled or the user's own
    // from its ack — in seq order per channel, never twice for one id.
    void messageReceived(const Natter::Message &message);
    void messageAcked(const Natter::AckEvent &ack); // the outbox entry is gone
    // §6 `message_updated` with a newer state of a message (the raw event: `ref`
    // is set on the answer to our own edit/delete). Consumers apply it by `rev`.
    void messageUpdated(const Natter::MessageUpdatedEvent &event);
    // §6 `resync`: the channel's cached copy was dropped; load it afresh.
    void resyncRequired(const Natter::ResyncEvent &event);
    // An edit, delete or react was refused by the server (`error` with its ref).
    // Never for `rate_limited` (the server's limit, or its storage unable to
    // take it now): the change is kept and sent again a second later, unless a
    // newer one about the same message (and emoji) has been made since.
    // `unsavedText`: a refused edit's text, which nothing else keeps; else empty.
    void actionRefused(const QString &channel, const Natter::ErrorEvent &error,
                       const QString &unsavedText);
    // Changes are waiting to be sent again (`rate_limited`); said once until
    // none is waiting any more.
    void actionsDelayed();
    void messageFailed(const QString &clientMsgId, const QString &reason);
    void outboxChanged(const QString &channel);
    void typingReceived(const Natter::TypingEvent &event);
    void presenceReceived(const Natter::PresenceEvent &event);
    void readReceived(const Natter::ReadEvent &event);
    void channelReceived(const Natter::ChannelEvent &event);
    void historyReceived(const Natter::HistoryEvent &event); // replies to requestHistory()
    // §8: we are no longer in a channel (we left it, on any of our connections, or
    // were removed); it is gone from the cached list.
    void channelRemoved(const Natter::ChannelRemovedEvent &event);
    void errorReceived(const Natter::ErrorEvent &event);
    // Messages between the two seqs (exclusive) were missed; they are being
    // fetched with `history` and arrive through messageReceived.
    void gapDetected(const QString &channel, qint64 afterSeq, qint64 beforeSeq);
    void loggedOut(const QString &reason); // refresh failed permanently: back to login

private:
    // connection lifecycle (ConnectionManager.cpp)
    void setState(State state);
    void setLastError(const QString &error);
    void startAttempt();
    void scheduleReconnect(int delayMs);
    void connectionLost(const QString &error, int minDelayMs = 0);
    void teardown();
    void dropSocket();
    void onSocketConnected();
    void onSocketDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onHeartbeat();
    void onFrameArrived();
    QString redacted(QString text) const;
    // Plain translated words for natterd's reason of refusing a connection
    // (an `auth_failed` reason or a 1008 close reason, both English).
    static QString refusal(const QString &reason);
    // Plain translated words for an HTTP answer other than 101 to the handshake.
    QString handshakeRefusal(int status) const;
    // close codes and the login (ConnectionManagerClose.cpp)
    void handleClose(int code, const QString &reason);
    void onAuthRejected(const QString &why);
    void onTokenRefreshed();
    void onTokenRefreshFailed(const QString &reason, bool permanent);
    void logOut(const QString &reason);
    // frames (ConnectionManagerFrames.cpp)
    void onTextFrame(const QString &frame);
    void handleConnected(const ConnectedEvent &event);
    void handleResumed();
    void handleAck(const AckEvent &ack);
    void cacheChannel(const Channel &channel);
    void handleChannelRemoved(const ChannelRemovedEvent &event);
    void sendWhenLive(const QByteArray &frame);
    void handleError(const ErrorEvent &event);
    void handleHistory(const HistoryEvent &event);
    void handleUpdated(const MessageUpdatedEvent &event);
    void handleResync(const ResyncEvent &event);
    void noteLiveEv(const Message &message);
    void deliver(const MessageSequencer::Result &result);
    void requestFill(const MessageSequencer::Gap &gap);
    void flushCache();
    void storeUpdate(const Message &message); // to the store and the waiting batch
    std::optional<Message> heldCopy(const QString &id) const; // before storeUpdate()
    // outgoing (ConnectionManagerOutgoing.cpp)
    void queueFrame(const QByteArray &frame, const QString &clientMsgId = {});
    void pumpFrames();
    void flushOutbox();
    void sendOutgoing(const OutgoingMessage &message);
    void failOutgoing(const QString &clientMsgId, const QString &reason);
    void removeOutgoing(const QString &clientMsgId);
    struct Action;
    QString sendAction(Action action);
    static QByteArray encodeAction(const Action &action);
    void resendActions();
    void retryActions(); // the ones answered rate_limited
    // The action with `ref` is answered (or dropped): forgotten.
    Action takeAction(const QString &ref);
    // Gives a new action its ref and its place in the order.
    void numberAction(Action &action);
    // Records `action` as the newest about its target, unless a newer one is.
    void noteLatest(const Action &action);
    // Whether no newer change about the same thing has been made since `action`.
    bool isLatest(const Action &action) const;
    void releaseHeldActions(const QString &clientMsgId, const QString &messageId);
    QString nextRef();

    AccessTokenProvider *m_tokens;
    LocalStore *m_store;
    std::unique_ptr<LocalStore> m_memoryStore; // when no store was given
    Options m_options;
    NetworkWatcher *m_watcher;

    QPointer<QWebSocket> m_socket;
    State m_state = State::Disconnected;
    QString m_lastError;
    QDateTime m_nextAttemptAt;
    bool m_wantOpen = false;
    bool m_refreshInFlight = false;
    bool m_retriedAfterRefresh = false; // one refresh per failure, then LoggedOut
    bool m_resumedThisConnection = false;
    bool m_peerClosed = false; // a close frame arrived: closeCode() is the peer's

    Backoff m_backoff;
    RateLimiter m_limiter;
    MessageSequencer m_sequencer;
    ConnectedEvent m_session;

    QTimer m_reconnectTimer;
    QTimer m_handshakeTimer; // connect and auth timeouts
    QTimer m_heartbeatTimer;
    QTimer m_pongTimer;
    QTimer m_pumpTimer;
    QTimer m_cacheTimer; // batches history-cache writes
    QTimer m_actionRetry; // sends the actions answered rate_limited again
    QElapsedTimer m_connectedFor;
    QElapsedTimer m_clock;

    struct QueuedFrame
    {
        QByteArray frame;
        QString clientMsgId; // set for `send` frames
    };
    QList<QueuedFrame> m_frameQueue; // paced by m_limiter
    QList<QByteArray> m_deferred; // requests made while not connected
    QHash<QString, QString> m_sendRefs; // ref -> client_msg_id of sends in flight
    QSet<QString> m_inFlight; // client_msg_ids sent on this connection
    QString m_lastSendId; // for 1009: the send the server refused
    QHash<QString, QString> m_fillRefs; // ref -> channel of gap-fill history requests
    QHash<QString, qint64> m_pendingReads; // channel -> seq, sent once connected
    QList<Message> m_uncached; // delivered, not yet in the store
    QHash<QString, qint64> m_unsavedSeqs; // channel -> last seq not yet in the store
    PresenceStatus m_presence = PresenceStatus::Online;

    // §6 last_ev per channel: loaded from the store, replaced by the snapshot's
    // values when `resumed` arrives, then raised by live frames only.
    QHash<QString, qint64> m_lastEv;
    QHash<QString, qint64> m_snapshotEv; // from `connected`, applied at `resumed`
    // Channels resumed by seq only because we never learnt their last_ev (a cache
    // filled by a v1 server): reloaded once a v2 server says `resumed`.
    QSet<QString> m_resumedWithoutEv;
    QHash<QString, qint64> m_unsavedEvs; // channel -> last_ev not yet in the store
    // An edit or delete: sent now, or held until the outbox message it is about
    // has been acked (then `messageId` is filled in).
    struct Action
    {
        bool remove = false; // delete (else edit, or react when `react`)
        bool react = false; // §7 react: `text` is the emoji, `on` says add or remove
        bool on = true;
        QString channel;
        QString messageId;
        QString clientMsgId;
        QString text;
        QString ref;
        bool sent = false; // has gone out on some connection
        bool resent = false; // sent again after a dropped connection
        bool delayed = false; // answered rate_limited: waits for m_actionRetry
        QString key; // its row in the LocalStore's pending actions (set once sent)
        quint64 order = 0; // when it was made: a later one about the same thing wins
        // What it changes: a message (edit, delete) or one emoji on it (react).
        QString target() const;
    };
    QHash<QString, Action> m_actions; // ref -> action sent, not answered yet
    QHash<QString, quint64> m_latestActions; // target -> order of the newest unanswered
    bool m_delayTold = false; // actionsDelayed() said, and some action still waits
    QHash<QString, QList<Action>> m_heldActions; // client_msg_id -> actions after its ack
    quint64 m_refCounter = 0;
};

} // namespace Natter
