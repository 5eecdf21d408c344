// natterd-bench: load tools for natterd (not a timed test; see docs/benchmarks.md).
//
//   natterd-bench idle --connections 5000
//   natterd-bench fanout --members 50 --rate 1000 --seconds 10 [--connections 2000 (held idle)]
//   natterd-bench fanout --storage postgres [--nodes 3] ...   (issue 16)
//   natterd-bench resume --messages 1000 --rounds 5
//   natterd-bench files --megabytes 20 --rounds 5
//
// Starts its own natterd (NATTERD_BIN or --natterd) on loopback with a temporary
// data directory, and prints one result line. With `--storage postgres` the data
// lives in a throwaway PostgreSQL (tests/support/PostgresProcess), and with
// `--nodes N` (PostgreSQL only) N natterd share it with a throwaway Redis between
// them (RedisProcess); the fan-out members are spread over the nodes.
#include "BenchServer.h"
#include "FanoutBench.h"
#include "FilesBench.h"
#include "IdleBench.h"
#include "PostgresProcess.h"
#include "RedisProcess.h"
#include "ResumeBench.h"

#include <QDir>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"),
                                 QStringLiteral("idle, fanout, resume or files"));
    parser.addOption({QStringLiteral("natterd"), QStringLiteral("natterd binary"),
                      QStringLiteral("path"),
                      qEnvironmentVariable("NATTERD_BIN", QStringLiteral("natterd"))});
    parser.addOption({QStringLiteral("connections"),
                      QStringLiteral("idle connections (idle: default 1000; fanout: held besides "
                                     "the channel's, default 0)"),
                      QStringLiteral("n")});
    parser.addOption({QStringLiteral("members"), QStringLiteral("channel members"),
                      QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("messages per second"),
                      QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("measurement time"),
                      QStringLiteral("n"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("messages"), QStringLiteral("changed messages (resume)"),
                      QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("resumes measured (resume)"),
                      QStringLiteral("n"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("megabytes"), QStringLiteral("file size in MiB (files)"),
                      QStringLiteral("n"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("storage"), QStringLiteral("sqlite or postgres (fanout)"),
                      QStringLiteral("backend"), QStringLiteral("sqlite")});
    parser.addOption({QStringLiteral("nodes"),
                      QStringLiteral("natterd nodes sharing PostgreSQL, Redis between (fanout)"),
                      QStringLiteral("n"), QStringLiteral("1")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);

    BenchServer server(parser.value(QStringLiteral("natterd")));
    if (mode == u"idle") {
        for (int i = 0; i < 10; ++i)
            server.addUser(QStringLiteral("idle%1").arg(i), QStringLiteral("pw"));
        // Thousands of sockets over 10 users: lift the per-user connection cap.
        QStringList args;
        if (server.supportsOption(QStringLiteral("max-connections-per-user")))
            args << QStringLiteral("--max-connections-per-user") << QStringLiteral("0");
        if (server.supportsOption(QStringLiteral("user-session-burst")))
            args << QStringLiteral("--user-session-burst") << QStringLiteral("0");
        if (!server.start(args)) {
            std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
            return 1;
        }
        const QString connections = parser.value(QStringLiteral("connections"));
        return IdleBench(&server, connections.isEmpty() ? 1000 : connections.toInt()).run();
    }
    if (mode == u"fanout") {
        const int members = parser.value(QStringLiteral("members")).toInt();
        const int nodes = qMax(1, parser.value(QStringLiteral("nodes")).toInt());
        const bool postgres = parser.value(QStringLiteral("storage")) == u"postgres";
        if (nodes > 1 && !postgres) {
            std::fprintf(stderr, "--nodes needs --storage postgres\n");
            return 2;
        }
        PostgresProcess pg;
        RedisProcess redis;
        QList<BenchServer *> servers{&server};
        std::vector<std::unique_ptr<BenchServer>> more;
        QStringList storage;
        if (postgres) {
            if (!pg.start() || !pg.createDatabase(QStringLiteral("natter"))) {
                std::fprintf(stderr, "PostgreSQL: %s\n", qPrintable(pg.errorString()));
                return 1;
            }
            storage = {QStringLiteral("--postgres"), pg.conninfo(QStringLiteral("natter"))};
        }
        server.setStorageArgs(storage);
        QStringList names;
        for (int i = 0; i < members; ++i) {
            names << QStringLiteral("member%1").arg(i);
            server.addUser(names.last(), QStringLiteral("pw"));
        }
        server.addChannel(QStringLiteral("bench"), names);
        // --connections N: N idle connections held besides the channel's.
        const int idleConnections = parser.value(QStringLiteral("connections")).toInt();
        for (int i = 0; idleConnections > 0 && i < 10; ++i)
            server.addUser(QStringLiteral("idle%1").arg(i), QStringLiteral("pw"));
        if (nodes > 1 && !redis.start()) {
            std::fprintf(stderr, "Redis: %s\n", qPrintable(redis.errorString()));
            return 1;
        }
        for (int i = 0; i < nodes; ++i) {
            BenchServer *s = &server;
            if (i > 0) {
                more.push_back(
                    std::make_unique<BenchServer>(parser.value(QStringLiteral("natterd"))));
                s = more.back().get();
                s->setStorageArgs(storage);
                servers << s;
            }
            QStringList args;
            if (idleConnections > 0
                && s->supportsOption(QStringLiteral("max-connections-per-user")))
                args << QStringLiteral("--max-connections-per-user") << QStringLiteral("0");
            if (idleConnections > 0 && s->supportsOption(QStringLiteral("user-session-burst")))
                args << QStringLiteral("--user-session-burst") << QStringLiteral("0");
            if (nodes > 1)
                args << QStringLiteral("--redis") << redis.address() << QStringLiteral("--node-id")
                     << QStringLiteral("n%1").arg(i + 1);
            if (!s->start(args)) {
                std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(s->error()));
                return 1;
            }
        }
        FanoutBench bench(servers, members, parser.value(QStringLiteral("rate")).toInt(),
                          parser.value(QStringLiteral("seconds")).toInt());
        bench.setIdleConnections(idleConnections);
        if (postgres) {
            bench.setDatabaseProbe(
                [&pg] {
                    const auto rows = pg.query(
                        QStringLiteral("natter"),
                        QStringLiteral(
                            "SELECT xact_commit FROM pg_stat_database WHERE datname = 'natter'"));
                    return rows.isEmpty() ? qint64(0) : rows[0][0].toLongLong();
                },
                [&pg] { return pg.cpuMs(); });
        }
        const int rc = bench.run();
        for (BenchServer *s : std::as_const(servers))
            s->stop(); // before the services they use go
        return rc;
    }
    if (mode == u"resume") {
        server.addUser(QStringLiteral("writer"), QStringLiteral("pw"));
        server.addUser(QStringLiteral("reader"), QStringLiteral("pw"));
        server.addChannel(QStringLiteral("bench"),
                          {QStringLiteral("writer"), QStringLiteral("reader")});
        // The writer sends and edits as fast as natterd answers: lift the
        // per-connection rate limit (a config key only).
        QTemporaryDir configDir;
        const QString config = configDir.filePath(QStringLiteral("natterd.conf"));
        QFile file(config);
        QByteArray settings = "rate_limit_per_second = 1000000\nrate_limit_burst = 1000000\n";
        // and the per-user one, in a natterd that has it.
        if (server.supportsOption(QStringLiteral("max-connections-per-user")))
            settings += "user_rate_limit_per_second = 1000000\nuser_rate_limit_burst = 1000000\n";
        if (!file.open(QIODevice::WriteOnly) || file.write(settings) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(config));
            return 1;
        }
        file.close();
        if (!server.start({QStringLiteral("--config"), config})) {
            std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
            return 1;
        }
        return ResumeBench(&server, parser.value(QStringLiteral("messages")).toInt(),
                           parser.value(QStringLiteral("rounds")).toInt())
            .run();
    }
    if (mode == u"files") {
        server.addUser(QStringLiteral("sender"), QStringLiteral("pw"));
        server.addChannel(QStringLiteral("bench"), {QStringLiteral("sender")});
        // Every round uploads once: lift the per-user upload rate (a config key).
        QTemporaryDir configDir;
        const QString config = configDir.filePath(QStringLiteral("natterd.conf"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly)
            || file.write("upload_rate_per_second = 1000\nupload_burst = 1000\n") < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(config));
            return 1;
        }
        file.close();
        const int megabytes = parser.value(QStringLiteral("megabytes")).toInt();
        if (!server.start({QStringLiteral("--config"), config, QStringLiteral("--max-upload-bytes"),
                           QString::number(qint64(megabytes + 1) * 1024 * 1024)})) {
            std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
            return 1;
        }
        return FilesBench(&server, megabytes, parser.value(QStringLiteral("rounds")).toInt()).run();
    }
    parser.showHelp(2);
}
