// A small Natter server inside the test, scriptable to misbehave.
//
// It speaks enough of docs/protocol.md to be a real peer for ConnectionManager
// (authenticate in any of the four ways, connected, resume replay, send/ack,
// history, idempotent sends) and can be told to do what a broken or hostile
// server does: never answer authenticate, refuse tokens, close with any code,
// drop TCP, send garbage, replay duplicates, replay too little (a gap).
#pragma once

#include "protocol/Types.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>
#include <QWebSocketServer>

class QWebSocket;

class ScriptedPeer : public QObject
{
    Q_OBJECT
public:
    enum class Demand { FirstMessage, BearerHeader, Cookie, QueryParameter };

    explicit ScriptedPeer(QObject *parent = nullptr);
    ~ScriptedPeer() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    QUrl httpUrl() const;

    // --- script ---
    Demand demand = Demand::FirstMessage;
    QSet<QString> validTokens{QStringLiteral("good")};
    bool answerAuthenticate = true;
    int heartbeatSecs = 20;
    int replayLimit = 500; // newest N per channel replayed after resume
    int replayExtraOld = 0; // misbehave: also replay this many already-seen messages
    bool ackSends = true; // false: store sends but never ack (then drop, say)
    int closeAfterSendsWith = 0; // non-zero: close with this code on the next send
    QSet<QString> refusedTexts; // answered with error too_large
    QString userId = QStringLiteral("u1");
    // Protocol v2 (§6/§7): messages carry rev/ev, `connected` says protocol 2 and
    // last_ev, edit/delete are answered with message_updated, resume_ev replays
    // changes, and more than `resyncLimit` changes in a channel become `resync`.
    bool v2 = false;
    int resyncLimit = 1000;
    bool selfIsAdmin = false;
    bool answerHistory = true; // false: history requests are recorded, never answered
    // v2: the next this many edit, delete and react frames are answered
    // rate_limited (the server's limit reached, or its storage unable to take them).
    int busyChanges = 0;
    // §7: a connection authenticating with one of these tokens is that user (any
    // other valid token: `userId`). Their usernames, for `@name` mentions, are in
    // `usernames` (user id -> username; members of every channel).
    QHash<QString, QString> tokenUsers;
    QHash<QString, QString> usernames{{QStringLiteral("u1"), QStringLiteral("alice")},
                                      {QStringLiteral("u2"), QStringLiteral("bob")}};
    QHash<QString, qint64> mentionCounts; // channel -> `mention_count` in `connected`

    // --- the peer's own data ---
    // Adds a message by `author` to `channel`; `fanOut` sends it to every
    // authenticated connection as a live `message`.
    Natter::Message addMessage(const QString &channel, const QString &author, const QString &text,
                               bool fanOut = true);
    QList<Natter::Message> messages(const QString &channel) const { return m_log.value(channel); }
    // v2: changes a message as its author would (edit, or delete when `text` is
    // null); `fanOut` sends message_updated to every authenticated connection.
    Natter::Message changeMessage(const QString &channel, const QString &id, const QString &text,
                                  bool remove = false, bool fanOut = true);
    // v2 §7: `user` adds (`on`) or removes `emoji` on message `id`; a change fans
    // out as message_updated (change reaction). Returns the message as it is now.
    Natter::Message reactAs(const QString &user, const QString &channel, const QString &id,
                            const QString &emoji, bool on, bool fanOut = true);
    // §7: the mentions the peer computes for `text` by `author` (`@username`).
    QStringList mentionsIn(const QString &text, const QString &author) const;
    qint64 lastEv(const QString &channel) const { return m_lastEv.value(channel); }

    // --- control ---
    void sendToAll(const QByteArray &frame);
    void sendBinaryToAll(const QByteArray &frame);
    void closeAll(int code, const QString &reason = {});
    void abortAll();
    int openConnections() const;

    // --- observations ---
    QList<QNetworkRequest> handshakes;
    QList<QJsonObject> authenticates;
    QList<QJsonObject> frames; // every frame after authentication
    int connections = 0;
    int authenticated = 0;

Q_SIGNALS:
    void frameReceived(const QJsonObject &frame);
    void clientAuthenticated();

private:
    void onNewConnection();
    void onText(QWebSocket *socket, const QString &text);
    bool handshakeCarriesToken(const QNetworkRequest &request) const;
    void welcome(QWebSocket *socket, const QJsonObject &authenticate);
    void handleSend(QWebSocket *socket, const QJsonObject &frame);
    void handleHistory(QWebSocket *socket, const QJsonObject &frame);
    void handleChange(QWebSocket *socket, const QJsonObject &frame, bool remove);
    void handleReact(QWebSocket *socket, const QJsonObject &frame);
    void refreshReplies(const QString &channel, const Natter::Message &target);
    Natter::Message *find(const QString &channel, const QString &id);
    QString userOf(QWebSocket *socket) const { return m_socketUsers.value(socket, userId); }
    void replayChanges(QWebSocket *socket, const QString &channel, qint64 resumeSeq,
                       qint64 resumeEv);

    QWebSocketServer m_server;
    QList<QPointer<QWebSocket>> m_sockets;
    QSet<QWebSocket *> m_authed;
    QHash<QString, QList<Natter::Message>> m_log; // channel -> messages by seq
    QHash<QString, Natter::Message> m_byClientId; // idempotent sends
    int m_nextId = 0;
    QHash<QString, qint64> m_lastEv; // channel -> last ev (v2)
    QHash<QWebSocket *, QString> m_socketUsers; // from tokenUsers
};
