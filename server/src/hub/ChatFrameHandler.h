// Interprets the frames of an authenticated connection (contract §3, §5):
// send/ack, typing, presence, history, read, dm, edit, delete, react, replies and
// mentions (§7), ping; errors that keep the connection open. Owned by ChatHub. Answers go straight
// to the connection whose frame it handles; everything for anyone else goes through the Fanout. It
// reads and writes the ChatStore, checks membership in the MembershipCache, and leaves presence and
// typing to PresenceService.
//
// ServerCodec::decode() gives one ClientFrame alternative per frame and handle()
// dispatches it with an exhaustive std::visit onto the on() overloads: a frame
// type without an on() does not compile.
#pragma once

#include "hub/ChannelFrameHandler.h"
#include "hub/ServerCodec.h"
#include "hub/UserLimits.h"

#include <QObject>

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

    // Checks that `channel` names a channel the user belongs to; sends the error if not.
    bool checkMember(ClientConnection *c, const QJsonValue &ref,
                     const std::optional<QString> &channel);
    // The live message an edit or delete is about; sends the error if there is none.
    std::optional<StoredMessage> findTarget(ClientConnection *c, const QJsonValue &ref,
                                            const QString &channel,
                                            const std::optional<QString> &id);
    // Sends the change to the actor's connection (with the frame's ref) and to
    // every other connection of every member (without), once it is durable (§6).
    void publishUpdate(ClientConnection *c, const QJsonValue &ref, ServerCodec::Change change,
                       const StoredMessage &m);
    // The per-user rate (issue 12) for frames that count against it; answers
    // `rate_limited` and returns false past it.
    bool admitForUser(ClientConnection *c, const ClientFrameVariant &frame);
    // §7 send.reply_to: the target, a live message of the same channel. False
    // (the error sent) when there is none; `target` stays empty without reply_to.
    bool replyTarget(ClientConnection *c, const ClientFrame::Send &f,
                     std::optional<StoredReplyTarget> *target);
    // §9 send.attachments: at most 10 distinct files the sender uploaded for
    // this channel and not yet attached. False (bad_request sent) otherwise.
    bool checkAttachments(ClientConnection *c, const ClientFrame::Send &f);
    // §7 mentions: the members `text` mentions outside code (every member for
    // `@channel`), never the author; sorted user ids.
    QStringList mentionsIn(const QString &channel, const QString &author, const QString &text);
    // §13: send, edit and react are refused in an archived channel; sends
    // `archived` and answers true when the channel is.
    bool refuseArchived(ClientConnection *c, const QJsonValue &ref, const QString &channel);
    // The storage failed on a send, edit or react: a retryable answer.
    void storageUnavailable(ClientConnection *c, const QJsonValue &ref);
    void closeIfAbusive(ClientConnection *c);
    void sendError(ClientConnection *c, const QJsonValue &ref, const QString &code,
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
