// The no-keychain path (no Secret Service reachable): the session works in
// memory, the person is told once and plainly, nothing is written to a file
// instead, and the next start needs a sign-in. Runs auth_probe as a child with a
// D-Bus address that leads nowhere.
#include "NatterdProcess.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class tst_NoKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sessionWorksInMemoryAndSaysSoOnce();
    void nextStartNeedsASignIn();
    void nothingWrittenInstead();

private:
    QByteArray probe(const QString &mode, const QByteArray &stdinText = {});

    QTemporaryDir m_home;
    NatterdProcess m_server;
    QByteArray m_output;
};

namespace {
const QByteArray kPassword = "no-keychain-pass";
}

void tst_NoKeychain::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(AUTH_PROBE_BIN)));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(m_server.addUser(QStringLiteral("alice"), QString::fromUtf8(kPassword)));
}

QByteArray tst_NoKeychain::probe(const QString &mode, const QByteArray &stdinText)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + QStringLiteral("/data"));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=%1/no-bus").arg(m_home.path()));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("natter.*=true"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(AUTH_PROBE_BIN),
            {m_server.httpUrl().toString(), QStringLiteral("alice"), mode});
    if (!p.waitForStarted(10000))
        return {};
    p.write(stdinText);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return "<timeout>";
    }
    const QByteArray out = p.readAllStandardOutput();
    m_output += out + p.readAllStandardError();
    return p.exitCode() == 0 ? out : "<exit " + QByteArray::number(p.exitCode()) + ">";
}

void tst_NoKeychain::sessionWorksInMemoryAndSaysSoOnce()
{
    const QByteArray out = probe(QStringLiteral("session"), kPassword + '\n');
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QVERIFY2(lines.size() >= 5, out.constData());
    QCOMPARE(lines.at(0), QByteArray("signed-in"));
    QVERIFY2(lines.at(1).startsWith("keychain-unavailable: Natter cannot use the system keychain"),
             out.constData());
    QVERIFY2(lines.at(1).contains("you will have to sign in again next time"), out.constData());
    // The refresh token lives in memory: refreshing keeps working.
    QCOMPARE(lines.at(2), QByteArray("refreshed"));
    QCOMPARE(lines.at(3), QByteArray("refreshed"));
    QCOMPARE(lines.at(4).trimmed(), QByteArray("signed-out:")); // no reason: a logout
    QCOMPARE(out.count("keychain-unavailable"), 1); // told once, not per keychain call
    QVERIFY(!out.contains("error:"));
    QVERIFY(!out.contains("refresh-failed"));
}

void tst_NoKeychain::nextStartNeedsASignIn()
{
    const QByteArray out = probe(QStringLiteral("restore"));
    QVERIFY2(!out.contains("signed-in"), out.constData());
    QVERIFY2(out.contains("signed-out: ") || out.contains("nothing-to-restore"), out.constData());
}

void tst_NoKeychain::nothingWrittenInstead()
{
    // No plaintext fallback anywhere: no file holds the password or a token.
    int files = 0;
    QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        ++files;
        QVERIFY2(!content.contains(kPassword), qPrintable(file.fileName()));
        QVERIFY2(!content.contains("eyJ"), qPrintable(file.fileName())); // a JWT
        QVERIFY2(!content.toLower().contains("token"), qPrintable(file.fileName()));
    }
    QVERIFY(files >= 1); // the settings file
    QVERIFY(!m_output.contains(kPassword));
    QVERIFY(!m_output.contains("eyJ"));
}

QTEST_GUILESS_MAIN(tst_NoKeychain)
#include "tst_NoKeychain.moc"
