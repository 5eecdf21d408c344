// Interprets the frames of an authenticated connection (contract §3, §5):
// send/ack, typing, presence, history, read, dm, edit, delete, react, replies and
// mentions (§7), ping; errors that keep the connection open. Owned by ChatHub. Answers go straight
// to the connection whose frame it handles; everything for anyone else goes through the Fanout. It
// checks membership in the MembershipCache, and leaves presence and typing to PresenceService.
// Every ChatStore call runs in a store job (ChatStore::run / runSendJob; issue 16): all the reads
// and writes of one frame in one job, off the event loop on PostgreSQL, answered in call order
// by a continuation on the loop; only checks that need no store run on the loop before it.
//
// ServerCodec::decode() gives one ClientFrame alternative per frame and handle()
// dispatches it with an exhaustive std::visit onto the on() overloads: a frame
// type without an on() does not compile.
#pragma once

#include "hub/ChannelFrameHandler.h"
#include "hub/ServerCodec.h"
#include "hub/UserLimits.h"

#include <QObject>
#include <QPointer>

namespace Natter::Server {

class ChatStore;
class ClientConnection;
class Fanout;
class MembershipCache;
class PresenceService;
class UserLimits;

class ChatFrameHandler : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxTextCodePoints = 4000;
    static constexpr int kMaxDistinctReactions = 50; // §7, §11
    static constexpr int kMaxAttachments = 10; // §9

    struct Settings
    {
        qint64 editWindowMs = -1; // -1: edits allowed at any age (§7 edit window)
        bool onlyAdminsCreateChannels = false; // §8 server setting (ChannelFrameHandler)
    };

    ChatFrameHandler(ChatStore *store, Fanout *fanout, MembershipCache *members,
                     PresenceService *presence, UserLimits *userLimits, const Settings &settings,
                     QObject *parent = nullptr);

    void handle(ClientConnection *connection, const QByteArray &data, bool binary);

Q_SIGNALS:
    // §9: a delete removed these files of a message from the store (committed);
    // their bytes on disk are to go too.
    void filesReleased(const QStringList &fileIds);

private:
    void on(ClientConnection *c, const ClientFrame::Send &f);
    void on(ClientConnection *c, const ClientFrame::Typing &f);
    void on(ClientConnection *c, const ClientFrame::Presence &f);
    void on(ClientConnection *c, const ClientFrame::History &f);
    void on(ClientConnection *c, const ClientFrame::Read &f);
    void on(ClientConnection *c, const ClientFrame::Dm &f);
    void on(ClientConnection *c, const ClientFrame::Edit &f);
    void on(ClientConnection *c, const ClientFrame::Delete &f);
    void on(ClientConnection *c, const ClientFrame::React &f);
    // §8: channel frames are ChannelFrameHandler's. (A per-user limit on
    // channel_create belongs in front of that forward.)
    void on(ClientConnection *c, const ClientFrame::ChannelCreate &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Join &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Leave &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Invite &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::ChannelUpdate &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Archive &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Notify &f) { m_channels.on(c, f); }
    void on(ClientConnection *c, const ClientFrame::Ping &f);
    void on(ClientConnection *c, const ClientFrame::Unknown &f);
    void on(ClientConnection *c, const ClientFrame::Malformed &f);

    // Checks that `channel` names a channel the user belongs to (the
    // MembershipCache). False when it does not: the error (not_found or
    // not_member, which needs the store) is sent later, from a store job.
    bool checkMember(ClientConnection *c, const QJsonValue &ref,
                     const std::optional<QString> &channel);
    // Sends the change to the actor's connection (with the frame's ref) and to
    // every other connection of every member (without). Called once the change
    // is durable (§6): from a store job's continuation.
    void publishUpdate(const QPointer<ClientConnection> &actor, const QString &actorId,
                       const QJsonValue &ref, ServerCodec::Change change, const StoredMessage &m);
    // The per-user rate (issue 12) for frames that count against it; answers
    // `rate_limited` and returns false past it.
    bool admitForUser(ClientConnection *c, const ClientFrameVariant &frame);
    // The storage failed on a send, edit or react: a retryable answer.
    static void storageUnavailable(ClientConnection *c, const QJsonValue &ref);
    // An edit, delete or react whose job did not change the message: its
    // outcome and what the three word differently (defined in the .cpp).
    struct NotDone;
    // The answers the three share, for the actor only: the unchanged message
    // `m` (§13 no change), not_found, forbidden, archived, the storage
    // unavailable, else "could not be stored". The precedence between them is
    // the job's (§13); a continuation answers its own validation errors first.
    static void answerNotDone(ClientConnection *c, const QJsonValue &ref, const StoredMessage &m,
                              const NotDone &notDone);
    void closeIfAbusive(ClientConnection *c);
    static void sendError(ClientConnection *c, const QJsonValue &ref, const QString &code,
                          const QString &message);

    ChatStore *m_store;
    Fanout *m_fanout;
    MembershipCache *m_members;
    PresenceService *m_presence;
    UserLimits *m_userLimits;
    Settings m_settings;
    ChannelFrameHandler m_channels;
};

} // namespace Natter::Server
