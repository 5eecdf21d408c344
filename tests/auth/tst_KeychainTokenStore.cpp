// KeychainTokenStore against the real Secret Service (gnome-keyring in the
// private D-Bus session scripts/test-session.sh starts): store, read, delete,
// and two profiles kept apart.
#include "auth/KeychainTokenStore.h"
#include "auth/Profile.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Natter;

class tst_KeychainTokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storeReadDelete_data();
    void storeReadDelete();
    void overwriteKeepsTheNewest();
    void missingEntryReadsEmptyAndDeletes();
    void twoProfilesAreIsolated();

private:
    QString read(KeychainTokenStore &store, const QString &key);
    bool write(KeychainTokenStore &store, const QString &key, const QString &token);
    bool remove(KeychainTokenStore &store, const QString &key);

    QString m_origin;
};

void tst_KeychainTokenStore::initTestCase()
{
    // Keys unique to this run: parallel tests share the session's keyring.
    m_origin = QStringLiteral("http://keychain-test-%1:1")
                   .arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
}

QString tst_KeychainTokenStore::read(KeychainTokenStore &store, const QString &key)
{
    QSignalSpy done(&store, &TokenStore::readFinished);
    QSignalSpy failed(&store, &TokenStore::failed);
    store.read(key);
    if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 10000)) {
        qWarning("keychain read timed out");
        return QStringLiteral("<timeout>");
    }
    if (!failed.isEmpty()) {
        qWarning("keychain read failed: %s", qPrintable(failed.first().at(2).toString()));
        return QStringLiteral("<failed>");
    }
    if (done.first().at(0).toString() != key)
        return QStringLiteral("<wrong key>");
    return done.first().at(1).toString();
}

bool tst_KeychainTokenStore::write(KeychainTokenStore &store, const QString &key,
                                   const QString &token)
{
    QSignalSpy done(&store, &TokenStore::written);
    QSignalSpy failed(&store, &TokenStore::failed);
    store.write(key, token);
    if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 10000))
        return false;
    if (!failed.isEmpty())
        qWarning("keychain write failed: %s", qPrintable(failed.first().at(2).toString()));
    return done.size() == 1 && done.first().at(0).toString() == key;
}

bool tst_KeychainTokenStore::remove(KeychainTokenStore &store, const QString &key)
{
    QSignalSpy done(&store, &TokenStore::removed);
    QSignalSpy failed(&store, &TokenStore::failed);
    store.remove(key);
    if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 10000))
        return false;
    return done.size() == 1 && done.first().at(0).toString() == key;
}

void tst_KeychainTokenStore::storeReadDelete_data()
{
    QTest::addColumn<QString>("token");
    QTest::newRow("opaque") << QStringLiteral("mt-eoxYUvMhE0q1w2e3r4t5y6u7i8o9p0aSdFgHjKl");
    QTest::newRow("long") << QString(2048, QLatin1Char('x'));
    QTest::newRow("unicode") << QStringLiteral("tøkén-✓-\u00e9");
}

void tst_KeychainTokenStore::storeReadDelete()
{
    QFETCH(QString, token);
    KeychainTokenStore store;
    QCOMPARE(store.service(), QStringLiteral("natter"));
    const QString key = Profile().keychainKey(m_origin, QStringLiteral("alice"));

    QVERIFY(write(store, key, token));
    QCOMPARE(read(store, key), token);
    // A second store object (as after a restart) sees the same entry.
    KeychainTokenStore again;
    QCOMPARE(read(again, key), token);

    QVERIFY(remove(store, key));
    QCOMPARE(read(store, key), QString());
}

void tst_KeychainTokenStore::overwriteKeepsTheNewest()
{
    KeychainTokenStore store;
    const QString key = Profile().keychainKey(m_origin, QStringLiteral("rotating"));
    QVERIFY(write(store, key, QStringLiteral("first")));
    QVERIFY(write(store, key, QStringLiteral("second")));
    QCOMPARE(read(store, key), QStringLiteral("second"));
    QVERIFY(remove(store, key));
}

void tst_KeychainTokenStore::missingEntryReadsEmptyAndDeletes()
{
    KeychainTokenStore store;
    const QString key = Profile().keychainKey(m_origin, QStringLiteral("nobody"));
    QSignalSpy failed(&store, &TokenStore::failed);
    QCOMPARE(read(store, key), QString());
    QVERIFY(remove(store, key)); // deleting nothing is fine
    QCOMPARE(failed.size(), 0);
}

void tst_KeychainTokenStore::twoProfilesAreIsolated()
{
    KeychainTokenStore store;
    const QString user = QStringLiteral("shared");
    const QString home = Profile(QStringLiteral("home")).keychainKey(m_origin, user);
    const QString work = Profile(QStringLiteral("work")).keychainKey(m_origin, user);
    const QString cli =
        Profile(QStringLiteral("home"), Profile::Client::Cli).keychainKey(m_origin, user);
    QVERIFY(home != work && home != cli && work != cli);

    QVERIFY(write(store, home, QStringLiteral("home-token")));
    QVERIFY(write(store, work, QStringLiteral("work-token")));
    QVERIFY(write(store, cli, QStringLiteral("cli-token")));
    QCOMPARE(read(store, home), QStringLiteral("home-token"));
    QCOMPARE(read(store, work), QStringLiteral("work-token"));
    QCOMPARE(read(store, cli), QStringLiteral("cli-token"));

    // Signing one profile out leaves the others signed in.
    QVERIFY(remove(store, home));
    QCOMPARE(read(store, home), QString());
    QCOMPARE(read(store, work), QStringLiteral("work-token"));
    QCOMPARE(read(store, cli), QStringLiteral("cli-token"));
    QVERIFY(remove(store, work));
    QVERIFY(remove(store, cli));
}

QTEST_GUILESS_MAIN(tst_KeychainTokenStore)
#include "tst_KeychainTokenStore.moc"
