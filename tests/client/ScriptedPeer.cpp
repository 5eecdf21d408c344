#include "ScriptedPeer.h"

#include "protocol/Codec.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>
#include <algorithm>

using namespace Natter;
using namespace Qt::StringLiterals;

ScriptedPeer::ScriptedPeer(QObject *parent)
    : QObject(parent)
    , m_server(u"scripted-peer"_s, QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &ScriptedPeer::onNewConnection);
    m_log.insert(u"c1"_s, {});
}

ScriptedPeer::~ScriptedPeer()
{
    abortAll();
}

bool ScriptedPeer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedPeer::httpUrl() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port()));
}

Message ScriptedPeer::addMessage(const QString &channel, const QString &author, const QString &text,
                                 bool fanOut)
{
    auto &log = m_log[channel];
    Message m{u"m%1"_s.arg(++m_nextId),        channel, qint64(log.size() + 1), author, text,
              QDateTime::currentDateTimeUtc(), {}};
    if (v2) {
        m.rev = 1;
        m.ev = ++m_lastEv[channel];
        m.mentions = mentionsIn(text, author);
    }
    log.append(m);
    if (fanOut) {
        for (QWebSocket *s : std::as_const(m_authed))
            s->sendTextMessage(QString::fromUtf8(Codec::encodeMessageFrame(m)));
    }
    return m;
}

Message ScriptedPeer::changeMessage(const QString &channel, const QString &id, const QString &text,
                                    bool remove, bool fanOut)
{
    auto &log = m_log[channel];
    for (Message &m : log) {
        if (m.id != id)
            continue;
        if (remove) {
            m.text.clear();
            m.deleted = true;
            m.mentions.clear();
            m.reactions.clear();
            m.replyTo.reset();
        } else {
            m.text = text;
            m.editedAt = QDateTime::currentDateTimeUtc();
            if (v2)
                m.mentions = mentionsIn(text, m.author);
        }
        ++m.rev;
        m.ev = ++m_lastEv[channel];
        const Message changed = m;
        refreshReplies(channel, changed);
        if (fanOut) {
            sendToAll(Codec::encodeMessageUpdatedFrame(MessageUpdatedEvent{
                {}, remove ? MessageChange::Delete : MessageChange::Edit, changed}));
        }
        return changed;
    }
    return {};
}

Message *ScriptedPeer::find(const QString &channel, const QString &id)
{
    auto &log = m_log[channel];
    const auto it =
        std::find_if(log.begin(), log.end(), [&](const Message &m) { return m.id == id; });
    return it == log.end() ? nullptr : &*it;
}

void ScriptedPeer::refreshReplies(const QString &channel, const Message &target)
{
    // §7: R's excerpt is the target's text as it is whenever the reply is
    // serialized (no change of the reply's own rev).
    for (Message &m : m_log[channel]) {
        if (m.replyTo && m.replyTo->id == target.id) {
            m.replyTo->excerpt = target.deleted ? QString() : target.text.left(200);
            m.replyTo->deleted = target.deleted;
        }
    }
}

QStringList ScriptedPeer::mentionsIn(const QString &text, const QString &author) const
{
    // Enough of §13's syntax for the tests: `@name` after a non-name character.
    QStringList ids;
    const QString lower = text.toLower();
    for (auto it = usernames.cbegin(); it != usernames.cend(); ++it) {
        const QString needle = u"@"_s + it.value();
        for (qsizetype at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
            const qsizetype end = at + needle.size();
            const bool startOk = at == 0 || !lower.at(at - 1).isLetterOrNumber();
            const bool endOk = end >= lower.size() || !lower.at(end).isLetterOrNumber();
            if (startOk && endOk && it.key() != author && !ids.contains(it.key())) {
                ids.append(it.key());
                break;
            }
        }
    }
    return ids;
}

Message ScriptedPeer::reactAs(const QString &user, const QString &channel, const QString &id,
                              const QString &emoji, bool on, bool fanOut)
{
    Message *m = find(channel, id);
    if (!m)
        return {};
    auto x = std::find_if(m->reactions.begin(), m->reactions.end(),
                          [&](const Reaction &r) { return r.emoji == emoji; });
    const bool has = x != m->reactions.end() && x->users.contains(user);
    if (has == on)
        return *m; // §13: no change
    if (on) {
        if (x == m->reactions.end()) {
            m->reactions.append(Reaction{emoji, 0, {}});
            x = m->reactions.end() - 1;
        }
        x->users.append(user);
        x->count = int(x->users.size());
    } else {
        x->users.removeAll(user);
        x->count = int(x->users.size());
        if (x->users.isEmpty())
            m->reactions.erase(x);
    }
    ++m->rev;
    m->ev = ++m_lastEv[channel];
    if (fanOut)
        sendToAll(
            Codec::encodeMessageUpdatedFrame(MessageUpdatedEvent{{}, MessageChange::Reaction, *m}));
    return *m;
}

void ScriptedPeer::handleReact(QWebSocket *socket, const QJsonObject &frame)
{
    const QString ref = frame.value(u"ref").toString();
    const QString channel = frame.value(u"channel").toString();
    const QString id = frame.value(u"id").toString();
    const QString emoji = frame.value(u"emoji").toString();
    const bool on = frame.value(u"on").toBool();
    const Message *m = find(channel, id);
    const auto error = [&](const QString &code) {
        socket->sendTextMessage(
            u"{\"type\":\"error\",\"ref\":\"%1\",\"code\":\"%2\",\"message\":\"no\"}"_s.arg(ref,
                                                                                            code));
    };
    if (!m || m->deleted)
        return error(u"not_found"_s);
    const bool exists = std::any_of(m->reactions.cbegin(), m->reactions.cend(),
                                    [&](const Reaction &r) { return r.emoji == emoji; });
    if (on && !exists && m->reactions.size() >= 50)
        return error(u"too_many_reactions"_s);
    const qint64 rev = m->rev;
    const Message now = reactAs(userOf(socket), channel, id, emoji, on, false);
    if (now.rev == rev) {
        socket->sendTextMessage(QString::fromUtf8(Codec::encodeMessageUpdatedFrame(
            MessageUpdatedEvent{ref, MessageChange::Reaction, now})));
        return;
    }
    for (QWebSocket *s : std::as_const(m_authed)) {
        s->sendTextMessage(QString::fromUtf8(Codec::encodeMessageUpdatedFrame(
            MessageUpdatedEvent{s == socket ? ref : QString(), MessageChange::Reaction, now})));
    }
}

void ScriptedPeer::handleChange(QWebSocket *socket, const QJsonObject &frame, bool remove)
{
    const QString ref = frame.value(u"ref").toString();
    const QString channel = frame.value(u"channel").toString();
    const QString id = frame.value(u"id").toString();
    const auto error = [&](const QString &code) {
        socket->sendTextMessage(
            u"{\"type\":\"error\",\"ref\":\"%1\",\"code\":\"%2\",\"message\":\"no\"}"_s.arg(ref,
                                                                                            code));
    };
    const auto log = m_log.value(channel);
    const auto it =
        std::find_if(log.cbegin(), log.cend(), [&](const Message &m) { return m.id == id; });
    if (it == log.cend() || it->deleted)
        return error(u"not_found"_s);
    if (it->author != userOf(socket) && !(remove && selfIsAdmin))
        return error(u"forbidden"_s);
    const MessageChange change = remove ? MessageChange::Delete : MessageChange::Edit;
    if (!remove && it->text == frame.value(u"text").toString()) {
        // §13 no-change answer: only the sender, with its ref and the same rev.
        socket->sendTextMessage(QString::fromUtf8(
            Codec::encodeMessageUpdatedFrame(MessageUpdatedEvent{ref, change, *it})));
        return;
    }
    const Message m = changeMessage(channel, id, frame.value(u"text").toString(), remove, false);
    for (QWebSocket *s : std::as_const(m_authed)) {
        s->sendTextMessage(QString::fromUtf8(Codec::encodeMessageUpdatedFrame(
            MessageUpdatedEvent{s == socket ? ref : QString(), change, m})));
    }
}

void ScriptedPeer::replayChanges(QWebSocket *socket, const QString &channel, qint64 resumeSeq,
                                 qint64 resumeEv)
{
    QList<Message> changed;
    for (const Message &m : m_log.value(channel)) {
        if (m.seq <= resumeSeq && m.ev > resumeEv)
            changed.append(m);
    }
    std::sort(changed.begin(), changed.end(),
              [](const Message &a, const Message &b) { return a.ev < b.ev; });
    for (const Message &m : std::as_const(changed)) {
        socket->sendTextMessage(QString::fromUtf8(Codec::encodeMessageUpdatedFrame(
            MessageUpdatedEvent{{}, m.deleted ? MessageChange::Delete : MessageChange::Edit, m})));
    }
}

void ScriptedPeer::sendToAll(const QByteArray &frame)
{
    for (QWebSocket *s : std::as_const(m_authed))
        s->sendTextMessage(QString::fromUtf8(frame));
}

void ScriptedPeer::sendBinaryToAll(const QByteArray &frame)
{
    for (QWebSocket *s : std::as_const(m_authed))
        s->sendBinaryMessage(frame);
}

void ScriptedPeer::closeAll(int code, const QString &reason)
{
    for (const auto &s : std::as_const(m_sockets)) {
        if (s)
            s->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    m_authed.clear();
}

void ScriptedPeer::abortAll()
{
    for (const auto &s : std::as_const(m_sockets)) {
        if (s) {
            s->flush(); // what was sent before the drop still arrives
            s->abort();
        }
    }
    m_authed.clear();
}

int ScriptedPeer::openConnections() const
{
    int open = 0;
    for (const auto &s : m_sockets)
        open += s && s->state() == QAbstractSocket::ConnectedState;
    return open;
}

bool ScriptedPeer::handshakeCarriesToken(const QNetworkRequest &request) const
{
    for (const QString &token : validTokens) {
        switch (demand) {
        case Demand::BearerHeader:
            if (request.rawHeader("Authorization") == "Bearer " + token.toUtf8())
                return true;
            break;
        case Demand::Cookie:
            if (request.rawHeader("Cookie").contains("natter_access_token=" + token.toUtf8()))
                return true;
            break;
        case Demand::QueryParameter:
            if (QUrlQuery(request.url()).queryItemValue(u"token"_s) == token)
                return true;
            break;
        case Demand::FirstMessage:
            return true;
        }
    }
    return false;
}

void ScriptedPeer::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        ++connections;
        m_sockets.append(socket);
        handshakes.append(socket->request());
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_authed.remove(socket);
            m_socketUsers.remove(socket);
            socket->deleteLater();
        });
        if (!handshakeCarriesToken(socket->request()))
            socket->close(QWebSocketProtocol::CloseCode(4401), u"token required"_s);
    }
}

void ScriptedPeer::onText(QWebSocket *socket, const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    if (!m_authed.contains(socket)) {
        authenticates.append(frame);
        if (!answerAuthenticate)
            return;
        if (frame.value(u"type").toString() != u"authenticate") {
            socket->sendTextMessage(
                u"{\"type\":\"auth_failed\",\"reason\":\"authentication_required\"}"_s);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          u"authentication required"_s);
            return;
        }
        const bool handshakeAuth = demand != Demand::FirstMessage;
        const QString token = frame.value(u"token").toString();
        if (!handshakeAuth && !validTokens.contains(token)) {
            socket->sendTextMessage(u"{\"type\":\"auth_failed\",\"reason\":\"invalid_token\"}"_s);
            socket->close(QWebSocketProtocol::CloseCode(4401), u"invalid token"_s);
            return;
        }
        welcome(socket, frame);
        return;
    }
    frames.append(frame);
    Q_EMIT frameReceived(frame);
    const QString type = frame.value(u"type").toString();
    if (type == u"send")
        handleSend(socket, frame);
    else if (type == u"history" && answerHistory)
        handleHistory(socket, frame);
    else if (v2 && (type == u"edit" || type == u"delete" || type == u"react") && busyChanges > 0) {
        --busyChanges;
        socket->sendTextMessage(
            u"{\"type\":\"error\",\"ref\":\"%1\",\"code\":\"rate_limited\",\"message\":\"busy\"}"_s
                .arg(frame.value(u"ref").toString()));
    } else if (v2 && (type == u"edit" || type == u"delete"))
        handleChange(socket, frame, type == u"delete");
    else if (v2 && type == u"react")
        handleReact(socket, frame);
    else if (type == u"ping")
        socket->sendTextMessage(
            u"{\"type\":\"pong\",\"ref\":\"%1\"}"_s.arg(frame.value(u"ref").toString()));
}

void ScriptedPeer::welcome(QWebSocket *socket, const QJsonObject &authenticate)
{
    const QString token = authenticate.value(u"token").toString();
    if (tokenUsers.contains(token))
        m_socketUsers.insert(socket, tokenUsers.value(token));
    const QString self = userOf(socket);
    const QString selfName = usernames.value(self, u"alice"_s);
    ConnectedEvent connected;
    connected.self = User{
        self, selfName, selfName.left(1).toUpper() + selfName.mid(1), PresenceStatus::Online, {}};
    connected.self.admin = selfIsAdmin;
    connected.protocol = v2 ? 2 : 1;
    connected.connectionId = u"k%1"_s.arg(connections);
    connected.heartbeatIntervalSecs = heartbeatSecs;
    connected.serverTime = QDateTime::currentDateTimeUtc();
    for (auto it = m_log.cbegin(); it != m_log.cend(); ++it) {
        connected.channels.append(Channel{
            it.key(), it.key(), ChannelKind::Channel, {userId, u"u2"_s}, it.value().size(), 0});
        connected.channels.last().lastEv = m_lastEv.value(it.key());
        connected.channels.last().mentionCount = mentionCounts.value(it.key());
    }
    socket->sendTextMessage(QString::fromUtf8(Codec::encodeConnectedFrame(connected)));
    const QJsonObject resume = authenticate.value(u"resume").toObject();
    const QJsonObject resumeEv = authenticate.value(u"resume_ev").toObject();
    for (auto it = resume.begin(); it != resume.end(); ++it) {
        const auto log = m_log.value(it.key());
        if (v2 && resumeEv.contains(it.key())) {
            const qint64 seq = it.value().toInteger();
            const qint64 ev = resumeEv.value(it.key()).toInteger();
            const auto changes = std::count_if(log.cbegin(), log.cend(), [&](const Message &m) {
                return m.seq <= seq && m.ev > ev;
            });
            if (changes > resyncLimit) {
                // §6: instead of this channel's replay and updates.
                socket->sendTextMessage(QString::fromUtf8(
                    Codec::encodeResyncFrame(ResyncEvent{it.key(), u"too_many_changes"_s})));
                continue;
            }
        }
        qint64 from = std::max<qint64>(it.value().toInteger(), log.size() - replayLimit);
        from = std::max<qint64>(0, from - replayExtraOld);
        for (qint64 i = from; i < log.size(); ++i)
            socket->sendTextMessage(QString::fromUtf8(Codec::encodeMessageFrame(log.at(i))));
        if (v2 && resumeEv.contains(it.key()))
            replayChanges(socket, it.key(), it.value().toInteger(),
                          resumeEv.value(it.key()).toInteger());
    }
    socket->sendTextMessage(u"{\"type\":\"resumed\"}"_s);
    m_authed.insert(socket);
    ++authenticated;
    Q_EMIT clientAuthenticated();
}

void ScriptedPeer::handleSend(QWebSocket *socket, const QJsonObject &frame)
{
    if (closeAfterSendsWith) {
        socket->close(QWebSocketProtocol::CloseCode(closeAfterSendsWith), u"scripted"_s);
        closeAfterSendsWith = 0;
        return;
    }
    const QString ref = frame.value(u"ref").toString();
    const QString text = frame.value(u"text").toString();
    const QString clientMsgId = frame.value(u"client_msg_id").toString();
    if (refusedTexts.contains(text)) {
        socket->sendTextMessage(
            u"{\"type\":\"error\",\"ref\":\"%1\",\"code\":\"too_large\",\"message\":\"no\"}"_s.arg(
                ref));
        return;
    }
    Message m = m_byClientId.value(clientMsgId);
    if (m.id.isEmpty()) {
        const QString channel = frame.value(u"channel").toString();
        std::optional<ReplyRef> reply;
        if (v2 && frame.contains(u"reply_to")) {
            // §7: the target must be in this channel and not deleted.
            const Message *target = find(channel, frame.value(u"reply_to").toString());
            if (!target || target->deleted) {
                socket->sendTextMessage(
                    u"{\"type\":\"error\",\"ref\":\"%1\",\"code\":\"not_found\",\"message\":\"no\"}"_s
                        .arg(ref));
                return;
            }
            reply =
                ReplyRef{target->id, target->seq, target->author, target->text.left(200), false};
        }
        auto &log = m_log[channel];
        m = Message{u"m%1"_s.arg(++m_nextId),
                    channel,
                    qint64(log.size() + 1),
                    userOf(socket),
                    text,
                    QDateTime::currentDateTimeUtc(),
                    clientMsgId};
        if (v2) {
            m.rev = 1;
            m.ev = ++m_lastEv[m.channel];
            m.replyTo = reply;
            m.mentions = mentionsIn(text, m.author);
        }
        log.append(m);
        m_byClientId.insert(clientMsgId, m);
        for (QWebSocket *other : std::as_const(m_authed)) {
            if (other != socket)
                other->sendTextMessage(QString::fromUtf8(Codec::encodeMessageFrame(m)));
        }
    }
    if (ackSends)
        socket->sendTextMessage(
            QString::fromUtf8(Codec::encodeAckFrame(AckEvent{ref, clientMsgId, m})));
}

void ScriptedPeer::handleHistory(QWebSocket *socket, const QJsonObject &frame)
{
    const QString channel = frame.value(u"channel").toString();
    const auto log = m_log.value(channel);
    const qint64 before =
        frame.contains(u"before_seq") ? frame.value(u"before_seq").toInteger() : log.size() + 1;
    const int limit = std::min(200, frame.contains(u"limit") ? frame.value(u"limit").toInt() : 50);
    HistoryEvent reply{frame.value(u"ref").toString(), channel, {}, false};
    const qint64 end = std::min<qint64>(before - 1, log.size()); // seqs end..1
    const qint64 start = std::max<qint64>(1, end - limit + 1);
    for (qint64 seq = start; seq <= end; ++seq)
        reply.messages.append(log.at(seq - 1));
    reply.hasMore = start > 1;
    socket->sendTextMessage(QString::fromUtf8(Codec::encodeHistoryFrame(reply)));
}
