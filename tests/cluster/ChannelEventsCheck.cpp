#include "ChannelEventsCheck.h"

#include "WsTestClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

void checkChannelEventsAcrossNodes(WsTestClient &a0, WsTestClient &a2, WsTestClient &b1,
                                   WsTestClient &b2, const QString &u1Id, const QString &u2Id,
                                   const QString &prefix)
{
    const QString &name = prefix;
    const auto firstChannelFrame = [](const WsTestClient &c, const QString &channelName) {
        for (const QJsonObject &f : c.frames()) {
            if (f[u"type"].toString() == u"channel"
                && f[u"channel"][u"name"].toString() == channelName)
                return f[u"channel"].toObject();
        }
        return QJsonObject();
    };
    const auto systemMessage = [](const WsTestClient &c, const QString &channel,
                                  const QString &event) {
        for (const QJsonObject &f : c.frames()) {
            const QJsonObject m = f[u"message"].toObject();
            if (f[u"type"].toString() == u"message" && m[u"channel"].toString() == channel
                && m[u"system"][u"event"].toString() == event)
                return m;
        }
        return QJsonObject();
    };
    const auto removed = [](const WsTestClient &c, const QString &channel) {
        for (const QJsonObject &f : c.frames()) {
            if (f[u"type"].toString() == u"channel_removed" && f[u"channel"].toString() == channel)
                return true;
        }
        return false;
    };

    // Created on node 0 with u1: u1's socket on node 1 gets the channel and
    // the `created` message, live, right after what the channel frame says it
    // holds (node 1 routed the message before it knew u1 was in).
    a0.sendJson({{u"type"_qs, u"channel_create"_qs},
                 {u"ref"_qs, name},
                 {u"name"_qs, name},
                 {u"visibility"_qs, u"public"_qs},
                 {u"members"_qs, QJsonArray{u1Id}}});
    const QString channel = a0.take(u"channel"_qs, 10000)[u"channel"][u"id"].toString();
    QVERIFY(!channel.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!systemMessage(b1, channel, u"created"_qs).isEmpty(), 10000);
    QCOMPARE(systemMessage(b1, channel, u"created"_qs)[u"seq"].toInteger(),
             firstChannelFrame(b1, name)[u"last_seq"].toInteger() + 1);
    // ...and may write in it at once.
    b1.sendJson({{u"type"_qs, u"send"_qs},
                 {u"ref"_qs, QString(prefix + u"-send"_qs)},
                 {u"channel"_qs, channel},
                 {u"client_msg_id"_qs, QString(prefix + u"-send"_qs)},
                 {u"text"_qs, u"first"_qs}});
    const QJsonObject sent = b1.take(u"ack"_qs, 10000);
    QCOMPARE(sent[u"ref"].toString(), QString(prefix + u"-send"_qs));

    // u2 invited on node 0: the newcomer's socket on node 1 gets the channel
    // and the `invited` message.
    a0.sendJson({{u"type"_qs, u"invite"_qs},
                 {u"ref"_qs, QString(prefix + u"-invite"_qs)},
                 {u"channel"_qs, channel},
                 {u"users"_qs, QJsonArray{u2Id}}});
    QTRY_VERIFY_WITH_TIMEOUT(!systemMessage(b2, channel, u"invited"_qs).isEmpty(), 10000);
    QCOMPARE(systemMessage(b2, channel, u"invited"_qs)[u"seq"].toInteger(),
             firstChannelFrame(b2, name)[u"last_seq"].toInteger() + 1);
    QCOMPARE(systemMessage(b2, channel, u"invited"_qs)[u"seq"].toInteger(),
             sent[u"message"][u"seq"].toInteger() + 1);

    // u2 leaves on node 0: the other device is told it is out.
    QTRY_VERIFY_WITH_TIMEOUT(!firstChannelFrame(a2, name).isEmpty(), 10000);
    a2.sendJson({{u"type"_qs, u"leave"_qs},
                 {u"ref"_qs, QString(prefix + u"-leave"_qs)},
                 {u"channel"_qs, channel}});
    QTRY_VERIFY_WITH_TIMEOUT(removed(b2, channel), 10000);
}
