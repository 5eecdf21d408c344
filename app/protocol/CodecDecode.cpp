// The decoding half of the codec: one text frame in, a typed event or a
// DecodeError out. Every field is checked for presence and type, so a frame
// from a broken or hostile server never reaches the connection layer half-read.
#include "Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace Natter::Codec {
namespace {

// A non-negative integer that a double holds exactly, else `fallback`.
qint64 lenientCount(const QJsonValue &v, qint64 fallback)
{
    const double d = v.toDouble(-1);
    if (!v.isDouble() || !std::isfinite(d) || std::trunc(d) != d || d < 0 || d > 9.0e15)
        return fallback;
    return qint64(d);
}

// Thrown nowhere: decoding reports problems through this small collector, so a
// malformed frame never unwinds through Qt code.
struct Reader
{
    QString problem;

    bool failed() const { return !problem.isEmpty(); }
    void fail(const QString &what)
    {
        if (problem.isEmpty())
            problem = what;
    }

    QString string(const QJsonObject &o, QLatin1String key, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if (v.isString())
            return v.toString();
        if (required || !(v.isUndefined() || v.isNull()))
            fail(QStringLiteral("field '%1' must be a string").arg(key));
        return {};
    }

    qint64 integer(const QJsonObject &o, QLatin1String key, bool required = true,
                   qint64 fallback = 0)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(QStringLiteral("field '%1' is missing").arg(key));
            return fallback;
        }
        const double d = v.toDouble(std::nan(""));
        // Doubles hold integers exactly up to 2^53; anything else is not a seq.
        if (!v.isDouble() || !std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9.0e15) {
            fail(QStringLiteral("field '%1' must be an integer").arg(key));
            return fallback;
        }
        return qint64(d);
    }

    bool boolean(const QJsonObject &o, QLatin1String key)
    {
        const QJsonValue v = o.value(key);
        if (v.isBool())
            return v.toBool();
        if (!(v.isUndefined() || v.isNull()))
            fail(QStringLiteral("field '%1' must be a boolean").arg(key));
        return false;
    }

    QJsonObject object(const QJsonObject &o, QLatin1String key)
    {
        const QJsonValue v = o.value(key);
        if (!v.isObject())
            fail(QStringLiteral("field '%1' must be an object").arg(key));
        return v.toObject();
    }

    QJsonArray array(const QJsonObject &o, QLatin1String key, bool required = true)
    {
        const QJsonValue v = o.value(key);
        if (v.isArray())
            return v.toArray();
        if (required || !(v.isUndefined() || v.isNull()))
            fail(QStringLiteral("field '%1' must be an array").arg(key));
        return {};
    }

    QDateTime time(const QJsonObject &o, QLatin1String key)
    {
        // Times are informative: a missing or unreadable one is an invalid
        // QDateTime, not a reason to drop the whole frame.
        const QJsonValue v = o.value(key);
        return v.isString() ? timeFromString(v.toString()) : QDateTime();
    }

    PresenceStatus presence(const QJsonObject &o, QLatin1String key)
    {
        const QString s = string(o, key);
        if (s == u"online")
            return PresenceStatus::Online;
        if (s == u"away")
            return PresenceStatus::Away;
        if (s == u"offline")
            return PresenceStatus::Offline;
        fail(QStringLiteral("unknown presence status"));
        return PresenceStatus::Offline;
    }

    Message message(const QJsonValue &value)
    {
        Message m;
        if (!value.isObject()) {
            fail(QStringLiteral("message must be an object"));
            return m;
        }
        const QJsonObject o = value.toObject();
        m.id = string(o, QLatin1String("id"));
        m.channel = string(o, QLatin1String("channel"));
        m.seq = integer(o, QLatin1String("seq"));
        if (m.seq < 1)
            fail(QStringLiteral("message seq must be positive"));
        m.author = string(o, QLatin1String("author"));
        m.text = string(o, QLatin1String("text"));
        m.ts = time(o, QLatin1String("ts"));
        m.clientMsgId = string(o, QLatin1String("client_msg_id"), false);
        if (m.id.isEmpty() || m.channel.isEmpty())
            fail(QStringLiteral("message id and channel must not be empty"));
        // §6 v2 fields: absent from a v1 server (rev and ev stay 0). The numbers
        // the change model relies on must be right; the rest is read leniently.
        m.rev = integer(o, QLatin1String("rev"), false);
        m.ev = integer(o, QLatin1String("ev"), false);
        if (m.rev < 0 || m.ev < 0)
            fail(QStringLiteral("message rev and ev must not be negative"));
        m.kind = o.value(QLatin1String("kind")).toString() == u"system" ? MessageKind::System
                                                                        : MessageKind::User;
        m.editedAt = time(o, QLatin1String("edited_at"));
        m.deleted = o.value(QLatin1String("deleted")).toBool(false);
        // §7 reply_to, reactions, mentions, system and §9 attachments are read
        // leniently: whatever they hold never costs the frame.
        for (const QJsonValue &id : o.value(QLatin1String("mentions")).toArray()) {
            if (id.isString())
                m.mentions.append(id.toString());
        }
        m.replyTo = replyRefFromJson(o.value(QLatin1String("reply_to")));
        m.reactions = reactionsFromJson(o.value(QLatin1String("reactions")));
        m.attachments = attachmentsFromJson(o.value(QLatin1String("attachments")));
        if (m.kind == MessageKind::System)
            m.system = o.value(QLatin1String("system")).toObject();
        return m;
    }

    User user(const QJsonValue &value)
    {
        User u;
        if (!value.isObject()) {
            fail(QStringLiteral("user must be an object"));
            return u;
        }
        const QJsonObject o = value.toObject();
        u.id = string(o, QLatin1String("id"));
        u.username = string(o, QLatin1String("username"), false);
        u.displayName = string(o, QLatin1String("display_name"), false);
        if (o.contains(QLatin1String("status")))
            u.status = presence(o, QLatin1String("status"));
        u.lastSeen = time(o, QLatin1String("last_seen"));
        u.admin = boolean(o, QLatin1String("admin"));
        return u;
    }

    // §8's fields, lenient: an unknown visibility is taken as the kind's default.
    void readChannelV2(const QJsonObject &o, Channel &c)
    {
        const QString visibility = string(o, QLatin1String("visibility"), false);
        if (visibility == u"private")
            c.visibility = ChannelVisibility::Private;
        else if (visibility == u"direct" || c.kind == ChannelKind::Direct)
            c.visibility = ChannelVisibility::Direct;
        c.topic = string(o, QLatin1String("topic"), false);
        c.owner = string(o, QLatin1String("owner"), false);
        c.archived = boolean(o, QLatin1String("archived"));
    }

    Channel channel(const QJsonValue &value)
    {
        Channel c;
        if (!value.isObject()) {
            fail(QStringLiteral("channel must be an object"));
            return c;
        }
        const QJsonObject o = value.toObject();
        c.id = string(o, QLatin1String("id"));
        c.name = string(o, QLatin1String("name"), false);
        const QString kind = string(o, QLatin1String("kind"), false);
        if (kind == u"direct")
            c.kind = ChannelKind::Direct;
        else if (!kind.isEmpty() && kind != u"channel")
            fail(QStringLiteral("unknown channel kind"));
        for (const QJsonValue &member : array(o, QLatin1String("members"), false)) {
            if (!member.isString()) {
                fail(QStringLiteral("members must be strings"));
                break;
            }
            c.members.append(member.toString());
        }
        c.lastSeq = integer(o, QLatin1String("last_seq"), false);
        c.lastReadSeq = integer(o, QLatin1String("last_read_seq"), false);
        c.lastEv = integer(o, QLatin1String("last_ev"), false);
        c.mentionCount = lenientCount(o.value(QLatin1String("mention_count")), 0);
        readChannelV2(o, c);
        // §8: lenient like mention_count; a v1 server sends none (= all).
        c.notify = Codec::notifyLevelFromString(o.value(QLatin1String("notify")).toString());
        if (c.lastSeq < 0 || c.lastReadSeq < 0 || c.lastEv < 0)
            fail(QStringLiteral("channel seqs must not be negative"));
        return c;
    }
};

ServerEvent decodeObject(const QJsonObject &o)
{
    Reader r;
    const QJsonValue typeValue = o.value(QLatin1String("type"));
    if (!typeValue.isString())
        return DecodeError{DecodeError::Kind::Malformed, {}, QStringLiteral("no string 'type'")};
    const QString type = typeValue.toString();
    auto done = [&](auto event) -> ServerEvent {
        if (r.failed())
            return DecodeError{DecodeError::Kind::Malformed, type, r.problem};
        return event;
    };

    if (type == u"message")
        return done(MessageEvent{r.message(o.value(QLatin1String("message")))});
    if (type == u"ack") {
        AckEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        e.clientMsgId = r.string(o, QLatin1String("client_msg_id"));
        e.message = r.message(o.value(QLatin1String("message")));
        return done(e);
    }
    if (type == u"message_updated") {
        MessageUpdatedEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        const QString change = r.string(o, QLatin1String("change"), false);
        if (change == u"edit")
            e.change = MessageChange::Edit;
        else if (change == u"delete")
            e.change = MessageChange::Delete;
        else if (change == u"reaction")
            e.change = MessageChange::Reaction;
        e.message = r.message(o.value(QLatin1String("message")));
        return done(e);
    }
    if (type == u"resync") {
        ResyncEvent e;
        e.channel = r.string(o, QLatin1String("channel"));
        e.reason = r.string(o, QLatin1String("reason"), false);
        if (e.channel.isEmpty())
            r.fail(QStringLiteral("resync channel must not be empty"));
        return done(e);
    }
    if (type == u"typing") {
        TypingEvent e;
        e.channel = r.string(o, QLatin1String("channel"));
        e.user = r.string(o, QLatin1String("user"));
        const QString state = r.string(o, QLatin1String("state"));
        if (state == u"start")
            e.state = TypingState::Start;
        else if (state != u"stop")
            r.fail(QStringLiteral("unknown typing state"));
        e.expiresInMs = int(std::clamp<qint64>(r.integer(o, QLatin1String("expires_in_ms"), false),
                                               0, 3600 * 1000));
        return done(e);
    }
    if (type == u"presence") {
        PresenceEvent e;
        e.user = r.string(o, QLatin1String("user"));
        e.status = r.presence(o, QLatin1String("status"));
        e.lastSeen = r.time(o, QLatin1String("last_seen"));
        return done(e);
    }
    if (type == u"read") {
        ReadEvent e;
        e.channel = r.string(o, QLatin1String("channel"));
        e.user = r.string(o, QLatin1String("user"), false);
        e.seq = r.integer(o, QLatin1String("seq"));
        return done(e);
    }
    if (type == u"history") {
        HistoryEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        e.channel = r.string(o, QLatin1String("channel"));
        for (const QJsonValue &m : r.array(o, QLatin1String("messages"))) {
            e.messages.append(r.message(m));
            if (r.failed())
                break;
        }
        e.hasMore = r.boolean(o, QLatin1String("has_more"));
        return done(e);
    }
    if (type == u"channel") {
        ChannelEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        e.channel = r.channel(o.value(QLatin1String("channel")));
        for (const QJsonValue &u : r.array(o, QLatin1String("users"), false)) {
            e.users.append(r.user(u));
            if (r.failed())
                break;
        }
        return done(e);
    }
    if (type == u"channel_removed") {
        ChannelRemovedEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        e.channel = r.string(o, QLatin1String("channel"));
        e.reason = r.string(o, QLatin1String("reason"), false);
        if (e.channel.isEmpty())
            r.fail(QStringLiteral("channel_removed channel must not be empty"));
        return done(e);
    }
    if (type == u"error") {
        ErrorEvent e;
        e.ref = r.string(o, QLatin1String("ref"), false);
        e.code = r.string(o, QLatin1String("code"));
        e.message = r.string(o, QLatin1String("message"), false);
        return done(e);
    }
    if (type == u"pong")
        return done(PongEvent{r.string(o, QLatin1String("ref"), false)});
    if (type == u"resumed")
        return done(ResumedEvent{});
    if (type == u"auth_failed")
        return done(AuthFailedEvent{r.string(o, QLatin1String("reason"), false)});
    if (type == u"connected") {
        ConnectedEvent e;
        e.self = r.user(o.value(QLatin1String("user")));
        e.connectionId = r.string(o, QLatin1String("connection_id"), false);
        // A server asking for a heartbeat more often than every second, or less
        // often than every hour, is clamped rather than obeyed.
        e.heartbeatIntervalSecs = int(std::clamp<qint64>(
            r.integer(o, QLatin1String("heartbeat_interval"), false, 20), 1, 3600));
        e.serverTime = r.time(o, QLatin1String("server_time"));
        e.protocol =
            int(std::clamp<qint64>(r.integer(o, QLatin1String("protocol"), false, 1), 1, 1000));
        for (const QJsonValue &c : r.array(o, QLatin1String("channels"), false)) {
            e.channels.append(r.channel(c));
            if (r.failed())
                break;
        }
        for (const QJsonValue &u : r.array(o, QLatin1String("users"), false)) {
            e.users.append(r.user(u));
            if (r.failed())
                break;
        }
        return done(e);
    }
    return DecodeError{DecodeError::Kind::UnknownType, type, QStringLiteral("unknown type")};
}

} // namespace

std::optional<ReplyRef> replyRefFromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    ReplyRef r;
    r.id = o.value(QLatin1String("id")).toString();
    if (r.id.isEmpty())
        return std::nullopt;
    r.seq = lenientCount(o.value(QLatin1String("seq")), 0);
    r.author = o.value(QLatin1String("author")).toString();
    r.excerpt = o.value(QLatin1String("excerpt")).toString();
    r.deleted = o.value(QLatin1String("deleted")).toBool(false);
    return r;
}

QList<Reaction> reactionsFromJson(const QJsonValue &value)
{
    QList<Reaction> result;
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonObject o = entry.toObject();
        Reaction x;
        x.emoji = o.value(QLatin1String("emoji")).toString();
        if (x.emoji.isEmpty())
            continue;
        for (const QJsonValue &user : o.value(QLatin1String("users")).toArray()) {
            if (user.isString())
                x.users.append(user.toString());
        }
        x.count = int(std::min<qint64>(
            lenientCount(o.value(QLatin1String("count")), x.users.size()), 1 << 30));
        result.append(x);
    }
    return result;
}

std::optional<Attachment> attachmentFromJson(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    Attachment f;
    f.id = o.value(QLatin1String("id")).toString();
    if (f.id.isEmpty())
        return std::nullopt;
    f.name = o.value(QLatin1String("name")).toString();
    f.size = lenientCount(o.value(QLatin1String("size")), 0);
    f.mime = o.value(QLatin1String("mime")).toString();
    // Dimensions only as plausible pixel counts: they size a placeholder.
    f.width = int(std::min<qint64>(lenientCount(o.value(QLatin1String("width")), 0), 1 << 20));
    f.height = int(std::min<qint64>(lenientCount(o.value(QLatin1String("height")), 0), 1 << 20));
    f.thumbnail = o.value(QLatin1String("thumbnail")).toBool(false);
    return f;
}

QList<Attachment> attachmentsFromJson(const QJsonValue &value)
{
    QList<Attachment> result;
    for (const QJsonValue &entry : value.toArray()) {
        if (auto f = attachmentFromJson(entry))
            result.append(*f);
    }
    return result;
}

ServerEvent decode(QByteArrayView frame)
{
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(frame.data(), frame.size()), &error);
    if (error.error != QJsonParseError::NoError)
        return DecodeError{DecodeError::Kind::Malformed,
                           {},
                           QStringLiteral("not JSON at offset %1").arg(error.offset)};
    if (!doc.isObject())
        return DecodeError{DecodeError::Kind::Malformed, {}, QStringLiteral("not a JSON object")};
    return decodeObject(doc.object());
}

ServerEvent decode(const QString &frame)
{
    return decode(QByteArrayView(frame.toUtf8()));
}

std::optional<Message> messageFromJson(const QJsonValue &value)
{
    Reader r;
    Message m = r.message(value);
    if (r.failed())
        return std::nullopt;
    return m;
}

} // namespace Natter::Codec
