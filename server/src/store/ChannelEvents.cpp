#include "store/ChannelEvents.h"

#include "RandomId.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Natter::Server {

StoreResult<StoredMessage> ChannelEvents::record(ChatStore *store, const QString &channel,
                                                 const QString &actor, const char *event,
                                                 const std::optional<QStringList> &users,
                                                 const std::optional<QString> &name,
                                                 const std::optional<QString> &topic)
{
    QJsonObject s{{QStringLiteral("event"), QString::fromLatin1(event)}};
    if (users)
        s.insert(QStringLiteral("users"), QJsonArray::fromStringList(*users));
    if (name)
        s.insert(QStringLiteral("name"), *name);
    if (topic)
        s.insert(QStringLiteral("topic"), *topic);
    StoredMessage m;
    m.channel = channel;
    // The admin CLI is nobody: its events have the author "" (a null QString
    // would be bound as NULL, which author_id refuses).
    m.author = actor.isNull() ? QStringLiteral("") : actor;
    m.kind = QStringLiteral("system");
    // (author, client_msg_id) is unique: a system message gets one of its own.
    m.clientMsgId = QStringLiteral("system-") + RandomId::hex();
    m.system = QJsonDocument(s).toJson(QJsonDocument::Compact);
    if (const auto stored = store->appendMessage(&m); !stored)
        return stored.error();
    return m;
}

StoreResult<StoredMessage> ChannelEvents::create(ChatStore *store, const StoredChannel &channel,
                                                 const QString &actor, QString *error)
{
    // The members last (see the header): the channel, its `created` message,
    // then each member, read up to that message.
    StoredChannel bare = channel;
    bare.members.clear();
    if (const auto added = store->addChannel(bare, error); !added)
        return added.error();
    QStringList others = channel.members;
    others.removeAll(actor);
    auto created = record(store, channel.id, actor, kCreated, others, channel.name);
    if (!created)
        return created;
    // The channel's first line is no news to the people it was made with:
    // read for them, so a new channel does not start with an unread badge.
    for (const QString &member : channel.members) {
        if (const auto joined = store->addMember(channel.id, member); !joined)
            return joined.error();
        if (const auto marked = store->setLastReadSeq(channel.id, member, created->seq); !marked)
            return marked.error();
    }
    return created;
}

StoreResult<StoredMessage> ChannelEvents::add(ChatStore *store, const QString &channel,
                                              const QString &actor, const QStringList &users)
{
    // The message first, the members last (see the header).
    const bool joined = users == QStringList{actor};
    auto recorded = record(store, channel, actor, joined ? kJoined : kInvited, users);
    if (!recorded)
        return recorded;
    for (const QString &user : users) {
        if (const auto added = store->addMember(channel, user); !added)
            return added.error();
    }
    return recorded;
}

StoreResult<StoredMessage> ChannelEvents::remove(ChatStore *store, const QString &channel,
                                                 const QString &actor, const QString &user)
{
    // The message first, as the admin CLI's `channel leave`: on PostgreSQL
    // the two take their row locks in one order (the channel's, then the
    // membership's), so the frame and the CLI leaving at once cannot deadlock.
    auto recorded = record(store, channel, actor, kLeft, QStringList{user});
    if (!recorded)
        return recorded;
    if (const auto removed = store->removeMember(channel, user); !removed)
        return removed.error();
    return recorded;
}

} // namespace Natter::Server
