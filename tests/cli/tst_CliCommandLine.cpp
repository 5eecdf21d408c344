// CliCommandLine: natter-cli's arguments into an action, or a usage error.
#include "CliCommandLine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

class tst_CliCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commands_data();
    void commands();
    void usageErrors_data();
    void usageErrors();
    void helpAndVersion();
    void reactAndReplyTo();
    void uploadAndAttach();
};

void tst_CliCommandLine::commands_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("command");
    QTest::addColumn<CliChatTask::Command>("chat");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("limit");
    QTest::addColumn<bool>("json");

    using C = CliChatTask::Command;
    QTest::newRow("login") << QStringList{QStringLiteral("login"), QStringLiteral("alice")}
                           << QStringLiteral("login") << C::Channels << QString() << QString() << 50
                           << false;
    QTest::newRow("send joins words")
        << QStringList{QStringLiteral("send"), QStringLiteral("general"), QStringLiteral("hi"),
                       QStringLiteral("there")}
        << QStringLiteral("send") << C::Send << QStringLiteral("general")
        << QStringLiteral("hi there") << 50 << false;
    QTest::newRow("history limit") << QStringList{QStringLiteral("history"), QStringLiteral("#x"),
                                                  QStringLiteral("--limit"), QStringLiteral("7")}
                                   << QStringLiteral("history") << C::History
                                   << QStringLiteral("#x") << QString() << 7 << false;
    QTest::newRow("search joins words")
        << QStringList{QStringLiteral("search"),  QStringLiteral("--json"),
                       QStringLiteral("--limit"), QStringLiteral("5"),
                       QStringLiteral("--"),      QStringLiteral("-draft"),
                       QStringLiteral("from:bob")}
        << QStringLiteral("search") << C::Search << QString() << QStringLiteral("-draft from:bob")
        << 5 << true;
    QTest::newRow("listen json") << QStringList{QStringLiteral("listen"), QStringLiteral("--json")}
                                 << QStringLiteral("listen") << C::Listen << QString() << QString()
                                 << 50 << true;
    QTest::newRow("edit joins words")
        << QStringList{QStringLiteral("edit"), QStringLiteral("general"), QStringLiteral("12"),
                       QStringLiteral("new"), QStringLiteral("text")}
        << QStringLiteral("edit") << C::Edit << QStringLiteral("general")
        << QStringLiteral("new text") << 50 << false;
    QTest::newRow("delete") << QStringList{QStringLiteral("delete"), QStringLiteral("#general"),
                                           QStringLiteral("3")}
                            << QStringLiteral("delete") << C::Delete << QStringLiteral("#general")
                            << QString() << 50 << false;
    QTest::newRow("channels") << QStringList{QStringLiteral("channels")}
                              << QStringLiteral("channels") << C::Channels << QString() << QString()
                              << 50 << false;
}

void tst_CliCommandLine::commands()
{
    QFETCH(QStringList, args);
    QFETCH(QString, command);
    QFETCH(CliChatTask::Command, chat);
    QFETCH(QString, channel);
    QFETCH(QString, text);
    QFETCH(int, limit);
    QFETCH(bool, json);
    const CliCommandLine cl =
        CliCommandLine::parse(QStringList{QStringLiteral("natter-cli")} + args);
    QCOMPARE(cl.action, CliCommandLine::Action::Run);
    QCOMPARE(cl.command, command);
    if (command != QLatin1String("login"))
        QCOMPARE(cl.request.command, chat);
    QCOMPARE(cl.request.channel, channel);
    QCOMPARE(cl.request.text, text);
    QCOMPARE(cl.request.limit, limit);
    QCOMPARE(cl.request.json, json);
    QCOMPARE(cl.profile, QStringLiteral("default"));
    if (command == QLatin1String("edit"))
        QCOMPARE(cl.request.seq, 12);
    if (command == QLatin1String("delete"))
        QCOMPARE(cl.request.seq, 3);
}

void tst_CliCommandLine::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("nothing") << QStringList() << QStringLiteral("No command given.");
    QTest::newRow("limit elsewhere")
        << QStringList{QStringLiteral("channels"), QStringLiteral("--limit"), QStringLiteral("3")}
        << QStringLiteral("--limit only goes with history and search.");
    QTest::newRow("limit too big") << QStringList{QStringLiteral("history"), QStringLiteral("g"),
                                                  QStringLiteral("--limit"), QStringLiteral("201")}
                                   << QStringLiteral("--limit takes a number from 1 to 200.");
    QTest::newRow("blank message")
        << QStringList{QStringLiteral("send"), QStringLiteral("g"), QStringLiteral("  ")}
        << QStringLiteral("The message is empty.");
    QTest::newRow("no text, no file") << QStringList{QStringLiteral("send"), QStringLiteral("g")}
                                      << QStringLiteral("The message is empty.");
    QTest::newRow("attach a missing file")
        << QStringList{QStringLiteral("send"), QStringLiteral("g"), QStringLiteral("--attach"),
                       QStringLiteral("/nonexistent/x.png")}
        << QStringLiteral("Cannot read the file “/nonexistent/x.png”.");
    QTest::newRow("attach elsewhere")
        << QStringList{QStringLiteral("history"), QStringLiteral("g"), QStringLiteral("--attach"),
                       QStringLiteral("x")}
        << QStringLiteral("--attach only goes with send.");
    QTest::newRow("upload without file")
        << QStringList{QStringLiteral("upload"), QStringLiteral("g")}
        << QStringLiteral("Wrong number of arguments for “upload”.");
    QTest::newRow("user with login") << QStringList{QStringLiteral("--user"), QStringLiteral("a"),
                                                    QStringLiteral("login"), QStringLiteral("a")}
                                     << QStringLiteral("--user is for the other commands");
    QTest::newRow("extra arg") << QStringList{QStringLiteral("logout"), QStringLiteral("now")}
                               << QStringLiteral("Wrong number of arguments for “logout”.");
    QTest::newRow("notify bad level")
        << QStringList{QStringLiteral("notify"), QStringLiteral("g"), QStringLiteral("loud")}
        << QStringLiteral("The level is one of all, mentions or nothing.");
    QTest::newRow("notify without level")
        << QStringList{QStringLiteral("notify"), QStringLiteral("g")}
        << QStringLiteral("Wrong number of arguments for “notify”.");
    QTest::newRow("react without emoji")
        << QStringList{QStringLiteral("react"), QStringLiteral("g"), QStringLiteral("3")}
        << QStringLiteral("Wrong number of arguments for “react”.");
    QTest::newRow("react bad seq") << QStringList{QStringLiteral("react"), QStringLiteral("g"),
                                                  QStringLiteral("x"), QStringLiteral("👍")}
                                   << QStringLiteral("SEQ must be a message number");
    QTest::newRow("off elsewhere") << QStringList{QStringLiteral("send"), QStringLiteral("g"),
                                                  QStringLiteral("hi"), QStringLiteral("--off")}
                                   << QStringLiteral("--off only goes with react.");
    QTest::newRow("reply-to elsewhere")
        << QStringList{QStringLiteral("edit"), QStringLiteral("g"),          QStringLiteral("1"),
                       QStringLiteral("hi"),   QStringLiteral("--reply-to"), QStringLiteral("2")}
        << QStringLiteral("--reply-to only goes with send.");
    QTest::newRow("reply-to bad seq")
        << QStringList{QStringLiteral("send"), QStringLiteral("g"), QStringLiteral("hi"),
                       QStringLiteral("--reply-to"), QStringLiteral("0")}
        << QStringLiteral("--reply-to takes a message number");
}

void tst_CliCommandLine::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliCommandLine cl =
        CliCommandLine::parse(QStringList{QStringLiteral("natter-cli")} + args);
    QCOMPARE(cl.action, CliCommandLine::Action::UsageError);
    QVERIFY2(cl.error.startsWith(message), qPrintable(cl.error));
    QVERIFY(cl.error.contains(QStringLiteral("natter-cli --help")));
}

void tst_CliCommandLine::helpAndVersion()
{
    QCOMPARE(CliCommandLine::parse({QStringLiteral("x"), QStringLiteral("--help")}).action,
             CliCommandLine::Action::Help);
    QCOMPARE(CliCommandLine::parse({QStringLiteral("x"), QStringLiteral("-v")}).action,
             CliCommandLine::Action::Version);
    QVERIFY(CliCommandLine::helpText().contains(QStringLiteral("Exit codes")));
}

void tst_CliCommandLine::reactAndReplyTo()
{
    const CliCommandLine on = CliCommandLine::parse(
        {QStringLiteral("natter-cli"), QStringLiteral("react"), QStringLiteral("#general"),
         QStringLiteral("4"), QStringLiteral("👍🏽")});
    QCOMPARE(on.action, CliCommandLine::Action::Run);
    QCOMPARE(on.request.command, CliChatTask::Command::React);
    QCOMPARE(on.request.channel, QStringLiteral("#general"));
    QCOMPARE(on.request.seq, 4);
    QCOMPARE(on.request.emoji, QStringLiteral("👍🏽"));
    QCOMPARE(on.request.off, false);
    const CliCommandLine off = CliCommandLine::parse(
        {QStringLiteral("natter-cli"), QStringLiteral("react"), QStringLiteral("general"),
         QStringLiteral("4"), QStringLiteral("👍"), QStringLiteral("--off")});
    QCOMPARE(off.action, CliCommandLine::Action::Run);
    QCOMPARE(off.request.off, true);
    const CliCommandLine reply = CliCommandLine::parse(
        {QStringLiteral("natter-cli"), QStringLiteral("send"), QStringLiteral("--reply-to"),
         QStringLiteral("7"), QStringLiteral("general"), QStringLiteral("me"),
         QStringLiteral("too")});
    QCOMPARE(reply.action, CliCommandLine::Action::Run);
    QCOMPARE(reply.request.command, CliChatTask::Command::Send);
    QCOMPARE(reply.request.replyToSeq, 7);
    QCOMPARE(reply.request.text, QStringLiteral("me too"));
    QVERIFY(CliCommandLine::helpText().contains(QStringLiteral("react CHANNEL SEQ EMOJI [--off]")));
}

void tst_CliCommandLine::uploadAndAttach()
{
    // §9: the files in the order given, as absolute paths; a send may be files only.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const char *name : {"a.png", "b.txt"}) {
        QFile f(dir.filePath(QString::fromLatin1(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
    }
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir.path()));
    CliCommandLine cl = CliCommandLine::parse(
        {QStringLiteral("natter-cli"), QStringLiteral("send"), QStringLiteral("general"),
         QStringLiteral("--attach"), QStringLiteral("b.txt"), QStringLiteral("--attach"),
         dir.filePath(QStringLiteral("a.png"))});
    QCOMPARE(cl.action, CliCommandLine::Action::Run);
    QCOMPARE(cl.request.command, CliChatTask::Command::Send);
    QVERIFY(cl.request.text.isEmpty());
    QCOMPARE(cl.request.files,
             (QStringList{QFileInfo(dir.filePath(QStringLiteral("b.txt"))).absoluteFilePath(),
                          QFileInfo(dir.filePath(QStringLiteral("a.png"))).absoluteFilePath()}));

    cl = CliCommandLine::parse({QStringLiteral("natter-cli"), QStringLiteral("upload"),
                                QStringLiteral("general"), QStringLiteral("a.png"),
                                QStringLiteral("--json")});
    QCOMPARE(cl.action, CliCommandLine::Action::Run);
    QCOMPARE(cl.request.command, CliChatTask::Command::Upload);
    QCOMPARE(cl.request.channel, QStringLiteral("general"));
    QVERIFY(QDir::setCurrent(before));
    QCOMPARE(cl.request.files.size(), 1);
    QVERIFY(cl.request.json);
}

QTEST_GUILESS_MAIN(tst_CliCommandLine)
#include "tst_CliCommandLine.moc"
