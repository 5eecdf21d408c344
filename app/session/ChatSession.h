// The signed-in conversation state of one account: wires ConnectionManager's
// typed events into the models the chat window shows, and turns what the person
// does (typing, sending, reading, being idle) into protocol frames.
//
// Owns the models; does not own the ConnectionManager or the LocalStore. Knows
// nothing about widgets: the window calls its slots and shows its models.
#pragma once

#include "models/ChannelListModel.h"
#include "models/MessageListModel.h"
#include "models/PresenceModel.h"
#include "models/TypingThrottle.h"
#include "models/TypingTracker.h"
#include "net/ConnectionManager.h"
#include "net/DirectoryClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Natter {

class LocalStore;

class ChatSession : public QObject
{
    Q_OBJECT
public:
    // Presence turns `away` after this long without input in the app.
    static constexpr int kDefaultIdleTimeoutMs = 5 * 60 * 1000;

    // `store` may be null (no cache). `self` is the signed-in user.
    ChatSession(ConnectionManager *connection, LocalStore *store, const User &self,
                QObject *parent = nullptr);

    ConnectionManager *connection() const { return m_connection; }
    ChannelListModel *channels() { return &m_channels; }
    PresenceModel *people() { return &m_people; }
    TypingTracker *typing() { return &m_typing; }
    User self() const { return m_self; }

    // The messages of one channel, created on first use and filled from the local
    // cache at once, then from the network.
    MessageListModel *messages(const QString &channelId);

    // The channel the person is looking at (empty: none, e.g. window hidden).
    void setActiveChannel(const QString &channelId);
    QString activeChannel() const { return m_activeChannel; }

    // `replyToId` (§7): the id of the message this one answers (empty: none). The
    // quote shows at once on the pending row, from the held copy of the target.
    // `attachments` (§9): ids of files uploaded to the channel; with them the
    // text may be empty.
    void sendMessage(const QString &channelId, const QString &text, const QString &replyToId = {},
                     const QStringList &attachments = {});
    // §7 react: add (`on`) or remove the signed-in user's `emoji` on a confirmed
    // message. Nothing changes locally until the server's answer (applied by rev
    // like every change, so toggles from several devices converge); a refusal
    // (too_many_reactions, an invalid emoji, a system message) comes back as
    // actionFailed().
    void react(const QString &channelId, const QString &messageId, const QString &emoji, bool on);
    // A reaction chip was clicked: removes `emoji` if we reacted with it, else adds it.
    void toggleReaction(const QString &channelId, const QString &messageId, const QString &emoji);
    // The composer's text for `channelId` changed: typing start/stop as the contract wants.
    void composerChanged(const QString &channelId, const QString &text);
    // What is typed and not sent in `channelId`, kept in the LocalStore (so it
    // survives a restart); an empty `text` forgets it.
    QString draft(const QString &channelId) const { return m_drafts.value(channelId); }
    void setDraft(const QString &channelId, const QString &text);
    // §7 edit/delete of one of our messages (delete: also anyone's, for an admin).
    // `messageId` empty: the message is still in the outbox (identified by
    // `clientMsgId`); the edit goes out after its ack, a delete just removes it
    // from the outbox and the model. Refusals come back as actionFailed().
    void editMessage(const QString &channelId, const QString &messageId, const QString &clientMsgId,
                     const QString &text);
    void deleteMessage(const QString &channelId, const QString &messageId,
                       const QString &clientMsgId);
    // The signed-in user is a server admin (may delete others' messages).
    bool isAdmin() const { return m_self.admin; }
    void retryMessage(const QString &clientMsgId);
    void discardMessage(const QString &clientMsgId);
    // Everything in `channelId` up to its newest message has been seen.
    void markChannelRead(const QString &channelId);
    // Opens (or finds) the direct channel with `userId`; channelOpened follows.
    void openDirect(const QString &userId);
    // §8 notify: which messages of `channelId` notify us, on all our devices. The
    // channel list shows the new level once the server has confirmed it.
    void setNotifyLevel(const QString &channelId, NotifyLevel level);

    // §8 (ChatSessionChannels.cpp). create and join end in channelOpened; leave in
    // channelLeft; a refusal in actionFailed with plain words.
    void createChannel(const QString &name, bool isPrivate, const QString &topic,
                       const QStringList &memberIds);
    void joinChannel(const QString &channelId);
    void leaveChannel(const QString &channelId);
    void inviteToChannel(const QString &channelId, const QStringList &userIds);
    // nullopt: that field stays as it is.
    void updateChannel(const QString &channelId, const std::optional<QString> &name,
                       const std::optional<QString> &topic);
    void archiveChannel(const QString &channelId, bool archived);
    // The signed-in user may rename, change the topic of and archive the channel
    // (§8: its owner or a server admin; never a direct channel).
    bool canManageChannel(const QString &channelId) const;
    // The people and channel directories of this account's server.
    DirectoryClient *directory();

    // Keyboard or mouse input in the app: back to online if we were away.
    void userActivity();
    // Plain translated words for an `error` frame's code (the server's own
    // `message` is English): a refused edit, delete or reaction (§7), and a
    // refused channel action (§8) or history request. natter-cli uses them too.
    static QString messageActionRefusal(const QString &code);
    static QString channelActionRefusal(const QString &code);
    // The desktop session was locked or unlocked (where the platform tells).
    void setScreenLocked(bool locked);
    void setIdleTimeout(int ms);
    PresenceStatus ownStatus() const { return m_ownStatus; }

Q_SIGNALS:
    // Worth a desktop notification (keyed by message.id), in a channel that is not
    // the active one and whose §8 notify level lets it through (`none`: nothing;
    // `mentions`: mentions of us only): a new message from someone else, or (§7) an edit of a
    // message we held without a mention of us that now mentions us. Never twice for one mention: an
    // edit of a message that already mentioned us is not news. `message.mentionsUser(self().id)`
    // tells a mention from an ordinary message.
    void notifiableMessage(const Natter::Message &message, const QString &channelName);
    // A direct channel asked for with openDirect() is ready.
    void channelOpened(const QString &channelId);
    // We were taken out of a channel (`natterd channel leave`); it has left the list.
    void channelLeft(const QString &channelId, const QString &channelName);
    void ownStatusChanged(Natter::PresenceStatus status);
    // A message we hold was deleted (live or on resume): withdraw a notification
    // shown for it.
    void messageDeleted(const QString &channelId, const QString &messageId);
    // An edit, delete or reaction was refused; `explanation` is plain translated
    // words. `unsavedText`: the text of a refused edit, for the window to keep
    // (nothing else holds it any more); empty for anything else.
    void actionFailed(const QString &channelId, const QString &explanation,
                      const QString &unsavedText);
    // §8: a channel action (create, join, leave, invite, update, archive, dm) was
    // refused; `channelId` is empty for create and for opening a direct conversation.
    void channelActionFailed(const QString &channelId, const QString &explanation);

private:
    void onConnected(const ConnectedEvent &event);
    void onMessage(const Message &message);
    void onHistory(const HistoryEvent &event);
    void onUpdated(const MessageUpdatedEvent &event);
    void noteMentionChange(const MessageUpdatedEvent &event, const std::optional<Message> &before);
    // Remembers that `messageId` mentioned us; true when it already had.
    bool noteMentioned(const QString &messageId);
    void onResync(const ResyncEvent &event);
    void onActionRefused(const QString &channelId, const ErrorEvent &error,
                         const QString &unsavedText);
    QString resolveId(const QString &channelId, const QString &messageId,
                      const QString &clientMsgId) const;
    void onChannel(const ChannelEvent &event);
    void onChannelRemoved(const ChannelRemovedEvent &event);
    void onChannelError(const ErrorEvent &event);
    void onStateChanged(ConnectionManager::State state);
    void syncPending(const QString &channelId);
    void setOwnStatus(PresenceStatus status);
    // §8: whether the channel's notify level lets a message (mentioning us or not) notify.
    bool levelAllows(const QString &channelId, bool mentionsMe) const;

    ConnectionManager *m_connection;
    LocalStore *m_store;
    User m_self;
    PresenceModel m_people;
    ChannelListModel m_channels;
    TypingTracker m_typing;
    QHash<QString, MessageListModel *> m_messageModels;
    QHash<QString, TypingThrottle> m_throttles;
    QHash<QString, QString> m_historyRefs; // ref -> channel
    QHash<QString, QString> m_reloadRefs; // channel -> ref of its resync reload (§6)
    ConnectionManager::State m_lastState = ConnectionManager::State::Disconnected;
    bool m_live = false; // `resumed` on this connection: updates are news, not replay
    QString m_dmRef;
    QHash<QString, QString> m_openRefs; // §8 ref of create/join -> channel id ("" for create)
    QHash<QString, QString> m_channelRefs; // §8 ref of any channel action -> channel id
    QSet<QString> m_notifyRefs; // the refs of m_channelRefs that set a notify level
    DirectoryClient *m_directory = nullptr;
    QString m_activeChannel;
    // Messages seen mentioning us this session (§7: a mention is new once).
    QSet<QString> m_mentionedIn;
    static constexpr qsizetype kMentionedInMax = 10000;
    QHash<QString, QString> m_drafts; // channel -> unsent text, as in the LocalStore
    QElapsedTimer m_clock;
    QTimer m_idleTimer;
    bool m_locked = false;
    PresenceStatus m_ownStatus = PresenceStatus::Online;
};

} // namespace Natter
