// The codec's §8 part: the channel action frames a client sends, the channel
// name rule, and the two directories (`/api/v1/channels`, `/api/v1/users`) read
// leniently (a malformed entry is skipped, never the page).
#include "Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Natter::Codec {
namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject action(const char *type, const QString &ref, const QString &channel = {})
{
    QJsonObject o{{QStringLiteral("type"), QString::fromLatin1(type)},
                  {QStringLiteral("ref"), ref}};
    if (!channel.isEmpty())
        o.insert(QStringLiteral("channel"), channel);
    return o;
}

QString cursor(const QJsonObject &page)
{
    const QJsonValue next = page.value(QLatin1String("next"));
    return next.isString() ? next.toString() : QString();
}

} // namespace

QByteArray encodeChannelCreate(const QString &ref, const QString &name, bool isPrivate,
                               const QString &topic, const QStringList &members)
{
    QJsonObject o = action("channel_create", ref);
    o.insert(QStringLiteral("name"), name);
    o.insert(QStringLiteral("visibility"),
             isPrivate ? QStringLiteral("private") : QStringLiteral("public"));
    if (!topic.isEmpty())
        o.insert(QStringLiteral("topic"), topic);
    if (!members.isEmpty())
        o.insert(QStringLiteral("members"), QJsonArray::fromStringList(members));
    return compact(o);
}

QByteArray encodeJoin(const QString &ref, const QString &channel)
{
    return compact(action("join", ref, channel));
}

QByteArray encodeLeave(const QString &ref, const QString &channel)
{
    return compact(action("leave", ref, channel));
}

QByteArray encodeInvite(const QString &ref, const QString &channel, const QStringList &users)
{
    QJsonObject o = action("invite", ref, channel);
    o.insert(QStringLiteral("users"), QJsonArray::fromStringList(users));
    return compact(o);
}

QByteArray encodeChannelUpdate(const QString &ref, const QString &channel,
                               const std::optional<QString> &name,
                               const std::optional<QString> &topic)
{
    QJsonObject o = action("channel_update", ref, channel);
    if (name)
        o.insert(QStringLiteral("name"), *name);
    if (topic)
        o.insert(QStringLiteral("topic"), *topic);
    return compact(o);
}

QByteArray encodeArchive(const QString &ref, const QString &channel, bool archived)
{
    QJsonObject o = action("archive", ref, channel);
    o.insert(QStringLiteral("archived"), archived);
    return compact(o);
}

bool isValidChannelName(const QString &name)
{
    static const QRegularExpression rule(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    return rule.match(name).hasMatch();
}

QList<DirectoryChannel> directoryChannelsFromJson(const QJsonObject &page, QString *next)
{
    QList<DirectoryChannel> result;
    for (const QJsonValue &entry : page.value(QLatin1String("channels")).toArray()) {
        const QJsonObject o = entry.toObject();
        DirectoryChannel c;
        c.id = o.value(QLatin1String("id")).toString();
        c.name = o.value(QLatin1String("name")).toString();
        if (c.id.isEmpty() || c.name.isEmpty())
            continue;
        c.topic = o.value(QLatin1String("topic")).toString();
        c.memberCount = std::max(0, o.value(QLatin1String("member_count")).toInt());
        c.archived = o.value(QLatin1String("archived")).toBool();
        c.member = o.value(QLatin1String("member")).toBool();
        result.append(c);
    }
    if (next)
        *next = cursor(page);
    return result;
}

QList<User> directoryUsersFromJson(const QJsonObject &page, QString *next)
{
    QList<User> result;
    for (const QJsonValue &entry : page.value(QLatin1String("users")).toArray()) {
        const QJsonObject o = entry.toObject();
        User u;
        u.id = o.value(QLatin1String("id")).toString();
        u.username = o.value(QLatin1String("username")).toString();
        if (u.id.isEmpty() || u.username.isEmpty())
            continue;
        u.displayName = o.value(QLatin1String("display_name")).toString();
        u.admin = o.value(QLatin1String("admin")).toBool();
        u.lastSeen = timeFromString(o.value(QLatin1String("last_seen")).toString());
        const QString status = o.value(QLatin1String("status")).toString();
        u.status = status == u"online" ? PresenceStatus::Online
            : status == u"away"        ? PresenceStatus::Away
                                       : PresenceStatus::Offline;
        result.append(u);
    }
    if (next)
        *next = cursor(page);
    return result;
}

} // namespace Natter::Codec
