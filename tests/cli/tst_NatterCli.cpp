// The real natter-cli binary against the real natterd and the session's real
// Secret Service: every command, exit codes, two profiles side by side, the
// no-keychain path, and no secret in any file or log it leaves behind.
#include "NatterdFiles.h"
#include "NatterdProcess.h"
#include "auth/KeychainTokenStore.h"
#include "auth/Profile.h"
#include "session/ChatSession.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
const QString kAlicePassword = QStringLiteral("alice-cli-pass");
const QString kBobPassword = QStringLiteral("bob-cli-pass");
const QString kCarolPassword = QStringLiteral("carol-cli-pass");

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
} // namespace

class tst_NatterCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionAndHelp();
    void usageErrors_data();
    void usageErrors();
    void wrongPasswordExits2();
    void unreachableServerExits3();
    void notSignedInExits2();
    void passwordPromptOnATerminalDoesNotEcho();
    void speaksTheLanguageOfTheEnvironment_data();
    void speaksTheLanguageOfTheEnvironment();
    void fullSession();
    void editAndDelete();
    void reactReplyAndMention();
    void notifySetsTheLevelOnTheServer();
    void oneShotUserKeepsNothing();
    void logoutTheServerDidNotTakeExits3();
    void aSendTheServerCannotTakeYetIsSentAgain();
    void search();
    void uploadAndSendWithFiles();
    void downloadSavesAndResumesAFile();
    void withoutKeychainWorksForTheSessionAndSaysSo();
    void channelsPeopleCreateThemselves();
    void noSecretLeftBehind();

private:
    QProcessEnvironment environment(bool keychain = true) const;
    Run run(const QStringList &args, const QString &stdinLine = {}, bool keychain = true);
    std::unique_ptr<QProcess> startListener(const QStringList &args, const QString &stdinLine = {});
    QString keptToken(const QString &profile, const QString &user);
    QStringList server() const
    {
        return {QStringLiteral("--server"), m_server.httpUrl().toString()};
    }

    QTemporaryDir m_home;
    NatterdProcess m_server;
    QByteArray m_allStderr; // every run's stderr, with all logging on
};

void tst_NatterCli::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(NATTER_CLI_BIN)), NATTER_CLI_BIN);
    // Accounts and channel before natterd starts (see tst_ConnectionManagerNatterd::init).
    QVERIFY(m_server.addUser(QStringLiteral("alice"), kAlicePassword));
    QVERIFY(m_server.addUser(QStringLiteral("bob"), kBobPassword));
    QVERIFY(m_server.addUser(QStringLiteral("carol"), kCarolPassword));
    QVERIFY(m_server.addChannel(QStringLiteral("general"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    // The test process reads the keychain with the same paths as the CLI.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
}

QProcessEnvironment tst_NatterCli::environment(bool keychain) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.path() + QStringLiteral("/cache"));
    // Every log line at every level, so the secrets scan sees everything.
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("natter.*=true"));
    // natter-cli speaks the environment's language; these tests read English.
    for (const char *name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    if (!keychain) {
        // A bus address that leads nowhere: the Secret Service is unreachable.
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=%1/no-bus").arg(m_home.path()));
    }
    return env;
}

Run tst_NatterCli::run(const QStringList &args, const QString &stdinLine, bool keychain)
{
    QProcess p;
    p.setProcessEnvironment(environment(keychain));
    p.start(QStringLiteral(NATTER_CLI_BIN), args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!stdinLine.isNull())
        p.write(stdinLine.toUtf8() + '\n');
    p.closeWriteChannel();
    if (!p.waitForFinished(45000)) {
        p.kill();
        p.waitForFinished();
        qWarning("natter-cli %s did not finish", qPrintable(args.join(QLatin1Char(' '))));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    m_allStderr += r.err;
    return r;
}

std::unique_ptr<QProcess> tst_NatterCli::startListener(const QStringList &args,
                                                       const QString &stdinLine)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(environment());
    p->start(QStringLiteral(NATTER_CLI_BIN), args);
    if (!p->waitForStarted(10000))
        return nullptr;
    if (!stdinLine.isNull())
        p->write(stdinLine.toUtf8() + '\n');
    p->closeWriteChannel();
    return p;
}

QString tst_NatterCli::keptToken(const QString &profile, const QString &user)
{
    KeychainTokenStore store;
    QSignalSpy done(&store, &TokenStore::readFinished);
    QSignalSpy failed(&store, &TokenStore::failed);
    store.read(Profile(profile, Profile::Client::Cli)
                   .keychainKey(QString::fromUtf8(m_server.origin()), user));
    if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 10000)
        || done.isEmpty())
        return QStringLiteral("<unreadable>");
    return done.first().at(1).toString();
}

void tst_NatterCli::versionAndHelp()
{
    Run r = run({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("natter-cli 0.1"), r.out.constData());
    r = run({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *needle :
         {"login USER", "channels", "send CHANNEL TEXT", "listen [--json]",
          "history CHANNEL [--limit N]", "logout", "--profile NAME", "Exit codes", "keychain"})
        QVERIFY2(r.out.contains(needle), needle);
}

void tst_NatterCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("no command") << QStringList() << QByteArray("No command given.");
    QTest::newRow("unknown command")
        << QStringList{QStringLiteral("dance")} << QByteArray("Unknown command");
    QTest::newRow("send without text")
        << QStringList{QStringLiteral("send"), QStringLiteral("general")}
        << QByteArray("The message is empty.");
    QTest::newRow("attach a file that is not there")
        << QStringList{QStringLiteral("send"), QStringLiteral("general"), QStringLiteral("hi"),
                       QStringLiteral("--attach"), QStringLiteral("/nonexistent/report.pdf")}
        << QByteArray("Cannot read the file “/nonexistent/report.pdf”.");
    QTest::newRow("login without user")
        << QStringList{QStringLiteral("login")} << QByteArray("Wrong number of arguments");
    QTest::newRow("bad limit") << QStringList{QStringLiteral("history"), QStringLiteral("general"),
                                              QStringLiteral("--limit"), QStringLiteral("0")}
                               << QByteArray("--limit takes a number");
    QTest::newRow("bad profile") << QStringList{QStringLiteral("--profile"), QStringLiteral("../x"),
                                                QStringLiteral("channels")}
                                 << QByteArray("not a valid profile name");
    QTest::newRow("bad server") << QStringList{QStringLiteral("--server"),
                                               QStringLiteral("ftp://example.org"),
                                               QStringLiteral("channels")}
                                << QByteArray("must start with");
    QTest::newRow("edit without text")
        << QStringList{QStringLiteral("edit"), QStringLiteral("general"), QStringLiteral("1")}
        << QByteArray("Wrong number of arguments");
    QTest::newRow("edit with a seq that is no number")
        << QStringList{QStringLiteral("edit"), QStringLiteral("general"), QStringLiteral("one"),
                       QStringLiteral("text")}
        << QByteArray("SEQ must be a message number");
    QTest::newRow("delete with extra arguments")
        << QStringList{QStringLiteral("delete"), QStringLiteral("general"), QStringLiteral("1"),
                       QStringLiteral("2")}
        << QByteArray("Wrong number of arguments");
    QTest::newRow("timeout of zero")
        << QStringList{QStringLiteral("--timeout"), QStringLiteral("0"), QStringLiteral("channels")}
        << QByteArray("--timeout takes a number of seconds");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("channels")}
        << QByteArray("frobnicate");
}

void tst_NatterCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, message);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(message), r.err.constData());
}

void tst_NatterCli::wrongPasswordExits2()
{
    const Run r = run(server()
                          + QStringList{QStringLiteral("--profile"), QStringLiteral("wrong"),
                                        QStringLiteral("login"), QStringLiteral("alice")},
                      QStringLiteral("not-the-password"));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("Wrong username or password."), r.err.constData());
}

void tst_NatterCli::unreachableServerExits3()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString closed = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    const Run r = run({QStringLiteral("--server"), closed, QStringLiteral("--profile"),
                       QStringLiteral("closed"), QStringLiteral("login"), QStringLiteral("alice")},
                      kAlicePassword);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("Cannot reach the server"), r.err.constData());
}

void tst_NatterCli::notSignedInExits2()
{
    const Run r = run(server()
                      + QStringList{QStringLiteral("--profile"), QStringLiteral("nobody"),
                                    QStringLiteral("channels")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("Not signed in"), r.err.constData());
}

void tst_NatterCli::passwordPromptOnATerminalDoesNotEcho()
{
    // `natter-cli login alice` typed in a terminal: the prompt shows, what the
    // user types does not, and the sign-in works. util-linux `script` gives the
    // program a real pseudo-terminal; what the terminal shows comes back on its
    // stdout.
    // `script -c` hands the command to a shell: quote the paths.
    const QString command = u"'"_s + QStringLiteral(NATTER_CLI_BIN) + u"' --server '"_s
        + m_server.httpUrl().toString() + u"' --profile tty login alice"_s;
    QByteArray screen; // before the process: it may still write while being destroyed
    QProcess terminal;
    terminal.setProcessEnvironment(environment());
    terminal.start(u"script"_s, {u"-q"_s, u"-e"_s, u"-c"_s, command, u"/dev/null"_s});
    QVERIFY(terminal.waitForStarted(10000));
    connect(&terminal, &QProcess::readyReadStandardOutput, this,
            [&] { screen += terminal.readAllStandardOutput(); });
    QTRY_VERIFY_WITH_TIMEOUT(screen.contains("Password for alice: "), 20000);
    terminal.write(kAlicePassword.toUtf8() + '\n');
    QVERIFY(terminal.waitForFinished(45000));
    screen += terminal.readAllStandardOutput();
    QCOMPARE(terminal.exitCode(), 0);
    QVERIFY2(screen.contains("Signed in as alice"), screen.constData());
    QVERIFY2(!screen.contains(kAlicePassword.toUtf8()), "the password was echoed");
    QVERIFY(!keptToken(u"tty"_s, u"alice"_s).isEmpty());
}

void tst_NatterCli::speaksTheLanguageOfTheEnvironment_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("expected");
    QTest::newRow("de") << u"de_DE.UTF-8"_s << u"Nicht angemeldet."_s;
    QTest::newRow("de_AT falls back to de") << u"de_AT.UTF-8"_s << u"Nicht angemeldet."_s;
    QTest::newRow("fr") << u"fr_FR.UTF-8"_s << u"Non connecté."_s;
    QTest::newRow("unknown language: English") << u"ja_JP.UTF-8"_s << u"Not signed in."_s;
}

void tst_NatterCli::speaksTheLanguageOfTheEnvironment()
{
    QFETCH(QString, lang);
    QFETCH(QString, expected);
    QProcess p;
    QProcessEnvironment env = environment();
    env.insert(u"LANG"_s, lang);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(NATTER_CLI_BIN),
            server() + QStringList{u"--profile"_s, u"nobody"_s, u"channels"_s});
    QVERIFY(p.waitForFinished(45000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(expected), qPrintable(err));
}

void tst_NatterCli::fullSession()
{
    // Two accounts side by side on one machine: alice in the default profile,
    // bob in profile "bob".
    Run r = run(server() + QStringList{QStringLiteral("login"), QStringLiteral("alice")},
                kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("Signed in as alice"), r.err.constData());
    QVERIFY(!keptToken(QStringLiteral("default"), QStringLiteral("alice")).isEmpty());
    r = run(server()
                + QStringList{QStringLiteral("--profile"), QStringLiteral("bob"),
                              QStringLiteral("login"), QStringLiteral("bob")},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);

    r = run({QStringLiteral("channels")}); // the server is remembered
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#general\t"), r.out.constData());

    // bob listens; alice sends; bob's listener prints it as one JSON line.
    auto listener = startListener({QStringLiteral("--profile"), QStringLiteral("bob"),
                                   QStringLiteral("listen"), QStringLiteral("--json")});
    QVERIFY(listener);
    QByteArray heard;
    connect(listener.get(), &QProcess::readyReadStandardOutput, this,
            [&] { heard += listener->readAllStandardOutput(); });
    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("\"type\":\"connected\""), 20000);

    r = run({QStringLiteral("send"), QStringLiteral("general"), QStringLiteral("hello"),
             QStringLiteral("from the cli")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Sent to #general"), r.out.constData());

    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("hello from the cli"), 20000);
    QJsonObject event;
    for (const QByteArray &line : heard.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError); // every line is one JSON object
        if (object.value(QLatin1String("type")).toString() == QLatin1String("message"))
            event = object.value(QLatin1String("message")).toObject();
    }
    QCOMPARE(event.value(QLatin1String("text")).toString(), QStringLiteral("hello from the cli"));
    QCOMPARE(event.value(QLatin1String("author_name")).toString(), QStringLiteral("alice"));
    QCOMPARE(event.value(QLatin1String("channel_name")).toString(), QStringLiteral("general"));
    QVERIFY(event.value(QLatin1String("seq")).toInt() >= 1);

    // Stopping the listener is a clean exit.
    QSignalSpy finished(listener.get(), &QProcess::finished);
    listener->terminate();
    QVERIFY(finished.wait(15000));
    QCOMPARE(listener->exitStatus(), QProcess::NormalExit);
    QCOMPARE(listener->exitCode(), 0);

    r = run({QStringLiteral("history"), QStringLiteral("#general"), QStringLiteral("--limit"),
             QStringLiteral("5")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("<alice> hello from the cli"), r.out.constData());
    // seq 1 is the channel's `created` system message (§7), in words.
    QVERIFY2(r.out.contains(" #general * alice created #general\n"), r.out.constData());
    r = run({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("general")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("\"text\":\"hello from the cli\""));
    QVERIFY2(r.out.contains("\"system_text\":\"alice created #general\""), r.out.constData());

    // Text from others never drives the terminal: control characters are
    // shown (^[ for ESC), not sent to it (an audit: a topic or message with
    // ESC sequences could clear the screen or retitle the window).
    r = run({QStringLiteral("send"), QStringLiteral("general"),
             QStringLiteral("\x1b[2Jwiped\rX\a \u009b0m")});
    QCOMPARE(r.exitCode, 0);
    r = run({QStringLiteral("history"), QStringLiteral("general"), QStringLiteral("--limit"),
             QStringLiteral("1")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("<alice> ^[[2Jwiped^MX^G \xef\xbf\xbd"
                            "0m\n"),
             r.out.constData());
    for (const char c : r.out)
        QVERIFY2(c == '\n' || c == '\t' || uchar(c) >= 0x20, r.out.toHex().constData());
    QVERIFY(!r.out.contains("\xc2\x9b"));
    // JSON output is for programs: the text as it was sent.
    r = run({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("general"),
             QStringLiteral("--limit"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(
        QJsonDocument::fromJson(r.out.split('\n').first()).object()[u"message"][u"text"].toString(),
        QStringLiteral("\x1b[2Jwiped\rX\a \u009b0m"));

    r = run({QStringLiteral("send"), QStringLiteral("no-such-channel"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no channel called"), r.err.constData());

    // Logout: revoked on the server, gone from the keychain; bob stays signed in.
    const QString aliceKept = keptToken(QStringLiteral("default"), QStringLiteral("alice"));
    r = run({QStringLiteral("logout")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("Signed out."), r.err.constData());
    QCOMPARE(keptToken(QStringLiteral("default"), QStringLiteral("alice")), QString());
    r = run({QStringLiteral("channels")});
    QCOMPARE(r.exitCode, 2);
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("channels")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!aliceKept.isEmpty());
}

void tst_NatterCli::editAndDelete()
{
    // bob (still signed in from fullSession) listens; alice edits and deletes
    // with --user; bob's listener prints both changes as JSON lines.
    auto listener = startListener({QStringLiteral("--profile"), QStringLiteral("bob"),
                                   QStringLiteral("listen"), QStringLiteral("--json")});
    QVERIFY(listener);
    QByteArray heard;
    connect(listener.get(), &QProcess::readyReadStandardOutput, this,
            [&] { heard += listener->readAllStandardOutput(); });
    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("\"type\":\"connected\""), 20000);
    const auto asAlice = [this](const QStringList &args) {
        return run(server()
                       + QStringList{QStringLiteral("--profile"), QStringLiteral("edits"),
                                     QStringLiteral("--user"), QStringLiteral("alice")}
                       + args,
                   kAlicePassword);
    };
    Run r = asAlice({QStringLiteral("--json"), QStringLiteral("send"), QStringLiteral("general"),
                     QStringLiteral("a typo hree")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject sent = QJsonDocument::fromJson(r.out).object();
    const QString seq =
        QString::number(sent.value(QLatin1String("message")).toObject().value(u"seq").toInteger());
    QVERIFY(seq.toInt() >= 1);

    r = asAlice({QStringLiteral("edit"), QStringLiteral("general"), seq, QStringLiteral("a typo"),
                 QStringLiteral("three")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Edited message " + seq.toUtf8() + " in #general"), r.out.constData());

    // Someone else's message: refused by the server, exit 4 with the reason.
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("edit"),
             QStringLiteral("general"), seq, QStringLiteral("bob was here")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("forbidden"), r.err.constData());
    // In the person's words (translated), not the server's English sentence.
    QVERIFY2(r.err.contains(ChatSession::messageActionRefusal(u"forbidden"_s).toUtf8()),
             r.err.constData());
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("delete"),
             QStringLiteral("general"), QStringLiteral("9999")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no message 9999"), r.err.constData());

    r = asAlice({QStringLiteral("delete"), QStringLiteral("general"), seq});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Deleted message " + seq.toUtf8()), r.out.constData());
    r = asAlice({QStringLiteral("delete"), QStringLiteral("general"), seq});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("has been deleted"), r.err.constData());

    // The listener saw the edit, then the delete, each as one message_updated line.
    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("\"change\":\"delete\""), 20000);
    QStringList changes;
    for (const QByteArray &line : heard.split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(QLatin1String("type")).toString() != QLatin1String("message_updated"))
            continue;
        const QJsonObject m = object.value(QLatin1String("message")).toObject();
        QCOMPARE(QString::number(m.value(u"seq").toInteger()), seq);
        changes.append(object.value(u"change").toString() + u':' + m.value(u"text").toString()
                       + (m.value(u"deleted").toBool() ? u":deleted"_s : QString()));
    }
    QCOMPARE(changes, (QStringList{u"edit:a typo three"_s, u"delete::deleted"_s}));
    QSignalSpy finished(listener.get(), &QProcess::finished);
    listener->terminate();
    QVERIFY(finished.wait(15000));
    QCOMPARE(listener->exitCode(), 0);
}

void tst_NatterCli::reactReplyAndMention()
{
    // bob listens; alice sends, bob's message replies to it and mentions her;
    // alice reacts and takes it back. bob's `listen --json` shows the reply, the
    // mention and the reactions; the plain commands say what they did.
    auto listener = startListener({QStringLiteral("--profile"), QStringLiteral("bob"),
                                   QStringLiteral("listen"), QStringLiteral("--json")});
    QVERIFY(listener);
    QByteArray heard;
    connect(listener.get(), &QProcess::readyReadStandardOutput, this,
            [&] { heard += listener->readAllStandardOutput(); });
    QTRY_VERIFY_WITH_TIMEOUT(heard.contains("\"type\":\"connected\""), 20000);
    const auto asAlice = [this](const QStringList &args) {
        return run(server()
                       + QStringList{QStringLiteral("--profile"), QStringLiteral("reacts"),
                                     QStringLiteral("--user"), QStringLiteral("alice")}
                       + args,
                   kAlicePassword);
    };
    Run r = asAlice({QStringLiteral("--json"), QStringLiteral("send"), QStringLiteral("general"),
                     QStringLiteral("who wants lunch?")});
    QCOMPARE(r.exitCode, 0);
    const QString seq = QString::number(QJsonDocument::fromJson(r.out)
                                            .object()
                                            .value(u"message")
                                            .toObject()
                                            .value(u"seq")
                                            .toInteger());

    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("--json"),
             QStringLiteral("send"), QStringLiteral("general"), QStringLiteral("@alice me!"),
             QStringLiteral("--reply-to"), seq});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject reply = QJsonDocument::fromJson(r.out).object().value(u"message").toObject();
    QCOMPARE(QString::number(reply.value(u"reply_to").toObject().value(u"seq").toInteger()), seq);
    QCOMPARE(reply.value(u"reply_to").toObject().value(u"excerpt").toString(),
             u"who wants lunch?"_s);
    QCOMPARE(reply.value(u"mention_names").toArray().first().toString(), u"alice"_s);
    const QString replySeq = QString::number(reply.value(u"seq").toInteger());

    r = asAlice({QStringLiteral("react"), QStringLiteral("general"), replySeq, u"👍"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Reacted 👍 to message %1 in #general."_s.arg(replySeq).toUtf8()),
             r.out.constData());
    r = asAlice({QStringLiteral("react"), QStringLiteral("general"), replySeq, u"👍"_s,
                 QStringLiteral("--off")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Removed your 👍 from message %1"_s.arg(replySeq).toUtf8()),
             r.out.constData());
    // Not an emoji: refused by the server, exit 4.
    r = asAlice({QStringLiteral("react"), QStringLiteral("general"), replySeq,
                 QStringLiteral("two words")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("bad_request"), r.err.constData());
    QVERIFY2(r.err.contains("A reaction must be a single emoji."), r.err.constData());
    // A reply to a message that does not exist: exit 4 with the reason.
    r = asAlice({QStringLiteral("send"), QStringLiteral("general"), QStringLiteral("hm"),
                 QStringLiteral("--reply-to"), QStringLiteral("9999")});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no message 9999"), r.err.constData());

    // bob's listener: the reply with its quote, then the two reaction changes.
    QTRY_VERIFY_WITH_TIMEOUT(heard.count("\"change\":\"reaction\"") >= 2, 20000);
    QStringList reactions;
    bool replyHeard = false;
    for (const QByteArray &line : heard.split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        const QJsonObject m = object.value(u"message").toObject();
        if (QString::number(m.value(u"seq").toInteger()) != replySeq)
            continue;
        if (object.value(u"type").toString() == u"message") {
            replyHeard = m.value(u"reply_to").toObject().value(u"excerpt").toString()
                == u"who wants lunch?"_s;
        } else if (object.value(u"change").toString() == u"reaction") {
            QStringList chips;
            for (const QJsonValue &x : m.value(u"reactions").toArray())
                chips.append(x.toObject().value(u"emoji").toString() + u':'
                             + x.toObject().value(u"user_names").toArray().first().toString());
            reactions.append(chips.join(u','));
        }
    }
    QVERIFY(replyHeard); // sent from another of bob's connections: a `message` line
    QCOMPARE(reactions, (QStringList{u"👍:alice"_s, QString()}));
    QSignalSpy finished(listener.get(), &QProcess::finished);
    listener->terminate();
    QVERIFY(finished.wait(15000));
}

void tst_NatterCli::oneShotUserKeepsNothing()
{
    const QString profile = QStringLiteral("oneshot");
    const Run r =
        run(server()
                + QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--user"),
                              QStringLiteral("alice"), QStringLiteral("channels")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#general"), r.out.constData());
    QCOMPARE(keptToken(profile, QStringLiteral("alice")), QString());
    // Nothing kept: the next command in that profile is not signed in.
    const Run again = run(
        server() + QStringList{QStringLiteral("--profile"), profile, QStringLiteral("channels")});
    QCOMPARE(again.exitCode, 2);
}

void tst_NatterCli::logoutTheServerDidNotTakeExits3()
{
    Run r = run(server() + QStringList{u"--profile"_s, u"away"_s, u"login"_s, u"alice"_s},
                kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!keptToken(u"away"_s, u"alice"_s).isEmpty());

    // Signed out here although the server is down: the kept sign-in is gone,
    // and the exit code and the sentence say that the server still holds it.
    QCOMPARE(m_server.stop(), 0);
    r = run({u"--profile"_s, u"away"_s, u"logout"_s});
    const bool restarted = m_server.restart();
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("could not end the session"), r.err.constData());
    QVERIFY2(!r.err.contains("Signed out."), r.err.constData());
    QCOMPARE(keptToken(u"away"_s, u"alice"_s), QString());
    QVERIFY(restarted);
}

void tst_NatterCli::aSendTheServerCannotTakeYetIsSentAgain()
{
    // A server that takes one message from a user every 10 s: the second send
    // is answered rate_limited ("it will be sent again"), and natter-cli keeps
    // it and sends it again until it is stored, once; the same for an edit.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(u"natterd.conf"_s);
    QFile conf(config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[server]\nuser_rate_limit_per_second = 0.1\nuser_rate_limit_burst = 1\n");
    conf.close();
    NatterdProcess slow;
    QVERIFY(slow.addUser(u"alice"_s, kAlicePassword));
    QVERIFY(slow.addChannel(u"general"_s, {u"alice"_s}));
    QVERIFY2(slow.start({u"--config"_s, config}), qPrintable(slow.errorString()));
    const QStringList alice{u"--server"_s,  slow.httpUrl().toString(),
                            u"--profile"_s, u"slow"_s,
                            u"--user"_s,    u"alice"_s};
    Run r = run(alice + QStringList{u"send"_s, u"general"_s, u"one"_s}, kAlicePassword);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = run(alice + QStringList{u"send"_s, u"general"_s, u"two"_s}, kAlicePassword);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // Held back (natter-cli logs the error's code), then sent.
    QVERIFY2(r.err.contains("server error \"rate_limited\""), r.err.constData());
    r = run(alice + QStringList{u"--json"_s, u"history"_s, u"general"_s}, kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count("\"text\":\"two\""), 1);
    // So is an edit (seq 2 is "one": seq 1 is the channel's `created`).
    r = run(alice + QStringList{u"edit"_s, u"general"_s, u"3"_s, u"two, edited"_s}, kAlicePassword);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("server error \"rate_limited\""), r.err.constData());
    QVERIFY2(r.out.contains("Edited message 3"), r.out.constData());
    r = run(alice + QStringList{u"--json"_s, u"history"_s, u"general"_s}, kAlicePassword);
    QCOMPARE(r.out.count("\"text\":\"two, edited\""), 1);
    // Given 3 s (--timeout) while the server takes nothing for about 10 more:
    // refused (exit 4) and said so, not "did not answer"; nothing stored.
    r = run(alice + QStringList{u"--timeout"_s, u"3"_s, u"send"_s, u"general"_s, u"three"_s},
            kAlicePassword);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("could not take this in time (rate_limited)"), r.err.constData());
    r = run(alice + QStringList{u"--json"_s, u"history"_s, u"general"_s}, kAlicePassword);
    QVERIFY2(!r.out.contains("\"text\":\"three\""), r.out.constData());
}

void tst_NatterCli::search()
{
    // §10 through natter-cli, as a one-shot user: alice's messages are found
    // by words without their accents, newest first, as lines or JSON.
    const QStringList alice = server()
        + QStringList{QStringLiteral("--profile"), QStringLiteral("search"),
                      QStringLiteral("--user"), QStringLiteral("alice")};
    Run r = run(alice
                    + QStringList{QStringLiteral("send"), QStringLiteral("general"),
                                  QStringLiteral("the grebe migration starts at dawn")},
                kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    r = run(alice
                + QStringList{QStringLiteral("send"), QStringLiteral("general"),
                              QStringLiteral("Grèbe sighting, see https://example.org/birds")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    r = run(alice + QStringList{QStringLiteral("search"), QStringLiteral("grebe")}, kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).contains("#general <alice>"), r.out.constData());
    QVERIFY2(lines.at(0).contains("Grèbe sighting"), r.out.constData());
    QVERIFY2(lines.at(1).contains("the grebe migration starts at dawn"), r.out.constData());

    r = run(alice
                + QStringList{QStringLiteral("search"), QStringLiteral("--json"),
                              QStringLiteral("grebe has:link")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject hit = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(hit[u"type"].toString(), QStringLiteral("search_result"));
    QCOMPARE(hit[u"message"][u"text"].toString(),
             QStringLiteral("Grèbe sighting, see https://example.org/birds"));
    QCOMPARE(hit[u"matches"].toArray(), QJsonArray{QStringLiteral("Grèbe")});

    r = run(alice + QStringList{QStringLiteral("search"), QStringLiteral("nosuchwordanywhere")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("No messages match"), r.out.constData());
    // A query the server refuses: exit 4 and why.
    r = run(alice + QStringList{QStringLiteral("search"), QStringLiteral("has:pin")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("did not understand"), r.err.constData());
}

void tst_NatterCli::uploadAndSendWithFiles()
{
    // §9 through natter-cli, one-shot users: alice uploads a file (its id, or
    // the server's F with --json), then sends a message with two files; bob
    // sees the message with both, in order.
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QString notes = files.filePath(QStringLiteral("notes.txt"));
    const QString plan = files.filePath(QStringLiteral("plan v2.txt"));
    for (const QString &path : {notes, plan}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QFileInfo(path).fileName().toUtf8().repeated(100));
    }
    const QStringList alice = server()
        + QStringList{QStringLiteral("--profile"), QStringLiteral("files"),
                      QStringLiteral("--user"), QStringLiteral("alice")};
    Run r = run(alice + QStringList{QStringLiteral("upload"), QStringLiteral("general"), notes},
                kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]+\\n$"))
                 .match(QString::fromUtf8(r.out))
                 .hasMatch(),
             r.out.constData());
    r = run(alice
                + QStringList{QStringLiteral("upload"), QStringLiteral("general"), notes,
                              QStringLiteral("--json")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject f = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(f[u"name"].toString(), QStringLiteral("notes.txt"));
    QCOMPARE(f[u"size"].toInteger(), 900);
    QCOMPARE(f[u"mime"].toString(), QStringLiteral("text/plain"));
    QVERIFY(!f[u"id"].toString().isEmpty());

    r = run(alice
                + QStringList{QStringLiteral("send"), QStringLiteral("general"),
                              QStringLiteral("the plans"), QStringLiteral("--attach"), plan,
                              QStringLiteral("--attach"), notes},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Sent to #general"), r.out.constData());
    r = run(alice
                + QStringList{QStringLiteral("send"), QStringLiteral("general"),
                              QStringLiteral("--attach"), notes},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0); // files only, no text

    r = run(server()
                + QStringList{QStringLiteral("--profile"), QStringLiteral("files"),
                              QStringLiteral("--user"), QStringLiteral("bob"),
                              QStringLiteral("history"), QStringLiteral("general"),
                              QStringLiteral("--limit"), QStringLiteral("2"),
                              QStringLiteral("--json")},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject withText =
        QJsonDocument::fromJson(lines.at(0)).object()[u"message"].toObject();
    QCOMPARE(withText[u"text"].toString(), QStringLiteral("the plans"));
    const QJsonArray both = withText[u"attachments"].toArray();
    QCOMPARE(both.size(), 2);
    QCOMPARE(both.at(0)[u"name"].toString(), QStringLiteral("plan v2.txt"));
    QCOMPARE(both.at(1)[u"name"].toString(), QStringLiteral("notes.txt"));
    QVERIFY(both.at(1)[u"id"].toString() != f[u"id"].toString()); // uploaded again
    const QJsonObject filesOnly =
        QJsonDocument::fromJson(lines.at(1)).object()[u"message"].toObject();
    QCOMPARE(filesOnly[u"text"].toString(), QString());
    QCOMPARE(filesOnly[u"attachments"].toArray().size(), 1);

    // upload --text: one message with the text and the file; bob sees both.
    r = run(alice
                + QStringList{QStringLiteral("upload"), QStringLiteral("general"), plan,
                              QStringLiteral("--text"), QStringLiteral("the new plan")},
            kAlicePassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Sent to #general"), r.out.constData());
    r = run(server()
                + QStringList{QStringLiteral("--profile"), QStringLiteral("files"),
                              QStringLiteral("--user"), QStringLiteral("bob"),
                              QStringLiteral("history"), QStringLiteral("general"),
                              QStringLiteral("--limit"), QStringLiteral("1"),
                              QStringLiteral("--json")},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject uploadedWithText =
        QJsonDocument::fromJson(r.out.trimmed()).object()[u"message"].toObject();
    QCOMPARE(uploadedWithText[u"text"].toString(), QStringLiteral("the new plan"));
    const QJsonArray planOnly = uploadedWithText[u"attachments"].toArray();
    QCOMPARE(planOnly.size(), 1);
    QCOMPARE(planOnly.at(0)[u"name"].toString(), QStringLiteral("plan v2.txt"));
    QCOMPARE(planOnly.at(0)[u"size"].toInteger(), 1100);

    // A file over the server's limit is refused in words, before its body.
    const QString big = files.filePath(QStringLiteral("big.bin"));
    {
        QFile sparse(big);
        QVERIFY(sparse.open(QIODevice::WriteOnly));
        QVERIFY(sparse.resize(25 * 1024 * 1024 + 1));
    }
    r = run(alice + QStringList{QStringLiteral("upload"), QStringLiteral("general"), big},
            kAlicePassword);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("“big.bin” is too large: this server takes files of up to 25 MB."),
             r.err.constData());
}

void tst_NatterCli::downloadSavesAndResumesAFile()
{
    // §9 through natter-cli: history shows a message's files (with the id to
    // fetch), `download -o` saves the very bytes, and a partial file left by an
    // interrupted run is continued, not started again.
    NatterdFiles http(m_server.httpUrl(), m_server.origin());
    const QString token = http.login(QStringLiteral("alice"), kAlicePassword);
    const QString general = http.channelId(token, QStringLiteral("general"));
    QByteArray bytes;
    for (int i = 0; i < 40000; ++i)
        bytes += QByteArray::number(i) + ' ';
    const QJsonObject file = http.upload(token, general, QStringLiteral("numbers.txt"), bytes);
    QVERIFY2(!file.isEmpty(), qPrintable(http.error()));
    const QString fileId = file[u"id"].toString();
    QVERIFY(!http.sendWithFiles(token, general, QStringLiteral("the numbers"), {fileId}).isEmpty());

    const QStringList bob = server()
        + QStringList{QStringLiteral("--profile"), QStringLiteral("download"),
                      QStringLiteral("--user"), QStringLiteral("bob")};
    Run r =
        run(bob + QStringList{QStringLiteral("history"), QStringLiteral("general")}, kBobPassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("file: numbers.txt"), r.out.constData());
    QVERIFY2(r.out.contains("natter-cli download " + fileId.toUtf8()), r.out.constData());
    r = run(bob
                + QStringList{QStringLiteral("history"), QStringLiteral("general"),
                              QStringLiteral("--json")},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject last = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    QCOMPARE(last[u"message"][u"attachments"][0][u"id"].toString(), fileId);
    QCOMPARE(last[u"message"][u"attachments"][0][u"name"].toString(),
             QStringLiteral("numbers.txt"));
    QCOMPARE(last[u"message"][u"attachments"][0][u"size"].toInteger(), bytes.size());

    const QString target = m_home.filePath(QStringLiteral("numbers.txt"));
    r = run(bob + QStringList{QStringLiteral("download"), fileId, QStringLiteral("-o"), target},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Saved"), r.out.constData());
    QFile saved(target);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), bytes);
    saved.close();

    // An earlier run stopped after the first 100,000 bytes: the rest is fetched.
    const QString again = m_home.filePath(QStringLiteral("again.txt"));
    QFile part(again + QLatin1Char('.') + fileId + QStringLiteral(".part"));
    QVERIFY(part.open(QIODevice::WriteOnly));
    part.write(bytes.left(100000));
    part.close();
    r = run(bob
                + QStringList{QStringLiteral("download"), fileId, QStringLiteral("-o"), again,
                              QStringLiteral("--json")},
            kBobPassword);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject done = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(done[u"type"].toString(), QStringLiteral("download"));
    QCOMPARE(done[u"resumed_from"].toInteger(), 100000);
    QCOMPARE(done[u"size"].toInteger(), bytes.size());
    QFile resumed(again);
    QVERIFY(resumed.open(QIODevice::ReadOnly));
    QCOMPARE(resumed.readAll(), bytes);
    QVERIFY(!part.exists());

    // A file that is not there (or not bob's to see): exit 4 and why.
    r = run(bob
                + QStringList{QStringLiteral("download"), QStringLiteral("nosuchfile"),
                              QStringLiteral("-o"), m_home.filePath(QStringLiteral("x"))},
            kBobPassword);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no longer there"), r.err.constData());
}

void tst_NatterCli::withoutKeychainWorksForTheSessionAndSaysSo()
{
    const QString profile = QStringLiteral("nokeychain");
    const QStringList base = server() + QStringList{QStringLiteral("--profile"), profile};
    Run r = run(base + QStringList{QStringLiteral("login"), QStringLiteral("alice")},
                kAlicePassword, false);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("cannot use the system keychain"), r.err.constData());
    QVERIFY2(r.err.contains("--user alice"), r.err.constData());
    QVERIFY2(!r.err.contains("Signed in as"), r.err.constData());
    // The message comes once, not per keychain call.
    QCOMPARE(r.err.count("cannot use the system keychain"), 1);

    // The next command cannot be signed in, and says what to do.
    r = run(base + QStringList{QStringLiteral("channels")}, {}, false);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--user"), r.err.constData());

    // With --user it works for that one run, keychain or not.
    r = run(base
                + QStringList{QStringLiteral("--user"), QStringLiteral("alice"),
                              QStringLiteral("send"), QStringLiteral("general"),
                              QStringLiteral("sent without a keychain")},
            kAlicePassword, false);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("Sent to #general"), r.out.constData());
}

void tst_NatterCli::channelsPeopleCreateThemselves()
{
    // §8 through natter-cli against natterd: alice, bob and carol, each in a
    // profile of their own.
    const QList<QPair<QString, QString>> people{
        {u"alice"_s, kAlicePassword}, {u"bob"_s, kBobPassword}, {u"carol"_s, kCarolPassword}};
    for (const auto &[user, password] : people) {
        const Run r = run(server() + QStringList{u"--profile"_s, u"ch-"_s + user, u"login"_s, user},
                          password);
        QCOMPARE(r.exitCode, 0);
    }
    const auto as = [this](const QString &user, const QStringList &args) {
        return run(QStringList{u"--profile"_s, u"ch-"_s + user} + args);
    };

    // A public channel with a topic and bob in it; bob has it at once.
    Run r = as(u"alice"_s,
               {u"create"_s, u"plans"_s, u"--topic"_s, u"Q3 plans"_s, u"--member"_s, u"bob"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("Created #plans ("), r.out.constData());
    r = as(u"bob"_s, {u"channels"_s});
    QVERIFY2(r.out.contains("#plans\t"), r.out.constData());

    // The name rule is checked before anything is sent; a taken name is refused.
    r = as(u"alice"_s, {u"create"_s, u"Plans Two"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("is not a channel name"), r.err.constData());
    r = as(u"alice"_s, {u"create"_s, u"PLANS"_s});
    QCOMPARE(r.exitCode, 1);
    r = as(u"alice"_s, {u"create"_s, u"plans"_s});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("name_taken"), r.err.constData());

    // A private channel is in alice's directory, never in carol's.
    r = as(u"alice"_s, {u"create"_s, u"secret"_s, u"--private"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = as(u"alice"_s, {u"channels"_s, u"--all"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#secret\t"), r.out.constData());
    r = as(u"carol"_s, {u"channels"_s, u"--all"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#plans\t"), r.out.constData());
    QVERIFY2(r.out.contains("members: 2"), r.out.constData());
    QVERIFY2(r.out.contains("Q3 plans"), r.out.constData());
    QVERIFY2(!r.out.contains("secret"), r.out.constData());

    // carol joins the public one; the private one does not exist for her.
    r = as(u"carol"_s, {u"join"_s, u"plans"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("You are in #plans"), r.out.constData());
    r = as(u"carol"_s, {u"join"_s, u"secret"_s});
    QCOMPARE(r.exitCode, 4);
    r = as(u"carol"_s, {u"channels"_s, u"--all"_s, u"--json"_s});
    QVERIFY2(r.out.contains("\"member\":true"), r.out.constData());

    // Invited, carol has it; she leaves and it is gone from her list.
    r = as(u"alice"_s, {u"invite"_s, u"secret"_s, u"carol"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("Invited to #secret; members: 2."), r.out.constData());
    r = as(u"carol"_s, {u"channels"_s});
    QVERIFY2(r.out.contains("#secret\t"), r.out.constData());
    r = as(u"carol"_s, {u"leave"_s, u"secret"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("You left #secret.\n"));
    r = as(u"carol"_s, {u"channels"_s});
    QVERIFY2(!r.out.contains("#secret"), r.out.constData());
    r = as(u"alice"_s, {u"invite"_s, u"secret"_s, u"nobody-here"_s});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("nobody called “nobody-here”"), r.err.constData());

    // dm USER TEXT: the conversation exists for bob with alice's message in it.
    r = as(u"alice"_s, {u"dm"_s, u"bob"_s, u"hello"_s, u"bob"_s});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("Sent to "), r.out.constData());
    r = as(u"bob"_s, {u"channels"_s, u"--json"_s});
    QByteArray directId;
    for (const QByteArray &line : r.out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(u"kind"_s).toString() == u"direct"_s)
            directId = o.value(u"id"_s).toString().toUtf8();
    }
    QVERIFY2(!directId.isEmpty(), r.out.constData());
    r = as(u"bob"_s, {u"history"_s, QString::fromUtf8(directId)});
    QVERIFY2(r.out.contains("hello bob"), r.out.constData());
}

void tst_NatterCli::noSecretLeftBehind()
{
    // After everything above (log in, use, quit, log out, no keychain): no file
    // the CLI wrote and no log line holds a password or a token.
    const QString keptBob = keptToken(QStringLiteral("bob"), QStringLiteral("bob"));
    QVERIFY(keptBob.size() > 16);
    QVERIFY(m_allStderr.contains("natter.auth")); // logging was on, at debug level
    const QList<QByteArray> secrets{kAlicePassword.toUtf8(), kBobPassword.toUtf8(),
                                    keptBob.toUtf8(),
                                    // every access token is a JWT: base64url("{\"alg\"...")
                                    QByteArrayLiteral("eyJ")};
    int files = 0;
    QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        ++files;
        for (const QByteArray &secret : secrets)
            QVERIFY2(!content.contains(secret), qPrintable(QStringLiteral("secret in ") + path));
    }
    QVERIFY(files > 0); // the settings files are there, and were scanned
    for (const QByteArray &secret : secrets)
        QVERIFY2(!m_allStderr.contains(secret), "a secret reached natter-cli's log");
}

void tst_NatterCli::notifySetsTheLevelOnTheServer()
{
    // §8 notify: the answer is the server's channel frame, so what is printed is
    // what the server now keeps for bob.
    Run r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("notify"),
                 QStringLiteral("general"), QStringLiteral("mentions")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#general notifies you only when you are mentioned."),
             r.out.constData());
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("--json"),
             QStringLiteral("notify"), QStringLiteral("general"), QStringLiteral("nothing")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject answer = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(answer.value(u"type").toString(), u"notify"_s);
    QCOMPARE(answer.value(u"level").toString(), u"none"_s);
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("notify"),
             QStringLiteral("general"), QStringLiteral("all")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("#general notifies you about every message."), r.out.constData());
    // A channel bob is not in: refused before anything is sent.
    r = run({QStringLiteral("--profile"), QStringLiteral("bob"), QStringLiteral("notify"),
             QStringLiteral("nowhere"), QStringLiteral("all")});
    QVERIFY(r.exitCode != 0);
}

QTEST_GUILESS_MAIN(tst_NatterCli)
#include "tst_NatterCli.moc"
