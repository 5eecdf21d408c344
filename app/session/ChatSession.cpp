#include "ChatSession.h"

#include "store/LocalStore.h"
#include "util/Logging.h"

namespace Natter {

namespace {
constexpr int kCachedMessagesShown = 200;
constexpr int kHistoryPageSize = 50;
} // namespace

ChatSession::ChatSession(ConnectionManager *connection, LocalStore *store, const User &self,
                         QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_store(store)
    , m_self(self)
    , m_channels(self.id, &m_people)
    , m_typing(&m_people)
{
    m_clock.start();
    m_people.upsertUser(self);

    // What we knew last time, so the window is not empty before the network is up.
    if (m_store && m_store->isOpen()) {
        m_channels.setChannels(m_store->cachedChannels());
        for (const Channel &c : m_store->cachedChannels()) {
            const QList<Message> last = m_store->cachedMessages(c.id, 1);
            if (!last.isEmpty())
                m_channels.setLastMessage(last.first());
        }
        m_drafts = m_store->drafts();
    }

    connect(m_connection, &ConnectionManager::connected, this, &ChatSession::onConnected);
    connect(m_connection, &ConnectionManager::messageReceived, this, &ChatSession::onMessage);
    connect(m_connection, &ConnectionManager::messageUpdated, this, &ChatSession::onUpdated);
    connect(m_connection, &ConnectionManager::resyncRequired, this, &ChatSession::onResync);
    connect(m_connection, &ConnectionManager::actionRefused, this, &ChatSession::onActionRefused);
    connect(m_connection, &ConnectionManager::historyReceived, this, &ChatSession::onHistory);
    connect(m_connection, &ConnectionManager::channelReceived, this, &ChatSession::onChannel);
    connect(m_connection, &ConnectionManager::stateChanged, this, &ChatSession::onStateChanged);
    connect(m_connection, &ConnectionManager::resumed, this, [this] { m_live = true; });
    connect(m_connection, &ConnectionManager::outboxChanged, this, &ChatSession::syncPending);
    connect(m_connection, &ConnectionManager::typingReceived, &m_typing, &TypingTracker::apply);
    connect(m_connection, &ConnectionManager::presenceReceived, &m_people,
            &PresenceModel::applyPresence);
    connect(m_connection, &ConnectionManager::errorReceived, this, [this](const ErrorEvent &e) {
        // A history page the server refused (not_member, not_found): stop asking.
        const QString channel = m_historyRefs.take(e.ref);
        if (auto *model = channel.isEmpty() ? nullptr : m_messageModels.value(channel))
            model->historyLoaded({}, false);
    });
    connect(m_connection, &ConnectionManager::channelRemoved, this, &ChatSession::onChannelRemoved);
    connect(m_connection, &ConnectionManager::errorReceived, this, &ChatSession::onChannelError);
    connect(m_connection, &ConnectionManager::readReceived, this,
            [this](const ReadEvent &e) { m_channels.markRead(e.channel, e.seq); });

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(kDefaultIdleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { setOwnStatus(PresenceStatus::Away); });
    m_idleTimer.start();
}

MessageListModel *ChatSession::messages(const QString &channelId)
{
    if (auto *existing = m_messageModels.value(channelId))
        return existing;
    auto *model = new MessageListModel(channelId, m_self.id, &m_people, this);
    m_messageModels.insert(channelId, model);
    if (m_store && m_store->isOpen())
        model->addMessages(m_store->cachedMessages(channelId, kCachedMessagesShown));
    syncPending(channelId);
    connect(model, &MessageListModel::historyRequested, this,
            [this, model](const QString &channel, qint64 beforeSeq) {
                const QString ref =
                    m_connection->requestHistory(channel, beforeSeq, kHistoryPageSize);
                m_historyRefs.insert(ref, channel);
                if (model->isReloading())
                    m_reloadRefs.insert(channel, ref);
            });
    return model;
}

void ChatSession::setActiveChannel(const QString &channelId)
{
    m_activeChannel = channelId;
}

void ChatSession::sendMessage(const QString &channelId, const QString &text,
                              const QString &replyToId, const QStringList &attachments)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() && attachments.isEmpty())
        return;
    messages(channelId); // make sure the pending row has a model to appear in
    // §9: a message of files only carries no text at all, not blanks.
    m_connection->sendMessage(channelId, trimmed.isEmpty() ? QString() : text, replyToId,
                              attachments);
    if (m_throttles[channelId].draftSent() == TypingThrottle::Action::SendStop)
        m_connection->sendTyping(channelId, TypingState::Stop);
}

void ChatSession::composerChanged(const QString &channelId, const QString &text)
{
    userActivity();
    const auto action =
        m_throttles[channelId].draftChanged(text.trimmed().isEmpty(), m_clock.elapsed());
    if (action == TypingThrottle::Action::SendStart)
        m_connection->sendTyping(channelId, TypingState::Start);
    else if (action == TypingThrottle::Action::SendStop)
        m_connection->sendTyping(channelId, TypingState::Stop);
}

void ChatSession::setDraft(const QString &channelId, const QString &text)
{
    if (channelId.isEmpty() || m_drafts.value(channelId) == text)
        return;
    if (text.isEmpty())
        m_drafts.remove(channelId);
    else
        m_drafts.insert(channelId, text);
    if (m_store && m_store->isOpen())
        m_store->setDraft(channelId, text);
}

void ChatSession::editMessage(const QString &channelId, const QString &messageId,
                              const QString &clientMsgId, const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    const QString ref = m_connection->editMessage(
        channelId, resolveId(channelId, messageId, clientMsgId), clientMsgId, text);
    if (ref.isEmpty()) // neither sent nor in the outbox any more (discarded meanwhile)
        Q_EMIT actionFailed(channelId, tr("This message no longer exists."), text);
}

void ChatSession::react(const QString &channelId, const QString &messageId, const QString &emoji,
                        bool on)
{
    const QString ref = m_connection->react(channelId, messageId, emoji, on);
    if (ref.isEmpty()) // a pending message (no id yet) cannot carry reactions
        Q_EMIT actionFailed(channelId, tr("This message has not been sent yet."), QString());
}

void ChatSession::toggleReaction(const QString &channelId, const QString &messageId,
                                 const QString &emoji)
{
    auto *model = m_messageModels.value(channelId);
    react(channelId, messageId, emoji, !(model && model->reactedByMe(messageId, emoji)));
}

void ChatSession::deleteMessage(const QString &channelId, const QString &messageId,
                                const QString &clientMsgId)
{
    m_connection->deleteMessage(channelId, resolveId(channelId, messageId, clientMsgId),
                                clientMsgId);
}

QString ChatSession::resolveId(const QString &channelId, const QString &messageId,
                               const QString &clientMsgId) const
{
    // The row the person acted on may have been pending a moment ago and been
    // confirmed since: then it has an id, and the action need not wait.
    if (!messageId.isEmpty() || clientMsgId.isEmpty())
        return messageId;
    if (auto *model = m_messageModels.value(channelId))
        return model->idOfClientMsgId(clientMsgId);
    return {};
}

void ChatSession::onUpdated(const MessageUpdatedEvent &event)
{
    const Message &m = event.message;
    auto *model = m_messageModels.value(m.channel);
    // The copy held before this update: the open model's, else the cache's.
    std::optional<Message> before = model ? model->message(m.id) : std::nullopt;
    if (!before)
        before = event.previous;
    noteMentionChange(event, before);
    const bool changed = model && model->applyUpdate(m);
    // Without an open model nobody can tell a repeat: withdrawing a notification
    // twice is harmless.
    if (m.deleted && (changed || !model))
        Q_EMIT messageDeleted(m.channel, m.id);
    m_channels.messageUpdated(m);
}

void ChatSession::noteMentionChange(const MessageUpdatedEvent &event,
                                    const std::optional<Message> &before)
{
    const Message &m = event.message;
    // The answer to our own action (a react, our own edit) never mentions us anew:
    // authors never mention themselves (§13).
    if (!event.ref.isEmpty() || m.author == m_self.id || (before && m.rev <= before->rev))
        return;
    const bool now = !m.deleted && m.mentionsUser(m_self.id);
    const bool was = before && !before->deleted && before->mentionsUser(m_self.id);
    // §7: unread mentions follow live edits and deletes; during the resume the
    // snapshot's mention_count already holds them.
    if (m_live && before && now != was)
        m_channels.adjustMentions(m.channel, m.seq, now ? 1 : -1);
    // §7: notify for a mention in a message we did not hold before, or whose
    // previous copy did not mention us; never for the same mention again, also
    // not when an edit took it out and another puts it back ("an edit never
    // makes an old one new again").
    if (now && !was && !noteMentioned(m.id) && m.channel != m_activeChannel
        && levelAllows(m.channel, true))
        Q_EMIT notifiableMessage(m, m_channels.displayName(m.channel));
}

bool ChatSession::noteMentioned(const QString &messageId)
{
    if (m_mentionedIn.contains(messageId))
        return true;
    // Bounded: forgetting them all at worst lets one old mention be new again.
    if (m_mentionedIn.size() >= kMentionedInMax)
        m_mentionedIn.clear();
    m_mentionedIn.insert(messageId);
    return false;
}

void ChatSession::onResync(const ResyncEvent &event)
{
    // §6: the old rows stay until the fresh page replaces them; never empty.
    if (auto *model = m_messageModels.value(event.channel))
        model->beginReload();
}

void ChatSession::onActionRefused(const QString &channelId, const ErrorEvent &error,
                                  const QString &unsavedText)
{
    Q_EMIT actionFailed(channelId, messageActionRefusal(error.code), unsavedText);
}

QString ChatSession::messageActionRefusal(const QString &code)
{
    if (code == u"forbidden")
        return tr("You are not allowed to change this message.");
    if (code == u"not_found")
        return tr("This message no longer exists.");
    if (code == u"edit_window_expired")
        return tr("This message is too old to be edited.");
    if (code == u"too_large")
        return tr("The message is too long.");
    if (code == u"not_member")
        return tr("You are no longer a member of this channel.");
    if (code == u"rate_limited")
        return tr("Too many changes at once; please try again in a moment.");
    if (code == u"too_many_reactions")
        return tr("This message already has as many different reactions as it can take.");
    if (code == u"archived")
        return tr("This channel is archived; its messages can no longer be changed.");
    if (code == u"bad_request") // also what natterd answers when it could not store it
        return tr("The server did not accept this change.");
    return tr("The server refused the change (%1).").arg(code);
}

void ChatSession::retryMessage(const QString &clientMsgId)
{
    m_connection->retryMessage(clientMsgId);
}

void ChatSession::discardMessage(const QString &clientMsgId)
{
    m_connection->discardMessage(clientMsgId);
}

void ChatSession::markChannelRead(const QString &channelId)
{
    const Channel c = m_channels.channel(channelId);
    qint64 seq = c.lastSeq;
    if (auto *model = m_messageModels.value(channelId))
        seq = qMax(seq, model->lastSeq());
    if (seq <= c.lastReadSeq)
        return;
    m_channels.markRead(channelId, seq);
    m_connection->markRead(channelId, seq);
}

void ChatSession::openDirect(const QString &userId)
{
    m_dmRef = m_connection->openDirect(userId);
}

void ChatSession::setNotifyLevel(const QString &channelId, NotifyLevel level)
{
    // Answered by a `channel` frame with the new level, or an error that the
    // window says (onChannelError): the menu shows the level the server has.
    const QString ref = m_connection->setNotifyLevel(channelId, level);
    m_channelRefs.insert(ref, channelId);
    m_notifyRefs.insert(ref);
}

bool ChatSession::levelAllows(const QString &channelId, bool mentionsMe) const
{
    switch (m_channels.channel(channelId).notify) {
    case NotifyLevel::None:
        return false;
    case NotifyLevel::Mentions:
        return mentionsMe;
    case NotifyLevel::All:
        break;
    }
    return true;
}

void ChatSession::userActivity()
{
    m_idleTimer.start();
    if (!m_locked && m_ownStatus == PresenceStatus::Away)
        setOwnStatus(PresenceStatus::Online);
}

void ChatSession::setScreenLocked(bool locked)
{
    m_locked = locked;
    if (locked)
        setOwnStatus(PresenceStatus::Away);
    else
        userActivity();
}

void ChatSession::setIdleTimeout(int ms)
{
    m_idleTimer.setInterval(ms);
    m_idleTimer.start();
}

void ChatSession::setOwnStatus(PresenceStatus status)
{
    if (status == m_ownStatus)
        return;
    m_ownStatus = status;
    m_connection->setPresence(status);
    Q_EMIT ownStatusChanged(status);
}

void ChatSession::onConnected(const ConnectedEvent &event)
{
    m_self = event.self;
    m_channels.setSelfUserId(m_self.id);
    QList<User> users = event.users;
    bool selfListed = false;
    for (User &u : users) {
        if (u.id == m_self.id) {
            selfListed = true;
            u.status = m_ownStatus;
        }
    }
    if (!selfListed) {
        User me = m_self;
        me.status = m_ownStatus;
        users.append(me);
    }
    m_people.setUsers(users);
    m_channels.setChannels(event.channels); // ConnectionManager has cached them
    // Taken out of a channel while away: what was typed there can no longer be
    // sent, and is forgotten, as it is when that happens live (channelLeft).
    const QStringList drafted = m_drafts.keys();
    for (const QString &id : drafted) {
        if (!m_channels.contains(id))
            setDraft(id, {});
    }
}

void ChatSession::onMessage(const Message &message)
{
    m_typing.messageArrived(message.channel, message.author);
    m_channels.messageArrived(message);
    if (auto *model = m_messageModels.value(message.channel))
        model->addMessage(message);
    // A message sent and deleted while we were away replays as a tombstone:
    // nothing to notify about.
    const bool mentionsMe = !message.deleted && message.mentionsUser(m_self.id);
    if (mentionsMe)
        noteMentioned(message.id);
    if (message.author != m_self.id && message.channel != m_activeChannel && !message.deleted
        && message.kind != MessageKind::System && levelAllows(message.channel, mentionsMe))
        Q_EMIT notifiableMessage(message, m_channels.displayName(message.channel));
}

void ChatSession::onHistory(const HistoryEvent &event)
{
    const QString channel = m_historyRefs.take(event.ref);
    if (channel.isEmpty())
        return; // a gap fill of the connection layer: its messages come as messageReceived
    auto *model = m_messageModels.value(channel);
    if (model && model->isReloading() && m_reloadRefs.value(channel) != event.ref) {
        // A page asked for before the resync: stale, and the fresh one replaces
        // every row anyway.
        return;
    }
    if (m_reloadRefs.value(channel) == event.ref)
        m_reloadRefs.remove(channel);
    if (!event.messages.isEmpty())
        m_channels.setLastMessage(event.messages.last()); // no unread change
    if (model)
        model->historyLoaded(event.messages, event.hasMore);
}

void ChatSession::onChannel(const ChannelEvent &event)
{
    // People we may not have known (a new channel, a newcomer, a direct
    // channel with someone from the directory): their names and presence.
    for (const User &u : event.users) {
        if (u.id != m_self.id)
            m_people.upsertUser(u);
    }
    m_channelRefs.remove(event.ref);
    m_notifyRefs.remove(event.ref);
    if (!event.channel.members.contains(m_self.id)) {
        // An operator took us out of it (`natterd channel leave`).
        if (!m_channels.contains(event.channel.id))
            return;
        const QString name = m_channels.displayName(event.channel.id);
        m_channels.removeChannel(event.channel.id);
        Q_EMIT channelLeft(event.channel.id, name);
        return;
    }
    m_channels.upsertChannel(event.channel);
    if (!event.ref.isEmpty() && event.ref == m_dmRef) {
        m_dmRef.clear();
        Q_EMIT channelOpened(event.channel.id);
    }
    if (!event.ref.isEmpty() && m_openRefs.remove(event.ref) > 0)
        Q_EMIT channelOpened(event.channel.id);
}

void ChatSession::onStateChanged(ConnectionManager::State state)
{
    const bool lost = m_lastState == ConnectionManager::State::Connected;
    m_lastState = state;
    if (state != ConnectionManager::State::Connected)
        m_live = false;
    if (state == ConnectionManager::State::Connected)
        return;
    // Our connection dropped: typing indicators can no longer be trusted to be
    // stopped, and nobody's presence is known (docs/protocol.md §3).
    m_typing.clear();
    m_people.markAllUnknown();
    // A history page asked for on the lost connection will never be answered.
    // A resync reload is asked for again (sent after the next resume): the
    // channel's cache is gone, its rows stay until the fresh page arrives.
    QHash<QString, QString> kept;
    for (auto it = m_historyRefs.cbegin(); it != m_historyRefs.cend(); ++it) {
        auto *model = m_messageModels.value(it.value());
        if (model && model->isReloading() && m_reloadRefs.value(it.value()) == it.key()) {
            if (!lost) {
                kept.insert(it.key(), it.value()); // not sent yet: it still will be
                continue;
            }
            const QString ref = m_connection->requestHistory(it.value(), 0, kHistoryPageSize);
            kept.insert(ref, it.value());
            m_reloadRefs.insert(it.value(), ref);
            continue;
        }
        if (model)
            model->historyLoaded({}, true);
    }
    m_historyRefs = kept;
}

void ChatSession::syncPending(const QString &channelId)
{
    auto *model = m_messageModels.value(channelId);
    if (!model)
        return;
    QStringList stale = model->pendingClientMsgIds();
    for (const OutgoingMessage &m : m_connection->outbox(channelId)) {
        stale.removeAll(m.clientMsgId);
        model->upsertPending(m.clientMsgId, m.text, m.createdAt,
                             m.state == OutgoingMessage::State::Failed
                                 ? MessageListModel::DeliveryState::Failed
                                 : MessageListModel::DeliveryState::Pending,
                             m.error, m.replyTo);
    }
    // Gone from the outbox: acked (the confirmed row replaced it) or discarded.
    for (const QString &id : std::as_const(stale))
        model->removePending(id);
}

} // namespace Natter
