// Interprets the §8 frames of an authenticated connection: channel_create,
// join, leave, invite, channel_update, archive and notify, with the §13 rules
// (names, private channels, owner/admin, archived refusals, answers to the
// actor). Every channel event goes through ChannelEvents (a system message in
// the same batch) and reaches every member live: `channel` frames, then the
// system message as a `message` frame, the actor's connections included.
//
// Owned by ChatFrameHandler, which forwards these frames to it.
#pragma once

#include "hub/ClientFrame.h"
#include "store/ChatStore.h"

#include <QCoreApplication>
#include <QJsonValue>

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
    // What a channel event changed, for publish().
    struct Outcome
    {
        QString channel;
        QStringList newcomers; // get `users` listing every member
        QStringList removed; // get `channel_removed`
        QString removedReason;
        QList<StoredMessage> system; // the event's system messages, in seq order
    };

    // The channel `id` as the actor may see it; sends not_found (unknown,
    // direct when `allowDirect` is false, private and not a member) or
    // not_member (when `needMember`) and answers nullopt.
    std::optional<StoredChannel> visibleChannel(ClientConnection *c, const QJsonValue &ref,
                                                const std::optional<QString> &id, bool needMember);
    // Owner or admin (§8, §13); sends not_member/forbidden when not.
    bool mayManage(ClientConnection *c, const QJsonValue &ref, const StoredChannel &channel);
    bool isAdmin(const QString &user);
    // Every user in `ids` exists and is active; sends not_found when not.
    bool checkUsers(ClientConnection *c, const QJsonValue &ref, const QStringList &ids);
    // Answers the actor with the channel as they see it, nothing else changed.
    void answer(ClientConnection *c, const QJsonValue &ref, const QString &channel, bool withUsers);
    // Once durable: refreshes the membership cache, answers the actor (`channel`
    // or `channel_removed` with the ref), sends every member the channel as they
    // see it (newcomers with every member in `users`, the others with the
    // newcomers), the removed their `channel_removed`, then the system messages.
    void publish(ClientConnection *c, const QJsonValue &ref, const Outcome &outcome);
    void sendError(ClientConnection *c, const QJsonValue &ref, const QString &code,
                   const QString &message);
    bool storeFailed(ClientConnection *c, const QJsonValue &ref);

    ChatStore *m_store;
    Fanout *m_fanout;
    MembershipCache *m_members;
    PresenceService *m_presence;
    Settings m_settings;
};

} // namespace Natter::Server
