// Profile: what isolates two accounts on one machine.
#include "auth/Profile.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

class tst_Profile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void names_data();
    void names();
    void keychainKeys_data();
    void keychainKeys();
    void pathsAreSeparatePerProfile();

private:
    QTemporaryDir m_home;
};

void tst_Profile::initTestCase()
{
    QVERIFY(m_home.isValid());
    // QStandardPaths reads these on every call: this test's files stay here.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
}

void tst_Profile::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("default") << QStringLiteral("default") << true;
    QTest::newRow("dashes") << QStringLiteral("work-2_b.x") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("dotdot") << QStringLiteral("..") << false;
    QTest::newRow("colon") << QStringLiteral("cli:x") << false;
    QTest::newRow("pipe") << QStringLiteral("a|b") << false;
    QTest::newRow("too long") << QString(65, QLatin1Char('a')) << false;
}

void tst_Profile::names()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(Profile::isValidName(name), valid);
}

void tst_Profile::keychainKeys_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<bool>("cli");
    QTest::addColumn<QString>("key");
    const QString origin = QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("desktop default")
        << QStringLiteral("default") << false << QStringLiteral("http://127.0.0.1:8080|alice");
    QTest::newRow("desktop work") << QStringLiteral("work") << false
                                  << QStringLiteral("http://127.0.0.1:8080|alice|work");
    QTest::newRow("cli default") << QStringLiteral("default") << true
                                 << QStringLiteral("http://127.0.0.1:8080|alice|cli:default");
    QTest::newRow("cli work") << QStringLiteral("work") << true
                              << QStringLiteral("http://127.0.0.1:8080|alice|cli:work");
}

void tst_Profile::keychainKeys()
{
    QFETCH(QString, profile);
    QFETCH(bool, cli);
    QFETCH(QString, key);
    const Profile p(profile, cli ? Profile::Client::Cli : Profile::Client::Desktop);
    QCOMPARE(p.keychainKey(QStringLiteral("http://127.0.0.1:8080"), QStringLiteral("alice")), key);
    QCOMPARE(Profile::keychainService(), QStringLiteral("natter"));
}

void tst_Profile::pathsAreSeparatePerProfile()
{
    const Profile a(QStringLiteral("a"));
    const Profile b(QStringLiteral("b"));
    QVERIFY(a.dataDir() != b.dataDir());
    QVERIFY(a.settingsPath() != b.settingsPath());
    QVERIFY(QFileInfo(a.dataDir()).isDir());
    QVERIFY(a.dataDir().startsWith(m_home.path() + QStringLiteral("/data/")));
    QVERIFY(a.dataDir().endsWith(QStringLiteral("/profiles/a")));
    QVERIFY(a.settingsPath().startsWith(m_home.path() + QStringLiteral("/config/")));
    QCOMPARE(Profile().name(), QStringLiteral("default"));
    QVERIFY(Profile().isDefault());
}

QTEST_GUILESS_MAIN(tst_Profile)
#include "tst_Profile.moc"
