// TypingTracker: expiry, explicit stop, and only the typing connection's close.
#include "hub/TypingTracker.h"

#include <QtTest>

using Natter::Server::TypingTracker;

class tst_TypingTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void expiresWithoutRenewal();
    void renewalExtends();
    void stopOnlyWhenTyping();
    void connectionClosed();
};

void tst_TypingTracker::expiresWithoutRenewal()
{
    TypingTracker t(6000);
    t.start(u"ch"_qs, u"u"_qs, u"c1"_qs, 0);
    QCOMPARE(t.nextDeadline(), 6000);
    QVERIFY(t.takeExpired(5999).isEmpty());
    const auto ended = t.takeExpired(6000);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended[0].channel, u"ch"_qs);
    QCOMPARE(ended[0].user, u"u"_qs);
    QCOMPARE(t.nextDeadline(), -1);
}

void tst_TypingTracker::renewalExtends()
{
    TypingTracker t(6000);
    t.start(u"ch"_qs, u"u"_qs, u"c1"_qs, 0);
    t.start(u"ch"_qs, u"u"_qs, u"c1"_qs, 3000);
    QVERIFY(t.takeExpired(6000).isEmpty());
    QCOMPARE(t.takeExpired(9000).size(), 1);
}

void tst_TypingTracker::stopOnlyWhenTyping()
{
    TypingTracker t(6000);
    QVERIFY(!t.stop(u"ch"_qs, u"u"_qs));
    t.start(u"ch"_qs, u"u"_qs, u"c1"_qs, 0);
    QVERIFY(t.stop(u"ch"_qs, u"u"_qs));
    QVERIFY(!t.stop(u"ch"_qs, u"u"_qs));
}

void tst_TypingTracker::connectionClosed()
{
    TypingTracker t(6000);
    t.start(u"ch1"_qs, u"u"_qs, u"c1"_qs, 0);
    t.start(u"ch2"_qs, u"u"_qs, u"c2"_qs, 0);
    QVERIFY(t.connectionClosed(u"other"_qs).isEmpty());
    const auto ended = t.connectionClosed(u"c1"_qs);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended[0].channel, u"ch1"_qs);
    QCOMPARE(t.takeExpired(6000).size(), 1); // ch2 still there
}

QTEST_GUILESS_MAIN(tst_TypingTracker)
#include "tst_typingtracker.moc"
