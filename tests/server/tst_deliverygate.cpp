// DeliveryGate: the per-connection ordering rule that replaces "the replay is
// synchronous" (docs/server.md, "Replay and live order"). Frames are offered in
// the orders an asynchronous store or fan-out could produce; what comes out must
// still follow §5 and §13.
#include "hub/DeliveryGate.h"

#include <QtTest>

using Natter::Server::DeliveryGate;
using Natter::Server::LiveFrame;
using Natter::Server::WireFrame;

namespace {
// What the client reads: the frames' texts.
QStringList texts(const QList<WireFrame> &frames)
{
    QStringList out;
    for (const WireFrame &f : frames)
        out << QString::fromUtf8(f.payload());
    return out;
}
LiveFrame message(qint64 seq)
{
    return {LiveFrame::Kind::Message, u"c"_qs, seq, (u"message %1"_qs.arg(seq)).toUtf8()};
}
LiveFrame ack(qint64 seq)
{
    return {LiveFrame::Kind::Ack, u"c"_qs, seq, (u"ack %1"_qs.arg(seq)).toUtf8()};
}
LiveFrame update(qint64 seq, int rev)
{
    return {LiveFrame::Kind::Update, u"c"_qs, seq,
            (u"update %1 rev %2"_qs.arg(seq).arg(rev)).toUtf8()};
}
LiveFrame typing()
{
    return {LiveFrame::Kind::Other, u"c"_qs, 0, (u"typing"_qs).toUtf8()};
}
} // namespace

class tst_DeliveryGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messagesOnceInSeqOrder()
    {
        DeliveryGate gate;
        gate.markDelivered(u"c"_qs, 3); // the snapshot's last_seq
        QCOMPARE(texts(gate.offer(message(3))), QStringList());
        QCOMPARE(texts(gate.offer(message(4))), QStringList{u"message 4"_qs});
        QCOMPARE(texts(gate.offer(message(4))), QStringList());
        QCOMPARE(gate.delivered(u"c"_qs), 4);
    }

    void liveFramesWaitForTheReplay()
    {
        DeliveryGate gate;
        gate.markDelivered(u"c"_qs, 5);
        gate.beginReplay();
        // Live while the replay runs: nothing goes out yet.
        QCOMPARE(texts(gate.offer(message(6))), QStringList());
        QCOMPARE(texts(gate.offer(typing())), QStringList());
        QCOMPARE(texts(gate.offer(update(2, 2))), QStringList());
        // The replay itself delivered up to 6 (it read the store after 6 was stored).
        gate.markDelivered(u"c"_qs, 6);
        QCOMPARE(texts(gate.offer(message(7))), QStringList());
        // After `resumed`: in arrival order, without the replayed message 6.
        QCOMPARE(texts(gate.endReplay()),
                 (QStringList{u"typing"_qs, u"update 2 rev 2"_qs, u"message 7"_qs}));
        QVERIFY(!gate.isReplaying());
    }

    void updateNeverPrecedesItsMessage()
    {
        DeliveryGate gate;
        gate.markDelivered(u"c"_qs, 1);
        // The update of message 2 overtook the message itself.
        QCOMPARE(texts(gate.offer(update(2, 2))), QStringList());
        QCOMPARE(texts(gate.offer(update(1, 2))), QStringList{u"update 1 rev 2"_qs});
        QCOMPARE(texts(gate.offer(message(2))),
                 (QStringList{u"message 2"_qs, u"update 2 rev 2"_qs}));
        QCOMPARE(texts(gate.offer(update(2, 3))), QStringList{u"update 2 rev 3"_qs});
    }

    void ackReleasesWaitingUpdatesAndRepeats()
    {
        DeliveryGate gate;
        QCOMPARE(texts(gate.offer(update(1, 2))), QStringList());
        QCOMPARE(texts(gate.offer(ack(1))), (QStringList{u"ack 1"_qs, u"update 1 rev 2"_qs}));
        // A repeated send's ack always goes out (it carries the new ref).
        QCOMPARE(texts(gate.offer(ack(1))), QStringList{u"ack 1"_qs});
        // And the message itself is not delivered again to the sender.
        QCOMPARE(texts(gate.offer(message(1))), QStringList());
    }

    void channelFrameSetsWhatTheConnectionHolds()
    {
        DeliveryGate gate;
        const LiveFrame channel{LiveFrame::Kind::Channel, u"c"_qs, 9, (u"channel"_qs).toUtf8()};
        QCOMPARE(texts(gate.offer(channel)), QStringList{u"channel"_qs});
        QCOMPARE(texts(gate.offer(update(4, 2))), QStringList{u"update 4 rev 2"_qs});
        QCOMPARE(texts(gate.offer(message(9))), QStringList());
        QCOMPARE(texts(gate.offer(message(10))), QStringList{u"message 10"_qs});
    }
};

QTEST_APPLESS_MAIN(tst_DeliveryGate)
#include "tst_deliverygate.moc"
