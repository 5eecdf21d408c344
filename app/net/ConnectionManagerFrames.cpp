// ConnectionManager, part 2: incoming frames, resume and gap filling.
#include "ConnectionManager.h"

#include "store/LocalStore.h"
#include "util/Logging.h"

#include <QWebSocket>

#include <algorithm>
#include <utility>

namespace Natter {
namespace {
template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
} // namespace

void ConnectionManager::onTextFrame(const QString &frame)
{
    onFrameArrived();
    const ServerEvent event = Codec::decode(frame);
    std::visit(Overloaded{
                   [&](const DecodeError &e) {
                       // Logged without the frame: it may hold message text.
                       qCWarning(lcNet)
                           << "skipping a"
                           << (e.kind == DecodeError::Kind::UnknownType ? "frame of unknown type"
                                                                        : "malformed frame")
                           << e.type << e.detail << "size" << frame.size();
                   },
                   [&](const ConnectedEvent &e) { handleConnected(e); },
                   [&](const AuthFailedEvent &e) {
                       qCInfo(lcNet) << "authentication failed:" << e.reason;
                       if (e.reason == u"invalid_token" || e.reason == u"token_expired") {
                           onAuthRejected(
                               ConnectionManager::tr("The server no longer accepts this login."));
                       } else {
                           // authentication_required, too_many_connections: the server
                           // closes with 1008 next, which reconnects; the reason is
                           // kept for the user, in words.
                           setLastError(ConnectionManager::refusal(e.reason));
                       }
                   },
                   [&](const ResumedEvent &) { handleResumed(); },
                   [&](const MessageEvent &e) {
                       noteLiveEv(e.message);
                       deliver(m_sequencer.accept(e.message));
                   },
                   [&](const AckEvent &e) {
                       noteLiveEv(e.message);
                       handleAck(e);
                   },
                   [&](const MessageUpdatedEvent &e) { handleUpdated(e); },
                   [&](const ResyncEvent &e) { handleResync(e); },
                   [&](const TypingEvent &e) { Q_EMIT typingReceived(e); },
                   [&](const PresenceEvent &e) { Q_EMIT presenceReceived(e); },
                   [&](const ReadEvent &e) { Q_EMIT readReceived(e); },
                   [&](const HistoryEvent &e) { handleHistory(e); },
                   [&](const ChannelEvent &e) {
                       m_sequencer.setLastSeqIfUnknown(e.channel.id, e.channel.lastSeq);
                       // A channel joined live starts at its current last_ev, like its seq.
                       if (m_resumedThisConnection && m_session.protocol >= 2
                           && !m_lastEv.contains(e.channel.id)) {
                           m_lastEv.insert(e.channel.id, e.channel.lastEv);
                           m_unsavedEvs.insert(e.channel.id, e.channel.lastEv);
                       }
                       cacheChannel(e.channel);
                       Q_EMIT channelReceived(e);
                   },
                   [&](const ErrorEvent &e) { handleError(e); },
                   [&](const ChannelRemovedEvent &e) { handleChannelRemoved(e); },
                   [&](const PongEvent &) {},
               },
               event);
}

void ConnectionManager::handleConnected(const ConnectedEvent &event)
{
    if (m_state != State::Authenticating) {
        qCWarning(lcNet) << "skipping an unexpected connected frame";
        return;
    }
    m_handshakeTimer.stop();
    m_session = event;
    m_retriedAfterRefresh = false;
    m_connectedFor.start();
    m_store->cacheChannels(event.channels);
    // A channel this client has never seen starts at its current last_seq:
    // older messages are history, loaded on demand, not a gap.
    for (const Channel &channel : event.channels)
        m_sequencer.setLastSeqIfUnknown(channel.id, channel.lastSeq);
    // §6: the snapshot's last_ev becomes ours only once `resumed` arrives (the
    // replay is ordered by seq, not ev). A v1 server sends none: nothing to track.
    m_snapshotEv.clear();
    if (event.protocol >= 2) {
        for (const Channel &channel : event.channels)
            m_snapshotEv.insert(channel.id, channel.lastEv);
    }

    const int interval = m_options.heartbeatIntervalMs > 0 ? m_options.heartbeatIntervalMs
                                                           : event.heartbeatIntervalSecs * 1000;
    m_heartbeatTimer.start(interval);
    qCInfo(lcNet) << "connected; heartbeat every" << interval << "ms";
    setLastError({});
    setState(State::Connected);
    Q_EMIT connected(event);
    pumpFrames();
}

void ConnectionManager::handleResumed()
{
    if (m_state != State::Connected || m_resumedThisConnection)
        return;
    m_resumedThisConnection = true;
    for (auto it = m_snapshotEv.cbegin(); it != m_snapshotEv.cend(); ++it) {
        if (m_lastEv.value(it.key(), -1) != it.value()) {
            m_lastEv.insert(it.key(), it.value());
            m_unsavedEvs.insert(it.key(), it.value());
        }
    }
    // What we hold of a channel we could not resume by ev (cached from a v1
    // server, before changes were numbered) may have been edited or deleted
    // since: nothing would ever tell us, so reload it once, as after `resync`.
    if (m_session.protocol >= 2) {
        for (const QString &channel : std::as_const(m_resumedWithoutEv)) {
            if (m_snapshotEv.contains(channel))
                handleResync(ResyncEvent{channel, QStringLiteral("no_last_ev")});
        }
    }
    m_resumedWithoutEv.clear();
    m_snapshotEv.clear();
    if (!m_unsavedEvs.isEmpty() && !m_cacheTimer.isActive())
        m_cacheTimer.start();
    Q_EMIT resumed();
    // Gaps left open by the previous connection are asked for again.
    for (const MessageSequencer::Gap &gap : m_sequencer.openGaps())
        requestFill(gap);
    if (m_presence == PresenceStatus::Away)
        queueFrame(Codec::encodePresence(m_presence));
    for (auto it = m_pendingReads.cbegin(); it != m_pendingReads.cend(); ++it)
        queueFrame(Codec::encodeRead(it.key(), it.value()));
    m_pendingReads.clear();
    for (const QByteArray &frame : std::as_const(m_deferred))
        queueFrame(frame);
    m_deferred.clear();
    flushOutbox();
    resendActions();
}

void ConnectionManager::handleAck(const AckEvent &ack)
{
    m_sendRefs.remove(ack.ref);
    m_inFlight.remove(ack.clientMsgId);
    if (m_lastSendId == ack.clientMsgId)
        m_lastSendId.clear();
    if (m_store->outgoing(ack.clientMsgId)) {
        removeOutgoing(ack.clientMsgId);
        Q_EMIT messageAcked(ack);
    }
    deliver(m_sequencer.accept(ack.message));
    releaseHeldActions(ack.clientMsgId, ack.message.id);
}

void ConnectionManager::noteLiveEv(const Message &message)
{
    // §6: after `resumed`, last_ev is the highest ev of the live frames; before
    // it, the replay must not move it (it is ordered by seq, not ev).
    if (!m_resumedThisConnection || message.ev <= 0 || message.channel.isEmpty())
        return;
    if (message.ev <= m_lastEv.value(message.channel, -1))
        return;
    m_lastEv.insert(message.channel, message.ev);
    m_unsavedEvs.insert(message.channel, message.ev);
    if (!m_cacheTimer.isActive())
        m_cacheTimer.start();
}

void ConnectionManager::handleUpdated(const MessageUpdatedEvent &incoming)
{
    MessageUpdatedEvent event = incoming;
    noteLiveEv(event.message);
    if (!event.ref.isEmpty())
        takeAction(event.ref);
    const MessageSequencer::Update update = m_sequencer.acceptUpdate(event.message);
    if (update != MessageSequencer::Update::Apply) {
        // Already applied, older, beyond what we hold, or waiting behind a gap
        // (the held copy was brought up to date). The answer to our own action
        // still counts for whoever waits for it; models ignore its rev.
        qCDebug(lcNet) << "not applying an update:" << int(update);
        if (!event.ref.isEmpty())
            Q_EMIT messageUpdated(event);
        return;
    }
    // §7 notifies a mention only when the copy we held did not mention us: hand
    // on that copy.
    event.previous = heldCopy(event.message.id);
    storeUpdate(event.message);
    Q_EMIT messageUpdated(event);
}

std::optional<Message> ConnectionManager::heldCopy(const QString &id) const
{
    // The batch not yet written is newer than the store.
    for (auto it = m_uncached.crbegin(); it != m_uncached.crend(); ++it) {
        if (it->id == id)
            return *it;
    }
    return m_store->cachedMessage(id);
}

void ConnectionManager::storeUpdate(const Message &message)
{
    // A message delivered less than a batch ago is not in the store yet: bring
    // the copy waiting in the batch up to date, or the batch would later write
    // the old text over an update the store had no row for.
    for (Message &waiting : m_uncached) {
        if (waiting.id == message.id && waiting.rev < message.rev)
            waiting = message;
    }
    // The store applies the same rule: a lower or equal rev changes nothing.
    m_store->updateMessages({message});
}

void ConnectionManager::handleResync(const ResyncEvent &event)
{
    qCInfo(lcNet) << "resync of" << event.channel << event.reason;
    // §6: the server skipped this channel's replay; what we cached is stale.
    // Drop it and start the channel at its snapshot's last_seq: the fresh page
    // comes with `history`, which the models ask for.
    m_uncached.erase(std::remove_if(m_uncached.begin(), m_uncached.end(),
                                    [&](const Message &m) { return m.channel == event.channel; }),
                     m_uncached.end());
    m_unsavedSeqs.remove(event.channel);
    m_store->dropMessages(event.channel);
    qint64 lastSeq = m_sequencer.lastSeq(event.channel);
    for (const Channel &c : std::as_const(m_session.channels)) {
        if (c.id == event.channel)
            lastSeq = c.lastSeq;
    }
    m_sequencer.resetChannel(event.channel, lastSeq);
    m_store->setLastSeq(event.channel, lastSeq);
    Q_EMIT resyncRequired(event);
}

void ConnectionManager::handleError(const ErrorEvent &event)
{
    qCInfo(lcNet) << "server error" << event.code;
    if (m_actions.contains(event.ref)) {
        const bool busy = event.code == u"rate_limited";
        if (busy && isLatest(m_actions.value(event.ref))) {
            // Not the change's fault (the server's limit, or its storage unable
            // to take it now): it is kept and goes out again, as a send does.
            Action &action = m_actions[event.ref];
            action.sent = false;
            action.delayed = true;
            if (!m_actionRetry.isActive())
                m_actionRetry.start();
            if (!std::exchange(m_delayTold, true))
                Q_EMIT actionsDelayed();
        } else {
            const Action action = takeAction(event.ref);
            // Refused for the moment, but a newer change about the same thing
            // has been made since: that one stands, this one is dropped. A
            // delete sent again (after a drop, or after rate_limited) may have
            // arrived before: the message is gone either way.
            if (!busy
                && !((action.resent || action.delayed) && action.remove
                     && event.code == u"not_found"))
                Q_EMIT actionRefused(action.channel, event,
                                     action.remove || action.react ? QString() : action.text);
        }
    } else if (const QString id = m_sendRefs.take(event.ref); !id.isEmpty()) {
        m_inFlight.remove(id);
        if (event.code == u"rate_limited") {
            // Not the message's fault: it stays pending and goes out again.
            QTimer::singleShot(1000, this, &ConnectionManager::flushOutbox);
        } else if (event.code == u"too_large") {
            failOutgoing(id, tr("The message is too long."));
        } else if (event.code == u"not_found"
                   && !m_store->outgoing(id).value_or(OutgoingMessage{}).replyTo.isEmpty()) {
            // §7: the message replied to was deleted (or is not in this channel).
            failOutgoing(id, tr("The message you replied to no longer exists."));
        } else if (event.code == u"not_member" || event.code == u"not_found") {
            failOutgoing(id, tr("You cannot write to this channel."));
        } else if (event.code == u"archived") {
            failOutgoing(id, tr("This channel is archived; it can be read but not written to."));
        } else if (event.code == u"forbidden") {
            failOutgoing(id, tr("You are not allowed to write to this channel."));
        } else if (event.code == u"bad_request"
                   && !m_store->outgoing(id).value_or(OutgoingMessage{}).attachments.isEmpty()) {
            // §9: a file is attachable once, by its uploader, in its channel, and
            // an upload never attached is deleted after 24 hours.
            failOutgoing(id,
                         tr("The attached files are no longer on the server. Attach them "
                            "again."));
        } else {
            failOutgoing(id, tr("The server refused the message (%1).").arg(event.code));
        }
    } else if (const QString channel = m_fillRefs.take(event.ref); !channel.isEmpty()) {
        // The gap cannot be filled: give it up rather than hold the channel back.
        deliver(m_sequencer.acceptFill(channel, {}));
    }
    Q_EMIT errorReceived(event);
}

void ConnectionManager::handleHistory(const HistoryEvent &event)
{
    if (const QString channel = m_fillRefs.take(event.ref); !channel.isEmpty()) {
        deliver(m_sequencer.acceptFill(channel, event.messages));
        return;
    }
    m_store->cacheMessages(event.messages);
    Q_EMIT historyReceived(event);
}

void ConnectionManager::deliver(const MessageSequencer::Result &result)
{
    if (!result.deliver.isEmpty()) {
        // Written in batches: one transaction per burst instead of per message.
        // Losing the batch in a crash only means a resume replays a little more,
        // and the sequencer drops what was already shown.
        m_uncached += result.deliver;
        if (!m_cacheTimer.isActive())
            m_cacheTimer.start();
        for (const Message &message : result.deliver) {
            m_unsavedSeqs.insert(message.channel, message.seq);
            // The user's own message replayed after a drop: the send reached the
            // server before the ack was lost, so it is no longer pending.
            if (!message.clientMsgId.isEmpty() && message.author == m_session.self.id
                && m_store->outgoing(message.clientMsgId)) {
                m_inFlight.remove(message.clientMsgId);
                removeOutgoing(message.clientMsgId);
                Q_EMIT messageAcked(AckEvent{{}, message.clientMsgId, message});
                Q_EMIT messageReceived(message);
                releaseHeldActions(message.clientMsgId, message.id);
                continue;
            }
            Q_EMIT messageReceived(message);
        }
    }
    for (const Message &message : result.updates) {
        // A newer copy of a message delivered before (a `message` frame sent twice
        // with a later state): applied by rev like a `message_updated`.
        const std::optional<Message> previous = heldCopy(message.id);
        storeUpdate(message);
        Q_EMIT messageUpdated(MessageUpdatedEvent{
            {}, message.deleted ? MessageChange::Delete : MessageChange::Edit, message, previous});
    }
    if (result.fill) {
        if (result.newGap) {
            qCInfo(lcNet) << "gap in" << result.fill->channel << "between" << result.fill->afterSeq
                          << "and" << result.fill->beforeSeq;
            Q_EMIT gapDetected(result.fill->channel, result.fill->afterSeq, result.fill->beforeSeq);
        }
        requestFill(*result.fill);
    }
}

void ConnectionManager::flushCache()
{
    m_cacheTimer.stop();
    if (!m_uncached.isEmpty())
        m_store->cacheMessages(std::exchange(m_uncached, {}));
    for (auto it = m_unsavedSeqs.cbegin(); it != m_unsavedSeqs.cend(); ++it)
        m_store->setLastSeq(it.key(), it.value());
    m_unsavedSeqs.clear();
    for (auto it = m_unsavedEvs.cbegin(); it != m_unsavedEvs.cend(); ++it)
        m_store->setLastEv(it.key(), it.value());
    m_unsavedEvs.clear();
}

void ConnectionManager::requestFill(const MessageSequencer::Gap &gap)
{
    if (m_state != State::Connected)
        return; // asked for again after the next resume
    for (const QString &channel : std::as_const(m_fillRefs)) {
        if (channel == gap.channel)
            return; // one page at a time per channel
    }
    const QString ref = nextRef();
    m_fillRefs.insert(ref, gap.channel);
    const int missing = int(std::min<qint64>(gap.beforeSeq - gap.afterSeq - 1, 1 << 30));
    queueFrame(Codec::encodeHistory(ref, gap.channel, gap.beforeSeq,
                                    std::clamp(missing, 1, m_options.gapFillPageSize)));
}

void ConnectionManager::cacheChannel(const Channel &channel)
{
    // The cached list is what the window shows before the network is up: keep
    // it in step with channels opened, changed or left since `connected`.
    QList<Channel> channels = m_store->cachedChannels();
    const bool member = channel.members.contains(m_session.self.id);
    const auto it = std::find_if(channels.begin(), channels.end(),
                                 [&](const Channel &c) { return c.id == channel.id; });
    if (it != channels.end() && member)
        *it = channel;
    else if (it != channels.end())
        channels.erase(it);
    else if (member)
        channels.append(channel);
    else
        return;
    m_store->cacheChannels(channels);
}

} // namespace Natter
