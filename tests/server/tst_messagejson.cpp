// MessageJson: the message frame's `M` (§3, §7) written without a QJsonObject
// must be the object ServerCodec::message() describes, for every field a
// message can have, and for every character a text can hold (quotes,
// backslashes, control characters, non-ASCII, emoji, a lone surrogate).
// Where QJsonDocument's bytes are reproducible (no control characters) the
// bytes are the same too, so a client sees no difference at all.
#include "hub/MessageJson.h"
#include "hub/ServerCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Natter::Server;

Q_DECLARE_METATYPE(Natter::Server::StoredMessage)

class tst_MessageJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameObjectAsServerCodec_data();
    void sameObjectAsServerCodec();
    void ackEchoesEveryRef_data();
    void ackEchoesEveryRef();
    void historyAndUpdatesAsQtWroteThem();
    void timestampsAsQtWritesThem();
};

namespace {
StoredMessage plain(const QString &text)
{
    StoredMessage m;
    m.id = QStringLiteral("0193a1b2c3d4e5f60718293a4b5c6d7e");
    m.channel = QStringLiteral("c0ffee00c0ffee00");
    m.seq = 4711;
    m.author = QStringLiteral("a11ce000a11ce000");
    m.text = text;
    m.ts = QDateTime::fromMSecsSinceEpoch(1796000000123, QTimeZone::utc());
    m.clientMsgId = QStringLiteral("cm-1");
    m.rev = 1;
    m.ev = 9000000000; // past 32 bits
    return m;
}
} // namespace

void tst_MessageJson::sameObjectAsServerCodec_data()
{
    QTest::addColumn<StoredMessage>("message");
    QTest::addColumn<bool>("sameBytes");
    QTest::newRow("plain") << plain(QStringLiteral("hello")) << true;
    QTest::newRow("empty text") << plain(QString()) << true;
    QTest::newRow("quotes, backslash, slash")
        << plain(QStringLiteral("say \"hi\" \\ to a/b </script>")) << true;
    QTest::newRow("non-ASCII and emoji")
        << plain(QStringLiteral("Grüße, ça va? 日本語 👍🏽 👨‍👩‍👧")) << true;
    QTest::newRow("newline, tab, CR") << plain(QStringLiteral("a\nb\tc\rd")) << true;
    // Control characters: QJsonDocument and RapidJSON spell \u001f with
    // different letter cases; the same characters either way.
    QTest::newRow("control characters")
        << plain(QStringLiteral("nul") + QChar(0) + QStringLiteral(" bel") + QChar(7)
                 + QStringLiteral(" esc") + QChar(0x1b) + QStringLiteral(" us") + QChar(0x1f)
                 + QStringLiteral(" del") + QChar(0x7f))
        << false;
    // A lone surrogate (a client's "\ud800" escape) goes back as it came.
    QTest::newRow("lone surrogate") << plain(QString(QChar(0xD800)) + QStringLiteral("x")) << true;
    StoredMessage edited = plain(QStringLiteral("now edited"));
    edited.rev = 3;
    edited.editedAt = QDateTime::fromMSecsSinceEpoch(1796000100456, QTimeZone::utc());
    QTest::newRow("edited") << edited << true;
    StoredMessage reply = plain(QStringLiteral("a reply @bob"));
    reply.replyTo = StoredReplyTarget{QStringLiteral("t1"), 12, QStringLiteral("b0b"),
                                      QString(250, QChar(u'é')), false};
    reply.mentions = {QStringLiteral("b0b"), QStringLiteral("ca501")};
    reply.reactions = {{QStringLiteral("👍"), {QStringLiteral("b0b"), QStringLiteral("ca501")}},
                       {QStringLiteral("🎉"), {QStringLiteral("a11ce000a11ce000")}}};
    QTest::newRow("reply, mentions, reactions") << reply << true;
    StoredMessage deletedTarget = plain(QStringLiteral("to a deleted one"));
    deletedTarget.replyTo = StoredReplyTarget{QStringLiteral("t2"), 3, QStringLiteral("b0b"),
                                              QStringLiteral("gone"), true};
    QTest::newRow("reply to a deleted message") << deletedTarget << true;
    StoredMessage files = plain(QStringLiteral("two files"));
    StoredFile picture;
    picture.id = QStringLiteral("f1");
    picture.name = QStringLiteral("Ölbild \"neu\".png");
    picture.size = 5000000000; // past 32 bits
    picture.mime = QStringLiteral("image/png");
    picture.width = 640;
    picture.height = 480;
    picture.thumbnail = true;
    StoredFile text;
    text.id = QStringLiteral("f2");
    text.name = QStringLiteral("notes.txt");
    text.size = 12;
    text.mime = QStringLiteral("text/plain");
    files.attachments = {picture, text};
    QTest::newRow("attachments") << files << true;
    StoredMessage system = plain(QString());
    system.kind = QStringLiteral("system");
    system.system = R"({"event":"renamed","name":"ops \"now\"","users":["a","b"]})";
    QTest::newRow("system message") << system << true;
    StoredMessage broken = system;
    broken.system = "not json";
    QTest::newRow("system that does not parse: {}") << broken << true;
    StoredMessage tombstone = plain(QString());
    tombstone.deleted = true;
    tombstone.rev = 2;
    tombstone.system = system.system; // a deleted system message shows none
    QTest::newRow("tombstone") << tombstone << true;
    StoredMessage noTime = plain(QStringLiteral("no ts"));
    noTime.ts = QDateTime();
    QTest::newRow("invalid ts") << noTime << true;
}

void tst_MessageJson::sameObjectAsServerCodec()
{
    QFETCH(StoredMessage, message);
    QFETCH(bool, sameBytes);
    const QByteArray written = MessageJson::encode(message);
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(written, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, written.constData());
    // What a client read before: QJsonDocument's bytes for ServerCodec::message().
    const QByteArray qt =
        QJsonDocument(ServerCodec::message(message)).toJson(QJsonDocument::Compact);
    QCOMPARE(parsed.object(), QJsonDocument::fromJson(qt).object());
    if (sameBytes)
        QCOMPARE(written, qt);
    // The frames built on it parse as the whole message too.
    const QJsonObject frame = QJsonDocument::fromJson(ServerCodec::messageFrame(message)).object();
    QCOMPARE(frame.value(QLatin1String("message")).toObject(), parsed.object());
}

void tst_MessageJson::ackEchoesEveryRef_data()
{
    // §3: `ref` comes back exactly as the client sent it, whatever JSON it is.
    QTest::addColumn<QByteArray>("sent"); // the client's frame
    for (const char *ref :
         {"1", "0", "-7", "1099511627776", "3.0", "1.5", "1e300", "\"abc\"", "\"q\\\"u\\\\ote\"",
          "\"\\u00e9\\ud83d\\ude00\"", "true", "null", "{\"a\":[1,2]}", "[\"x\"]"})
        QTest::newRow(ref) << QByteArray("{\"type\":\"send\",\"ref\":") + ref + '}';
    QTest::newRow("no ref") << QByteArray("{\"type\":\"send\"}");
}

void tst_MessageJson::ackEchoesEveryRef()
{
    QFETCH(QByteArray, sent);
    const QJsonObject frame = QJsonDocument::fromJson(sent).object();
    QVERIFY(!frame.isEmpty());
    const QJsonValue ref = frame.value(QLatin1String("ref"));
    const StoredMessage m = plain(QStringLiteral("acked \"text\""));
    const QByteArray ack =
        ServerCodec::ackFrame(ref, QStringLiteral("cm-\"1\""), ServerCodec::messageJson(m));
    // The bytes QJsonDocument writes for the whole frame.
    QJsonObject expected{{QStringLiteral("type"), QStringLiteral("ack")},
                         {QStringLiteral("client_msg_id"), QStringLiteral("cm-\"1\"")},
                         {QStringLiteral("message"), ServerCodec::message(m)}};
    if (!ref.isUndefined())
        expected.insert(QStringLiteral("ref"), ref);
    QCOMPARE(ack, QJsonDocument(expected).toJson(QJsonDocument::Compact));
}

void tst_MessageJson::historyAndUpdatesAsQtWroteThem()
{
    // `history` (§3) and `message_updated` (§6) carry the same `M`s: the bytes
    // QJsonDocument wrote for them before, for every kind of message above
    // whose bytes it reproduces, with and without a ref.
    QList<StoredMessage> page;
    for (const StoredMessage &m :
         {plain(QStringLiteral("hello")), plain(QString()),
          plain(QStringLiteral("say \"hi\" \\ to a/b </script>")),
          plain(QStringLiteral("Grüße, ça va? 日本語 👍🏽 👨‍👩‍👧")),
          plain(QString(QChar(0xD800)) + QStringLiteral("x"))})
        page << m;
    StoredMessage reply = plain(QStringLiteral("a reply @bob"));
    reply.rev = 2;
    reply.editedAt = QDateTime::fromMSecsSinceEpoch(1796000100456, QTimeZone::utc());
    reply.replyTo = StoredReplyTarget{QStringLiteral("t1"), 12, QStringLiteral("b0b"),
                                      QStringLiteral("the target"), false};
    reply.mentions = {QStringLiteral("b0b")};
    reply.reactions = {{QStringLiteral("👍"), {QStringLiteral("b0b"), QStringLiteral("ca501")}}};
    page << reply;
    StoredMessage tombstone = plain(QString());
    tombstone.deleted = true;
    page << tombstone;
    StoredMessage system = plain(QString());
    system.kind = QStringLiteral("system");
    system.system = R"({"event":"joined","users":["a"]})";
    page << system;

    for (const QJsonValue &ref :
         {QJsonValue(QJsonValue::Undefined), QJsonValue(7), QJsonValue(QStringLiteral("r\"1")),
          QJsonValue(QJsonObject{{QStringLiteral("a"), 1}})}) {
        for (const bool hasMore : {false, true}) {
            for (const QList<StoredMessage> &messages :
                 {page, QList<StoredMessage>(), page.mid(0, 1)}) {
                QJsonArray array;
                for (const StoredMessage &m : messages)
                    array.append(ServerCodec::message(m));
                QJsonObject expected{{QStringLiteral("type"), QStringLiteral("history")},
                                     {QStringLiteral("channel"), QStringLiteral("c\"hannel")},
                                     {QStringLiteral("messages"), array},
                                     {QStringLiteral("has_more"), hasMore}};
                if (!ref.isUndefined())
                    expected.insert(QStringLiteral("ref"), ref);
                QCOMPARE(
                    ServerCodec::historyFrame(ref, QStringLiteral("c\"hannel"), messages, hasMore),
                    QJsonDocument(expected).toJson(QJsonDocument::Compact));
            }
        }
        for (const ServerCodec::Change change :
             {ServerCodec::Change::Edit, ServerCodec::Change::Delete,
              ServerCodec::Change::Reaction}) {
            for (const StoredMessage &m : std::as_const(page)) {
                QJsonObject expected{{QStringLiteral("type"), QStringLiteral("message_updated")},
                                     {QStringLiteral("change"), ServerCodec::changeName(change)},
                                     {QStringLiteral("message"), ServerCodec::message(m)}};
                if (!ref.isUndefined())
                    expected.insert(QStringLiteral("ref"), ref);
                QCOMPARE(ServerCodec::messageUpdatedFrame(ref, change, m),
                         QJsonDocument(expected).toJson(QJsonDocument::Compact));
            }
        }
    }
}

void tst_MessageJson::timestampsAsQtWritesThem()
{
    // ServerCodec::timestamp() writes the text itself: Qt's ISO form, to the
    // millisecond, for every instant (leap days, century years, the ends).
    const auto qt = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
            .toUTC()
            .toString(Qt::ISODateWithMs);
    };
    QList<qint64> instants{0,
                           1,
                           999,
                           1000,
                           86399999,
                           86400000,
                           951782400000 /* 2000-02-29 */,
                           4107542399999 /* 2100-02-28T23:59:59.999 */,
                           4107542400000,
                           253402300799999 /* 9999-12-31T23:59:59.999 */,
                           253402300800000,
                           -1,
                           -86400001};
    QRandomGenerator random(12);
    for (int i = 0; i < 2000; ++i)
        instants << qint64(random.bounded(quint64(253402300800000)));
    for (const qint64 ms : instants) {
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
        QCOMPARE(ServerCodec::timestamp(dt), qt(ms));
        // Another zone: the same instant, written in UTC.
        QCOMPARE(ServerCodec::timestamp(dt.toOffsetFromUtc(3600 * 5 + 1800)), qt(ms));
    }
    QCOMPARE(ServerCodec::timestamp(QDateTime()), QString());
}

QTEST_GUILESS_MAIN(tst_MessageJson)
#include "tst_messagejson.moc"
