// MembershipCache: lookups from the copy, and reload() reporting exactly the
// channels whose member list changed (what the hub announces after
// `natterd channel add/join/leave`).
#include "hub/MembershipCache.h"

#include <QtTest>

using namespace Natter::Server;

class tst_MembershipCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lookups();
    void reloadReportsChanges();
    void createdChannelIsKnownAtOnce();
};

void tst_MembershipCache::lookups()
{
    MembershipCache cache;
    QVERIFY(cache.reload({{u"c1"_qs, {u"u3"_qs, u"u1"_qs, u"u2"_qs}}}).size() == 1);
    QCOMPARE(cache.members(u"c1"_qs), (QStringList{u"u1"_qs, u"u2"_qs, u"u3"_qs}));
    QVERIFY(cache.contains(u"c1"_qs, u"u3"_qs));
    QVERIFY(!cache.contains(u"c1"_qs, u"u4"_qs));
    QVERIFY(!cache.contains(u"nope"_qs, u"u1"_qs));
    QVERIFY(cache.members(u"nope"_qs).isEmpty());
}

void tst_MembershipCache::reloadReportsChanges()
{
    MembershipCache cache;
    cache.reload({{u"same"_qs, {u"a"_qs, u"b"_qs}},
                  {u"join"_qs, {u"a"_qs}},
                  {u"leave"_qs, {u"a"_qs, u"b"_qs}},
                  {u"emptied"_qs, {u"a"_qs}}});
    const auto changes = cache.reload({{u"same"_qs, {u"b"_qs, u"a"_qs}}, // order does not matter
                                       {u"join"_qs, {u"a"_qs, u"c"_qs}},
                                       {u"leave"_qs, {u"b"_qs}},
                                       {u"new"_qs, {u"c"_qs}}});
    QHash<QString, QPair<QStringList, QStringList>> byChannel;
    for (const auto &c : changes)
        byChannel.insert(c.channel, {c.before, c.after});
    QCOMPARE(byChannel.size(), 4);
    QCOMPARE(byChannel.value(u"join"_qs).second, (QStringList{u"a"_qs, u"c"_qs}));
    QCOMPARE(byChannel.value(u"leave"_qs).first, (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(byChannel.value(u"leave"_qs).second, QStringList{u"b"_qs});
    QCOMPARE(byChannel.value(u"new"_qs).first, QStringList());
    QCOMPARE(byChannel.value(u"emptied"_qs).second, QStringList());
    QVERIFY(!cache.contains(u"emptied"_qs, u"a"_qs));
    QVERIFY(cache.contains(u"join"_qs, u"c"_qs));
}

void tst_MembershipCache::createdChannelIsKnownAtOnce()
{
    MembershipCache cache;
    cache.setMembers(u"dm"_qs, {u"z"_qs, u"a"_qs});
    QVERIFY(cache.contains(u"dm"_qs, u"a"_qs));
    QVERIFY(cache.contains(u"dm"_qs, u"z"_qs));
    // The store agrees later: nothing to announce.
    QVERIFY(cache.reload({{u"dm"_qs, {u"a"_qs, u"z"_qs}}}).isEmpty());
}

QTEST_GUILESS_MAIN(tst_MembershipCache)
#include "tst_membershipcache.moc"
