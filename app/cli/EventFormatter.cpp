#include "EventFormatter.h"

#include "models/SystemMessageText.h"
#include "protocol/Codec.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace Natter {

namespace {

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

EventFormatter::EventFormatter(bool json)
    : m_json(json)
{ }

void EventFormatter::setSnapshot(const ConnectedEvent &event)
{
    m_channels.clear();
    m_channelOrder.clear();
    m_users.clear();
    m_selfId = event.self.id;
    m_users.insert(event.self.id, event.self);
    for (const User &user : event.users)
        m_users.insert(user.id, user);
    for (const Channel &channel : event.channels)
        addChannel(channel);
}

void EventFormatter::addChannel(const Channel &channel)
{
    if (!m_channels.contains(channel.id))
        m_channelOrder.append(channel.id);
    m_channels.insert(channel.id, channel);
}

QString EventFormatter::resolveChannel(const QString &nameOrId) const
{
    if (m_channels.contains(nameOrId))
        return nameOrId;
    QString name = nameOrId;
    if (name.startsWith(QLatin1Char('#')))
        name.remove(0, 1);
    for (const QString &id : m_channelOrder) {
        if (m_channels.value(id).name.compare(name, Qt::CaseInsensitive) == 0)
            return id;
    }
    return {};
}

QString EventFormatter::channelName(const QString &id) const
{
    const Channel channel = m_channels.value(id);
    if (!channel.name.isEmpty())
        return channel.name;
    if (channel.kind == ChannelKind::Direct) {
        QStringList others;
        for (const QString &member : channel.members)
            others << userName(member);
        return others.join(QStringLiteral(", "));
    }
    return id;
}

QString EventFormatter::userName(const QString &id) const
{
    const auto it = m_users.constFind(id);
    return it == m_users.cend() ? id : it->username;
}

QJsonObject EventFormatter::messageJson(const Message &message) const
{
    QJsonObject object{
        {QStringLiteral("id"), message.id},
        {QStringLiteral("channel"), message.channel},
        {QStringLiteral("channel_name"), channelName(message.channel)},
        {QStringLiteral("seq"), message.seq},
        {QStringLiteral("author"), message.author},
        {QStringLiteral("author_name"), userName(message.author)},
        {QStringLiteral("text"), message.text},
        {QStringLiteral("ts"), isoTime(message.ts)},
        {QStringLiteral("client_msg_id"), message.clientMsgId},
        // §6: 0 and null from a v1 server.
        {QStringLiteral("rev"), message.rev},
        {QStringLiteral("ev"), message.ev},
        {QStringLiteral("edited_at"),
         message.editedAt.isValid() ? QJsonValue(isoTime(message.editedAt)) : QJsonValue()},
        {QStringLiteral("deleted"), message.deleted},
        // §7, with names added like author_name; [] and null from a v1 server.
        {QStringLiteral("reply_to"), replyJson(message)},
        {QStringLiteral("mentions"), QJsonArray::fromStringList(message.mentions)},
        {QStringLiteral("mention_names"), QJsonArray::fromStringList(userNames(message.mentions))},
        {QStringLiteral("mentions_me"), !m_selfId.isEmpty() && message.mentionsUser(m_selfId)},
        {QStringLiteral("reactions"), reactionsJson(message)},
        // §9 `F` as the protocol has it; [] from a v1 server and for a tombstone.
        {QStringLiteral("attachments"), Codec::attachmentsToJson(message.attachments)}};
    // §7 system messages: the kind, the protocol's `S` and the worded sentence.
    if (message.kind == MessageKind::System) {
        object.insert(QStringLiteral("kind"), QStringLiteral("system"));
        object.insert(QStringLiteral("system"), message.system);
        object.insert(QStringLiteral("system_text"), systemText(message));
    }
    return object;
}

QStringList EventFormatter::userNames(const QStringList &ids) const
{
    QStringList names;
    for (const QString &id : ids)
        names.append(userName(id));
    return names;
}

QJsonValue EventFormatter::replyJson(const Message &message) const
{
    if (!message.replyTo)
        return QJsonValue();
    QJsonObject reply = Codec::replyRefToJson(*message.replyTo);
    reply.insert(QStringLiteral("author_name"), userName(message.replyTo->author));
    return reply;
}

QJsonArray EventFormatter::reactionsJson(const Message &message) const
{
    QJsonArray list;
    for (const Reaction &x : message.reactions) {
        list.append(QJsonObject{
            {QStringLiteral("emoji"), x.emoji},
            {QStringLiteral("count"), x.count},
            {QStringLiteral("users"), QJsonArray::fromStringList(x.users)},
            {QStringLiteral("user_names"), QJsonArray::fromStringList(userNames(x.users))},
            {QStringLiteral("mine"), x.users.contains(m_selfId)}});
    }
    return list;
}

QString EventFormatter::decorations(const Message &message) const
{
    // What a reader of the plain output needs besides the text: the quote and
    // whether it is about them.
    QString prefix;
    if (message.replyTo) {
        prefix += message.replyTo->deleted
            ? QCoreApplication::translate("EventFormatter", "(reply to message %1, deleted) ")
                  .arg(message.replyTo->seq)
            : QCoreApplication::translate("EventFormatter", "(reply to %1, message %2: “%3”) ")
                  .arg(userName(message.replyTo->author))
                  .arg(message.replyTo->seq)
                  .arg(message.replyTo->excerpt.left(60).replace(QLatin1Char('\n'),
                                                                 QLatin1Char(' ')));
    }
    if (!m_selfId.isEmpty() && message.mentionsUser(m_selfId))
        prefix += QCoreApplication::translate("EventFormatter", "(mentions you) ");
    return prefix;
}

QString EventFormatter::reactionSummary(const Message &message) const
{
    QStringList parts;
    for (const Reaction &x : message.reactions)
        parts.append(QStringLiteral("%1 %2 (%3)")
                         .arg(x.emoji)
                         .arg(x.count)
                         .arg(userNames(x.users).join(QStringLiteral(", "))));
    return parts.isEmpty() ? QCoreApplication::translate("EventFormatter", "none")
                           : parts.join(QStringLiteral("  "));
}

QJsonObject EventFormatter::channelJson(const Channel &channel) const
{
    return QJsonObject{{QStringLiteral("id"), channel.id},
                       {QStringLiteral("name"),
                        channelName(channel.id).isEmpty() ? channel.name : channelName(channel.id)},
                       {QStringLiteral("kind"),
                        channel.kind == ChannelKind::Direct ? QStringLiteral("direct")
                                                            : QStringLiteral("channel")},
                       {QStringLiteral("members"), QJsonArray::fromStringList(channel.members)},
                       {QStringLiteral("last_seq"), channel.lastSeq},
                       {QStringLiteral("last_read_seq"), channel.lastReadSeq},
                       {QStringLiteral("mention_count"), channel.mentionCount}};
}

QByteArray EventFormatter::line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray EventFormatter::line(const QString &text)
{
    return text.toUtf8() + '\n';
}

QByteArray EventFormatter::connected(const ConnectedEvent &event) const
{
    if (m_json) {
        QJsonArray channels;
        for (const Channel &channel : event.channels)
            channels.append(channelJson(channel));
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("connected")},
                                {QStringLiteral("user"), event.self.username},
                                {QStringLiteral("user_id"), event.self.id},
                                {QStringLiteral("channels"), channels}});
    }
    return line(QCoreApplication::translate("EventFormatter",
                                            "Connected as %1 (%2 channels). Press Ctrl+C to stop.")
                    .arg(event.self.username)
                    .arg(event.channels.size()));
}

QByteArray EventFormatter::channelList() const
{
    QByteArray out;
    for (const QString &id : m_channelOrder) {
        const Channel channel = m_channels.value(id);
        if (m_json) {
            QJsonObject object = channelJson(channel);
            object.insert(QStringLiteral("type"), QStringLiteral("channel"));
            out += line(object);
        } else {
            const QString name = channel.kind == ChannelKind::Direct
                ? QStringLiteral("@") + channelName(id)
                : QStringLiteral("#") + channelName(id);
            out += line(QStringLiteral("%1\t%2\t%3").arg(name, id).arg(channel.lastSeq));
        }
    }
    return out;
}

QString EventFormatter::systemText(const Message &message) const
{
    return SystemMessageText::text(message, [this](const QString &id) { return userName(id); });
}

QByteArray EventFormatter::message(const Message &message) const
{
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("message")},
                                {QStringLiteral("message"), messageJson(message)}});
    // §7: a system message has no text of its own; it is worded here, in the
    // user's language, and marked "*" instead of an author.
    if (message.kind == MessageKind::System)
        return line(
            QStringLiteral("[%1] #%2 * %3")
                .arg(message.ts.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     channelName(message.channel), systemText(message)));
    return line(QStringLiteral("[%1] #%2 <%3> %4%5")
                    .arg(message.ts.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         channelName(message.channel), userName(message.author),
                         decorations(message), message.text))
        + attachmentLines(message);
}

QByteArray EventFormatter::attachmentLines(const Message &message)
{
    // §9: one indented line per file, with the command that fetches it.
    QByteArray out;
    for (const Attachment &f : message.attachments) {
        out += line(QCoreApplication::translate("EventFormatter",
                                                "    file: %1 (%2, %3) — natter-cli download %4")
                        .arg(f.name, QLocale().formattedDataSize(f.size), f.mime, f.id));
    }
    return out;
}

QByteArray EventFormatter::history(const HistoryEvent &event) const
{
    QByteArray out;
    for (const Message &m : event.messages)
        out += message(m);
    return out;
}

QByteArray EventFormatter::searchPage(const SearchPage &page) const
{
    QByteArray out;
    for (const SearchHit &hit : page.hits) {
        if (m_json) {
            // The matched words as text: scripts need no offsets or encodings.
            QJsonArray matches;
            for (const auto &[start, length] : hit.highlights)
                matches.append(hit.snippet.mid(start, length));
            out += line(QJsonObject{{QStringLiteral("type"), QStringLiteral("search_result")},
                                    {QStringLiteral("message"), messageJson(hit.message)},
                                    {QStringLiteral("snippet"), hit.snippet},
                                    {QStringLiteral("matches"), matches}});
            continue;
        }
        out += line(
            QStringLiteral("[%1] #%2 <%3> (seq %4) %5")
                .arg(hit.message.ts.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     channelName(hit.message.channel), userName(hit.message.author))
                .arg(hit.message.seq)
                .arg(hit.snippet));
    }
    if (page.hits.isEmpty() && !m_json)
        out += line(QCoreApplication::translate("EventFormatter", "No messages match “%1”.")
                        .arg(page.query));
    return out;
}

QByteArray EventFormatter::typing(const TypingEvent &event) const
{
    const bool start = event.state == TypingState::Start;
    if (m_json) {
        QJsonObject object{{QStringLiteral("type"), QStringLiteral("typing")},
                           {QStringLiteral("channel"), event.channel},
                           {QStringLiteral("user"), event.user},
                           {QStringLiteral("user_name"), userName(event.user)},
                           {QStringLiteral("state"), Codec::typingToString(event.state)}};
        if (start)
            object.insert(QStringLiteral("expires_in_ms"), event.expiresInMs);
        return line(object);
    }
    return line(start ? QCoreApplication::translate("EventFormatter", "%1 is typing in #%2")
                            .arg(userName(event.user), channelName(event.channel))
                      : QCoreApplication::translate("EventFormatter", "%1 stopped typing in #%2")
                            .arg(userName(event.user), channelName(event.channel)));
}

QByteArray EventFormatter::presence(const PresenceEvent &event) const
{
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("presence")},
                                {QStringLiteral("user"), event.user},
                                {QStringLiteral("user_name"), userName(event.user)},
                                {QStringLiteral("status"), Codec::presenceToString(event.status)},
                                {QStringLiteral("last_seen"), isoTime(event.lastSeen)}});
    return line(QCoreApplication::translate("EventFormatter", "%1 is %2")
                    .arg(userName(event.user), Codec::presenceToString(event.status)));
}

QByteArray EventFormatter::read(const ReadEvent &event) const
{
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("read")},
                                {QStringLiteral("channel"), event.channel},
                                {QStringLiteral("user"), event.user},
                                {QStringLiteral("seq"), event.seq}});
    return line(QCoreApplication::translate("EventFormatter", "Read #%1 up to %2")
                    .arg(channelName(event.channel))
                    .arg(event.seq));
}

QByteArray EventFormatter::applyChannel(const ChannelEvent &event)
{
    for (const User &user : event.users)
        m_users.insert(user.id, user);
    const bool known = m_channels.contains(event.channel.id);
    const bool member = event.channel.members.contains(m_selfId);
    if (!member && !known)
        return {}; // left before we ever listed it: nothing to say
    addChannel(event.channel);
    QByteArray out;
    if (m_json) {
        out = line(QJsonObject{{QStringLiteral("type"), QStringLiteral("channel")},
                               {QStringLiteral("channel"), channelJson(event.channel)}});
    } else {
        const char *text = !member ? QT_TRANSLATE_NOOP("EventFormatter", "You are no longer in %1")
            : known ? QT_TRANSLATE_NOOP("EventFormatter", "The members of %1 changed")
                    : QT_TRANSLATE_NOOP("EventFormatter", "New channel: %1");
        out = line(
            QCoreApplication::translate("EventFormatter", text).arg(channelName(event.channel.id)));
    }
    if (!member) {
        // An operator took us out of it (`natterd channel leave`).
        m_channels.remove(event.channel.id);
        m_channelOrder.removeAll(event.channel.id);
    }
    return out;
}

QByteArray EventFormatter::error(const ErrorEvent &event) const
{
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                {QStringLiteral("code"), event.code},
                                {QStringLiteral("message"), event.message}});
    return line(QCoreApplication::translate("EventFormatter", "Server error (%1): %2")
                    .arg(event.code, event.message));
}

QByteArray EventFormatter::updated(const MessageUpdatedEvent &event) const
{
    const Message &m = event.message;
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("message_updated")},
                                {QStringLiteral("change"), Codec::changeToString(event.change)},
                                {QStringLiteral("message"), messageJson(m)}});
    const QString time = m.ts.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (m.deleted)
        return line(
            QCoreApplication::translate("EventFormatter", "[%1] #%2 <%3> message %4 was deleted")
                .arg(time, channelName(m.channel), userName(m.author))
                .arg(m.seq));
    if (event.change == MessageChange::Reaction)
        return line(QCoreApplication::translate("EventFormatter",
                                                "[%1] #%2 <%3> reactions on message %4: %5")
                        .arg(time, channelName(m.channel), userName(m.author))
                        .arg(m.seq)
                        .arg(reactionSummary(m)));
    return line(
        QCoreApplication::translate("EventFormatter", "[%1] #%2 <%3> (message %4, edited) %5")
            .arg(time, channelName(m.channel), userName(m.author))
            .arg(m.seq)
            .arg(m.text));
}

QByteArray EventFormatter::resync(const ResyncEvent &event) const
{
    if (m_json)
        return line(QJsonObject{{QStringLiteral("type"), QStringLiteral("resync")},
                                {QStringLiteral("channel"), event.channel},
                                {QStringLiteral("channel_name"), channelName(event.channel)},
                                {QStringLiteral("reason"), event.reason}});
    return line(QCoreApplication::translate("EventFormatter",
                                            "Too much changed in #%1 while away; reload its "
                                            "history to see it as it is now.")
                    .arg(channelName(event.channel)));
}

} // namespace Natter
