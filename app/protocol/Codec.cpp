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
    };
}

QJsonObject userToJson(const User &u)
{
    return QJsonObject{
        {QStringLiteral("id"), u.id},
        {QStringLiteral("username"), u.username},
        {QStringLiteral("display_name"), u.displayName},
        {QStringLiteral("status"), presenceToString(u.status)},
        {QStringLiteral("last_seen"),
         u.lastSeen.isValid() ? QJsonValue(timeToString(u.lastSeen)) : QJsonValue()},
    };
}

} // namespace

QByteArray encodeAuthenticate(const QString &token, const QString &clientName,
                              const QString &clientVersion, const QHash<QString, qint64> &resume)
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
    return toBytes(o);
}

QByteArray encodeSend(const QString &ref, const QString &channel, const QString &clientMsgId,
                      const QString &text)
{
    return toBytes({{QStringLiteral("type"), QStringLiteral("send")},
                    {QStringLiteral("ref"), ref},
                    {QStringLiteral("channel"), channel},
                    {QStringLiteral("client_msg_id"), clientMsgId},
                    {QStringLiteral("text"), text}});
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

QByteArray encodePing(const QString &ref)
{
    return toBytes(
        {{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("ref"), ref}});
}

QJsonObject messageToJson(const Message &m)
{
    return QJsonObject{
        {QStringLiteral("id"), m.id},
        {QStringLiteral("channel"), m.channel},
        {QStringLiteral("seq"), m.seq},
        {QStringLiteral("author"), m.author},
        {QStringLiteral("text"), m.text},
        {QStringLiteral("ts"), timeToString(m.ts)},
        {QStringLiteral("client_msg_id"),
         m.clientMsgId.isEmpty() ? QJsonValue() : QJsonValue(m.clientMsgId)},
    };
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
    return toBytes({{QStringLiteral("type"), QStringLiteral("connected")},
                    {QStringLiteral("user"), userToJson(e.self)},
                    {QStringLiteral("connection_id"), e.connectionId},
                    {QStringLiteral("heartbeat_interval"), e.heartbeatIntervalSecs},
                    {QStringLiteral("server_time"), timeToString(e.serverTime)},
                    {QStringLiteral("channels"), channels},
                    {QStringLiteral("users"), users}});
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
