// Interprets the §8 frames of an authenticated connection: channel_create,
// join, leave, invite, channel_update, archive and notify, with the §13 rules
// (names, private channels, owner/admin, archived refusals, answers to the
// actor). Every channel event goes through ChannelEvents (a system message in
// the same batch) and reaches every member live: `channel` frames, then the
// system message as a `message` frame, the actor's connections included.
//
// Each frame's store work (reads, checks that need the store, writes, and the
// reads its answer needs) runs as one ChatStore job (issue 16: off the event
// loop on PostgreSQL); the continuation answers, updates the MembershipCache
// and fans out. Meanwhile the connection's later frames wait (FrameHold), so a
// send right after a join is checked against the new membership.
//
// Owned by ChatFrameHandler, which forwards these frames to it.
#pragma once

#include "hub/ClientFrame.h"
#include "store/ChatStore.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QPair>

#include <functional>
#include <memory>

#include <optional>

namespace Natter::Server {

class ClientConnection;
class Fanout;
class MembershipCache;
class PresenceService;

class ChannelFrameHandler
{
    Q_DECLARE_TR_FUNCTIONS(ChannelFrameHandler)
public:
    static constexpr int kMaxTopicCodePoints = 250; // §11

    struct Settings
    {
        bool onlyAdminsCreateChannels = false; // server setting `channel_creation = admins`
    };

    ChannelFrameHandler(ChatStore *store, Fanout *fanout, MembershipCache *members,
                        PresenceService *presence, const Settings &settings);

    // §8 `[a-z0-9][a-z0-9_-]{0,63}`.
    static bool isValidName(const QString &name);

    void on(ClientConnection *c, const ClientFrame::ChannelCreate &f);
    void on(ClientConnection *c, const ClientFrame::Join &f);
    void on(ClientConnection *c, const ClientFrame::Leave &f);
    void on(ClientConnection *c, const ClientFrame::Invite &f);
    void on(ClientConnection *c, const ClientFrame::ChannelUpdate &f);
    void on(ClientConnection *c, const ClientFrame::Archive &f);
    void on(ClientConnection *c, const ClientFrame::Notify &f);

private:
    // Who sent the frame (values: a job may run on another thread).
    struct Actor
    {
        QString user;
        QString connection; // for the log
    };
    // What a channel event changed, for publish().
    struct Outcome
    {
        QString channel;
        QStringList newcomers; // get `users` listing every member
        QStringList removed; // get `channel_removed`
        QString removedReason;
        QList<StoredMessage> system; // the event's system messages, in seq order
    };
    // What a frame's store job found; the continuation answers from it.
    struct Result
    {
        // An error for the actor (code, message).
        std::optional<QPair<QString, QString>> error;
        // Nothing changed: the channel as the actor sees it (`users` when withUsers).
        std::optional<StoredChannel> answer;
        bool withUsers = false;
        // notify: the actor's channel with the new level.
        std::optional<StoredChannel> notified;
        // An event to publish: the outcome and the channel as each member sees it.
        std::optional<Outcome> outcome;
        // made(): the event is written, and prepare() reads the rest for this
        // actor once it is committed (submit(); again a second later while
        // that read fails: readAgain()).
        std::optional<QString> toRead;
        QStringList members; // after the event, sorted
        QList<StoredChannel> views; // per member, in `members` order
        std::optional<StoredChannel> actorView; // an admin managing a channel they are not in
        qint64 seqBefore = 0;
        qint64 evBefore = 0;
        // The records of the users the frames list (presence added on the loop).
        QHash<QString, StoredUser> users;
        // archive: the channel's new state, for the MembershipCache (so the
        // MembershipWatcher does not announce it again as an outside change).
        std::optional<bool> archived;
        // The event's log line (`event=` and the fields after `conn=`), which
        // complete() writes once the job's batch is committed.
        QString logEvent;
        QString logFields;
    };
    using Work = std::function<Result(ChatStore &store)>;

    // Runs `work` as one store job (issue 16: off the event loop on
    // PostgreSQL) and answers from its result. With `hold`, the connection's
    // next frames wait until it has answered (FrameHold): they may rely on
    // the membership it changes.
    void submit(ClientConnection *c, const QJsonValue &ref, Work work, bool hold = true);
    // The continuation: the answer to the actor (if still connected: `c` may
    // be null) and, for an event, the cache update and every member's frames.
    void complete(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                  const Result &result);
    void publish(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                 const Result &result);
    QJsonArray usersOf(const Result &result, const QStringList &ids);

    // The jobs (on the store's thread: the store and their arguments only).
    static Result create(ChatStore &store, const Actor &actor, const ClientFrame::ChannelCreate &f,
                         bool onlyAdmins);
    static Result join(ChatStore &store, const Actor &actor, const ClientFrame::Join &f);
    static Result leave(ChatStore &store, const Actor &actor, const ClientFrame::Leave &f);
    static Result invite(ChatStore &store, const Actor &actor, const ClientFrame::Invite &f);
    static Result update(ChatStore &store, const Actor &actor, const ClientFrame::ChannelUpdate &f);
    static Result archive(ChatStore &store, const Actor &actor, const ClientFrame::Archive &f);
    static Result notify(ChatStore &store, const Actor &actor, const ClientFrame::Notify &f);

    static Result fail(const QString &code, const QString &message);
    static Result storeFailed();
    // The channel `id` as the actor may see it; nullopt with `*error` set:
    // not_found (unknown, private and not a member) or not_member (when
    // `needMember`), bad_request without an id.
    static std::optional<StoredChannel> visibleChannel(ChatStore &store, const QString &user,
                                                       const std::optional<QString> &id,
                                                       bool needMember, Result *error);
    // Owner or admin (§8, §13); `*error` not_member/forbidden when not.
    static bool mayManage(ChatStore &store, const QString &user, const StoredChannel &channel,
                          Result *error);
    static bool isAdmin(ChatStore &store, const QString &user);
    // Every user in `ids` exists and is active; `*error` not_found when not.
    static bool checkUsers(ChatStore &store, const QStringList &ids, Result *error);
    // The channel as the actor sees it, nothing else changed.
    static Result answer(ChatStore &store, const QString &user, const QString &channel,
                         bool withUsers);
    // Reads what publishing `outcome` needs: every member's view of the
    // channel as it was before the event's system messages, the members'
    // records, the actor's view when not a member.
    static Result prepare(ChatStore &store, const QString &user, const Outcome &outcome);
    // The answer of a job that made an event: prepare() for `user`, run by
    // submit() once the event's writes are committed.
    static Result made(const QString &user, const Outcome &outcome);
    // prepare() for a result of made(); `made` itself (still toRead) when
    // the read failed.
    static Result readMade(ChatStore &store, const Result &made);
    // An event stored but not read: reads it again kReadAgainMs later (at
    // most kReadAttempts times), then publishes it.
    void readAgain(ClientConnection *c, const Actor &actor, const QJsonValue &ref,
                   const Result &made, int attempt);
    static constexpr int kReadAgainMs = 1000;
    static constexpr int kReadAttempts = 60;
    static Result logged(Result result, const QString &event, const QString &fields);

    ChatStore *m_store;
    Fanout *m_fanout;
    MembershipCache *m_members;
    PresenceService *m_presence;
    Settings m_settings;
    // Continuations check it: the handler may be gone when the store answers.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace Natter::Server
