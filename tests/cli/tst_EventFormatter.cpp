// EventFormatter: natter-cli's output lines and channel-name lookup.
#include "EventFormatter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Natter;

class tst_EventFormatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void resolvesChannels_data();
    void resolvesChannels();
    void messageAsJson();
    void messageAsText();
    void channelListNamesDirectChannels();
    void channelEventsAddChangeAndLeave();
    void updatesAndResync();
    void reactionsRepliesAndMentions();
    void systemMessagesInWords();

private:
    ConnectedEvent m_snapshot;
};

void tst_EventFormatter::init()
{
    m_snapshot = {};
    m_snapshot.self.id = QStringLiteral("u1");
    m_snapshot.self.username = QStringLiteral("alice");
    User bob;
    bob.id = QStringLiteral("u2");
    bob.username = QStringLiteral("bob");
    m_snapshot.users = {bob};
    Channel general;
    general.id = QStringLiteral("c1");
    general.name = QStringLiteral("general");
    general.lastSeq = 7;
    Channel direct;
    direct.id = QStringLiteral("d1");
    direct.kind = ChannelKind::Direct;
    direct.members = {QStringLiteral("u2")};
    m_snapshot.channels = {general, direct};
}

void tst_EventFormatter::resolvesChannels_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("id");
    QTest::newRow("name") << QStringLiteral("general") << QStringLiteral("c1");
    QTest::newRow("hash name") << QStringLiteral("#general") << QStringLiteral("c1");
    QTest::newRow("other case") << QStringLiteral("General") << QStringLiteral("c1");
    QTest::newRow("id") << QStringLiteral("c1") << QStringLiteral("c1");
    QTest::newRow("direct id") << QStringLiteral("d1") << QStringLiteral("d1");
    QTest::newRow("unknown") << QStringLiteral("random") << QString();
}

void tst_EventFormatter::resolvesChannels()
{
    QFETCH(QString, input);
    QFETCH(QString, id);
    EventFormatter f;
    f.setSnapshot(m_snapshot);
    QCOMPARE(f.resolveChannel(input), id);
}

void tst_EventFormatter::messageAsJson()
{
    EventFormatter f(true);
    f.setSnapshot(m_snapshot);
    Message m;
    m.id = QStringLiteral("m1");
    m.channel = QStringLiteral("c1");
    m.seq = 8;
    m.author = QStringLiteral("u2");
    m.text = QStringLiteral("hi\nthere");
    m.ts = QDateTime(QDate(2026, 11, 21), QTime(19, 43, 33, 327), Qt::UTC);
    m.clientMsgId = QStringLiteral("x1");
    const QByteArray line = f.message(m);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1); // one event, one line, even with a newline in the text
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    QCOMPARE(o.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    const QJsonObject msg = o.value(QLatin1String("message")).toObject();
    QCOMPARE(msg.value(QLatin1String("text")).toString(), m.text);
    QCOMPARE(msg.value(QLatin1String("seq")).toInt(), 8);
    QCOMPARE(msg.value(QLatin1String("author_name")).toString(), QStringLiteral("bob"));
    QCOMPARE(msg.value(QLatin1String("channel_name")).toString(), QStringLiteral("general"));
    QCOMPARE(msg.value(QLatin1String("ts")).toString(), QStringLiteral("2026-11-21T19:43:33.327Z"));
    QCOMPARE(msg.value(QLatin1String("client_msg_id")).toString(), QStringLiteral("x1"));
}

void tst_EventFormatter::messageAsText()
{
    EventFormatter f(false);
    f.setSnapshot(m_snapshot);
    Message m;
    m.channel = QStringLiteral("c1");
    m.author = QStringLiteral("u1");
    m.text = QStringLiteral("hello");
    m.ts = QDateTime::currentDateTimeUtc();
    QVERIFY(f.message(m).endsWith("#general <alice> hello\n"));
}

void tst_EventFormatter::channelListNamesDirectChannels()
{
    EventFormatter f;
    f.setSnapshot(m_snapshot);
    const QList<QByteArray> lines = f.channelList().split('\n');
    QCOMPARE(lines.at(0), QByteArray("#general\tc1\t7"));
    QCOMPARE(lines.at(1), QByteArray("@bob\td1\t0"));
}

void tst_EventFormatter::channelEventsAddChangeAndLeave()
{
    EventFormatter f;
    f.setSnapshot(m_snapshot);
    ChannelEvent e;
    e.channel.id = QStringLiteral("c9");
    e.channel.name = QStringLiteral("ops");
    e.channel.members = {QStringLiteral("u1"), QStringLiteral("u3")};
    User carol;
    carol.id = QStringLiteral("u3");
    carol.username = QStringLiteral("carol");
    e.users = {carol};
    QCOMPARE(f.applyChannel(e), QByteArray("New channel: ops\n"));
    QCOMPARE(f.resolveChannel(QStringLiteral("#ops")), QStringLiteral("c9"));
    QCOMPARE(f.userName(QStringLiteral("u3")), QStringLiteral("carol"));

    e.users.clear();
    e.channel.members.append(QStringLiteral("u2"));
    QCOMPARE(f.applyChannel(e), QByteArray("The members of ops changed\n"));

    e.channel.members = {QStringLiteral("u2"), QStringLiteral("u3")};
    QCOMPARE(f.applyChannel(e), QByteArray("You are no longer in ops\n"));
    QVERIFY(f.resolveChannel(QStringLiteral("ops")).isEmpty());
    QVERIFY(!f.channelList().contains("ops"));
    // Leaving again (or a channel never listed) says nothing.
    QVERIFY(f.applyChannel(e).isEmpty());
}

void tst_EventFormatter::updatesAndResync()
{
    Message m;
    m.id = QStringLiteral("m1");
    m.channel = QStringLiteral("c1");
    m.seq = 8;
    m.author = QStringLiteral("u2");
    m.text = QStringLiteral("fixed");
    m.ts = QDateTime(QDate(2026, 11, 21), QTime(19, 43, 33, 327), Qt::UTC);
    m.rev = 2;
    m.ev = 14;
    m.editedAt = QDateTime(QDate(2026, 11, 21), QTime(20, 0), Qt::UTC);
    EventFormatter json(true);
    json.setSnapshot(m_snapshot);
    const QJsonObject edit =
        QJsonDocument::fromJson(json.updated({QString(), MessageChange::Edit, m})).object();
    QCOMPARE(edit.value(QLatin1String("type")).toString(), QStringLiteral("message_updated"));
    QCOMPARE(edit.value(QLatin1String("change")).toString(), QStringLiteral("edit"));
    const QJsonObject msg = edit.value(QLatin1String("message")).toObject();
    QCOMPARE(msg.value(QLatin1String("text")).toString(), QStringLiteral("fixed"));
    QCOMPARE(msg.value(QLatin1String("rev")).toInt(), 2);
    QCOMPARE(msg.value(QLatin1String("ev")).toInt(), 14);
    QCOMPARE(msg.value(QLatin1String("edited_at")).toString(),
             QStringLiteral("2026-11-21T20:00:00.000Z"));
    QCOMPARE(msg.value(QLatin1String("deleted")).toBool(), false);
    QCOMPARE(msg.value(QLatin1String("author_name")).toString(), QStringLiteral("bob"));

    const QJsonObject resync =
        QJsonDocument::fromJson(
            json.resync({QStringLiteral("c1"), QStringLiteral("too_many_changes")}))
            .object();
    QCOMPARE(resync.value(QLatin1String("type")).toString(), QStringLiteral("resync"));
    QCOMPARE(resync.value(QLatin1String("channel")).toString(), QStringLiteral("c1"));
    QCOMPARE(resync.value(QLatin1String("channel_name")).toString(), QStringLiteral("general"));
    QCOMPARE(resync.value(QLatin1String("reason")).toString(), QStringLiteral("too_many_changes"));

    EventFormatter text(false);
    text.setSnapshot(m_snapshot);
    QVERIFY(
        text.updated({QString(), MessageChange::Edit, m}).contains("(message 8, edited) fixed"));
    m.deleted = true;
    m.text.clear();
    QVERIFY(text.updated({QString(), MessageChange::Delete, m}).contains("message 8 was deleted"));
    QVERIFY(text.resync({QStringLiteral("c1"), QStringLiteral("too_many_changes")})
                .contains("#general"));
}

void tst_EventFormatter::reactionsRepliesAndMentions()
{
    // §7 in `listen --json`: the reply (with the quoted author's name), whom the
    // message mentions (and whether that is us), the reactions with names.
    Message m;
    m.id = QStringLiteral("m2");
    m.channel = QStringLiteral("c1");
    m.seq = 9;
    m.author = QStringLiteral("u2");
    m.text = QStringLiteral("@alice yes");
    m.rev = 3;
    m.ev = 20;
    m.mentions = {QStringLiteral("u1")};
    m.replyTo =
        ReplyRef{QStringLiteral("m1"), 8, QStringLiteral("u1"), QStringLiteral("lunch?"), false};
    m.reactions = {Reaction{QStringLiteral("👍"), 2, {QStringLiteral("u2"), QStringLiteral("u1")}}};
    EventFormatter json(true);
    json.setSnapshot(m_snapshot);
    const QJsonObject o =
        QJsonDocument::fromJson(json.updated(MessageUpdatedEvent{{}, MessageChange::Reaction, m}))
            .object();
    QCOMPARE(o.value(QStringLiteral("change")).toString(), QStringLiteral("reaction"));
    const QJsonObject msg = o.value(QStringLiteral("message")).toObject();
    const QJsonObject reply = msg.value(QStringLiteral("reply_to")).toObject();
    QCOMPARE(reply.value(QStringLiteral("id")).toString(), QStringLiteral("m1"));
    QCOMPARE(reply.value(QStringLiteral("seq")).toInt(), 8);
    QCOMPARE(reply.value(QStringLiteral("excerpt")).toString(), QStringLiteral("lunch?"));
    QCOMPARE(reply.value(QStringLiteral("author_name")).toString(), QStringLiteral("alice"));
    QCOMPARE(reply.value(QStringLiteral("deleted")).toBool(), false);
    QCOMPARE(msg.value(QStringLiteral("mentions")).toArray().first().toString(),
             QStringLiteral("u1"));
    QCOMPARE(msg.value(QStringLiteral("mention_names")).toArray().first().toString(),
             QStringLiteral("alice"));
    QCOMPARE(msg.value(QStringLiteral("mentions_me")).toBool(), true);
    const QJsonObject x = msg.value(QStringLiteral("reactions")).toArray().first().toObject();
    QCOMPARE(x.value(QStringLiteral("emoji")).toString(), QStringLiteral("👍"));
    QCOMPARE(x.value(QStringLiteral("count")).toInt(), 2);
    QCOMPARE(x.value(QStringLiteral("user_names")).toArray().at(0).toString(),
             QStringLiteral("bob"));
    QCOMPARE(x.value(QStringLiteral("mine")).toBool(), true);
    // Not a reply: null; no reactions: [].
    Message plain = m;
    plain.replyTo.reset();
    plain.reactions.clear();
    plain.mentions.clear();
    const QJsonObject p = QJsonDocument::fromJson(json.message(plain))
                              .object()
                              .value(QStringLiteral("message"))
                              .toObject();
    QVERIFY(p.value(QStringLiteral("reply_to")).isNull());
    QCOMPARE(p.value(QStringLiteral("reactions")).toArray().size(), 0);
    QCOMPARE(p.value(QStringLiteral("mentions_me")).toBool(), false);

    // The plain output says the same in words.
    EventFormatter text;
    text.setSnapshot(m_snapshot);
    const QString line = QString::fromUtf8(text.message(m));
    QVERIFY2(line.contains(QStringLiteral("(reply to alice, message 8: “lunch?”)")),
             qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("(mentions you) @alice yes")), qPrintable(line));
    const QString reactions =
        QString::fromUtf8(text.updated(MessageUpdatedEvent{{}, MessageChange::Reaction, m}));
    QVERIFY2(reactions.contains(QStringLiteral("reactions on message 9: 👍 2 (bob, alice)")),
             qPrintable(reactions));
}

void tst_EventFormatter::systemMessagesInWords()
{
    // §7: a system message's text is empty; the CLI words it like the desktop.
    Message m;
    m.id = QStringLiteral("m1");
    m.channel = QStringLiteral("c1");
    m.seq = 9;
    m.author = QStringLiteral("u1");
    m.kind = MessageKind::System;
    m.system = QJsonObject{{QStringLiteral("event"), QStringLiteral("invited")},
                           {QStringLiteral("users"), QJsonArray{QStringLiteral("u2")}}};
    m.ts = QDateTime::currentDateTimeUtc();
    EventFormatter text;
    text.setSnapshot(m_snapshot);
    const QByteArray plain = text.message(m);
    QVERIFY2(plain.endsWith(" #general * alice added bob\n"), plain.constData());

    EventFormatter json(true);
    json.setSnapshot(m_snapshot);
    const QJsonObject o = QJsonDocument::fromJson(json.message(m))
                              .object()
                              .value(QLatin1String("message"))
                              .toObject();
    QCOMPARE(o.value(QLatin1String("kind")).toString(), QStringLiteral("system"));
    QCOMPARE(o.value(QLatin1String("system_text")).toString(), QStringLiteral("alice added bob"));
    QCOMPARE(o.value(QLatin1String("system")).toObject().value(QLatin1String("event")).toString(),
             QStringLiteral("invited"));
    QCOMPARE(o.value(QLatin1String("text")).toString(), QString());
}

QTEST_GUILESS_MAIN(tst_EventFormatter)
#include "tst_EventFormatter.moc"
