// MemoryTokenStore: the same contract as the keychain, in this process only.
#include "auth/MemoryTokenStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Natter;

class tst_MemoryTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersAsynchronouslyLikeTheKeychain();
    void keysAreIndependent();
};

void tst_MemoryTokenStore::answersAsynchronouslyLikeTheKeychain()
{
    MemoryTokenStore store;
    QSignalSpy written(&store, &TokenStore::written);
    QSignalSpy read(&store, &TokenStore::readFinished);
    QSignalSpy removed(&store, &TokenStore::removed);

    store.write(QStringLiteral("k"), QStringLiteral("t"));
    QCOMPARE(written.size(), 0); // never synchronous: callers must not rely on it
    QVERIFY(written.wait(1000));
    QCOMPARE(written.first().first().toString(), QStringLiteral("k"));

    store.read(QStringLiteral("k"));
    QVERIFY(read.wait(1000));
    QCOMPARE(read.first().at(1).toString(), QStringLiteral("t"));

    store.remove(QStringLiteral("k"));
    QVERIFY(removed.wait(1000));
    store.read(QStringLiteral("k"));
    QVERIFY(read.wait(1000));
    QCOMPARE(read.at(1).at(1).toString(), QString());
    QCOMPARE(store.count(), 0);
}

void tst_MemoryTokenStore::keysAreIndependent()
{
    MemoryTokenStore store;
    QSignalSpy read(&store, &TokenStore::readFinished);
    store.write(QStringLiteral("a"), QStringLiteral("1"));
    store.write(QStringLiteral("b"), QStringLiteral("2"));
    store.remove(QStringLiteral("a"));
    store.read(QStringLiteral("a"));
    store.read(QStringLiteral("b"));
    QTRY_COMPARE(read.size(), 2);
    QCOMPARE(read.at(0).at(1).toString(), QString());
    QCOMPARE(read.at(1).at(1).toString(), QStringLiteral("2"));
}

QTEST_GUILESS_MAIN(tst_MemoryTokenStore)
#include "tst_MemoryTokenStore.moc"
