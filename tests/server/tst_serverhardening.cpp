// Hardening of natterd against hostile peers and careless defaults (issue 12,
// defects 2, 6-9), against the real natterd and its admin CLI: the HTTP front
// frames requests strictly and buffers a bounded amount for a client that does
// not read; control characters from a peer cannot forge a log line; usernames
// are unique case-insensitively and a login finds the account whatever the
// case; the data directory and its database files are readable by natterd's
// user only.
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

// natterd's resident memory in KiB, as the kernel reports it (`field` is
// VmRSS or VmHWM, the peak); -1 when it cannot be read.
qint64 memoryKib(qint64 pid, const char *field)
{
    QFile status(u"/proc/%1/status"_qs.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field) + ':'))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Starts a new peak: VmHWM counts from here (Linux: "5" to clear_refs).
bool resetPeakMemory(qint64 pid)
{
    QFile clearRefs(u"/proc/%1/clear_refs"_qs.arg(pid));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

const char *const kDbFiles[] = {"natterd.sqlite", "natterd.sqlite-wal", "natterd.sqlite-shm"};

} // namespace

class tst_ServerHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void strictHttpFraming_data();
    void strictHttpFraming();
    void pipelinedRequestsWithoutReadingStayBounded();
    void refusedHandshakesDoNotReadClosedSockets();
    void malformedHandshakesAreRefusedInHttp_data();
    void malformedHandshakesAreRefusedInHttp();
    void peerInputCannotForgeLogLines();
    void usernamesAreUniqueCaseInsensitively();
    void loginFindsTheAccountWhateverTheCase();
    void userAddCreatesAPrivateDataDirectory();
    void startTightensAnExistingDataDirectory();

private:
    // The natterd shared by the data rows of the framing tests, started by the first.
    NatterdProcess *framingServer();

    std::unique_ptr<NatterdProcess> m_framingServer;
};

NatterdProcess *tst_ServerHardening::framingServer()
{
    if (!m_framingServer) {
        auto server = std::make_unique<NatterdProcess>();
        if (!server->start()) {
            qWarning("natterd did not start: %s", qPrintable(server->errorString()));
            return nullptr;
        }
        m_framingServer = std::move(server);
    }
    return m_framingServer.get();
}

void tst_ServerHardening::initTestCase()
{
    // The usual default: without natterd's own umask its files would be 0644.
    ::umask(022);
}

void tst_ServerHardening::strictHttpFraming_data()
{
    // Behind a reverse proxy every leniency is a way to make the proxy and
    // natterd disagree about where a request ends or what it says (request
    // smuggling, header injection): RFC 9112 requires these to be refused.
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    const QByteArray health = "GET /api/v1/health HTTP/1.1\r\nHost: h\r\n";
    QTest::newRow("two different Content-Length values (§6.3)")
        << health + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello" << QByteArray("400");
    QTest::newRow("Content-Length list with different values")
        << health + "Content-Length: 5, 0\r\n\r\nhello" << QByteArray("400");
    QTest::newRow("Content-Length with a sign")
        << health + "Content-Length: +5\r\n\r\nhello" << QByteArray("400");
    QTest::newRow("same Content-Length twice is one length")
        << health + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" << QByteArray("200");
    QTest::newRow("Transfer-Encoding with Content-Length")
        << QByteArray("POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << QByteArray("400");
    QTest::newRow("obs-fold continuation line")
        << health + "X-Note: a\r\n Authorization: Bearer forged\r\n\r\n"
        << QByteArray("400");
    QTest::newRow("NUL in a header value")
        << health + QByteArray("X-Note: a\0b\r\n\r\n", 15) << QByteArray("400");
    QTest::newRow("bare CR in a header value") << health + "X-Note: a\rb\r\n\r\n"
                                               << QByteArray("400");
    QTest::newRow("bare LF in a header value") << health + "X-Note: a\nb: c\r\n\r\n"
                                               << QByteArray("400");
    QTest::newRow("ESC in a header value") << health + "X-Note: a\x1b[2Jb\r\n\r\n"
                                           << QByteArray("400");
    QTest::newRow("HTAB in a header value is fine") << health + "X-Note: a\tb\r\n\r\n"
                                                    << QByteArray("200");
    QTest::newRow("whitespace before the colon") << health + "Authorization : Bearer forged\r\n\r\n"
                                                 << QByteArray("400");
    QTest::newRow("HTTP/1.1 without Host")
        << QByteArray("GET /api/v1/health HTTP/1.1\r\n\r\n") << QByteArray("400");
    QTest::newRow("two Host headers") << health + "Host: other\r\n\r\n" << QByteArray("400");
    QTest::newRow("HTTP/1.0 without Host is fine")
        << QByteArray("GET /api/v1/health HTTP/1.0\r\n\r\n") << QByteArray("200");
    QTest::newRow("HTTP/1.9") << QByteArray("GET /api/v1/health HTTP/1.9\r\nHost: h\r\n\r\n")
                              << QByteArray("505");
    QTest::newRow("HTTP/2.0 in a request line")
        << QByteArray("GET /api/v1/health HTTP/2.0\r\nHost: h\r\n\r\n") << QByteArray("505");
    QTest::newRow("lower-case version")
        << QByteArray("GET /api/v1/health http/1.1\r\nHost: h\r\n\r\n") << QByteArray("400");
    QTest::newRow("%2F is not a path separator")
        << QByteArray("GET /api%2Fv1/health HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("404");
    QTest::newRow("%2f is not a path separator either")
        << QByteArray("GET /api/v1%2fhealth HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("404");
    QTest::newRow("percent-encoded letters are not decoded for routing")
        << QByteArray("GET /api/v1/%68ealth HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("404");
    QTest::newRow("raw CR in the path")
        << QByteArray("GET /b\revent HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("400");
    QTest::newRow("double space in the request line")
        << QByteArray("GET  /api/v1/health HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("400");
    QTest::newRow("absolute-form target")
        << QByteArray("GET http://h/api/v1/health HTTP/1.1\r\nHost: h\r\n\r\n")
        << QByteArray("200");
}

void tst_ServerHardening::strictHttpFraming()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    NatterdProcess *server = framingServer();
    QVERIFY(server);
    const QByteArray answer = rawExchange(server->port(), request);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + status + ' '), answer.left(200).constData());
}

void tst_ServerHardening::pipelinedRequestsWithoutReadingStayBounded()
{
    // A client that pipelines requests and never reads the answers: natterd
    // must stop reading from it (its answers wait in the kernel's buffers, not
    // in natterd's memory) instead of buffering everything it is sent.
    NatterdProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QByteArray request = "GET /flood HTTP/1.1\r\nHost: h\r\n\r\n";
    const QByteArray oneAnswer = rawExchange(server.port(), request);
    QVERIFY(oneAnswer.startsWith("HTTP/1.1 404 "));
    const qint64 baseline = memoryKib(server.pid(), "VmRSS");
    QVERIFY(baseline > 0);
    // Starting up peaks higher than natterd then runs: measure from here.
    QVERIFY(resetPeakMemory(server.pid()));

    QTcpSocket client;
    client.setReadBufferSize(1); // reads nothing (more) from the kernel until told
    client.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(client.waitForConnected(5000));
    constexpr int kRequests = 300000; // 9.6 MB of requests, about 39 MB of answers
    client.write(request.repeated(kRequests - 1) + "GET /flood-end HTTP/1.1\r\nHost: h\r\n\r\n");
    // Either natterd stops taking requests from this client (and says so), or
    // it has read and answered every one of them.
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("event=http_write_paused")
                                 || server.log().contains("path=/flood-end "),
                             60000);
    const qint64 whilePaused = memoryKib(server.pid(), "VmRSS");
    QVERIFY2(whilePaused - baseline < 4 * 1024,
             qPrintable(u"natterd grew by %1 KiB"_qs.arg(whilePaused - baseline)));

    // Nothing is lost: once the client reads, every request is answered.
    client.setReadBufferSize(0);
    qint64 received = 0;
    const qint64 expected = qint64(kRequests) * oneAnswer.size();
    QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll().size()) >= expected, 60000);
    QCOMPARE(received, expected);
    const qint64 peak = memoryKib(server.pid(), "VmHWM");
    QVERIFY2(peak - baseline < 4 * 1024,
             qPrintable(u"natterd peaked %1 KiB above its baseline"_qs.arg(peak - baseline)));
}

void tst_ServerHardening::refusedHandshakesDoNotReadClosedSockets()
{
    NatterdProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QByteArray handshake =
        "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n";
    QVERIFY(rawExchange(server.port(), handshake + "Origin: http://evil\r\n\r\n")
                .startsWith("HTTP/1.1 403"));
    QVERIFY(rawExchange(server.port(), handshake + "\r\n").startsWith("HTTP/1.1 403"));
    // Whatever natterd still had queued for those sockets ran before it serves this.
    QVERIFY(rawExchange(server.port(), "GET /after HTTP/1.1\r\nHost: h\r\n\r\n")
                .startsWith("HTTP/1.1 404"));
    QTRY_VERIFY(server.log().contains("path=/after "));
    QCOMPARE(server.log().count("event=origin_refused"), 2);
    QVERIFY2(!server.log().contains("device not open"), server.log().constData());
    QVERIFY2(!server.log().contains("level=warning"), server.log().constData());
}

void tst_ServerHardening::malformedHandshakesAreRefusedInHttp_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    const QByteArray start = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n";
    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray origin = "Origin: http://evil\r\n\r\n";
    // RFC 6455 §4.2.1-2: these are not WebSocket handshakes (400), whatever the Origin.
    QTest::newRow("no Connection: Upgrade")
        << start + key + "Sec-WebSocket-Version: 13\r\n" + origin << QByteArray("HTTP/1.1 400");
    QTest::newRow("no key") << start + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + origin << QByteArray("HTTP/1.1 400");
    QTest::newRow("short key") << start
            + "Connection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n"
              "Sec-WebSocket-Version: 13\r\n"
            + origin << QByteArray("HTTP/1.1 400");
    // §4.2.1: exactly one key (repeated fields are one comma-separated list,
    // RFC 9110 §5.3, which is no 16-byte base64 value).
    QTest::newRow("two keys") << start + "Connection: Upgrade\r\n" + key
            + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n"
            + origin << QByteArray("HTTP/1.1 400");
    // §4.4: another version is told which one natterd speaks (below).
    QTest::newRow("version 8") << start + "Connection: Upgrade\r\n" + key
            + "Sec-WebSocket-Version: 8\r\n"
            + origin << QByteArray("HTTP/1.1 426");
}

void tst_ServerHardening::malformedHandshakesAreRefusedInHttp()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    NatterdProcess *server = framingServer();
    QVERIFY(server);
    const QByteArray answer = rawExchange(server->port(), request);
    QVERIFY2(answer.startsWith(status), answer.constData());
    QCOMPARE(answer.contains("\r\nSec-WebSocket-Version: 13\r\n"), status.endsWith("426"));
}

void tst_ServerHardening::peerInputCannotForgeLogLines()
{
    NatterdProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // CR, LF and ESC in the percent-decoded path, raw in the path, and in the Origin.
    QVERIFY(rawExchange(server.port(), "GET /a%0D%0Aevent=forged%1B[2J HTTP/1.1\r\nHost: h\r\n\r\n")
                .startsWith("HTTP/1.1 404"));
    // A raw CR in the request line is refused (400), and still logged escaped.
    QVERIFY(rawExchange(server.port(), "GET /b\revent=forged\x1b\x7f HTTP/1.1\r\nHost: h\r\n\r\n")
                .startsWith("HTTP/1.1 400"));
    const QByteArray handshake =
        "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n";
    // Control characters in a header value never reach the Origin check (400);
    // HTAB is the one a header value may hold, and it is escaped too.
    QVERIFY(rawExchange(server.port(), handshake + "Origin: http://evil\revent=forged\x1b\r\n\r\n")
                .startsWith("HTTP/1.1 400"));
    QVERIFY(rawExchange(server.port(), handshake + "Origin: http://evil\tevent=forged\r\n\r\n")
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
    QVERIFY(log.contains("origin=\"http://evil\\x09event=forged\""));
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
