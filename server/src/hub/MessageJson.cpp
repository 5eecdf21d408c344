#include "hub/MessageJson.h"

#include "hub/ServerCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace Natter::Server::MessageJson {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void writeString(Writer &w, const QString &s)
{
    if (Q_UNLIKELY(!QStringView(s).isValidUtf16())) {
        // A lone surrogate (a client may send "\ud800"): UTF-8 has no form for
        // it, and QJsonDocument escapes it, so the text goes back exactly as it
        // came. Its writing, inside ["..."], taken as the string.
        const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
        w.RawValue(array.constData() + 1, size_t(array.size() - 2), rapidjson::kStringType);
        return;
    }
    const QByteArray utf8 = s.toUtf8();
    w.String(utf8.constData(), rapidjson::SizeType(utf8.size()));
}

void key(Writer &w, const char *k)
{
    w.Key(k);
}

void timestampOrNull(Writer &w, const QDateTime &dt)
{
    if (dt.isValid())
        writeString(w, ServerCodec::timestamp(dt));
    else
        w.Null();
}

void strings(Writer &w, const QStringList &list)
{
    w.StartArray();
    for (const QString &s : list)
        writeString(w, s);
    w.EndArray();
}

// Keys in each object in the byte order QJsonDocument sorts them.
void replyTo(Writer &w, const StoredReplyTarget &t)
{
    w.StartObject();
    key(w, "author");
    writeString(w, t.author);
    key(w, "deleted");
    w.Bool(t.deleted);
    key(w, "excerpt");
    writeString(w,
                t.deleted
                    ? QString()
                    : ServerCodec::leadingCodePoints(t.text, ServerCodec::kExcerptCodePoints));
    key(w, "id");
    writeString(w, t.id);
    key(w, "seq");
    w.Int64(t.seq);
    w.EndObject();
}

void file(Writer &w, const StoredFile &f)
{
    // §9: width and height only for images natterd could read.
    const bool dimensions = f.width > 0 && f.height > 0;
    w.StartObject();
    if (dimensions) {
        key(w, "height");
        w.Int(f.height);
    }
    key(w, "id");
    writeString(w, f.id);
    key(w, "mime");
    writeString(w, f.mime);
    key(w, "name");
    writeString(w, f.name);
    key(w, "size");
    w.Int64(f.size);
    key(w, "thumbnail");
    w.Bool(f.thumbnail);
    if (dimensions) {
        key(w, "width");
        w.Int(f.width);
    }
    w.EndObject();
}

void reaction(Writer &w, const StoredReaction &r)
{
    w.StartObject();
    key(w, "count");
    w.Int64(r.users.size());
    key(w, "emoji");
    writeString(w, r.emoji);
    key(w, "users");
    strings(w, r.users);
    w.EndObject();
}

void system(Writer &w, const StoredMessage &m)
{
    // §7 S as ServerCodec::message() has it (re-encoded through Qt, so only an
    // object goes out, its topic on one line), null for every other message.
    const QJsonValue object = ServerCodec::systemObject(m);
    if (!object.isObject()) {
        w.Null();
        return;
    }
    const QByteArray json = QJsonDocument(object.toObject()).toJson(QJsonDocument::Compact);
    w.RawValue(json.constData(), size_t(json.size()), rapidjson::kObjectType);
}

} // namespace

QByteArray encode(const StoredMessage &m)
{
    rapidjson::StringBuffer buffer;
    buffer.Reserve(size_t(512 + m.text.size() * 3));
    Writer w(buffer);
    w.StartObject();
    key(w, "attachments");
    w.StartArray();
    for (const StoredFile &f : m.attachments)
        file(w, f);
    w.EndArray();
    key(w, "author");
    writeString(w, m.author);
    key(w, "channel");
    writeString(w, m.channel);
    key(w, "client_msg_id");
    writeString(w, m.clientMsgId);
    key(w, "deleted");
    w.Bool(m.deleted);
    key(w, "edited_at");
    timestampOrNull(w, m.editedAt);
    key(w, "ev");
    w.Int64(m.ev);
    key(w, "id");
    writeString(w, m.id);
    key(w, "kind");
    writeString(w, m.kind);
    key(w, "mentions");
    strings(w, m.mentions);
    key(w, "reactions");
    w.StartArray();
    for (const StoredReaction &r : m.reactions)
        reaction(w, r);
    w.EndArray();
    key(w, "reply_to");
    if (m.replyTo)
        replyTo(w, *m.replyTo);
    else
        w.Null();
    key(w, "rev");
    w.Int64(m.rev);
    key(w, "seq");
    w.Int64(m.seq);
    key(w, "system");
    system(w, m);
    key(w, "text");
    writeString(w, m.text);
    key(w, "ts");
    writeString(w, ServerCodec::timestamp(m.ts));
    w.EndObject();
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

QByteArray string(const QString &s)
{
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    writeString(w, s);
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

bool scalar(const QJsonValue &value, QByteArray *json)
{
    if (value.isString()) {
        *json = string(value.toString());
        return true;
    }
    // An integer QJsonDocument writes as one (exactly representable).
    constexpr qint64 kExact = qint64(1) << 53;
    if (value.isDouble()) {
        const double d = value.toDouble();
        const qint64 i = value.toInteger();
        if (double(i) == d && i > -kExact && i < kExact) {
            *json = QByteArray::number(i);
            return true;
        }
    }
    return false;
}

} // namespace Natter::Server::MessageJson
