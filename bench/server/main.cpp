// natterd-bench: load tools for natterd (not a timed test; see docs/benchmarks.md).
//
//   natterd-bench idle --connections 5000
//   natterd-bench fanout --members 50 --rate 1000 --seconds 10
//
// Starts its own natterd (NATTERD_BIN or --natterd) on loopback with a temporary
// data directory, and prints one result line.
#include "BenchServer.h"
#include "FanoutBench.h"
#include "IdleBench.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("idle or fanout"));
    parser.addOption({QStringLiteral("natterd"), QStringLiteral("natterd binary"),
                      QStringLiteral("path"),
                      qEnvironmentVariable("NATTERD_BIN", QStringLiteral("natterd"))});
    parser.addOption({QStringLiteral("connections"), QStringLiteral("idle connections"),
                      QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("members"), QStringLiteral("channel members"),
                      QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("messages per second"),
                      QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("measurement time"),
                      QStringLiteral("n"), QStringLiteral("10")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);

    BenchServer server(parser.value(QStringLiteral("natterd")));
    if (mode == u"idle") {
        for (int i = 0; i < 10; ++i)
            server.addUser(QStringLiteral("idle%1").arg(i), QStringLiteral("pw"));
        if (!server.start()) {
            std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
            return 1;
        }
        return IdleBench(&server, parser.value(QStringLiteral("connections")).toInt()).run();
    }
    if (mode == u"fanout") {
        const int members = parser.value(QStringLiteral("members")).toInt();
        QStringList names;
        for (int i = 0; i < members; ++i) {
            names << QStringLiteral("member%1").arg(i);
            server.addUser(names.last(), QStringLiteral("pw"));
        }
        server.addChannel(QStringLiteral("bench"), names);
        if (!server.start()) {
            std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
            return 1;
        }
        return FanoutBench(&server, members, parser.value(QStringLiteral("rate")).toInt(),
                           parser.value(QStringLiteral("seconds")).toInt())
            .run();
    }
    parser.showHelp(2);
}
