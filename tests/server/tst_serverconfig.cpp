// ServerConfig: INI file keys, flags overriding them, fractional seconds, and
// refusal of bad values and unknown keys.
#include "ServerConfig.h"

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using Natter::Server::ServerConfig;

class tst_ServerConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void iniThenFlags();
    void invalid_data();
    void invalid();
    void loopback_data();
    void loopback();
    void filesDirDefaultsToTheDataDirectory();
    void redisPasswordFromFileOrEnvironment();

private:
    static bool load(const QStringList &args, ServerConfig *config, QString *error)
    {
        QCommandLineParser parser;
        ServerConfig::addOptions(parser);
        if (!parser.parse(QStringList{u"natterd"_qs} + args)) {
            *error = parser.errorText();
            return false;
        }
        return config->load(parser, error);
    }
};

void tst_ServerConfig::defaults()
{
    ServerConfig c;
    QString error;
    QVERIFY(load({}, &c, &error));
    QCOMPARE(c.listenHost, u"127.0.0.1"_qs);
    QCOMPARE(c.listenPort, 8080);
    QCOMPARE(c.authTimeoutMs, 5000);
    QCOMPARE(c.heartbeatIntervalMs, 20000);
    QCOMPARE(c.accessTokenTtlSecs, 900);
    QCOMPARE(c.presenceGraceMs, 5000);
    QCOMPARE(c.typingExpiryMs, 6000);
    QCOMPARE(c.loginMaxFailuresPerUser, 10);
    QCOMPARE(c.loginMaxFailuresPerPeer, 50);
    QCOMPARE(c.rateLimitBurst, 40);
    QVERIFY(!c.demo);
    QVERIFY(!c.syncFull);
    QCOMPARE(c.editWindowMs, -1); // §7: no edit window unless configured
    QCOMPARE(c.resumeChangeLimit, 1000); // §6, §11
    // Issue 12's caps.
    QCOMPARE(c.maxPendingHttpPerPeer, 512);
    QCOMPARE(c.maxUnauthenticatedWsPerPeer, 256);
    QCOMPARE(c.maxConnectionsPerUser, 32);
    QCOMPARE(c.userRateLimitPerSecond, 20.0);
    QCOMPARE(c.userRateLimitBurst, 60);
    QCOMPARE(c.outputLimitBytes, 4 * 1024 * 1024);
    QCOMPARE(c.slowConsumerTimeoutMs, 10000);
}

void tst_ServerConfig::iniThenFlags()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(u"natterd.conf"_qs);
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[server]\nlisten = 0.0.0.0:9000\nauth_timeout = 2.5\ntyping_expiry = 3\n"
            "allow_origin = https://a.example, https://b.example\n"
            "public_url = https://chat.example.org\nrate_limit_burst = 100\n"
            "sqlite_synchronous = full\nedit_window = 900\nresume_change_limit = 50\n"
            "max_connections_per_user = 4\nmax_pending_http_per_peer = 9\n"
            "user_rate_limit_burst = 7\nuser_presence_per_second = 0.5\n");
    f.close();
    ServerConfig c;
    QString error;
    QVERIFY2(load({u"--config"_qs, ini, u"--listen"_qs, u"[::1]:7000"_qs, u"--typing-expiry"_qs,
                   u"0.5"_qs, u"--allow-origin"_qs, u"https://c.example"_qs,
                   u"--max-connections-per-user"_qs, u"5"_qs,
                   u"--max-unauthenticated-ws-per-peer"_qs, u"0"_qs},
                  &c, &error),
             qPrintable(error));
    QCOMPARE(c.listenHost, u"::1"_qs); // the flag wins
    QCOMPARE(c.listenPort, 7000);
    QCOMPARE(c.authTimeoutMs, 2500); // from the file
    QCOMPARE(c.typingExpiryMs, 500); // the flag wins
    QCOMPARE(c.rateLimitBurst, 100);
    QVERIFY(c.syncFull);
    QCOMPARE(c.editWindowMs, 900000);
    QCOMPARE(c.resumeChangeLimit, 50);
    QCOMPARE(c.maxConnectionsPerUser, 5); // the flag wins
    QCOMPARE(c.maxPendingHttpPerPeer, 9);
    QCOMPARE(c.maxUnauthenticatedWsPerPeer, 0); // 0: no cap
    QCOMPARE(c.userRateLimitBurst, 7);
    QCOMPARE(c.userPresencePerSecond, 0.5);
    ServerConfig flags;
    QVERIFY2(load({u"--edit-window"_qs, u"0"_qs, u"--resume-change-limit"_qs, u"3"_qs,
                   u"--output-limit"_qs, u"65536"_qs, u"--slow-consumer-timeout"_qs, u"0.5"_qs},
                  &flags, &error),
             qPrintable(error));
    QCOMPARE(flags.editWindowMs, 0); // 0: no message can be edited
    QCOMPARE(flags.resumeChangeLimit, 3);
    QCOMPARE(flags.outputLimitBytes, 65536);
    QCOMPARE(flags.slowConsumerTimeoutMs, 500);
    QCOMPARE(c.publicUrl, QUrl(u"https://chat.example.org"_qs));
    QCOMPARE(
        c.allowOrigins,
        (QStringList{u"https://a.example"_qs, u"https://b.example"_qs, u"https://c.example"_qs}));
}

void tst_ServerConfig::invalid_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("ini");
    QTest::newRow("listen without port")
        << QStringList{u"--listen"_qs, u"localhost"_qs} << QByteArray();
    QTest::newRow("port too big") << QStringList{u"--listen"_qs, u"127.0.0.1:70000"_qs}
                                  << QByteArray();
    QTest::newRow("negative seconds")
        << QStringList{u"--auth-timeout"_qs, u"-1"_qs} << QByteArray();
    QTest::newRow("not a number") << QStringList{u"--presence-grace"_qs, u"soon"_qs}
                                  << QByteArray();
    QTest::newRow("zero heartbeat")
        << QStringList{u"--heartbeat-interval"_qs, u"0"_qs} << QByteArray();
    QTest::newRow("bad sync mode")
        << QStringList{u"--sqlite-synchronous"_qs, u"sometimes"_qs} << QByteArray();
    QTest::newRow("negative edit window")
        << QStringList{u"--edit-window"_qs, u"-5"_qs} << QByteArray();
    QTest::newRow("bad resume change limit")
        << QStringList{u"--resume-change-limit"_qs, u"lots"_qs} << QByteArray();
    QTest::newRow("negative resume change limit")
        << QStringList{u"--resume-change-limit"_qs, u"-1"_qs} << QByteArray();
    QTest::newRow("negative per-user cap")
        << QStringList{u"--max-connections-per-user"_qs, u"-1"_qs} << QByteArray();
    QTest::newRow("per-peer cap not a number")
        << QStringList{u"--max-pending-http-per-peer"_qs, u"many"_qs} << QByteArray();
    QTest::newRow("zero user rate")
        << QStringList() << QByteArray("[server]\nuser_rate_limit_per_second = 0\n");
    QTest::newRow("output limit below one message")
        << QStringList{u"--output-limit"_qs, u"1000"_qs} << QByteArray();
    QTest::newRow("output limit not a number")
        << QStringList{u"--output-limit"_qs, u"4M"_qs} << QByteArray();
    QTest::newRow("zero slow consumer timeout")
        << QStringList{u"--slow-consumer-timeout"_qs, u"0"_qs} << QByteArray();
    QTest::newRow("unknown ini key") << QStringList() << QByteArray("[server]\nlisten_port = 1\n");
    QTest::newRow("bad public url")
        << QStringList{u"--public-url"_qs, u"not a url"_qs} << QByteArray();
    QTest::newRow("empty files_dir") << QStringList() << QByteArray("[server]\nfiles_dir =\n");
    QTest::newRow("missing config")
        << QStringList{u"--config"_qs, u"/nonexistent/natterd.conf"_qs} << QByteArray();
}

void tst_ServerConfig::invalid()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, ini);
    QTemporaryDir dir;
    if (!ini.isEmpty()) {
        QFile f(dir.filePath(u"c.conf"_qs));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(ini);
        f.close();
        args << u"--config"_qs << f.fileName();
    }
    ServerConfig c;
    QString error;
    QVERIFY(!load(args, &c, &error));
    QVERIFY(!error.isEmpty());
}

void tst_ServerConfig::loopback_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << u"127.0.0.1"_qs << true;
    QTest::newRow("127.1.2.3") << u"127.1.2.3"_qs << true;
    QTest::newRow("::1") << u"::1"_qs << true;
    QTest::newRow("localhost") << u"localhost"_qs << true;
    QTest::newRow("0.0.0.0") << u"0.0.0.0"_qs << false;
    QTest::newRow("::") << u"::"_qs << false;
    QTest::newRow("lan") << u"192.168.1.5"_qs << false;
}

void tst_ServerConfig::loopback()
{
    QFETCH(QString, host);
    QFETCH(bool, loopback);
    ServerConfig c;
    c.listenHost = host;
    QCOMPARE(c.listenIsLoopback(), loopback);
}

void tst_ServerConfig::filesDirDefaultsToTheDataDirectory()
{
    // §9 files under the data directory unless `files_dir` names another one
    // (shared by the nodes of a cluster, §12).
    ServerConfig c;
    QString error;
    QVERIFY(load({u"--data-dir"_qs, u"/srv/natterd"_qs}, &c, &error));
    QCOMPARE(c.effectiveFilesDir(), u"/srv/natterd/files"_qs);
    ServerConfig shared;
    QVERIFY(load({u"--data-dir"_qs, u"/srv/natterd"_qs, u"--files-dir"_qs, u"/mnt/natter-files"_qs},
                 &shared, &error));
    QCOMPARE(shared.effectiveFilesDir(), u"/mnt/natter-files"_qs);
}

void tst_ServerConfig::redisPasswordFromFileOrEnvironment()
{
    QTemporaryDir dir;
    const QString pwFile = dir.filePath(u"redispass"_qs);
    QFile pw(pwFile);
    QVERIFY(pw.open(QIODevice::WriteOnly));
    pw.write("from-the-file\n");
    pw.close();
    const QString ini = dir.filePath(u"natterd.conf"_qs);
    QFile f(ini);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[server]\nredis = 10.0.0.6:6379\nredis_user = natter\nredis_password_file = "
            + pwFile.toUtf8() + "\n");
    f.close();
    qputenv("NATTER_REDIS_PASSWORD", "from-the-environment");
    const auto unset = qScopeGuard([] { qunsetenv("NATTER_REDIS_PASSWORD"); });
    QString error;
    // The file wins over the environment.
    ServerConfig c;
    QVERIFY2(load({u"--config"_qs, ini}, &c, &error), qPrintable(error));
    QCOMPARE(c.redisUser, u"natter"_qs);
    QByteArray password;
    QVERIFY2(c.redisPassword(&password, &error), qPrintable(error));
    QCOMPARE(password, QByteArray("from-the-file"));
    // Without a file: the environment.
    ServerConfig env;
    QVERIFY2(load({u"--redis"_qs, u"127.0.0.1:6379"_qs}, &env, &error), qPrintable(error));
    QVERIFY(env.redisUser.isEmpty());
    QVERIFY(env.redisPassword(&password, &error));
    QCOMPARE(password, QByteArray("from-the-environment"));
    // The flag, and a file that cannot be read is an error naming the file only.
    ServerConfig missing;
    const QString gone = dir.filePath(u"nope"_qs);
    QVERIFY2(
        load({u"--redis-password-file"_qs, gone, u"--redis-user"_qs, u"u2"_qs}, &missing, &error),
        qPrintable(error));
    QCOMPARE(missing.redisUser, u"u2"_qs);
    QVERIFY(!missing.redisPassword(&password, &error));
    QVERIFY(error.contains(gone));
    QVERIFY(password.isEmpty());
    // Neither: no AUTH.
    qunsetenv("NATTER_REDIS_PASSWORD");
    ServerConfig none;
    QVERIFY(load({}, &none, &error));
    QVERIFY(none.redisPassword(&password, &error));
    QVERIFY(password.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ServerConfig)
#include "tst_serverconfig.moc"
