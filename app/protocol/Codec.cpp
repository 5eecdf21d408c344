#include "Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace Natter::Codec {
namespace {

QByteArray toBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

QJsonObject channelToJson(const Channel &c)
{
    QJsonArray members;
    for (const QString &m : c.members)
        members.append(m);
    return QJsonObject{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("kind"),
         c.kind == ChannelKind::Direct ? QStringLiteral("direct") : QStringLiteral("channel")},
        {QStringLiteral("members"), members},
        {QStringLiteral("last_seq"), c.lastSeq},
        {QStringLiteral("last_read_seq"), c.lastReadSeq},
        {QStringLiteral("last_ev"), c.lastEv},
        {QStringLiteral("mention_count"), c.mentionCount},
        {QStringLiteral("visibility"),
         c.visibility == ChannelVisibility::Private      ? QStringLiteral("private")
             : c.visibility == ChannelVisibility::Direct ? QStringLiteral("direct")
                                                         : QStringLiteral("public")},
        {QStringLiteral("topic"), c.topic},
        {QStringLiteral("owner"), c.owner.isEmpty() ? QJsonValue() : QJsonValue(c.owner)},
        {QStringLiteral("archived"), c.archived},
        {QStringLiteral("notify"), notifyLevelToString(c.notify)},
    };
}

namespace {

QJsonObject userToJson(const User &u)
{
    return QJsonObject{
        {QStringLiteral("id"), u.id},
        {QStringLiteral("username"), u.username},
        {QStringLiteral("display_name"), u.displayName},
        {QStringLiteral("status"), presenceToString(u.status)},
        {QStringLiteral("last_seen"),
         u.lastSeen.isValid() ? QJsonValue(timeToString(u.lastSeen)) : QJsonValue()},
        {QStringLiteral("admin"), u.admin},
    };
}

} // namespace

QByteArray encodeAuthenticate(const QString &token, const QString &clientName,
                              const QString &clientVersion, const QHash<QString, qint64> &resume,
                              const QHash<QString, qint64> &resumeEv)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("authenticate")},
                  {QStringLiteral("client"),
                   QJsonObject{{QStringLiteral("name"), clientName},
                               {QStringLiteral("version"), clientVersion}}}};
    if (!token.isEmpty())
        o.insert(QStringLiteral("token"), token);
    if (!resume.isEmpty()) {
        QJsonObject r;
        for (auto it = resume.cbegin(); it != resume.cend(); ++it)
            r.insert(it.key(), it.value());
        o.insert(QStringLiteral("resume"), r);
    }
    if (!resumeEv.isEmpty()) {
        QJsonObject r;
        for (auto it = resumeEv.cbegin(); it != resumeEv.cend(); ++it)
            r.insert(it.key(), it.value());
        o.insert(QStringLiteral("resume_ev"), r);
    }
    return toBytes(o);
}

QByteArray encodeSend(const QString &ref, const QString &channel, const QString &clientMsgId,
                      const QString &text, const QString &replyTo)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("send")},
                  {QStringLiteral("ref"), ref},
                  {QStringLiteral("channel"), channel},
                  {QStringLiteral("client_msg_id"), clientMsgId},
                  {QStringLiteral("text"), text}};
    if (!replyTo.isEmpty())
        o.insert(QStringLiteral("reply_to"), replyTo);
    return toBytes(o);
}

QByteArray encodeReact(const QString &ref, const QString &channel, const QString &id,
                       const QString &emoji, bool on)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("react")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("emoji"), emoji},
                    {QStringLiteral("on"), on}});
}

QByteArray encodeEdit(const QString &ref, const QString &channel, const QString &id,
                      const QString &text)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("edit")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("text"), text}});
}

QByteArray encodeDelete(const QString &ref, const QString &channel, const QString &id)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("delete")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("id"), id}});
}

QByteArray encodeTyping(const QString &channel, TypingState state)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("typing")},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("state"), typingToString(state)}});
}

QByteArray encodePresence(PresenceStatus status)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("presence")},
                    {QStringLiteral("status"), presenceToString(status)}});
}

QByteArray encodeHistory(const QString &ref, const QString &channel, qint64 beforeSeq, int limit)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("history")},
                  {QStringLiteral("ref"), ref},
                  {QStringLiteral("channel"), channel}};
    if (beforeSeq > 0)
        o.insert(QStringLiteral("before_seq"), beforeSeq);
    if (limit > 0)
        o.insert(QStringLiteral("limit"), limit);
    return toBytes(o);
}

QByteArray encodeRead(const QString &channel, qint64 seq)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("read")},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("seq"), seq}});
}

QByteArray encodeDm(const QString &ref, const QString &userId)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("dm")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("user"), userId}});
}

QByteArray encodeNotify(const QString &ref, const QString &channel, NotifyLevel level)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("notify")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("level"), notifyLevelToString(level)}});
}

QByteArray encodePing(const QString &ref)
{
    return toBytes(
        {{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ref"), ref}});
}

QJsonObject messageToJson(const Message &m)
{
    QJsonObject o{
        {QStringLiteral("id"), m.id},
        {QStringLiteral("channel"), m.channel},
        {QStringLiteral("seq"), m.seq},
        {QStringLiteral("author"), m.author},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("ts"), timeToString(m.ts)},
        {QStringLiteral("client_msg_id"),
         m.clientMsgId.isEmpty() ? QJsonValue() : QJsonValue(m.clientMsgId)},
    };
    if (m.rev > 0) {
        QJsonArray mentions;
        for (const QString &id : m.mentions)
            mentions.append(id);
        o.insert(QStringLiteral("kind"),
                 m.kind == MessageKind::System ? QStringLiteral("system") : QStringLiteral("user"));
        o.insert(QStringLiteral("rev"), m.rev);
        o.insert(QStringLiteral("ev"), m.ev);
        o.insert(QStringLiteral("edited_at"),
                 m.editedAt.isValid() ? QJsonValue(timeToString(m.editedAt)) : QJsonValue());
        o.insert(QStringLiteral("deleted"), m.deleted);
        o.insert(QStringLiteral("reply_to"),
                 m.replyTo ? QJsonValue(replyRefToJson(*m.replyTo)) : QJsonValue());
        o.insert(QStringLiteral("mentions"), mentions);
        o.insert(QStringLiteral("reactions"), reactionsToJson(m.reactions));
        o.insert(QStringLiteral("attachments"), attachmentsToJson(m.attachments));
        o.insert(QStringLiteral("system"),
                 m.system.isEmpty() ? QJsonValue() : QJsonValue(m.system));
    }
    return o;
}

QJsonObject replyRefToJson(const ReplyRef &r)
{
    return QJsonObject{{QStringLiteral("id"), r.id},
                       {QStringLiteral("seq"), r.seq},
                       {QStringLiteral("author"), r.author},
                       {QStringLiteral("excerpt"), r.excerpt},
                       {QStringLiteral("deleted"), r.deleted}};
}

QJsonArray reactionsToJson(const QList<Reaction> &reactions)
{
    QJsonArray list;
    for (const Reaction &x : reactions) {
        list.append(QJsonObject{{QStringLiteral("emoji"), x.emoji},
                                {QStringLiteral("count"), x.count},
                                {QStringLiteral("users"), QJsonArray::fromStringList(x.users)}});
    }
    return list;
}

QJsonObject attachmentToJson(const Attachment &f)
{
    QJsonObject o{{QStringLiteral("id"), f.id},
                  {QStringLiteral("name"), f.name},
                  {QStringLiteral("size"), f.size},
                  {QStringLiteral("mime"), f.mime},
                  {QStringLiteral("thumbnail"), f.thumbnail}};
    if (f.width > 0 && f.height > 0) {
        o.insert(QStringLiteral("width"), f.width);
        o.insert(QStringLiteral("height"), f.height);
    }
    return o;
}

QJsonArray attachmentsToJson(const QList<Attachment> &files)
{
    QJsonArray list;
    for (const Attachment &f : files)
        list.append(attachmentToJson(f));
    return list;
}

QString changeToString(MessageChange change)
{
    switch (change) {
    case MessageChange::Edit:
        return QStringLiteral("edit");
    case MessageChange::Delete:
        return QStringLiteral("delete");
    case MessageChange::Reaction:
        return QStringLiteral("reaction");
    case MessageChange::Other:
        break;
    }
    return QStringLiteral("other");
}

QByteArray encodeMessageUpdatedFrame(const MessageUpdatedEvent &e)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("message_updated")},
                  {QStringLiteral("change"), changeToString(e.change)},
                  {QStringLiteral("message"), messageToJson(e.message)}};
    if (!e.ref.isEmpty())
        o.insert(QStringLiteral("ref"), e.ref);
    return toBytes(o);
}

QByteArray encodeResyncFrame(const ResyncEvent &e)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("resync")},
                    {QStringLiteral("channel"), e.channel},
                    {QStringLiteral("reason"), e.reason}});
}

QByteArray encodeMessageFrame(const Message &message)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("message")},
                    {QStringLiteral("message"), messageToJson(message)}});
}

QByteArray encodeAckFrame(const AckEvent &ack)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("ack")},
                    {QStringLiteral("ref"), ack.ref},
                    {QStringLiteral("client_msg_id"), ack.clientMsgId},
                    {QStringLiteral("message"), messageToJson(ack.message)}});
}

QByteArray encodeConnectedFrame(const ConnectedEvent &e)
{
    QJsonArray channels;
    for (const Channel &c : e.channels)
        channels.append(channelToJson(c));
    QJsonArray users;
    for (const User &u : e.users)
        users.append(userToJson(u));
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("connected")},
                  {QStringLiteral("user"), userToJson(e.self)},
                  {QStringLiteral("connection_id"), e.connectionId},
                  {QStringLiteral("heartbeat_interval"), e.heartbeatIntervalSecs},
                  {QStringLiteral("server_time"), timeToString(e.serverTime)},
                  {QStringLiteral("channels"), channels},
                  {QStringLiteral("users"), users}};
    if (e.protocol > 1)
        o.insert(QStringLiteral("protocol"), e.protocol);
    return toBytes(o);
}

QByteArray encodeHistoryFrame(const HistoryEvent &e)
{
    QJsonArray messages;
    for (const Message &m : e.messages)
        messages.append(messageToJson(m));
    return toBytes({{QStringLiteral("type"), QStringLiteral("history")},
                    {QStringLiteral("ref"), e.ref},
                    {QStringLiteral("channel"), e.channel},
                    {QStringLiteral("messages"), messages},
                    {QStringLiteral("has_more"), e.hasMore}});
}

QString presenceToString(PresenceStatus status)
{
    switch (status) {
    case PresenceStatus::Online:
        return QStringLiteral("online");
    case PresenceStatus::Away:
        return QStringLiteral("away");
    case PresenceStatus::Offline:
        break;
    }
    return QStringLiteral("offline");
}

QString notifyLevelToString(NotifyLevel level)
{
    switch (level) {
    case NotifyLevel::Mentions:
        return QStringLiteral("mentions");
    case NotifyLevel::None:
        return QStringLiteral("none");
    case NotifyLevel::All:
        break;
    }
    return QStringLiteral("all");
}

NotifyLevel notifyLevelFromString(const QString &text)
{
    if (text == u"mentions")
        return NotifyLevel::Mentions;
    if (text == u"none")
        return NotifyLevel::None;
    return NotifyLevel::All;
}

QString typingToString(TypingState state)
{
    return state == TypingState::Start ? QStringLiteral("start") : QStringLiteral("stop");
}

QString timeToString(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime timeFromString(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace Natter::Codec
