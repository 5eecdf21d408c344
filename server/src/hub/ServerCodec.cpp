#include "hub/ServerCodec.h"

#include "hub/MessageJson.h"

#include <NatterVersion.h>

#include <QJsonDocument>

#include <chrono>

namespace Natter::Server {

namespace {

QByteArray encode(const QJsonObject &frame)
{
    return QJsonDocument(frame).toJson(QJsonDocument::Compact);
}

// Replies echo the client's `ref` when it sent one (§3).
void insertRef(QJsonObject *frame, const QJsonValue &ref)
{
    if (!ref.isUndefined())
        frame->insert(QStringLiteral("ref"), ref);
}

QJsonValue timestampOrNull(const QDateTime &dt)
{
    return dt.isValid() ? QJsonValue(ServerCodec::timestamp(dt)) : QJsonValue();
}

std::optional<QString> optString(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}

std::optional<qint64> optInteger(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
}

// §7 send.reply_to: absent or null is no reply; anything but a string is a
// reply to nothing (an empty id, which the handler refuses).
std::optional<QString> optReplyTo(const QJsonObject &o)
{
    const QJsonValue v = o.value(QLatin1String("reply_to"));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return v.isString() ? v.toString() : QString();
}

// Absent and null are fine; anything but a number is not.
bool numberOrAbsent(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    return v.isUndefined() || v.isNull() || v.isDouble();
}

// An array of strings; nullopt when `v` is anything else.
std::optional<QStringList> optStringList(const QJsonValue &v)
{
    if (!v.isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString())
            return std::nullopt;
        out << item.toString();
    }
    return out;
}

// §8 frames; nullopt when `type` is none of them.
std::optional<ClientFrameVariant> decodeChannelFrame(const QString &type, const QJsonObject &o,
                                                     const QJsonValue &ref,
                                                     const std::optional<QString> &channel)
{
    using namespace ClientFrame;
    const auto absent = [&o](QLatin1String key) {
        return o.value(key).isUndefined();
    };
    if (type == u"channel_create") {
        const QJsonValue members = o.value(QLatin1String("members"));
        const auto topic = optString(o, QLatin1String("topic"));
        return ChannelCreate{ref,
                             optString(o, QLatin1String("name")),
                             optString(o, QLatin1String("visibility")),
                             topic,
                             optStringList(members),
                             topic || absent(QLatin1String("topic")),
                             members.isUndefined() || optStringList(members).has_value()};
    }
    if (type == u"join")
        return Join{ref, channel};
    if (type == u"leave")
        return Leave{ref, channel};
    if (type == u"invite")
        return Invite{ref, channel, optStringList(o.value(QLatin1String("users")))};
    if (type == u"channel_update") {
        const auto name = optString(o, QLatin1String("name"));
        const auto topic = optString(o, QLatin1String("topic"));
        return ChannelUpdate{ref, channel, name, topic,
                             (name || absent(QLatin1String("name")))
                                 && (topic || absent(QLatin1String("topic")))};
    }
    if (type == u"archive") {
        const QJsonValue archived = o.value(QLatin1String("archived"));
        return Archive{ref, channel,
                       archived.isBool() ? std::optional<bool>(archived.toBool()) : std::nullopt};
    }
    if (type == u"notify")
        return Notify{ref, channel, optString(o, QLatin1String("level"))};
    return std::nullopt;
}

} // namespace

QString ServerCodec::timestamp(const QDateTime &dt)
{
    if (!dt.isValid())
        return QString();
    // Every message carries one or two: written here rather than by
    // QDateTime::toString(), which took more instructions than the rest of the
    // message's encoding. The same text for the years 1970 to 9999 (tst_messagejson
    // compares them); Qt's for any other.
    constexpr qint64 kMsPerDay = 86400000;
    constexpr qint64 kYear10000 = 253402300800000; // 10000-01-01T00:00:00Z
    const qint64 ms = dt.toMSecsSinceEpoch();
    if (ms < 0 || ms >= kYear10000)
        return dt.toUTC().toString(Qt::ISODateWithMs);
    const std::chrono::year_month_day date{
        std::chrono::sys_days{std::chrono::days{ms / kMsPerDay}}};
    const qint64 inDay = ms % kMsPerDay;
    char text[] = "YYYY-MM-DDThh:mm:ss.zzzZ";
    const auto put = [&text](int at, int width, qint64 value) {
        for (int i = at + width - 1; i >= at; --i, value /= 10)
            text[i] = char('0' + value % 10);
    };
    put(0, 4, int(date.year()));
    put(5, 2, unsigned(date.month()));
    put(8, 2, unsigned(date.day()));
    put(11, 2, inDay / 3600000);
    put(14, 2, inDay / 60000 % 60);
    put(17, 2, inDay / 1000 % 60);
    put(20, 3, inDay % 1000);
    return QString::fromLatin1(text, qsizetype(sizeof(text) - 1));
}

namespace {
QJsonArray attachments(const QList<StoredFile> &files)
{
    QJsonArray out;
    for (const StoredFile &f : files)
        out.append(ServerCodec::file(f));
    return out;
}
} // namespace

QJsonValue ServerCodec::systemObject(const StoredMessage &m)
{
    if (m.system.isEmpty() || m.deleted)
        return QJsonValue();
    QJsonObject system = QJsonDocument::fromJson(m.system).object();
    // A `topic` event stored before the one-line rule (or imported) is sent
    // on one line too, as the channel's topic is.
    if (const QJsonValue topic = system.value(QStringLiteral("topic")); topic.isString())
        system.insert(QStringLiteral("topic"), oneLineTopic(topic.toString()));
    return system;
}

QJsonObject ServerCodec::message(const StoredMessage &m)
{
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("channel"), m.channel},
                       {QStringLiteral("seq"), m.seq},
                       {QStringLiteral("author"), m.author},
                       {QStringLiteral("text"), m.text},
                       {QStringLiteral("ts"), timestamp(m.ts)},
                       {QStringLiteral("client_msg_id"), m.clientMsgId},
                       // v2 (§6): always present. Attachments and system
                       // messages come with later features.
                       {QStringLiteral("kind"), m.kind},
                       {QStringLiteral("rev"), m.rev},
                       {QStringLiteral("ev"), m.ev},
                       {QStringLiteral("edited_at"), timestampOrNull(m.editedAt)},
                       {QStringLiteral("deleted"), m.deleted},
                       {QStringLiteral("reply_to"), m.replyTo ? replyTo(*m.replyTo) : QJsonValue()},
                       {QStringLiteral("mentions"), QJsonArray::fromStringList(m.mentions)},
                       {QStringLiteral("reactions"), reactions(m.reactions)},
                       {QStringLiteral("attachments"), attachments(m.attachments)},
                       {QStringLiteral("system"), systemObject(m)}};
}

QJsonObject ServerCodec::file(const StoredFile &f)
{
    QJsonObject o{{QStringLiteral("id"), f.id},
                  {QStringLiteral("name"), f.name},
                  {QStringLiteral("size"), f.size},
                  {QStringLiteral("mime"), f.mime},
                  {QStringLiteral("thumbnail"), f.thumbnail}};
    // §9: width and height only for images natterd could read.
    if (f.width > 0 && f.height > 0) {
        o.insert(QStringLiteral("width"), f.width);
        o.insert(QStringLiteral("height"), f.height);
    }
    return o;
}

QJsonObject ServerCodec::replyTo(const StoredReplyTarget &t)
{
    // §7 R: the excerpt is cut from the target's text as it is now, "" once
    // the target is deleted.
    return QJsonObject{{QStringLiteral("id"), t.id},
                       {QStringLiteral("seq"), t.seq},
                       {QStringLiteral("author"), t.author},
                       {QStringLiteral("excerpt"),
                        t.deleted ? QString() : leadingCodePoints(t.text, kExcerptCodePoints)},
                       {QStringLiteral("deleted"), t.deleted}};
}

QJsonArray ServerCodec::reactions(const QList<StoredReaction> &list)
{
    QJsonArray out;
    for (const StoredReaction &r : list) {
        out.append(QJsonObject{{QStringLiteral("emoji"), r.emoji},
                               {QStringLiteral("count"), r.users.size()},
                               {QStringLiteral("users"), QJsonArray::fromStringList(r.users)}});
    }
    return out;
}

QJsonObject ServerCodec::channel(const StoredChannel &c)
{
    return QJsonObject{
        {QStringLiteral("id"), c.id},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("kind"), c.direct ? QStringLiteral("direct") : QStringLiteral("channel")},
        {QStringLiteral("members"), QJsonArray::fromStringList(c.members)},
        {QStringLiteral("last_seq"), c.lastSeq},
        {QStringLiteral("last_read_seq"), c.lastReadSeq},
        {QStringLiteral("last_ev"), c.lastEv},
        {QStringLiteral("mention_count"), c.mentionCount},
        // §8
        {QStringLiteral("visibility"), c.direct ? QStringLiteral("direct") : c.visibility},
        {QStringLiteral("topic"), oneLineTopic(c.topic)},
        {QStringLiteral("owner"), c.owner.isEmpty() ? QJsonValue() : QJsonValue(c.owner)},
        {QStringLiteral("archived"), c.archived},
        {QStringLiteral("notify"), c.notify}};
}

QString ServerCodec::oneLineTopic(const QString &raw)
{
    QString topic;
    topic.reserve(raw.size());
    for (const QChar c : raw) {
        const char16_t u = c.unicode();
        if ((u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
            continue;
        const QChar::Category category = c.category();
        const bool breaks = category == QChar::Other_Control || category == QChar::Separator_Line
            || category == QChar::Separator_Paragraph;
        topic.append(breaks ? QChar(u' ') : c);
    }
    return topic;
}

QJsonObject ServerCodec::directoryEntry(const StoredDirectoryEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("name"), e.name},
                       {QStringLiteral("topic"), oneLineTopic(e.topic)},
                       {QStringLiteral("member_count"), e.memberCount},
                       {QStringLiteral("archived"), e.archived},
                       {QStringLiteral("member"), e.member}};
}

QJsonObject ServerCodec::user(const StoredUser &u)
{
    return QJsonObject{{QStringLiteral("id"), u.id},
                       {QStringLiteral("username"), u.username},
                       {QStringLiteral("display_name"), u.displayName},
                       {QStringLiteral("admin"), u.admin}};
}

QJsonObject ServerCodec::userWithPresence(const StoredUser &u, const QString &status,
                                          const QDateTime &lastSeen)
{
    QJsonObject o = user(u);
    o.insert(QStringLiteral("status"), status);
    o.insert(QStringLiteral("last_seen"), timestampOrNull(lastSeen));
    return o;
}

QJsonObject ServerCodec::health()
{
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                       {QStringLiteral("version"), QString::fromLatin1(Natter::kVersion)},
                       {QStringLiteral("protocol"), kProtocolVersion}};
}

QByteArray ServerCodec::authFailedFrame(const QString &reason)
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("auth_failed")},
                              {QStringLiteral("reason"), reason}});
}

QByteArray ServerCodec::connectedFrame(const QJsonObject &self, const QString &connectionId,
                                       qint64 heartbeatIntervalMs, const QJsonArray &channels,
                                       const QJsonArray &users)
{
    return encode(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("connected")},
                    {QStringLiteral("protocol"), kProtocolVersion},
                    {QStringLiteral("user"), self},
                    {QStringLiteral("connection_id"), connectionId},
                    {QStringLiteral("heartbeat_interval"), double(heartbeatIntervalMs) / 1000.0},
                    {QStringLiteral("server_time"), timestamp(QDateTime::currentDateTimeUtc())},
                    {QStringLiteral("channels"), channels},
                    {QStringLiteral("users"), users}});
}

QByteArray ServerCodec::resumedFrame()
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("resumed")}});
}

QByteArray ServerCodec::ackFrame(const QJsonValue &ref, const StoredMessage &m)
{
    return ackFrame(ref, m.clientMsgId, messageJson(m));
}

QByteArray ServerCodec::messageJson(const StoredMessage &m)
{
    return MessageJson::encode(m);
}

namespace {
// QJsonDocument writes keys in sorted order and escapes every quote inside a
// string, so in `frame` (encoded with a placeholder 0 for `key`, and no key
// before `key` other than strings and booleans) the first `"key":0` is the
// placeholder: replace it with `json`, text MessageJson wrote.
QByteArray splice(QByteArray frame, QLatin1String key, const QByteArray &json)
{
    const QByteArray placeholder = '"' + QByteArray(key.data(), key.size()) + "\":0";
    const qsizetype at = frame.indexOf(placeholder);
    if (at < 0) { // not with QJsonDocument's output; stay correct anyway
        QJsonObject o = QJsonDocument::fromJson(frame).object();
        const QJsonDocument value = QJsonDocument::fromJson(json);
        o.insert(key, value.isArray() ? QJsonValue(value.array()) : QJsonValue(value.object()));
        return encode(o);
    }
    return frame.replace(at + placeholder.size() - 1, 1, json);
}
} // namespace

QByteArray ServerCodec::ackFrame(const QJsonValue &ref, const QString &clientMsgId,
                                 const QByteArray &messageJson)
{
    // Keys in QJsonDocument's order: client_msg_id, message, ref, type. The
    // refs clients send (none, an integer, a string) written directly.
    QByteArray refJson;
    if (ref.isUndefined() || MessageJson::scalar(ref, &refJson)) {
        const QByteArray id = MessageJson::string(clientMsgId);
        QByteArray frame;
        frame.reserve(48 + id.size() + messageJson.size() + refJson.size());
        frame.append("{\"client_msg_id\":").append(id).append(",\"message\":").append(messageJson);
        if (!ref.isUndefined())
            frame.append(",\"ref\":").append(refJson);
        frame.append(",\"type\":\"ack\"}");
        return frame;
    }
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("ack")},
                  {QStringLiteral("client_msg_id"), clientMsgId},
                  {QStringLiteral("message"), 0}};
    insertRef(&o, ref);
    return splice(encode(o), QLatin1String("message"), messageJson);
}

QByteArray ServerCodec::messageFrame(const QByteArray &messageJson)
{
    return "{\"message\":" + messageJson + ",\"type\":\"message\"}";
}

QByteArray ServerCodec::resyncFrame(const QString &channel)
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("resync")},
                              {QStringLiteral("channel"), channel},
                              {QStringLiteral("reason"), QStringLiteral("too_many_changes")}});
}

QString ServerCodec::changeName(Change change)
{
    switch (change) {
    case Change::Edit:
        return QStringLiteral("edit");
    case Change::Delete:
        return QStringLiteral("delete");
    case Change::Reaction:
        return QStringLiteral("reaction");
    }
    return QStringLiteral("edit");
}

QByteArray ServerCodec::messageUpdatedFrame(const QJsonValue &ref, Change change,
                                            const StoredMessage &m)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("message_updated")},
                  {QStringLiteral("change"), changeName(change)},
                  {QStringLiteral("message"), 0}};
    insertRef(&o, ref);
    return splice(encode(o), QLatin1String("message"), messageJson(m));
}

QByteArray ServerCodec::messageFrame(const StoredMessage &m)
{
    return messageFrame(messageJson(m));
}

QByteArray ServerCodec::typingStartFrame(const QString &channel, const QString &user,
                                         qint64 expiresInMs)
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("typing")},
                              {QStringLiteral("channel"), channel},
                              {QStringLiteral("user"), user},
                              {QStringLiteral("state"), QStringLiteral("start")},
                              {QStringLiteral("expires_in_ms"), expiresInMs}});
}

QByteArray ServerCodec::typingStopFrame(const QString &channel, const QString &user)
{
    // `stop` carries no expires_in_ms (§5).
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("typing")},
                              {QStringLiteral("channel"), channel},
                              {QStringLiteral("user"), user},
                              {QStringLiteral("state"), QStringLiteral("stop")}});
}

QByteArray ServerCodec::presenceFrame(const QString &user, const QString &status,
                                      const QDateTime &lastSeen)
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("presence")},
                              {QStringLiteral("user"), user},
                              {QStringLiteral("status"), status},
                              {QStringLiteral("last_seen"), timestampOrNull(lastSeen)}});
}

QByteArray ServerCodec::historyFrame(const QJsonValue &ref, const QString &channel,
                                     const QList<StoredMessage> &messages, bool hasMore)
{
    QByteArray array("[");
    for (const StoredMessage &m : messages) {
        if (array.size() > 1)
            array.append(',');
        array.append(messageJson(m));
    }
    array.append(']');
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("history")},
                  {QStringLiteral("channel"), channel},
                  {QStringLiteral("messages"), 0},
                  {QStringLiteral("has_more"), hasMore}};
    insertRef(&o, ref);
    return splice(encode(o), QLatin1String("messages"), array);
}

QByteArray ServerCodec::readFrame(const QString &channel, const QString &user, qint64 seq)
{
    return encode(QJsonObject{{QStringLiteral("type"), QStringLiteral("read")},
                              {QStringLiteral("channel"), channel},
                              {QStringLiteral("user"), user},
                              {QStringLiteral("seq"), seq}});
}

QByteArray ServerCodec::channelFrame(const QJsonValue &ref, const QJsonObject &channel,
                                     const std::optional<QJsonArray> &users)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("channel")},
                  {QStringLiteral("channel"), channel}};
    if (users)
        o.insert(QStringLiteral("users"), *users);
    insertRef(&o, ref);
    return encode(o);
}

QByteArray ServerCodec::channelRemovedFrame(const QJsonValue &ref, const QString &channel,
                                            const QString &reason)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("channel_removed")},
                  {QStringLiteral("channel"), channel},
                  {QStringLiteral("reason"), reason}};
    insertRef(&o, ref);
    return encode(o);
}

QByteArray ServerCodec::pongFrame(const QJsonValue &ref)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("pong")}};
    insertRef(&o, ref);
    return encode(o);
}

QByteArray ServerCodec::errorFrame(const QJsonValue &ref, const QString &code,
                                   const QString &message)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("code"), code},
                  {QStringLiteral("message"), message}};
    if (!ref.isNull())
        insertRef(&o, ref);
    return encode(o);
}

std::optional<AuthenticateFrame> ServerCodec::decodeAuthenticate(const QByteArray &data,
                                                                 bool binary)
{
    const QJsonObject frame = binary ? QJsonObject() : QJsonDocument::fromJson(data).object();
    if (frame.value(QLatin1String("type")).toString() != u"authenticate")
        return std::nullopt;
    AuthenticateFrame result;
    result.token = optString(frame, QLatin1String("token"));
    const auto numbers = [](const QJsonValue &value) {
        QHash<QString, qint64> out;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.value().isDouble())
                out.insert(it.key(), it.value().toInteger());
        }
        return out;
    };
    result.resume = numbers(frame.value(QLatin1String("resume")));
    result.resumeEv = numbers(frame.value(QLatin1String("resume_ev")));
    return result;
}

ClientFrameVariant ServerCodec::decode(const QByteArray &data, bool binary)
{
    using namespace ClientFrame;
    QJsonParseError parseError{};
    const QJsonDocument doc = binary ? QJsonDocument() : QJsonDocument::fromJson(data, &parseError);
    if (binary || parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Malformed{QJsonValue(QJsonValue::Undefined), Malformed::Reason::NotAnObject};
    const QJsonObject o = doc.object();
    const QJsonValue ref = o.value(QLatin1String("ref"));
    const QJsonValue typeValue = o.value(QLatin1String("type"));
    if (!typeValue.isString())
        return Malformed{ref, Malformed::Reason::NoType};
    const QString type = typeValue.toString();
    const auto channel = optString(o, QLatin1String("channel"));
    if (type == u"send") {
        Send send{ref, channel, optString(o, QLatin1String("client_msg_id")),
                  optString(o, QLatin1String("text")), optReplyTo(o)};
        // §9: absent or null is no attachments.
        if (const QJsonValue a = o.value(QLatin1String("attachments"));
            !a.isUndefined() && !a.isNull()) {
            const auto ids = optStringList(a);
            send.attachmentsValid = ids.has_value();
            send.attachments = ids.value_or(QStringList());
        }
        return send;
    }
    if (type == u"typing") {
        const QString state = o.value(QLatin1String("state")).toString();
        std::optional<Typing::State> s;
        if (state == u"start")
            s = Typing::State::Start;
        else if (state == u"stop")
            s = Typing::State::Stop;
        return Typing{ref, channel, s};
    }
    if (type == u"presence") {
        const QString status = o.value(QLatin1String("status")).toString();
        std::optional<PresenceTracker::Status> s;
        if (status == u"online")
            s = PresenceTracker::Status::Online;
        else if (status == u"away")
            s = PresenceTracker::Status::Away;
        return Presence{ref, s};
    }
    if (type == u"history")
        return History{ref, channel, optInteger(o, QLatin1String("before_seq")),
                       optInteger(o, QLatin1String("limit")),
                       numberOrAbsent(o, QLatin1String("before_seq"))
                           && numberOrAbsent(o, QLatin1String("limit"))};
    if (type == u"read")
        return Read{ref, channel, optInteger(o, QLatin1String("seq"))};
    if (type == u"dm")
        return Dm{ref, optString(o, QLatin1String("user"))};
    if (type == u"edit")
        return Edit{ref, channel, optString(o, QLatin1String("id")),
                    optString(o, QLatin1String("text"))};
    if (type == u"delete")
        return Delete{ref, channel, optString(o, QLatin1String("id"))};
    if (type == u"react") {
        const QJsonValue on = o.value(QLatin1String("on"));
        return React{ref, channel, optString(o, QLatin1String("id")),
                     optString(o, QLatin1String("emoji")),
                     on.isBool() ? std::optional<bool>(on.toBool()) : std::nullopt};
    }
    if (type == u"ping")
        return Ping{ref};
    if (const auto frame = decodeChannelFrame(type, o, ref, channel))
        return *frame;
    return Unknown{ref};
}

QString ServerCodec::leadingCodePoints(const QString &text, qsizetype n)
{
    qsizetype i = 0;
    for (qsizetype taken = 0; i < text.size() && taken < n; ++taken) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++i;
    }
    return text.left(i);
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
