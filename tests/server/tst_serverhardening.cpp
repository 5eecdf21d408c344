// Hardening of natterd against hostile peers and careless defaults (issue 12,
// defects 7-9), against the real natterd and its admin CLI: control characters
// from a peer cannot forge a log line; usernames are unique case-insensitively
// and a login finds the account whatever the case; the data directory and its
// database files are readable by natterd's user only.
#include "HttpTestClient.h"
#include "NatterdProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

namespace {

// The permission bits of `path` (-1 when it does not exist).
int modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

void setMode(const QString &path, int mode)
{
    QVERIFY(::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0);
}

// Sends `request` on a raw socket and waits for the start of the answer.
QByteArray rawExchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray answer;
    while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer;
}

const char *const kDbFiles[] = {"natterd.sqlite", "natterd.sqlite-wal", "natterd.sqlite-shm"};

} // namespace

class tst_ServerHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void peerInputCannotForgeLogLines();
    void usernamesAreUniqueCaseInsensitively();
    void loginFindsTheAccountWhateverTheCase();
    void userAddCreatesAPrivateDataDirectory();
    void startTightensAnExistingDataDirectory();
};

void tst_ServerHardening::initTestCase()
{
    // The usual default: without natterd's own umask its files would be 0644.
    ::umask(022);
}

void tst_ServerHardening::peerInputCannotForgeLogLines()
{
    NatterdProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // CR, LF and ESC in the percent-decoded path, raw in the path, and in the Origin.
    QVERIFY(rawExchange(server.port(), "GET /a%0D%0Aevent=forged%1B[2J HTTP/1.1\r\nHost: h\r\n\r\n")
                .startsWith("HTTP/1.1 404"));
    QVERIFY(rawExchange(server.port(), "GET /b\revent=forged\x1b\x7f HTTP/1.1\r\nHost: h\r\n\r\n")
                .startsWith("HTTP/1.1 404"));
    QVERIFY(
        rawExchange(server.port(),
                    "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\nOrigin: http://evil\revent=forged\x1b\r\n\r\n")
            .startsWith("HTTP/1.1 403"));
    QTRY_VERIFY(server.log().contains("event=origin_refused"));

    const QByteArray log = server.log();
    QVERIFY(!log.contains('\r'));
    QVERIFY(!log.contains('\x1b'));
    QVERIFY(!log.contains('\x7f'));
    for (QByteArray line : log.split('\n')) {
        line = line.trimmed();
        QVERIFY2(!line.startsWith("event=forged"), line.constData());
    }
    // The three requests are still in the log, their control characters escaped.
    QVERIFY(log.contains("path=\"/b\\x0devent=forged\\x1b\\x7f\""));
    QVERIFY(log.contains("origin=\"http://evil\\x0devent=forged\\x1b\""));
    QCOMPARE(log.count("event=forged"), 3);
    QVERIFY(log.contains("path=\"/a\\x0d\\x0aevent=forged\\x1b[2J\""));
}

void tst_ServerHardening::usernamesAreUniqueCaseInsensitively()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QCOMPARE(server.admin({u"user"_qs, u"add"_qs, u"ALICE"_qs}, "other-pw\nother-pw\n"), 1);
    QVERIFY2(server.lastAdminOutput().contains("already exists"), server.lastAdminOutput());
    QVERIFY(!server.addUser(u"Alice"_qs, u"other-pw"_qs));
    QCOMPARE(server.admin({u"user"_qs, u"list"_qs}), 0);
    QCOMPARE(server.lastAdminOutput().count("\n"), 1);
    QVERIFY(server.lastAdminOutput().startsWith("alice\t"));
}

void tst_ServerHardening::loginFindsTheAccountWhateverTheCase()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs, u"Alice"_qs));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const HttpResult login = http.login(u"Alice"_qs, u"alice-pw"_qs);
    QCOMPARE(login.status, 200);
    QCOMPARE(login.json[u"user"][u"username"].toString(), u"alice"_qs);
    // Failures under any spelling count against the one account (one throttle key).
    for (int i = 0; i < 10; ++i)
        QCOMPARE(http.login(i % 2 ? u"ALICE"_qs : u"aLiCe"_qs, u"wrong"_qs).status, 401);
    QCOMPARE(http.login(u"alice"_qs, u"alice-pw"_qs).status, 429);
}

void tst_ServerHardening::userAddCreatesAPrivateDataDirectory()
{
    QTemporaryDir parent;
    const QString dir = parent.filePath(u"fresh/data"_qs);
    QProcess admin;
    admin.setProcessChannelMode(QProcess::MergedChannels);
    admin.start(NatterdProcess::binaryPath(),
                {u"--data-dir"_qs, dir, u"user"_qs, u"add"_qs, u"alice"_qs});
    QVERIFY(admin.waitForStarted());
    admin.write("alice-pw\nalice-pw\n");
    admin.closeWriteChannel();
    QVERIFY(admin.waitForFinished());
    QCOMPARE(admin.exitCode(), 0);
    QCOMPARE(modeOf(dir), 0700);
    QCOMPARE(modeOf(dir + u"/natterd.sqlite"_qs), 0600);
    for (const char *name : kDbFiles) {
        const int mode = modeOf(dir + u'/' + QLatin1String(name));
        QVERIFY2(mode == -1 || mode == 0600, name);
    }
}

void tst_ServerHardening::startTightensAnExistingDataDirectory()
{
    NatterdProcess server;
    QVERIFY(server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // Killed, it leaves its -wal and -shm behind; an older natterd made them 0644.
    server.kill();
    for (const char *name : kDbFiles) {
        const QString path = server.dataDir() + u'/' + QLatin1String(name);
        QVERIFY2(QFileInfo::exists(path), name);
        setMode(path, 0644);
    }
    setMode(server.dataDir(), 0755);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QCOMPARE(modeOf(server.dataDir()), 0700);
    for (const char *name : kDbFiles)
        QCOMPARE(modeOf(server.dataDir() + u'/' + QLatin1String(name)), 0600);
    QCOMPARE(HttpTestClient(server.httpUrl()).login(u"alice"_qs, u"alice-pw"_qs).status, 200);
    server.stop();

    // The admin CLI does the same on a directory it opens.
    setMode(server.dataDir(), 0755);
    setMode(server.dataDir() + u"/natterd.sqlite"_qs, 0644);
    QCOMPARE(server.admin({u"user"_qs, u"list"_qs}), 0);
    QCOMPARE(modeOf(server.dataDir()), 0700);
    QCOMPARE(modeOf(server.dataDir() + u"/natterd.sqlite"_qs), 0600);
}

QTEST_GUILESS_MAIN(tst_ServerHardening)
#include "tst_serverhardening.moc"
