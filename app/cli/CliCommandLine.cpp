#include "CliCommandLine.h"

#include "auth/Profile.h"
#include "auth/ServerUrl.h"
#include "protocol/Codec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace Natter {

namespace {
// §9 upload and send --attach: the files, each one that can be read, at most
// 10 per message (§11). Returns a sentence when they are not.
QString parseFiles(CliCommandLine *cl, const QStringList &paths)
{
    constexpr int kMaxAttachments = 10;
    if (paths.size() > kMaxAttachments)
        return QCoreApplication::translate("CliCommandLine", "A message carries at most %1 files.")
            .arg(kMaxAttachments);
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isFile() || !info.isReadable())
            return QCoreApplication::translate("CliCommandLine", "Cannot read the file “%1”.")
                .arg(path);
        cl->request.files.append(info.absoluteFilePath());
    }
    return {};
}
} // namespace

QString CliCommandLine::helpText()
{
    return QCoreApplication::translate(
        "CliCommandLine",
        "Usage: natter-cli [--server URL] [--profile NAME] [--user USER] COMMAND [ARGS]\n"
        "\n"
        "Commands:\n"
        "  login USER              Sign in and keep the sign-in in the system keychain.\n"
        "                          The password is asked for on the terminal (not shown),\n"
        "                          or read from the first line of stdin when it is not a\n"
        "                          terminal.\n"
        "  channels [--all]        List your channels: name, id, last seq. With --all: the\n"
        "                          channel directory (public channels and your private\n"
        "                          ones) with member counts and topics.\n"
        "  create NAME [--topic T] [--private] [--member USER]...\n"
        "                          Create a channel (NAME: 1-64 of a-z, 0-9, - and _),\n"
        "                          public unless --private, with the people named.\n"
        "  join CHANNEL            Join a public channel.\n"
        "  leave CHANNEL           Leave a channel.\n"
        "  invite CHANNEL USER...  Add people to a channel you are in.\n"
        "  dm USER [TEXT]          Open the direct conversation with USER; with TEXT, send\n"
        "                          it there.\n"
        "  send CHANNEL TEXT [--reply-to SEQ] [--attach FILE]...\n"
        "                          Send TEXT to CHANNEL (a name like general, or an id);\n"
        "                          exits once the server has stored it. With --reply-to:\n"
        "                          as a reply to message number SEQ, which it quotes.\n"
        "                          With --attach (repeatable): the files go up first and\n"
        "                          the message carries them, in order; TEXT may then be\n"
        "                          left out.\n"
        "  upload CHANNEL FILE [--text TEXT]\n"
        "                          Upload FILE to CHANNEL without sending a message; prints\n"
        "                          the file's id (with --json: the server's file object).\n"
        "                          A file no message carries is deleted after 24 hours.\n"
        "                          With --text: then send one message with TEXT and the\n"
        "                          file, like send CHANNEL TEXT --attach FILE.\n"
        "  listen [--json]         Print every event as it arrives until stopped (Ctrl+C):\n"
        "                          messages (with the message they reply to and whom they\n"
        "                          mention), edits, deletions and reactions.\n"
        "                          With --json: one JSON object per line.\n"
        "  history CHANNEL [--limit N]\n"
        "                          Print the newest N messages (default 50, at most 200).\n"
        "  search QUERY [--limit N]\n"
        "                          Search the messages of your channels, newest first\n"
        "                          (default 20, at most 50): words, \"a phrase\", word*,\n"
        "                          -word, from:USER, in:CHANNEL, before:YYYY-MM-DD,\n"
        "                          after:YYYY-MM-DD, has:file, has:link. Quote QUERY for\n"
        "                          the shell; put -- before a QUERY that starts with -.\n"
        "  download FILE_ID [-o PATH]\n"
        "                          Save a file of a message (its id is in history --json\n"
        "                          and listen --json) to PATH, or under its own name in the\n"
        "                          current directory. Run it again after an interruption\n"
        "                          to continue where it stopped.\n"
        "  edit CHANNEL SEQ TEXT   Replace the text of your message number SEQ in CHANNEL.\n"
        "  delete CHANNEL SEQ      Delete message number SEQ in CHANNEL (yours, or any as\n"
        "                          an admin).\n"
        "  react CHANNEL SEQ EMOJI [--off]\n"
        "                          React with EMOJI (one emoji) to message number SEQ in\n"
        "                          CHANNEL; with --off, take your reaction back.\n"
        "  notify CHANNEL all|mentions|nothing\n"
        "                          Which messages of CHANNEL notify you, on all your\n"
        "                          devices: every message, mentions of you, or none.\n"
        "  logout                  Sign out on the server and forget the kept sign-in.\n"
        "\n"
        "Options:\n"
        "  --server URL            The server (http, https, ws or wss). Remembered by login.\n"
        "  --profile NAME          Keep settings and sign-in apart per profile (default:\n"
        "                          \"default\"), e.g. for two accounts on one machine.\n"
        "  --user USER             Sign in as USER for this one command only (password as\n"
        "                          for login); nothing is kept and the session is revoked\n"
        "                          afterwards.\n"
        "  --json                  Machine-readable output (channels, history, listen, send,\n"
        "                          edit, delete, react, notify, search, upload,\n"
        "                          download).\n"
        "  --reply-to SEQ          send: reply to message number SEQ.\n"
        "  --attach FILE           send: attach FILE (up to 10 times).\n"
        "  --off                   react: remove your reaction instead of adding it.\n"
        "  --limit N               How many messages history or search prints.\n"
        "  -o, --output PATH       download: where to save the file.\n"
        "  --timeout SECONDS       Give up after SECONDS without an answer (default 30).\n"
        "  --verbose               Also print progress messages of the connection.\n"
        "  -h, --help              Show this help.\n"
        "  -v, --version           Show the version.\n"
        "\n"
        "Without a working system keychain (no Secret Service, locked or denied) natter-cli\n"
        "cannot keep a sign-in between runs and never writes it to a file instead: `login`\n"
        "then only checks your password, says so, and signs out again; use --user USER with\n"
        "each command instead.\n"
        "\n"
        "Exit codes:\n"
        "  0  success\n"
        "  1  usage error (unknown command, missing or bad argument)\n"
        "  2  authentication needed or failed (not signed in, wrong password, expired)\n"
        "  3  network: server unreachable, TLS problem, or no answer in time\n"
        "  4  the server refused (rate limited, unknown channel, not your message,\n"
        "     no such message, edit window over, server error)\n");
}

CliCommandLine CliCommandLine::parse(const QStringList &arguments)
{
    CliCommandLine cl;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption server(QStringLiteral("server"), QString(), QStringLiteral("URL"));
    const QCommandLineOption profile(QStringLiteral("profile"), QString(), QStringLiteral("NAME"));
    const QCommandLineOption user(QStringLiteral("user"), QString(), QStringLiteral("USER"));
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption limit(QStringLiteral("limit"), QString(), QStringLiteral("N"));
    const QCommandLineOption verbose(QStringLiteral("verbose"));
    const QCommandLineOption replyTo(QStringLiteral("reply-to"), QString(), QStringLiteral("SEQ"));
    const QCommandLineOption off(QStringLiteral("off"));
    const QCommandLineOption all(QStringLiteral("all"));
    const QCommandLineOption topic(QStringLiteral("topic"), QString(), QStringLiteral("TOPIC"));
    const QCommandLineOption isPrivate(QStringLiteral("private"));
    const QCommandLineOption member(QStringLiteral("member"), QString(), QStringLiteral("USER"));
    const QCommandLineOption attach(QStringLiteral("attach"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption text(QStringLiteral("text"), QString(), QStringLiteral("TEXT"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QString(),
                                     QStringLiteral("SECONDS"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    QString(), QStringLiteral("PATH"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")});
    parser.addOptions({server, profile, user, json, limit, verbose, replyTo, off, all, topic,
                       isPrivate, member, attach, help, version, output, text, timeout});

    const auto usage = [&cl](const QString &message) {
        cl.action = Action::UsageError;
        cl.error = message + QLatin1Char('\n')
            + QCoreApplication::translate("CliCommandLine",
                                          "Run `natter-cli --help` for the commands.");
        return cl;
    };

    if (!parser.parse(arguments))
        return usage(parser.errorText());
    cl.verbose = parser.isSet(verbose);
    if (parser.isSet(help)) {
        cl.action = Action::Help;
        return cl;
    }
    if (parser.isSet(version)) {
        cl.action = Action::Version;
        return cl;
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usage(QCoreApplication::translate("CliCommandLine", "No command given."));
    cl.command = positional.first();
    cl.args = positional.mid(1);
    cl.server = parser.value(server);
    cl.profile = parser.isSet(profile) ? parser.value(profile) : Profile::defaultName();
    cl.oneShotUser = parser.value(user).trimmed();
    cl.request.json = parser.isSet(json);
    if (parser.isSet(timeout)) {
        bool ok = false;
        const int seconds = parser.value(timeout).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 3600)
            return usage(QCoreApplication::translate(
                "CliCommandLine", "--timeout takes a number of seconds from 1 to 3600."));
        cl.request.timeoutMs = seconds * 1000;
    }

    if (!Profile::isValidName(cl.profile))
        return usage(QCoreApplication::translate("CliCommandLine",
                                                 "“%1” is not a valid profile name (use letters, "
                                                 "digits, '-', '_' and '.').")
                         .arg(cl.profile));
    if (!cl.server.isEmpty()) {
        const ServerUrl url = ServerUrl::parse(cl.server);
        if (!url.isValid())
            return usage(url.errorString());
    }

    const auto argsFit = [&](int min, int max) {
        return cl.args.size() >= min && (max < 0 || cl.args.size() <= max);
    };
    const QString wrongCount =
        QCoreApplication::translate("CliCommandLine", "Wrong number of arguments for “%1”.");

    if (cl.command == QLatin1String("login")) {
        if (!argsFit(1, 1))
            return usage(wrongCount.arg(cl.command));
    } else if (cl.command == QLatin1String("logout") || cl.command == QLatin1String("channels")
               || cl.command == QLatin1String("listen")) {
        if (!argsFit(0, 0))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = cl.command == QLatin1String("listen") ? CliChatTask::Command::Listen
                                                                   : CliChatTask::Command::Channels;
        if (parser.isSet(all) && cl.command == QLatin1String("channels"))
            cl.request.command = CliChatTask::Command::Directory;
    } else if (cl.command == QLatin1String("create")) {
        if (!argsFit(1, 1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Create;
        cl.request.channel = cl.args.first();
        if (!Codec::isValidChannelName(cl.request.channel))
            return usage(QCoreApplication::translate(
                             "CliCommandLine",
                             "“%1” is not a channel name: 1 to 64 lower-case letters, digits, "
                             "“-” or “_”, starting with a letter or digit.")
                             .arg(cl.request.channel));
        cl.request.topic = parser.value(topic);
        cl.request.isPrivate = parser.isSet(isPrivate);
        cl.request.users = parser.values(member);
    } else if (cl.command == QLatin1String("join") || cl.command == QLatin1String("leave")) {
        if (!argsFit(1, 1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = cl.command == QLatin1String("join") ? CliChatTask::Command::Join
                                                                 : CliChatTask::Command::Leave;
        cl.request.channel = cl.args.first();
    } else if (cl.command == QLatin1String("invite")) {
        if (!argsFit(2, -1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Invite;
        cl.request.channel = cl.args.first();
        cl.request.users = cl.args.mid(1);
    } else if (cl.command == QLatin1String("dm")) {
        if (!argsFit(1, -1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Dm;
        cl.request.users = cl.args.mid(0, 1);
        cl.request.text = cl.args.mid(1).join(QLatin1Char(' '));
    } else if (cl.command == QLatin1String("send")) {
        if (!argsFit(1, -1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Send;
        cl.request.channel = cl.args.first();
        cl.request.text = cl.args.mid(1).join(QLatin1Char(' '));
        if (const QString error = parseFiles(&cl, parser.values(attach)); !error.isEmpty())
            return usage(error);
        if (cl.request.text.trimmed().isEmpty() && cl.request.files.isEmpty())
            return usage(QCoreApplication::translate("CliCommandLine", "The message is empty."));
        if (parser.isSet(replyTo)) {
            bool ok = false;
            cl.request.replyToSeq = parser.value(replyTo).toLongLong(&ok);
            if (!ok || cl.request.replyToSeq < 1)
                return usage(QCoreApplication::translate(
                    "CliCommandLine", "--reply-to takes a message number (1 or more)."));
        }
    } else if (cl.command == QLatin1String("upload")) {
        if (!argsFit(2, 2))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Upload;
        cl.request.channel = cl.args.first();
        if (const QString error = parseFiles(&cl, cl.args.mid(1)); !error.isEmpty())
            return usage(error);
        if (parser.isSet(text)) {
            // `upload CHANNEL FILE --text TEXT` is `send CHANNEL TEXT --attach
            // FILE`: one message with the text and the file (§9).
            cl.request.command = CliChatTask::Command::Send;
            cl.request.text = parser.value(text);
        }
    } else if (cl.command == QLatin1String("react")) {
        if (!argsFit(3, 3))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::React;
        cl.request.channel = cl.args.first();
        bool ok = false;
        cl.request.seq = cl.args.at(1).toLongLong(&ok);
        if (!ok || cl.request.seq < 1)
            return usage(QCoreApplication::translate("CliCommandLine",
                                                     "SEQ must be a message number (1 or more)."));
        // The server judges the emoji (§7: one grapheme cluster, 1-32 bytes).
        cl.request.emoji = cl.args.at(2).trimmed();
        cl.request.off = parser.isSet(off);
        if (cl.request.emoji.isEmpty())
            return usage(QCoreApplication::translate("CliCommandLine", "EMOJI is empty."));
    } else if (cl.command == QLatin1String("notify")) {
        if (!argsFit(2, 2))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Notify;
        cl.request.channel = cl.args.first();
        const QString level = cl.args.at(1).toLower();
        if (level == QLatin1String("all"))
            cl.request.level = NotifyLevel::All;
        else if (level == QLatin1String("mentions"))
            cl.request.level = NotifyLevel::Mentions;
        else if (level == QLatin1String("nothing") || level == QLatin1String("none"))
            cl.request.level = NotifyLevel::None; // §8 spells it "none"
        else
            return usage(QCoreApplication::translate(
                "CliCommandLine", "The level is one of all, mentions or nothing."));
    } else if (cl.command == QLatin1String("edit") || cl.command == QLatin1String("delete")) {
        const bool edit = cl.command == QLatin1String("edit");
        if (edit ? !argsFit(3, -1) : !argsFit(2, 2))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = edit ? CliChatTask::Command::Edit : CliChatTask::Command::Delete;
        cl.request.channel = cl.args.first();
        bool ok = false;
        cl.request.seq = cl.args.at(1).toLongLong(&ok);
        if (!ok || cl.request.seq < 1)
            return usage(QCoreApplication::translate("CliCommandLine",
                                                     "SEQ must be a message number (1 or more)."));
        if (edit) {
            cl.request.text = cl.args.mid(2).join(QLatin1Char(' '));
            if (cl.request.text.trimmed().isEmpty())
                return usage(
                    QCoreApplication::translate("CliCommandLine", "The message is empty."));
        }
    } else if (cl.command == QLatin1String("history")) {
        if (!argsFit(1, 1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::History;
        cl.request.channel = cl.args.first();
        if (parser.isSet(limit)) {
            bool ok = false;
            cl.request.limit = parser.value(limit).toInt(&ok);
            if (!ok || cl.request.limit < 1 || cl.request.limit > 200)
                return usage(QCoreApplication::translate("CliCommandLine",
                                                         "--limit takes a number from 1 to 200."));
        }
    } else if (cl.command == QLatin1String("search")) {
        if (cl.args.isEmpty())
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Search;
        cl.request.text = cl.args.join(QLatin1Char(' '));
        cl.request.limit = 20;
        if (parser.isSet(limit)) {
            bool ok = false;
            cl.request.limit = parser.value(limit).toInt(&ok);
            if (!ok || cl.request.limit < 1 || cl.request.limit > 50)
                return usage(QCoreApplication::translate("CliCommandLine",
                                                         "--limit takes a number from 1 to 50."));
        }
    } else if (cl.command == QLatin1String("download")) {
        if (!argsFit(1, 1))
            return usage(wrongCount.arg(cl.command));
        cl.request.command = CliChatTask::Command::Download;
        cl.request.fileId = cl.args.first();
        cl.request.outputPath = parser.value(output);
    } else {
        return usage(
            QCoreApplication::translate("CliCommandLine", "Unknown command “%1”.").arg(cl.command));
    }
    if (parser.isSet(output) && cl.command != QLatin1String("download"))
        return usage(QCoreApplication::translate("CliCommandLine", "-o only goes with download."));
    if (parser.isSet(replyTo) && cl.command != QLatin1String("send"))
        return usage(
            QCoreApplication::translate("CliCommandLine", "--reply-to only goes with send."));
    if (parser.isSet(attach) && cl.command != QLatin1String("send"))
        return usage(
            QCoreApplication::translate("CliCommandLine", "--attach only goes with send."));
    if (parser.isSet(off) && cl.command != QLatin1String("react"))
        return usage(QCoreApplication::translate("CliCommandLine", "--off only goes with react."));
    if (parser.isSet(all) && cl.command != QLatin1String("channels"))
        return usage(
            QCoreApplication::translate("CliCommandLine", "--all only goes with channels."));
    if ((parser.isSet(topic) || parser.isSet(isPrivate) || parser.isSet(member))
        && cl.command != QLatin1String("create"))
        return usage(QCoreApplication::translate(
            "CliCommandLine", "--topic, --private and --member only go with create."));
    if (parser.isSet(limit) && cl.command != QLatin1String("history")
        && cl.command != QLatin1String("search"))
        return usage(QCoreApplication::translate("CliCommandLine",
                                                 "--limit only goes with history and search."));
    if (!cl.oneShotUser.isEmpty()
        && (cl.command == QLatin1String("login") || cl.command == QLatin1String("logout")))
        return usage(QCoreApplication::translate("CliCommandLine",
                                                 "--user is for the other commands; `login` "
                                                 "takes the user name itself."));
    cl.action = Action::Run;
    return cl;
}

} // namespace Natter
