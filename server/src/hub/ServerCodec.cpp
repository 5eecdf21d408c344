#include "hub/ServerCodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Natter::Server {

QString ServerCodec::timestamp(const QDateTime &dt)
{
    return dt.isValid() ? dt.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonObject ServerCodec::message(const StoredMessage &m)
{
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("channel"), m.channel},
                       {QStringLiteral("seq"), m.seq},
                       {QStringLiteral("author"), m.author},
                       {QStringLiteral("text"), m.text},
                       {QStringLiteral("ts"), timestamp(m.ts)},
                       {QStringLiteral("client_msg_id"), m.clientMsgId}};
}

QJsonObject ServerCodec::channel(const StoredChannel &c)
{
    return QJsonObject{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("kind"), c.direct ? QStringLiteral("direct") : QStringLiteral("channel")},
        {QStringLiteral("members"), QJsonArray::fromStringList(c.members)},
        {QStringLiteral("last_seq"), c.lastSeq},
        {QStringLiteral("last_read_seq"), c.lastReadSeq}};
}

QJsonObject ServerCodec::user(const StoredUser &u)
{
    return QJsonObject{{QStringLiteral("id"), u.id},
                       {QStringLiteral("username"), u.username},
                       {QStringLiteral("display_name"), u.displayName}};
}

QJsonObject ServerCodec::userWithPresence(const StoredUser &u, const QString &status,
                                          const QDateTime &lastSeen)
{
    QJsonObject o = user(u);
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("last_seen"),
             lastSeen.isValid() ? QJsonValue(timestamp(lastSeen)) : QJsonValue());
    return o;
}

QJsonObject ServerCodec::error(const QJsonValue &ref, const QString &code, const QString &message)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("code"), code},
                  {QStringLiteral("message"), message}};
    if (!ref.isUndefined() && !ref.isNull())
        o.insert(QStringLiteral("ref"), ref);
    return o;
}

QByteArray ServerCodec::encode(const QJsonObject &frame)
{
    return QJsonDocument(frame).toJson(QJsonDocument::Compact);
}

qsizetype ServerCodec::codePoints(const QString &text)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++n;
    }
    return n;
}

} // namespace Natter::Server
