// The wire codec against the frames of docs/protocol.md: every server frame decodes to
// its struct, broken and unknown frames come back as errors, client frames
// carry exactly the contract's fields.
#include "protocol/Codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
const char *kindOf(const ServerEvent &e)
{
    static const char *names[] = {
        "error",  "connected",       "auth_failed", "resumed",        "message", "ack",
        "typing", "presence",        "read",        "history",        "channel", "error_frame",
        "pong",   "message_updated", "resync",      "channel_removed"};
    if (const auto *d = std::get_if<DecodeError>(&e))
        return d->kind == DecodeError::Kind::UnknownType ? "unknown" : "malformed";
    return names[e.index()];
}

QJsonObject parse(const QByteArray &frame)
{
    return QJsonDocument::fromJson(frame).object();
}

const QByteArray kMessage = R"({"id":"m1","channel":"c1","seq":7,"author":"u1","text":"hi \u00e9",)"
                            R"("ts":"2026-11-21T19:43:33.327Z","client_msg_id":"x1"})";

// A v2 M (§6) with every field, the ones this client does not use yet filled in.
const QByteArray kMessageV2 =
    R"({"id":"m2","channel":"c1","seq":8,"author":"u1","text":"edited","ts":"2026-11-21T19:43:33.327Z",)"
    R"("client_msg_id":null,"kind":"user","rev":3,"ev":12,"edited_at":"2026-11-21T20:00:00.000Z",)"
    R"("deleted":false,"reply_to":{"id":"m1","seq":7,"author":"u2","excerpt":"hi","deleted":false},)"
    R"("mentions":["u2","u3"],"reactions":[{"emoji":"+1","count":1,"users":["u2"]}],)"
    R"("attachments":[{"id":"f1","name":"a.png","size":12}],"system":null})";
} // namespace

class tst_Codec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodeKind_data();
    void decodeKind();
    void decodesMessageFields();
    void attachmentsBothWays();
    void decodesConnected();
    void decodesAckHistoryTypingPresence();
    void roundTripsServerFrames();
    void encodesAuthenticate_data();
    void encodesAuthenticate();
    void encodesClientFrames();
    void decodesV2Message();
    void toleratesWhatItDoesNotUseYet_data();
    void toleratesWhatItDoesNotUseYet();
    void decodesMessageUpdatedAndResync();
    void decodesV2ConnectedAndChannel();
    void roundTripsV2Frames();
    void encodesEditDeleteAndResumeEv();
    void reactionsRepliesAndMentions();
    void channelsPeopleCreateThemselves();
    void notifyLevel();
};

void tst_Codec::decodeKind_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QByteArray>("kind");

    auto row = [](const char *name, const QByteArray &frame, const char *kind) {
        QTest::newRow(name) << frame << QByteArray(kind);
    };
    row("message", R"({"type":"message","message":)" + kMessage + "}", "message");
    row("message without client_msg_id",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":""}})",
        "message");
    row("message null client_msg_id",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":"t","client_msg_id":null}})",
        "message");
    row("ack", R"({"type":"ack","ref":"r1","client_msg_id":"x1","message":)" + kMessage + "}",
        "ack");
    row("typing start",
        R"({"type":"typing","channel":"c","user":"u","state":"start","expires_in_ms":6000})",
        "typing");
    row("typing stop", R"({"type":"typing","channel":"c","user":"u","state":"stop"})", "typing");
    row("presence", R"({"type":"presence","user":"u","status":"away","last_seen":null})",
        "presence");
    row("read", R"({"type":"read","channel":"c","user":"u","seq":3})", "read");
    row("history",
        R"({"type":"history","ref":"r","channel":"c1","messages":[)" + kMessage
            + R"(],"has_more":true})",
        "history");
    row("channel",
        R"({"type":"channel","ref":"r","channel":{"id":"d1","name":"","kind":"direct","members":["a","b"],"last_seq":0,"last_read_seq":0}})",
        "channel");
    row("error", R"({"type":"error","ref":"r","code":"too_large","message":"too long"})",
        "error_frame");
    row("pong", R"({"type":"pong","ref":"p"})", "pong");
    row("resumed", R"({"type":"resumed"})", "resumed");
    row("auth_failed", R"({"type":"auth_failed","reason":"invalid_token"})", "auth_failed");
    row("connected minimal", R"({"type":"connected","user":{"id":"u"}})", "connected");
    row("extra fields are fine", R"({"type":"pong","ref":"p","future":[1,2,3]})", "pong");

    row("v2 message", R"({"type":"message","message":)" + kMessageV2 + "}", "message");
    row("message_updated",
        R"({"type":"message_updated","change":"edit","ref":"r","message":)" + kMessageV2 + "}",
        "message_updated");
    row("message_updated of an unknown change",
        R"({"type":"message_updated","change":"pinned","message":)" + kMessageV2 + "}",
        "message_updated");
    row("resync", R"({"type":"resync","channel":"c1","reason":"too_many_changes"})", "resync");
    row("message_updated without message", R"({"type":"message_updated","change":"edit"})",
        "malformed");
    row("resync without channel", R"({"type":"resync","reason":"too_many_changes"})", "malformed");
    row("rev not integer",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":"","rev":"2"}})",
        "malformed");
    row("negative ev",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":"","ev":-1}})",
        "malformed");
    row("unknown type", R"({"type":"reaction","emoji":"x"})", "unknown");
    row("empty", "", "malformed");
    row("not json", "hello", "malformed");
    row("array", "[1,2]", "malformed");
    row("truncated", R"({"type":"message","message":{"id":)", "malformed");
    row("no type", R"({"message":{}})", "malformed");
    row("type not string", R"({"type":5})", "malformed");
    row("message not object", R"({"type":"message","message":"m"})", "malformed");
    row("seq not integer",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1.5,"author":"u","text":""}})",
        "malformed");
    row("seq string",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":"1","author":"u","text":""}})",
        "malformed");
    row("seq zero",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":0,"author":"u","text":""}})",
        "malformed");
    row("seq huge",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1e300,"author":"u","text":""}})",
        "malformed");
    row("text missing",
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u"}})",
        "malformed");
    row("empty id",
        R"({"type":"message","message":{"id":"","channel":"c","seq":1,"author":"u","text":""}})",
        "malformed");
    row("typing bad state", R"({"type":"typing","channel":"c","user":"u","state":"maybe"})",
        "malformed");
    row("presence bad status", R"({"type":"presence","user":"u","status":"busy"})", "malformed");
    row("history messages not array",
        R"({"type":"history","ref":"r","channel":"c","messages":{},"has_more":false})",
        "malformed");
    row("history bad message inside",
        R"({"type":"history","ref":"r","channel":"c","messages":[{"id":1}],"has_more":false})",
        "malformed");
    row("connected user missing", R"({"type":"connected"})", "malformed");
    row("connected channels wrong",
        R"({"type":"connected","user":{"id":"u"},"channels":[{"id":"c","members":[1]}]})",
        "malformed");
    row("ack without message", R"({"type":"ack","ref":"r","client_msg_id":"x"})", "malformed");
    row("error code missing", R"({"type":"error","ref":"r"})", "malformed");
    row("invalid utf8", QByteArray("{\"type\":\"pong\",\"ref\":\"\xff\xfe\"}"), "malformed");
}

void tst_Codec::decodeKind()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, kind);
    QCOMPARE(QByteArray(kindOf(Codec::decode(QByteArrayView(frame)))), kind);
}

void tst_Codec::decodesMessageFields()
{
    const auto event =
        Codec::decode(QByteArrayView("{\"type\":\"message\",\"message\":" + kMessage + "}"));
    const auto *m = std::get_if<MessageEvent>(&event);
    QVERIFY(m);
    QCOMPARE(m->message.id, u"m1"_s);
    QCOMPARE(m->message.channel, u"c1"_s);
    QCOMPARE(m->message.seq, 7);
    QCOMPARE(m->message.author, u"u1"_s);
    QCOMPARE(m->message.text, QString::fromUtf8("hi \xc3\xa9"));
    QCOMPARE(m->message.ts, QDateTime(QDate(2026, 11, 21), QTime(19, 43, 33, 327), Qt::UTC));
    QCOMPARE(m->message.clientMsgId, u"x1"_s);
}

void tst_Codec::decodesConnected()
{
    const QByteArray frame =
        R"({"type":"connected","user":{"id":"u1","username":"alice","display_name":"Alice"},)"
        R"("connection_id":"k1","heartbeat_interval":20,"server_time":"2026-11-21T19:43:33.327Z",)"
        R"("channels":[{"id":"c1","name":"general","kind":"channel","members":["u1","u2"],"last_seq":42,"last_read_seq":40},)"
        R"({"id":"d1","name":"","kind":"direct","members":["u1","u2"],"last_seq":0,"last_read_seq":0}],)"
        R"("users":[{"id":"u2","username":"bob","display_name":"Bob","status":"online","last_seen":"2026-11-21T19:00:00Z"}]})";
    const auto event = Codec::decode(QByteArrayView(frame));
    const auto *c = std::get_if<ConnectedEvent>(&event);
    QVERIFY(c);
    QCOMPARE(c->self.username, u"alice"_s);
    QCOMPARE(c->self.name(), u"Alice"_s);
    QCOMPARE(c->connectionId, u"k1"_s);
    QCOMPARE(c->heartbeatIntervalSecs, 20);
    QCOMPARE(c->channels.size(), 2);
    QCOMPARE(c->channels[0].lastSeq, 42);
    QCOMPARE(c->channels[0].lastReadSeq, 40);
    QCOMPARE(c->channels[0].members, QStringList({u"u1"_s, u"u2"_s}));
    QCOMPARE(c->channels[1].kind, ChannelKind::Direct);
    QCOMPARE(c->users.size(), 1);
    QCOMPARE(c->users[0].status, PresenceStatus::Online);
    QVERIFY(c->users[0].lastSeen.isValid());

    // A server asking for an absurd heartbeat is clamped, not obeyed.
    const auto fast = Codec::decode(
        QByteArrayView(R"({"type":"connected","user":{"id":"u"},"heartbeat_interval":0})"));
    QCOMPARE(std::get<ConnectedEvent>(fast).heartbeatIntervalSecs, 1);
}

void tst_Codec::decodesAckHistoryTypingPresence()
{
    const auto ack = Codec::decode(QByteArrayView(
        R"({"type":"ack","ref":"r1","client_msg_id":"x1","message":)" + kMessage + "}"));
    QCOMPARE(std::get<AckEvent>(ack).ref, u"r1"_s);
    QCOMPARE(std::get<AckEvent>(ack).message.seq, 7);

    const auto history =
        Codec::decode(QByteArrayView(R"({"type":"history","ref":"r","channel":"c1","messages":[)"
                                     + kMessage + R"(],"has_more":true})"));
    QCOMPARE(std::get<HistoryEvent>(history).messages.size(), 1);
    QVERIFY(std::get<HistoryEvent>(history).hasMore);

    const auto typing = Codec::decode(QByteArrayView(
        R"({"type":"typing","channel":"c","user":"u","state":"start","expires_in_ms":6000})"));
    QCOMPARE(std::get<TypingEvent>(typing).state, TypingState::Start);
    QCOMPARE(std::get<TypingEvent>(typing).expiresInMs, 6000);

    const auto presence = Codec::decode(QByteArrayView(
        R"({"type":"presence","user":"u","status":"offline","last_seen":"2026-11-21T19:00:00.000Z"})"));
    QCOMPARE(std::get<PresenceEvent>(presence).status, PresenceStatus::Offline);
    QCOMPARE(std::get<PresenceEvent>(presence).lastSeen,
             QDateTime(QDate(2026, 11, 21), QTime(19, 0), Qt::UTC));

    // A channel may introduce its members (natterd: new channels, newcomers, DMs).
    const auto channel = Codec::decode(QByteArrayView(
        R"({"type":"channel","channel":{"id":"c9","name":"ops","kind":"channel","members":["a","b"],)"
        R"("last_seq":4,"last_read_seq":0},"users":[{"id":"b","username":"bob",)"
        R"("display_name":"Bob","status":"away","last_seen":null}]})"));
    const auto &event = std::get<ChannelEvent>(channel);
    QCOMPARE(event.channel.members, (QStringList{u"a"_s, u"b"_s}));
    QCOMPARE(event.users.size(), 1);
    QCOMPARE(event.users.first().displayName, u"Bob"_s);
    QCOMPARE(event.users.first().status, PresenceStatus::Away);
}

void tst_Codec::roundTripsServerFrames()
{
    Message m{u"m9"_s,
              u"c2"_s,
              99,
              u"u3"_s,
              u"text \"quoted\"\n"_s,
              QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC),
              u"cm"_s};
    QCOMPARE(
        std::get<MessageEvent>(Codec::decode(QByteArrayView(Codec::encodeMessageFrame(m)))).message,
        m);
    const AckEvent ack{u"r"_s, u"cm"_s, m};
    QCOMPARE(std::get<AckEvent>(Codec::decode(QByteArrayView(Codec::encodeAckFrame(ack)))).message,
             m);
    ConnectedEvent c;
    c.self.id = u"u"_s;
    c.heartbeatIntervalSecs = 7;
    c.channels.append(Channel{u"c"_s, u"general"_s, ChannelKind::Channel, {u"u"_s}, 5, 2});
    const auto decoded =
        std::get<ConnectedEvent>(Codec::decode(QByteArrayView(Codec::encodeConnectedFrame(c))));
    QCOMPARE(decoded.channels, c.channels);
    QCOMPARE(decoded.heartbeatIntervalSecs, 7);
}

void tst_Codec::encodesAuthenticate_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("withResume");
    QTest::newRow("token, no resume") << u"tok"_s << false;
    QTest::newRow("token and resume") << u"tok"_s << true;
    QTest::newRow("no token (handshake auth)") << QString() << true;
}

void tst_Codec::encodesAuthenticate()
{
    QFETCH(QString, token);
    QFETCH(bool, withResume);
    QHash<QString, qint64> resume;
    if (withResume)
        resume = {{u"c1"_s, 5}, {u"c2"_s, 0}};
    const QJsonObject o =
        parse(Codec::encodeAuthenticate(token, u"natter-cli"_s, u"0.1.0"_s, resume));
    QCOMPARE(o.value(u"type").toString(), u"authenticate"_s);
    QCOMPARE(o.contains(u"token"), !token.isEmpty());
    QCOMPARE(o.value(u"token").toString(), token);
    QCOMPARE(o.value(u"client").toObject().value(u"name").toString(), u"natter-cli"_s);
    QCOMPARE(o.value(u"client").toObject().value(u"version").toString(), u"0.1.0"_s);
    QCOMPARE(o.contains(u"resume"), withResume);
    if (withResume) {
        QCOMPARE(o.value(u"resume").toObject().value(u"c1").toInteger(), 5);
        QCOMPARE(o.value(u"resume").toObject().value(u"c2").toInteger(), 0);
    }
}

void tst_Codec::encodesClientFrames()
{
    QCOMPARE(parse(Codec::encodeSend(u"r"_s, u"c"_s, u"x"_s, u"hello"_s)),
             QJsonObject({{u"type"_s, u"send"_s},
                          {u"ref"_s, u"r"_s},
                          {u"channel"_s, u"c"_s},
                          {u"client_msg_id"_s, u"x"_s},
                          {u"text"_s, u"hello"_s}}));
    QCOMPARE(
        parse(Codec::encodeTyping(u"c"_s, TypingState::Start)),
        QJsonObject({{u"type"_s, u"typing"_s}, {u"channel"_s, u"c"_s}, {u"state"_s, u"start"_s}}));
    QCOMPARE(parse(Codec::encodePresence(PresenceStatus::Away)),
             QJsonObject({{u"type"_s, u"presence"_s}, {u"status"_s, u"away"_s}}));
    QCOMPARE(parse(Codec::encodeHistory(u"r"_s, u"c"_s, 0, 0)),
             QJsonObject({{u"type"_s, u"history"_s}, {u"ref"_s, u"r"_s}, {u"channel"_s, u"c"_s}}));
    QCOMPARE(parse(Codec::encodeHistory(u"r"_s, u"c"_s, 10, 20)).value(u"before_seq").toInteger(),
             10);
    QCOMPARE(parse(Codec::encodeRead(u"c"_s, 4)),
             QJsonObject({{u"type"_s, u"read"_s}, {u"channel"_s, u"c"_s}, {u"seq"_s, 4}}));
    QCOMPARE(parse(Codec::encodeDm(u"r"_s, u"u2"_s)),
             QJsonObject({{u"type"_s, u"dm"_s}, {u"ref"_s, u"r"_s}, {u"user"_s, u"u2"_s}}));
    QCOMPARE(parse(Codec::encodePing(u"p"_s)),
             QJsonObject({{u"type"_s, u"ping"_s}, {u"ref"_s, u"p"_s}}));
}

void tst_Codec::decodesV2Message()
{
    const auto event =
        Codec::decode(QByteArrayView("{\"type\":\"message\",\"message\":" + kMessageV2 + "}"));
    const Message m = std::get<MessageEvent>(event).message;
    QCOMPARE(m.id, u"m2"_s);
    QCOMPARE(m.rev, 3);
    QCOMPARE(m.ev, 12);
    QCOMPARE(m.kind, MessageKind::User);
    QCOMPARE(m.editedAt, QDateTime(QDate(2026, 11, 21), QTime(20, 0), Qt::UTC));
    QVERIFY(!m.deleted);
    QCOMPARE(m.mentions, (QStringList{u"u2"_s, u"u3"_s}));
    QVERIFY(m.clientMsgId.isEmpty());

    // A v1 message: rev and ev 0, never edited, not deleted.
    const Message v1 =
        std::get<MessageEvent>(
            Codec::decode(QByteArrayView("{\"type\":\"message\",\"message\":" + kMessage + "}")))
            .message;
    QCOMPARE(v1.rev, 0);
    QCOMPARE(v1.ev, 0);
    QVERIFY(!v1.editedAt.isValid());
    QVERIFY(!v1.deleted);

    // A tombstone and a system message.
    const auto tombstone = Codec::decode(QByteArrayView(
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":"",)"
        R"("kind":"user","rev":2,"ev":5,"edited_at":null,"deleted":true,"reply_to":null,)"
        R"("mentions":[],"reactions":[],"attachments":[],"system":null}})"));
    QVERIFY(std::get<MessageEvent>(tombstone).message.deleted);
    QVERIFY(!std::get<MessageEvent>(tombstone).message.editedAt.isValid());
    const auto system = Codec::decode(QByteArrayView(
        R"({"type":"message","message":{"id":"m","channel":"c","seq":1,"author":"u","text":"",)"
        R"("kind":"system","rev":1,"ev":1,"system":{"event":"joined","users":["u"]}}})"));
    QCOMPARE(std::get<MessageEvent>(system).message.kind, MessageKind::System);
}

void tst_Codec::toleratesWhatItDoesNotUseYet_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::newRow("reply_to a string") << QByteArray(R"("reply_to":"m1")");
    QTest::newRow("reply_to an array") << QByteArray(R"("reply_to":[1,2])");
    QTest::newRow("reactions an object") << QByteArray(R"("reactions":{"x":1})");
    QTest::newRow("reactions of numbers") << QByteArray(R"("reactions":[1,2,3])");
    QTest::newRow("attachments null") << QByteArray(R"("attachments":null)");
    QTest::newRow("attachments strange") << QByteArray(R"("attachments":[{"id":5}])");
    QTest::newRow("system a number") << QByteArray(R"("system":7)");
    QTest::newRow("mentions with a number") << QByteArray(R"("mentions":["u2",3])");
    QTest::newRow("mentions a string") << QByteArray(R"("mentions":"u2")");
    QTest::newRow("kind unknown") << QByteArray(R"("kind":"poll")");
    QTest::newRow("deleted a string") << QByteArray(R"("deleted":"yes")");
    QTest::newRow("edited_at garbage") << QByteArray(R"("edited_at":"yesterday")");
}

void tst_Codec::toleratesWhatItDoesNotUseYet()
{
    QFETCH(QByteArray, fields);
    // Never a reason to lose the frame: the message itself still arrives.
    const QByteArray frame =
        R"({"type":"message","message":{"id":"m","channel":"c","seq":4,"author":"u","text":"t","rev":1,"ev":4,)"
        + fields + "}}";
    const auto event = Codec::decode(QByteArrayView(frame));
    const auto *m = std::get_if<MessageEvent>(&event);
    QVERIFY2(m, frame.constData());
    QCOMPARE(m->message.text, u"t"_s);
    QCOMPARE(m->message.rev, 1);
}

void tst_Codec::decodesMessageUpdatedAndResync()
{
    const auto updated = Codec::decode(QByteArrayView(
        R"({"type":"message_updated","change":"delete","ref":"r4","message":)" + kMessageV2 + "}"));
    const auto &u = std::get<MessageUpdatedEvent>(updated);
    QCOMPARE(u.change, MessageChange::Delete);
    QCOMPARE(u.ref, u"r4"_s);
    QCOMPARE(u.message.rev, 3);
    const auto other = Codec::decode(QByteArrayView(
        R"({"type":"message_updated","change":"reaction","message":)" + kMessageV2 + "}"));
    QCOMPARE(std::get<MessageUpdatedEvent>(other).change, MessageChange::Reaction);
    QVERIFY(std::get<MessageUpdatedEvent>(other).ref.isEmpty());

    const auto resync = Codec::decode(
        QByteArrayView(R"({"type":"resync","channel":"c1","reason":"too_many_changes"})"));
    QCOMPARE(std::get<ResyncEvent>(resync).channel, u"c1"_s);
    QCOMPARE(std::get<ResyncEvent>(resync).reason, u"too_many_changes"_s);
}

void tst_Codec::decodesV2ConnectedAndChannel()
{
    const auto event = Codec::decode(QByteArrayView(
        R"({"type":"connected","protocol":2,"user":{"id":"u1","username":"root","admin":true},)"
        R"("channels":[{"id":"c1","name":"general","kind":"channel","members":["u1"],"last_seq":4,)"
        R"("last_read_seq":1,"last_ev":9}],"users":[{"id":"u2","username":"bob","admin":false}]})"));
    const auto &c = std::get<ConnectedEvent>(event);
    QCOMPARE(c.protocol, 2);
    QVERIFY(c.self.admin);
    QVERIFY(!c.users.first().admin);
    QCOMPARE(c.channels.first().lastEv, 9);
    // A v1 server: protocol 1, last_ev 0, nobody admin.
    const auto v1 = Codec::decode(QByteArrayView(
        R"({"type":"connected","user":{"id":"u"},"channels":[{"id":"c","last_seq":3}]})"));
    QCOMPARE(std::get<ConnectedEvent>(v1).protocol, 1);
    QCOMPARE(std::get<ConnectedEvent>(v1).channels.first().lastEv, 0);
    QVERIFY(!std::get<ConnectedEvent>(v1).self.admin);
    const auto channel = Codec::decode(QByteArrayView(
        R"({"type":"channel","channel":{"id":"c9","members":["a"],"last_seq":4,"last_ev":6}})"));
    QCOMPARE(std::get<ChannelEvent>(channel).channel.lastEv, 6);
}

void tst_Codec::roundTripsV2Frames()
{
    Message m{u"m9"_s, u"c2"_s,  99,
              u"u3"_s, u"now"_s, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC),
              u"cm"_s};
    m.rev = 4;
    m.ev = 17;
    m.editedAt = QDateTime(QDate(2026, 1, 3), QTime(1, 2, 3, 4), Qt::UTC);
    m.mentions = QStringList{u"u1"_s};
    const MessageUpdatedEvent e{u"r"_s, MessageChange::Edit, m};
    const auto decoded = std::get<MessageUpdatedEvent>(
        Codec::decode(QByteArrayView(Codec::encodeMessageUpdatedFrame(e))));
    QCOMPARE(decoded.message, m);
    QCOMPARE(decoded.ref, u"r"_s);
    QCOMPARE(decoded.change, MessageChange::Edit);
    // Every v2 field is present in a v2 M, as the contract says.
    const QJsonObject o = Codec::messageToJson(m);
    for (const char *key : {"kind", "rev", "ev", "edited_at", "deleted", "reply_to", "mentions",
                            "reactions", "attachments", "system"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    const ResyncEvent r{u"c2"_s, u"too_many_changes"_s};
    QCOMPARE(
        std::get<ResyncEvent>(Codec::decode(QByteArrayView(Codec::encodeResyncFrame(r)))).channel,
        u"c2"_s);
}

void tst_Codec::encodesEditDeleteAndResumeEv()
{
    QCOMPARE(parse(Codec::encodeEdit(u"r"_s, u"c"_s, u"m1"_s, u"new text"_s)),
             QJsonObject({{u"type"_s, u"edit"_s},
                          {u"ref"_s, u"r"_s},
                          {u"channel"_s, u"c"_s},
                          {u"id"_s, u"m1"_s},
                          {u"text"_s, u"new text"_s}}));
    QCOMPARE(parse(Codec::encodeDelete(u"r"_s, u"c"_s, u"m1"_s)),
             QJsonObject({{u"type"_s, u"delete"_s},
                          {u"ref"_s, u"r"_s},
                          {u"channel"_s, u"c"_s},
                          {u"id"_s, u"m1"_s}}));
    const QJsonObject auth = parse(Codec::encodeAuthenticate(
        u"t"_s, u"n"_s, u"v"_s, {{u"c1"_s, 5}, {u"c2"_s, 7}}, {{u"c1"_s, 12}}));
    QCOMPARE(auth.value(u"resume_ev").toObject(), QJsonObject({{u"c1"_s, 12}}));
    QCOMPARE(auth.value(u"resume").toObject().size(), 2);
    // No last_ev known: no resume_ev at all (a v1 server never sees it).
    QVERIFY(!parse(Codec::encodeAuthenticate(u"t"_s, u"n"_s, u"v"_s, {{u"c1"_s, 5}}))
                 .contains(u"resume_ev"));
}

void tst_Codec::reactionsRepliesAndMentions()
{
    // §7 R, X and mentions as a v2 server sends them.
    const auto decoded = std::get<MessageUpdatedEvent>(Codec::decode(QByteArrayView(
        R"({"type":"message_updated","change":"reaction","message":)" + kMessageV2 + "}")));
    const Message &m = decoded.message;
    QCOMPARE(decoded.change, MessageChange::Reaction);
    QVERIFY(m.replyTo);
    QCOMPARE(*m.replyTo, (ReplyRef{u"m1"_s, 7, u"u2"_s, u"hi"_s, false}));
    QCOMPARE(m.reactions, (QList<Reaction>{Reaction{u"+1"_s, 1, {u"u2"_s}}}));
    QCOMPARE(m.mentions, (QStringList{u"u2"_s, u"u3"_s}));
    QVERIFY(m.mentionsUser(u"u3"_s));
    // Round trip, order of first use kept; a tombstone's reply_to is null.
    Message out = m;
    out.reactions.append(Reaction{u"🏳️‍🌈"_s, 2, {u"u1"_s, u"u3"_s}});
    QCOMPARE(std::get<MessageEvent>(Codec::decode(QByteArrayView(Codec::encodeMessageFrame(out))))
                 .message,
             out);
    out.replyTo.reset();
    QVERIFY(Codec::messageToJson(out).value(u"reply_to").isNull());
    // Lenient: a malformed reply_to or reaction costs only itself, never the frame.
    QByteArray odd = kMessageV2;
    odd.replace(R"("reply_to":{"id":"m1")", R"("reply_to":{"id":7)");
    odd.replace(R"([{"emoji":"+1","count":1,"users":["u2"]}])",
                R"([{"emoji":5},{"emoji":"ok","count":"x","users":["u2",3]}])");
    const auto lenient = std::get<MessageEvent>(
        Codec::decode(QByteArrayView(R"({"type":"message","message":)" + odd + "}")));
    QVERIFY(!lenient.message.replyTo);
    QCOMPARE(lenient.message.reactions, (QList<Reaction>{Reaction{u"ok"_s, 1, {u"u2"_s}}}));
    // mention_count on channels (absent from v1: 0).
    const auto channel = std::get<ChannelEvent>(Codec::decode(QByteArrayView(
        R"({"type":"channel","channel":{"id":"c1","name":"g","kind":"channel","members":[],)"
        R"("last_seq":9,"last_read_seq":2,"last_ev":11,"mention_count":3}})")));
    QCOMPARE(channel.channel.mentionCount, 3);
    // The client's frames.
    QCOMPARE(parse(Codec::encodeReact(u"r"_s, u"c"_s, u"m1"_s, u"👍"_s, false)),
             QJsonObject({{u"type"_s, u"react"_s},
                          {u"ref"_s, u"r"_s},
                          {u"channel"_s, u"c"_s},
                          {u"id"_s, u"m1"_s},
                          {u"emoji"_s, u"👍"_s},
                          {u"on"_s, false}}));
    QCOMPARE(parse(Codec::encodeSend(u"r"_s, u"c"_s, u"k"_s, u"t"_s, u"m1"_s)).value(u"reply_to"),
             u"m1"_s);
    QVERIFY(!parse(Codec::encodeSend(u"r"_s, u"c"_s, u"k"_s, u"t"_s)).contains(u"reply_to"));
}

void tst_Codec::channelsPeopleCreateThemselves()
{
    // §8 fields of the channel object; a v1 channel is public, untopiced, unowned.
    const auto event = Codec::decode(QByteArrayView(
        R"({"type":"channel","ref":"r1","channel":{"id":"c1","name":"plans","kind":"channel",)"
        R"("visibility":"private","topic":"Q3","owner":"u1","archived":true,"members":["u1"]}})"));
    const Channel &c = std::get<ChannelEvent>(event).channel;
    QCOMPARE(c.visibility, ChannelVisibility::Private);
    QCOMPARE(c.topic, u"Q3"_s);
    QCOMPARE(c.owner, u"u1"_s);
    QVERIFY(c.archived);
    const auto v1 = Codec::decode(
        QByteArrayView(R"({"type":"channel","channel":{"id":"c2","owner":null,"members":[]}})"));
    const Channel &old = std::get<ChannelEvent>(v1).channel;
    QCOMPARE(old.visibility, ChannelVisibility::Public);
    QVERIFY(old.topic.isEmpty() && old.owner.isEmpty() && !old.archived);
    const auto direct = Codec::decode(
        QByteArrayView(R"({"type":"channel","channel":{"id":"d","kind":"direct","members":[]}})"));
    QCOMPARE(std::get<ChannelEvent>(direct).channel.visibility, ChannelVisibility::Direct);

    const auto removed = Codec::decode(
        QByteArrayView(R"({"type":"channel_removed","ref":"r7","channel":"c1","reason":"left"})"));
    QCOMPARE(std::get<ChannelRemovedEvent>(removed).channel, u"c1"_s);
    QCOMPARE(std::get<ChannelRemovedEvent>(removed).reason, u"left"_s);
    QCOMPARE(std::get<ChannelRemovedEvent>(removed).ref, u"r7"_s);
    QVERIFY(std::holds_alternative<DecodeError>(
        Codec::decode(QByteArrayView(R"({"type":"channel_removed"})"))));

    const auto json = [](const QByteArray &frame) {
        return QJsonDocument::fromJson(frame).object();
    };
    QCOMPARE(json(Codec::encodeChannelCreate(u"r"_s, u"plans"_s, true, u"t"_s, {u"u2"_s})),
             QJsonDocument::fromJson(R"({"type":"channel_create","ref":"r","name":"plans",)"
                                     R"("visibility":"private","topic":"t","members":["u2"]})")
                 .object());
    QVERIFY(
        !json(Codec::encodeChannelCreate(u"r"_s, u"p"_s, false, {}, {})).contains(u"members"_s));
    QCOMPARE(
        json(Codec::encodeChannelUpdate(u"r"_s, u"c"_s, std::nullopt, u""_s)),
        QJsonDocument::fromJson(R"({"type":"channel_update","ref":"r","channel":"c","topic":""})")
            .object());
    QCOMPARE(json(Codec::encodeArchive(u"r"_s, u"c"_s, true)).value(u"archived"_s), true);
    QCOMPARE(json(Codec::encodeInvite(u"r"_s, u"c"_s, {u"a"_s, u"b"_s}))
                 .value(u"users"_s)
                 .toArray()
                 .size(),
             2);
    QCOMPARE(json(Codec::encodeJoin(u"r"_s, u"c"_s)).value(u"type"_s), u"join"_s);
    QCOMPARE(json(Codec::encodeLeave(u"r"_s, u"c"_s)).value(u"type"_s), u"leave"_s);

    for (const char *good : {"a", "design-review", "q3_2026", "0",
                             "a123456789012345678901234567890123456789012345678901234567890123"})
        QVERIFY2(Codec::isValidChannelName(QString::fromLatin1(good)), good);
    for (const char *bad : {"", "-a", "_a", "Plans", "two words", "é",
                            "a1234567890123456789012345678901234567890123456789012345678901234"})
        QVERIFY2(!Codec::isValidChannelName(QString::fromUtf8(bad)), bad);

    QString next;
    const auto users = Codec::directoryUsersFromJson(
        QJsonDocument::fromJson(R"({"users":[{"id":"u2","username":"bob","display_name":"Bob",)"
                                R"("admin":true},{"id":""}],"next":"Ym9i"})")
            .object(),
        &next);
    QCOMPARE(users.size(), 1);
    QCOMPARE(users.first().name(), u"Bob"_s);
    QVERIFY(users.first().admin);
    QCOMPARE(next, u"Ym9i"_s);
    const auto channels = Codec::directoryChannelsFromJson(
        QJsonDocument::fromJson(R"({"channels":[{"id":"c1","name":"plans","topic":"Q3",)"
                                R"("member_count":3,"archived":false,"member":true}],"next":null})")
            .object(),
        &next);
    QCOMPARE(channels.size(), 1);
    QCOMPARE(channels.first().memberCount, 3);
    QVERIFY(channels.first().member);
    QVERIFY(next.isEmpty());
}

void tst_Codec::notifyLevel()
{
    // §8: the channel's `notify` for this user; absent (v1) or unknown reads as all.
    const auto decodeWith = [](const QByteArray &notify) {
        return std::get<ChannelEvent>(
                   Codec::decode(QByteArrayView(
                       R"({"type":"channel","channel":{"id":"c1","name":"g","kind":"channel",)"
                       R"("members":[],"last_seq":1,"last_read_seq":1)"
                       + notify + "}}")))
            .channel.notify;
    };
    QCOMPARE(decodeWith(R"(,"notify":"mentions")"), NotifyLevel::Mentions);
    QCOMPARE(decodeWith(R"(,"notify":"none")"), NotifyLevel::None);
    QCOMPARE(decodeWith(R"(,"notify":"all")"), NotifyLevel::All);
    QCOMPARE(decodeWith(""), NotifyLevel::All);
    QCOMPARE(decodeWith(R"(,"notify":"loud")"), NotifyLevel::All);
    QCOMPARE(parse(Codec::encodeNotify(u"r"_s, u"c"_s, NotifyLevel::None)),
             QJsonObject({{u"type"_s, u"notify"_s},
                          {u"ref"_s, u"r"_s},
                          {u"channel"_s, u"c"_s},
                          {u"level"_s, u"none"_s}}));
    Channel c;
    c.notify = NotifyLevel::Mentions;
    QCOMPARE(Codec::channelToJson(c).value(u"notify").toString(), u"mentions"_s);
}

void tst_Codec::attachmentsBothWays()
{
    // §9 send.attachments: the ids in order, left out when there are none.
    const QJsonObject send =
        parse(Codec::encodeSend(u"r"_s, u"c"_s, u"k"_s, QString(), {}, {u"f2"_s, u"f1"_s}));
    QCOMPARE(send.value(u"attachments").toArray(), (QJsonArray{u"f2"_s, u"f1"_s}));
    QCOMPARE(send.value(u"text").toString(), QString());
    QVERIFY(!send.contains(u"reply_to"));
    QVERIFY(!parse(Codec::encodeSend(u"r"_s, u"c"_s, u"k"_s, u"t"_s)).contains(u"attachments"));

    // M's attachments: F objects, read leniently (one without an id is skipped).
    const QByteArray frame = R"({"type":"message","message":{"id":"m1","channel":"c","seq":3,)"
                             R"("author":"u1","text":"","ts":"2026-12-05T10:00:00.000Z",)"
                             R"("client_msg_id":"k","kind":"user","rev":1,"ev":3,)"
                             R"("edited_at":null,"deleted":false,"reply_to":null,"mentions":[],)"
                             R"("reactions":[],"system":null,"attachments":[)"
                             R"({"id":"f2","name":"shot.png","size":1234,"mime":"image/png",)"
                             R"("width":1000,"height":600,"thumbnail":true},)"
                             R"({"name":"no id"},)"
                             R"({"id":"f1","name":"a.txt","size":5,"mime":"text/plain",)"
                             R"("thumbnail":false}]}})";
    const ServerEvent event = Codec::decode(QByteArrayView(frame));
    QVERIFY(std::holds_alternative<MessageEvent>(event));
    const Message m = std::get<MessageEvent>(event).message;
    QCOMPARE(m.attachments.size(), 2);
    QCOMPARE(m.attachments[0],
             (Attachment{u"f2"_s, u"shot.png"_s, 1234, u"image/png"_s, 1000, 600, true}));
    QCOMPARE(m.attachments[1], (Attachment{u"f1"_s, u"a.txt"_s, 5, u"text/plain"_s, 0, 0, false}));
    // And back: the same F objects (no width/height for a file that is no image).
    const QJsonArray files = Codec::messageToJson(m).value(u"attachments").toArray();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files[0].toObject().value(u"width").toInt(), 1000);
    QVERIFY(!files[1].toObject().contains(u"width"));
    QCOMPARE(Codec::attachmentFromJson(files[1]), std::optional<Attachment>(m.attachments[1]));
}

QTEST_GUILESS_MAIN(tst_Codec)
#include "tst_Codec.moc"
