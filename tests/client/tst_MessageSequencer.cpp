// Per-channel ordering: duplicates dropped (by seq and by id), gaps held back
// and filled from history, an unfillable gap given up instead of stalling.
#include "net/MessageSequencer.h"

#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
Message msg(qint64 seq, const QString &channel = u"c"_s)
{
    return Message{u"%1-%2"_s.arg(channel).arg(seq), channel, seq, u"u"_s, u"t"_s, {}, {}};
}

QList<qint64> seqs(const QList<Message> &messages)
{
    QList<qint64> result;
    for (const Message &m : messages)
        result.append(m.seq);
    return result;
}
} // namespace

class tst_MessageSequencer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void inOrderPassesThrough();
    void duplicates_data();
    void duplicates();
    void gapIsHeldAndFilled();
    void largeGapFilledInPages();
    void unfillableGapIsSkipped();
    void unknownChannelStartsAtFirstMessage();
    void resumeMapHasKnownChannels();
    void newerCopyOfADeliveredMessageIsAnUpdate();
    void updatesApplyOnceByRev();
    void updateOfAHeldMessageWaitsWithIt();
    void resetChannelForgetsWhatWasHeld();
};

void tst_MessageSequencer::inOrderPassesThrough()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 0);
    for (int i = 1; i <= 3; ++i) {
        const auto r = s.accept(msg(i));
        QCOMPARE(seqs(r.deliver), QList<qint64>{i});
        QVERIFY(!r.fill);
    }
    QCOMPARE(s.lastSeq(u"c"_s), 3);
}

void tst_MessageSequencer::duplicates_data()
{
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QString>("id");
    QTest::newRow("same seq, same id") << qint64(5) << u"c-5"_s;
    QTest::newRow("older seq") << qint64(2) << u"c-2"_s;
    QTest::newRow("same id, new seq") << qint64(6) << u"c-5"_s;
}

void tst_MessageSequencer::duplicates()
{
    QFETCH(qint64, seq);
    QFETCH(QString, id);
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 4);
    QCOMPARE(s.accept(msg(5)).deliver.size(), 1);
    Message dup = msg(seq);
    dup.id = id;
    QVERIFY(s.accept(dup).deliver.isEmpty());
}

void tst_MessageSequencer::gapIsHeldAndFilled()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 3);
    auto r = s.accept(msg(7));
    QVERIFY(r.deliver.isEmpty());
    QVERIFY(r.fill);
    QVERIFY(r.newGap);
    QCOMPARE(*r.fill, (MessageSequencer::Gap{u"c"_s, 3, 7}));
    r = s.accept(msg(8)); // still held, same gap, not new
    QVERIFY(r.deliver.isEmpty());
    QVERIFY(!r.newGap);
    r = s.acceptFill(u"c"_s, {msg(4), msg(5), msg(6)});
    QCOMPARE(seqs(r.deliver), (QList<qint64>{4, 5, 6, 7, 8}));
    QVERIFY(!r.fill);
    QVERIFY(s.openGaps().isEmpty());
}

void tst_MessageSequencer::largeGapFilledInPages()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 0);
    auto r = s.accept(msg(501));
    QCOMPARE(*r.fill, (MessageSequencer::Gap{u"c"_s, 0, 501}));
    QList<Message> page;
    for (int i = 301; i <= 500; ++i)
        page.append(msg(i));
    r = s.acceptFill(u"c"_s, page);
    QVERIFY(r.deliver.isEmpty());
    QCOMPARE(*r.fill, (MessageSequencer::Gap{u"c"_s, 0, 301}));
    page.clear();
    for (int i = 1; i <= 300; ++i)
        page.append(msg(i));
    r = s.acceptFill(u"c"_s, page);
    QCOMPARE(r.deliver.size(), 501);
    QCOMPARE(r.deliver.first().seq, 1);
    QCOMPARE(r.deliver.last().seq, 501);
}

void tst_MessageSequencer::unfillableGapIsSkipped()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 1);
    QVERIFY(s.accept(msg(4)).fill);
    const auto r = s.acceptFill(u"c"_s, {});
    QCOMPARE(seqs(r.deliver), QList<qint64>{4});
    QVERIFY(!r.fill);
}

void tst_MessageSequencer::unknownChannelStartsAtFirstMessage()
{
    MessageSequencer s;
    const auto r = s.accept(msg(40, u"new"_s));
    QCOMPARE(seqs(r.deliver), QList<qint64>{40});
    QVERIFY(!r.fill);
}

void tst_MessageSequencer::resumeMapHasKnownChannels()
{
    MessageSequencer s;
    s.setLastSeq(u"a"_s, 3);
    s.setLastSeqIfUnknown(u"a"_s, 10);
    s.setLastSeqIfUnknown(u"b"_s, 10);
    s.accept(msg(4, u"a"_s));
    QCOMPARE(s.resumeMap(), (QHash<QString, qint64>{{u"a"_s, 4}, {u"b"_s, 10}}));
}

namespace {
Message rev(qint64 seq, qint64 r, const QString &channel = u"c"_s)
{
    Message m = msg(seq, channel);
    m.rev = r;
    m.text = u"rev %1"_s.arg(r);
    return m;
}
} // namespace

void tst_MessageSequencer::newerCopyOfADeliveredMessageIsAnUpdate()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 0);
    QCOMPARE(seqs(s.accept(rev(1, 1)).deliver), QList<qint64>{1});
    // The same message again, with a later state: an update, never a second delivery.
    const auto again = s.accept(rev(1, 2));
    QVERIFY(again.deliver.isEmpty());
    QCOMPARE(again.updates.size(), 1);
    QCOMPARE(again.updates.first().rev, 2);
    // The same or an older state: nothing at all.
    QVERIFY(s.accept(rev(1, 2)).updates.isEmpty());
    QVERIFY(s.accept(rev(1, 1)).updates.isEmpty());
}

void tst_MessageSequencer::updatesApplyOnceByRev()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 5); // 1..5 are history this client may hold
    s.accept(rev(6, 1));
    using U = MessageSequencer::Update;
    QCOMPARE(s.acceptUpdate(rev(6, 3)), U::Apply);
    QCOMPARE(s.acceptUpdate(rev(6, 2)), U::Ignore); // out of order: older
    QCOMPARE(s.acceptUpdate(rev(6, 3)), U::Ignore); // twice
    QCOMPARE(s.acceptUpdate(rev(2, 2)), U::Apply); // an older message (history)
    QCOMPARE(s.acceptUpdate(rev(2, 2)), U::Ignore);
    QCOMPARE(s.acceptUpdate(rev(9, 2)), U::Ignore); // beyond what we have
    QCOMPARE(s.acceptUpdate(rev(1, 2, u"unknown"_s)), U::Ignore); // a channel never seen
}

void tst_MessageSequencer::updateOfAHeldMessageWaitsWithIt()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 1);
    const auto held = s.accept(rev(3, 1)); // 2 is missing: 3 waits
    QVERIFY(held.deliver.isEmpty());
    QVERIFY(held.fill);
    QCOMPARE(s.acceptUpdate(rev(3, 2)), MessageSequencer::Update::Held);
    QCOMPARE(s.acceptUpdate(rev(3, 1)), MessageSequencer::Update::Ignore);
    // The fill brings 2 and an older copy of 3: 3 comes out in its latest state.
    const auto filled = s.acceptFill(u"c"_s, {rev(2, 1), rev(3, 1)});
    QCOMPARE(seqs(filled.deliver), (QList<qint64>{2, 3}));
    QCOMPARE(filled.deliver.last().rev, 2);
}

void tst_MessageSequencer::resetChannelForgetsWhatWasHeld()
{
    MessageSequencer s;
    s.setLastSeq(u"c"_s, 1);
    s.accept(rev(4, 1));
    QCOMPARE(s.openGaps().size(), 1);
    s.resetChannel(u"c"_s, 10); // a resync: the channel starts at its snapshot
    QVERIFY(s.openGaps().isEmpty());
    QCOMPARE(s.lastSeq(u"c"_s), 10);
    QVERIFY(s.accept(rev(4, 1)).deliver.isEmpty());
    QCOMPARE(seqs(s.accept(rev(11, 1)).deliver), QList<qint64>{11});
}

QTEST_GUILESS_MAIN(tst_MessageSequencer)
#include "tst_MessageSequencer.moc"
