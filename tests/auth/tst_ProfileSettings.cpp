// ProfileSettings: the remembered, non-secret choices of a profile.
#include "auth/ProfileSettings.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

class tst_ProfileSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void settingsRoundTrip();

private:
    QTemporaryDir m_home;
};

void tst_ProfileSettings::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
}

void tst_ProfileSettings::settingsRoundTrip()
{
    {
        ProfileSettings a{Profile(QStringLiteral("a"))};
        a.setServerUrl(QStringLiteral("http://127.0.0.1:1234"));
        a.setUsername(QStringLiteral("alice"));
        a.setStaySignedIn(false);
        a.sync();
        ProfileSettings b{Profile(QStringLiteral("b"))};
        b.setUsername(QStringLiteral("bob"));
        b.sync();
    }
    ProfileSettings a{Profile(QStringLiteral("a"))};
    QCOMPARE(a.serverUrl(), QStringLiteral("http://127.0.0.1:1234"));
    QCOMPARE(a.username(), QStringLiteral("alice"));
    QCOMPARE(a.staySignedIn(), false);
    ProfileSettings b{Profile(QStringLiteral("b"))};
    QCOMPARE(b.username(), QStringLiteral("bob"));
    QCOMPARE(b.staySignedIn(), true); // the default
    QVERIFY(QFileInfo::exists(a.fileName()));
}

QTEST_GUILESS_MAIN(tst_ProfileSettings)
#include "tst_ProfileSettings.moc"
