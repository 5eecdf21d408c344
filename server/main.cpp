// natterd: the Natter protocol v2 server and its admin commands. Thin main: parse,
// build, run; everything else lives in natterd-core.
#include "EpollEventDispatcher.h"
#include "NatterServer.h"
#include "ProcessLimits.h"
#include "ServerConfig.h"
#include "ServerLog.h"
#include "SlowTurnProbe.h"
#include "UnixSignalWatcher.h"
#include "admin/AdminCli.h"
#include "store/sqlite/SqliteLibrary.h"

#include <NatterVersion.h>

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <sys/stat.h>

int main(int argc, char *argv[])
{
    // The data directory holds password hashes and every message: whatever the
    // server and the admin commands create is for natterd's user only.
    ::umask(077);
    // A file-size limit (RLIMIT_FSIZE, systemd's LimitFSIZE=) reached: the write
    // fails with EFBIG and is handled as a full disk (the commit fails, nothing
    // is acked) instead of killing the server. PostgreSQL does the same.
    std::signal(SIGXFSZ, SIG_IGN);
    // epoll instead of Qt's poll() over every socket at every wake-up (issue 12,
    // docs/server.md "Event loop"). NATTERD_EVENT_DISPATCHER=qt keeps Qt's own,
    // for comparing the two.
    if (qEnvironmentVariable("NATTERD_EVENT_DISPATCHER") != QLatin1String("qt")) {
        if (auto *dispatcher = Natter::Server::EpollEventDispatcher::create())
            QCoreApplication::setEventDispatcher(dispatcher);
    }
    // Before any database opens (docs/server.md, "SQLite's memory statistics").
    QString sqliteError;
    const bool sqliteConfigured = Natter::Server::SqliteLibrary::configureForServer(&sqliteError);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natterd"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Natter::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "Natter chat server.\n\nAdmin commands:\n"
        "  user add NAME [--display-name TEXT] [--admin] | user list | user passwd NAME |\n"
        "  user promote NAME | user demote NAME | user disable NAME | channel add NAME --members "
        "a,b | channel list |\n"
        "  channel join NAME USER | channel leave NAME USER |\n"
        "  channel archive NAME | channel unarchive NAME |\n"
        "  migrate (create or upgrade the database schema, e.g. with --postgres) |\n"
        "  import (--data-dir DIR --postgres CONNINFO: the SQLite data into PostgreSQL) |\n"
        "  export (the same flags: PostgreSQL into a fresh SQLite data directory)"));
    parser.addVersionOption();
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("main", "Optional admin command."),
                                 QStringLiteral("[command...]"));
    Natter::Server::ServerConfig::addOptions(parser);
    parser.process(app);

    Natter::Server::ServerConfig config;
    QString error;
    if (!config.load(parser, &error)) {
        std::fprintf(stderr, "natterd: %s\n", qPrintable(error));
        return 2;
    }

    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        if (!Natter::Server::AdminCli::isAdminCommand(positional)) {
            std::fprintf(stderr, "natterd: unknown command %s (see --help)\n",
                         qPrintable(positional.join(QLatin1Char(' '))));
            return 2;
        }
        Natter::Server::ServerLog::install(QStringLiteral("warning"));
        Natter::Server::AdminCli cli(config);
        return cli.run(positional, parser.value(QStringLiteral("display-name")),
                       parser.value(QStringLiteral("members")),
                       parser.isSet(QStringLiteral("admin")));
    }

    Natter::Server::ServerLog::install(config.logLevel);
    if (!sqliteConfigured) {
        qCWarning(lcServer).noquote().nospace()
            << "event=sqlite_config error=" << Natter::Server::ServerLog::value(sqliteError);
    }
    // A bench tool: logs turns that held the event loop (unset: nothing).
    const auto slowTurnProbe = Natter::Server::SlowTurnProbe::fromEnvironment();
    // Every socket is a file: take all the hard limit allows (issue 12).
    Natter::Server::ProcessLimits::raiseOpenFileLimit();
    Natter::UnixSignalWatcher signalWatcher;
    Natter::Server::NatterServer server(config);
    QObject::connect(&signalWatcher, &Natter::UnixSignalWatcher::interrupted, &server,
                     &Natter::Server::NatterServer::shutdown);
    QObject::connect(&server, &Natter::Server::NatterServer::finished, &app,
                     &QCoreApplication::quit);
    if (!server.start(&error)) {
        std::fprintf(stderr, "natterd: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
