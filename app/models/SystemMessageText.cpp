#include "SystemMessageText.h"

#include <QJsonArray>
#include <QLocale>

namespace Natter {

QString SystemMessageText::text(const Message &m, const NameOf &nameOf)
{
    if (m.kind != MessageKind::System)
        return {};
    const auto name = [&nameOf](const QString &id) {
        return nameOf ? nameOf(id) : id;
    };
    QStringList users;
    for (const QJsonValue &id : m.system.value(QLatin1String("users")).toArray())
        users.append(name(id.toString()));
    // No author: the server's administrator did it (`natterd channel ...`).
    const QString actor = m.author.isEmpty() ? tr("An administrator") : name(m.author);
    const QString someone = users.isEmpty() ? actor : QLocale().createSeparatedList(users);
    // §7: S = {"event", "users"?, "name"?, "topic"?}; an event this client does
    // not know yet still reads as a change to the channel.
    const QString event = m.system.value(QLatin1String("event")).toString();
    if (event == u"created")
        return tr("%1 created #%2").arg(actor, m.system.value(QLatin1String("name")).toString());
    if (event == u"joined")
        return tr("%1 joined").arg(someone);
    if (event == u"left")
        return tr("%1 left").arg(someone);
    if (event == u"invited")
        return tr("%1 added %2").arg(actor, someone);
    if (event == u"renamed")
        return tr("%1 renamed the channel to #%2")
            .arg(actor, m.system.value(QLatin1String("name")).toString());
    if (event == u"topic") {
        const QString topic = m.system.value(QLatin1String("topic")).toString();
        return topic.isEmpty() ? tr("%1 cleared the topic").arg(actor)
                               : tr("%1 set the topic: %2").arg(actor, topic);
    }
    if (event == u"archived")
        return tr("%1 archived the channel").arg(actor);
    if (event == u"unarchived")
        return tr("%1 unarchived the channel").arg(actor);
    return tr("%1 changed the channel").arg(actor);
}

} // namespace Natter
