// MembershipCache: one store read per channel until cleared, unknown channels
// never kept, membership answered from the sorted list.
#include "MembershipCache.h"

#include <QtTest>

using namespace Natter;

class tst_MembershipCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTheStoreOncePerChannel();
    void unknownChannelsAreNotKept();
    void clearReadsAgain();
};

namespace {
struct FakeTable
{
    QHash<QString, QStringList> rows;
    int reads = 0;
    QStringList load(const QString &channel)
    {
        ++reads;
        return rows.value(channel);
    }
};
} // namespace

void tst_MembershipCache::readsTheStoreOncePerChannel()
{
    FakeTable table;
    table.rows.insert(u"c1"_qs, {u"u3"_qs, u"u1"_qs, u"u2"_qs});
    MembershipCache cache([&](const QString &c) { return table.load(c); });
    QCOMPARE(cache.members(u"c1"_qs), (QStringList{u"u1"_qs, u"u2"_qs, u"u3"_qs}));
    QVERIFY(cache.contains(u"c1"_qs, u"u3"_qs));
    QVERIFY(!cache.contains(u"c1"_qs, u"u4"_qs));
    QCOMPARE(table.reads, 1);
}

void tst_MembershipCache::unknownChannelsAreNotKept()
{
    // A client naming random channel ids must not grow the cache, and a channel
    // created later (a new direct channel) must be seen.
    FakeTable table;
    MembershipCache cache([&](const QString &c) { return table.load(c); });
    QVERIFY(!cache.contains(u"new"_qs, u"u1"_qs));
    table.rows.insert(u"new"_qs, {u"u1"_qs});
    QVERIFY(cache.contains(u"new"_qs, u"u1"_qs));
    QCOMPARE(table.reads, 2);
}

void tst_MembershipCache::clearReadsAgain()
{
    FakeTable table;
    table.rows.insert(u"c1"_qs, {u"u1"_qs, u"u2"_qs});
    MembershipCache cache([&](const QString &c) { return table.load(c); });
    QVERIFY(cache.contains(u"c1"_qs, u"u2"_qs));
    table.rows[u"c1"_qs].removeAll(u"u2"_qs); // `natterd channel leave c1 u2`
    QVERIFY(cache.contains(u"c1"_qs, u"u2"_qs)); // not noticed yet
    cache.clear();
    QVERIFY(!cache.contains(u"c1"_qs, u"u2"_qs));
    QCOMPARE(table.reads, 2);
}

QTEST_GUILESS_MAIN(tst_MembershipCache)
#include "tst_membershipcache.moc"
