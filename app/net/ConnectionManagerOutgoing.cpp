// ConnectionManager, part 3: the outbox and everything the client sends.
#include "ConnectionManager.h"

#include "store/LocalStore.h"
#include "util/Logging.h"

#include <QUuid>
#include <QWebSocket>

#include <algorithm>

namespace Natter {
namespace {
// docs/protocol.md §5: 65,536 bytes is the largest frame the server takes.
constexpr qsizetype kMaxFrameBytes = 65536;

// Edits, deletes and reactions in the order they were made.
template<typename Action> QList<Action> inOrder(QList<Action> actions)
{
    std::sort(actions.begin(), actions.end(),
              [](const Action &a, const Action &b) { return a.order < b.order; });
    return actions;
}
} // namespace

QString ConnectionManager::nextRef()
{
    return QStringLiteral("r%1").arg(++m_refCounter);
}

QString ConnectionManager::sendMessage(const QString &channel, const QString &text,
                                       const QString &replyTo, const QStringList &attachments)
{
    OutgoingMessage message;
    message.clientMsgId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.channel = channel;
    message.text = text;
    message.replyTo = replyTo;
    message.attachments = attachments;
    message.createdAt = QDateTime::currentDateTimeUtc();
    if (!m_store->enqueue(message)) {
        qCWarning(lcNet) << "the outbox could not store a message";
        Q_EMIT messageFailed(message.clientMsgId, tr("The message could not be saved."));
        return message.clientMsgId;
    }
    Q_EMIT outboxChanged(channel);
    if (m_state == State::Connected && m_resumedThisConnection)
        sendOutgoing(message);
    return message.clientMsgId;
}

void ConnectionManager::retryMessage(const QString &clientMsgId)
{
    const auto message = m_store->outgoing(clientMsgId);
    if (!message || !m_store->markPending(clientMsgId))
        return;
    Q_EMIT outboxChanged(message->channel);
    flushOutbox();
}

void ConnectionManager::discardMessage(const QString &clientMsgId)
{
    m_inFlight.remove(clientMsgId);
    if (m_heldActions.remove(clientMsgId))
        m_store->dropHeldActions(clientMsgId);
    removeOutgoing(clientMsgId);
}

QString ConnectionManager::editMessage(const QString &channel, const QString &messageId,
                                       const QString &clientMsgId, const QString &text)
{
    Action action;
    action.channel = channel;
    action.messageId = messageId;
    action.clientMsgId = clientMsgId;
    action.text = text;
    if (messageId.isEmpty()) {
        if (!m_store->outgoing(clientMsgId))
            return {};
        // §13: an edit of a message still in the outbox goes out after its ack.
        numberAction(action);
        m_heldActions[clientMsgId].append(action);
        m_store->holdAction({clientMsgId, false, text});
        return action.ref;
    }
    return sendAction(action);
}

QString ConnectionManager::deleteMessage(const QString &channel, const QString &messageId,
                                         const QString &clientMsgId)
{
    Action action;
    action.remove = true;
    action.channel = channel;
    action.messageId = messageId;
    action.clientMsgId = clientMsgId;
    if (messageId.isEmpty()) {
        if (!m_store->outgoing(clientMsgId))
            return {};
        if (!m_inFlight.contains(clientMsgId)) {
            // Never sent (or sent on a connection that dropped before its ack:
            // then the replay after the resume shows it, and it is deleted like
            // any message — see releaseHeldActions). Nobody has seen it: it is
            // simply taken out of the outbox.
            discardMessage(clientMsgId);
            return {};
        }
        numberAction(action);
        m_heldActions[clientMsgId].append(action);
        m_store->holdAction({clientMsgId, true, {}});
        return action.ref;
    }
    return sendAction(action);
}

QString ConnectionManager::react(const QString &channel, const QString &messageId,
                                 const QString &emoji, bool on)
{
    if (messageId.isEmpty() || emoji.isEmpty())
        return {};
    Action action;
    action.react = true;
    action.on = on;
    action.channel = channel;
    action.messageId = messageId;
    action.text = emoji;
    return sendAction(action);
}

QByteArray ConnectionManager::encodeAction(const Action &a)
{
    if (a.react)
        return Codec::encodeReact(a.ref, a.channel, a.messageId, a.text, a.on);
    return a.remove ? Codec::encodeDelete(a.ref, a.channel, a.messageId)
                    : Codec::encodeEdit(a.ref, a.channel, a.messageId, a.text);
}

QString ConnectionManager::Action::target() const
{
    // A held action names its message by client_msg_id until the ack.
    const QString &message = messageId.isEmpty() ? clientMsgId : messageId;
    return react ? message + u'\n' + text : message;
}

QString ConnectionManager::sendAction(Action action)
{
    if (action.ref.isEmpty())
        numberAction(action);
    noteLatest(action);
    // An edit held for an outbox message's ack, overtaken meanwhile by a newer
    // change of the same message: sent after it, it would undo it.
    if (!isLatest(action))
        return action.ref;
    // Kept until answered, so a restart sends it again (restored in the constructor).
    if (action.key.isEmpty()) {
        action.key = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_store->keepAction({action.key, action.channel, action.messageId,
                             action.react        ? QStringLiteral("react")
                                 : action.remove ? QStringLiteral("delete")
                                                 : QStringLiteral("edit"),
                             action.text, action.on});
    }
    m_actions.insert(action.ref, action);
    if (m_state == State::Connected && m_resumedThisConnection) {
        queueFrame(encodeAction(action));
        m_actions[action.ref].sent = true;
    }
    return action.ref;
}

void ConnectionManager::resendActions()
{
    // Unanswered edits, deletes and reactions go out (again) after every resume,
    // in the order they were made: an edit and a react are idempotent, and a
    // delete that did arrive the first time is answered not_found, which
    // handleError() does not report. One a newer change about the same message
    // (or reaction) has overtaken is dropped: sent after it, it would undo it.
    for (const Action &a : inOrder(m_actions.values())) {
        if (!isLatest(a)) {
            takeAction(a.ref);
            continue;
        }
        queueFrame(encodeAction(a));
        Action &kept = m_actions[a.ref];
        kept.resent = kept.resent || kept.sent;
        kept.sent = true;
    }
}

void ConnectionManager::retryActions()
{
    if (m_state != State::Connected || !m_resumedThisConnection)
        return; // resendActions() sends them after the resume
    QList<Action> due;
    for (const Action &a : std::as_const(m_actions)) {
        if (a.delayed && !a.sent)
            due.append(a);
    }
    for (const Action &a : inOrder(due)) {
        if (!isLatest(a)) {
            takeAction(a.ref);
            continue;
        }
        queueFrame(encodeAction(a));
        m_actions[a.ref].sent = true;
    }
}

ConnectionManager::Action ConnectionManager::takeAction(const QString &ref)
{
    const Action action = m_actions.take(ref);
    if (!action.key.isEmpty())
        m_store->forgetAction(action.key);
    if (!action.ref.isEmpty() && m_latestActions.value(action.target()) == action.order)
        m_latestActions.remove(action.target());
    if (m_delayTold && std::none_of(m_actions.cbegin(), m_actions.cend(), [](const Action &a) {
            return a.delayed;
        }))
        m_delayTold = false;
    return action;
}

void ConnectionManager::numberAction(Action &action)
{
    action.ref = nextRef();
    action.order = m_refCounter;
}

void ConnectionManager::noteLatest(const Action &action)
{
    quint64 &latest = m_latestActions[action.target()];
    latest = qMax(latest, action.order);
}

bool ConnectionManager::isLatest(const Action &action) const
{
    // A delete stands whatever came after it (an edit made before its answer,
    // which then finds the message gone).
    return action.remove || m_latestActions.value(action.target()) == action.order;
}

void ConnectionManager::releaseHeldActions(const QString &clientMsgId, const QString &messageId)
{
    const QList<Action> held = m_heldActions.take(clientMsgId);
    if (!held.isEmpty())
        m_store->dropHeldActions(clientMsgId);
    for (Action action : held) {
        action.messageId = messageId;
        sendAction(action);
    }
}

QList<OutgoingMessage> ConnectionManager::outbox(const QString &channel) const
{
    return m_store->outbox(channel);
}

void ConnectionManager::flushOutbox()
{
    if (m_state != State::Connected || !m_resumedThisConnection)
        return;
    // In the order written: the server numbers one sender's messages in the
    // order it receives them.
    for (const OutgoingMessage &message : m_store->outbox()) {
        if (message.state == OutgoingMessage::State::Pending)
            sendOutgoing(message);
    }
}

void ConnectionManager::sendOutgoing(const OutgoingMessage &message)
{
    if (m_inFlight.contains(message.clientMsgId))
        return;
    const QString ref = nextRef();
    const QByteArray frame = Codec::encodeSend(ref, message.channel, message.clientMsgId,
                                               message.text, message.replyTo, message.attachments);
    if (frame.size() > kMaxFrameBytes) {
        failOutgoing(message.clientMsgId, tr("The message is too large to send."));
        return;
    }
    m_sendRefs.insert(ref, message.clientMsgId);
    m_inFlight.insert(message.clientMsgId);
    queueFrame(frame, message.clientMsgId);
}

void ConnectionManager::failOutgoing(const QString &clientMsgId, const QString &reason)
{
    const auto message = m_store->outgoing(clientMsgId);
    m_inFlight.remove(clientMsgId);
    if (!message || !m_store->markFailed(clientMsgId, reason))
        return;
    qCInfo(lcNet) << "a message failed permanently";
    Q_EMIT messageFailed(clientMsgId, reason);
    Q_EMIT outboxChanged(message->channel);
}

void ConnectionManager::removeOutgoing(const QString &clientMsgId)
{
    const auto message = m_store->outgoing(clientMsgId);
    if (message && m_store->remove(clientMsgId))
        Q_EMIT outboxChanged(message->channel);
}

void ConnectionManager::queueFrame(const QByteArray &frame, const QString &clientMsgId)
{
    m_frameQueue.append(QueuedFrame{frame, clientMsgId});
    pumpFrames();
}

void ConnectionManager::pumpFrames()
{
    if (!m_socket || m_state != State::Connected)
        return;
    while (!m_frameQueue.isEmpty()) {
        const qint64 now = m_clock.elapsed();
        if (!m_limiter.tryTake(now)) {
            m_pumpTimer.start(int(std::max<qint64>(1, m_limiter.msUntilAvailable(now))));
            return;
        }
        const QueuedFrame next = m_frameQueue.takeFirst();
        if (!next.clientMsgId.isEmpty())
            m_lastSendId = next.clientMsgId;
        m_socket->sendTextMessage(QString::fromUtf8(next.frame));
    }
}

void ConnectionManager::sendTyping(const QString &channel, TypingState state)
{
    // A typing notice is only worth something now: never queued for later.
    if (m_state == State::Connected)
        queueFrame(Codec::encodeTyping(channel, state));
}

void ConnectionManager::setPresence(PresenceStatus status)
{
    if (status == PresenceStatus::Offline)
        return; // offline is what the server derives from no connection
    m_presence = status;
    if (m_state == State::Connected)
        queueFrame(Codec::encodePresence(status));
}

void ConnectionManager::markRead(const QString &channel, qint64 seq)
{
    if (m_state == State::Connected && m_resumedThisConnection)
        queueFrame(Codec::encodeRead(channel, seq));
    else
        m_pendingReads.insert(channel, std::max(seq, m_pendingReads.value(channel)));
}

QString ConnectionManager::requestHistory(const QString &channel, qint64 beforeSeq, int limit)
{
    const QString ref = nextRef();
    const QByteArray frame = Codec::encodeHistory(ref, channel, beforeSeq, limit);
    if (m_state == State::Connected && m_resumedThisConnection)
        queueFrame(frame);
    else
        m_deferred.append(frame);
    return ref;
}

QString ConnectionManager::openDirect(const QString &userId)
{
    const QString ref = nextRef();
    const QByteArray frame = Codec::encodeDm(ref, userId);
    if (m_state == State::Connected && m_resumedThisConnection)
        queueFrame(frame);
    else
        m_deferred.append(frame);
    return ref;
}

QString ConnectionManager::setNotifyLevel(const QString &channel, NotifyLevel level)
{
    const QString ref = nextRef();
    const QByteArray frame = Codec::encodeNotify(ref, channel, level);
    if (m_state == State::Connected && m_resumedThisConnection)
        queueFrame(frame);
    else
        m_deferred.append(frame);
    return ref;
}

qint64 ConnectionManager::lastSeq(const QString &channel) const
{
    return m_sequencer.lastSeq(channel);
}

} // namespace Natter
