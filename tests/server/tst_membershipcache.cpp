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
    void reloadArchivedReportsFlips();
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

void tst_MembershipCache::reloadArchivedReportsFlips()
{
    // What the watcher announces after `natterd channel archive/unarchive`:
    // nothing for the first read (natterd has told nobody anything yet), then
    // exactly the channels that flipped, except those this process flipped
    // itself (the `archive` frame, already announced).
    MembershipCache cache;
    QVERIFY(cache.reloadArchived({u"old"_qs}).isEmpty());
    QVERIFY(cache.reloadArchived({u"old"_qs}).isEmpty());
    QStringList flipped = cache.reloadArchived({u"new"_qs});
    flipped.sort();
    QCOMPARE(flipped, (QStringList{u"new"_qs, u"old"_qs}));
    cache.setArchived(u"local"_qs, true);
    cache.setArchived(u"new"_qs, false);
    QVERIFY(cache.reloadArchived({u"local"_qs}).isEmpty());
}

QTEST_GUILESS_MAIN(tst_MembershipCache)
#include "tst_membershipcache.moc"
