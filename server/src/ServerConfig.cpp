#include "ServerConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>

namespace Natter::Server {

namespace {

struct DurationKey
{
    const char *key;
    qint64 ServerConfig::*field;
    qint64 scale; // milliseconds per unit stored
};

bool parseSeconds(const QString &value, qint64 scale, qint64 *out)
{
    bool ok = false;
    const double secs = value.toDouble(&ok);
    if (!ok || secs < 0)
        return false;
    *out = qint64(secs * 1000.0 / double(scale) + 0.5);
    return true;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("ServerConfig", text);
}

} // namespace

void ServerConfig::addOptions(QCommandLineParser &parser)
{
    const auto opt = [&](const QString &name, const char *help, const QString &value) {
        parser.addOption(QCommandLineOption(name, tr(help), value));
    };
    opt(QStringLiteral("config"), "Read settings from this INI file.", QStringLiteral("file"));
    opt(QStringLiteral("data-dir"), "Directory holding the database and signing secret.",
        QStringLiteral("dir"));
    opt(QStringLiteral("listen"), "Address to listen on (default 127.0.0.1:8080).",
        QStringLiteral("host:port"));
    opt(QStringLiteral("allow-origin"), "Also accept WebSocket connections from this origin.",
        QStringLiteral("origin"));
    opt(QStringLiteral("public-url"), "The URL clients use to reach this server.",
        QStringLiteral("url"));
    parser.addOption(QCommandLineOption(QStringLiteral("demo"),
                                        tr("Seed demo users and channels; loopback only.")));
    opt(QStringLiteral("auth-timeout"), "Seconds a new socket has to authenticate.",
        QStringLiteral("secs"));
    opt(QStringLiteral("heartbeat-interval"), "Heartbeat interval in seconds.",
        QStringLiteral("secs"));
    opt(QStringLiteral("access-token-ttl"), "Access token lifetime in seconds.",
        QStringLiteral("secs"));
    opt(QStringLiteral("refresh-token-ttl"), "Refresh token lifetime in seconds.",
        QStringLiteral("secs"));
    opt(QStringLiteral("presence-grace"), "Seconds before a disconnected user is offline.",
        QStringLiteral("secs"));
    opt(QStringLiteral("typing-expiry"), "Seconds after which a typing indicator stops.",
        QStringLiteral("secs"));
    opt(QStringLiteral("login-max-failures-user"), "Failed logins per username per window.",
        QStringLiteral("n"));
    opt(QStringLiteral("login-max-failures-peer"), "Failed logins per peer address per window.",
        QStringLiteral("n"));
    opt(QStringLiteral("login-window"), "Login throttling window in seconds.",
        QStringLiteral("secs"));
    opt(QStringLiteral("trusted-proxies"),
        "Reverse proxies (addresses/CIDRs, comma-separated) whose X-Forwarded-For is believed.",
        QStringLiteral("list"));
    opt(QStringLiteral("max-pending-http-per-peer"),
        "HTTP connections one peer address may hold open (default 512; 0: no cap).",
        QStringLiteral("n"));
    opt(QStringLiteral("max-unauthenticated-ws-per-peer"),
        "WebSockets one peer address may hold before they authenticate (default 256; 0: no cap).",
        QStringLiteral("n"));
    opt(QStringLiteral("max-connections-per-user"),
        "Authenticated WebSockets one user may hold (default 32; 0: no cap).", QStringLiteral("n"));
    opt(QStringLiteral("user-session-burst"),
        "Sessions one user may start at once, then 1 a second (default 60; 0: no limit).",
        QStringLiteral("n"));
    opt(QStringLiteral("log-level"), "debug, info, warning or error.", QStringLiteral("level"));
    opt(QStringLiteral("sqlite-synchronous"),
        "normal (default; acked messages survive a crash of natterd) or full (also a power cut).",
        QStringLiteral("mode"));
    opt(QStringLiteral("edit-window"),
        "Seconds after sending during which a message can be edited (default: no limit).",
        QStringLiteral("secs"));
    opt(QStringLiteral("resume-change-limit"),
        "Changed messages per channel replayed on resume before a resync (default 1000).",
        QStringLiteral("n"));
    opt(QStringLiteral("output-limit"),
        "Unsent bytes queued for one WebSocket before natterd stops reading it "
        "(default 4194304).",
        QStringLiteral("bytes"));
    opt(QStringLiteral("slow-consumer-timeout"),
        "Seconds a WebSocket may stay over its output limit before it is dropped (default 10).",
        QStringLiteral("secs"));
    opt(QStringLiteral("channel-creation"),
        "Who may create channels: everyone (default) or admins.", QStringLiteral("who"));
    opt(QStringLiteral("postgres"),
        "Keep the data in PostgreSQL (a libpq connection string or URI, without the password) "
        "instead of SQLite in the data directory.",
        QStringLiteral("conninfo"));
    opt(QStringLiteral("postgres-password-file"),
        "Read the PostgreSQL password from this file (or use PGPASSWORD / PGPASSFILE).",
        QStringLiteral("file"));
    opt(QStringLiteral("node-id"), "This node's name among several (default: the host name).",
        QStringLiteral("name"));
    opt(QStringLiteral("max-upload-bytes"),
        "Largest file upload in bytes (default 26214400, 25 MiB).", QStringLiteral("bytes"));
    opt(QStringLiteral("upload-min-free-bytes"),
        "Refuse uploads that would leave less free disk space than this (default 67108864).",
        QStringLiteral("bytes"));
    opt(QStringLiteral("unattached-file-ttl"),
        "Seconds after which an upload never attached to a message is deleted (default 86400).",
        QStringLiteral("secs"));
    opt(QStringLiteral("file-sweep-interval"),
        "Seconds between sweeps for unattached uploads (default 600).", QStringLiteral("secs"));
    opt(QStringLiteral("files-dir"),
        "Directory for uploaded files (default: files/ in the data directory; shared by "
        "every node of a cluster).",
        QStringLiteral("dir"));
    opt(QStringLiteral("redis"),
        "Redis between the nodes of a cluster (several natterd on one database).",
        QStringLiteral("host:port"));
    opt(QStringLiteral("redis-user"),
        "Redis ACL user to authenticate as (default: the default user).", QStringLiteral("name"));
    opt(QStringLiteral("redis-password-file"),
        "Read the Redis password from this file (or use NATTER_REDIS_PASSWORD).",
        QStringLiteral("file"));
    opt(QStringLiteral("cluster-position-check"),
        "Seconds between a node's checks of what it delivered against the database "
        "(default 5; with --redis).",
        QStringLiteral("secs"));
    opt(QStringLiteral("cluster-node-ttl"),
        "Seconds a node counts as alive without refreshing its key in Redis (default 10; "
        "with --redis).",
        QStringLiteral("secs"));
    opt(QStringLiteral("display-name"), "Display name for `user add`.", QStringLiteral("text"));
    parser.addOption(QCommandLineOption(QStringLiteral("admin"),
                                        tr("`user add`: make the new user a server admin.")));
    opt(QStringLiteral("members"), "Comma-separated usernames for `channel add`.",
        QStringLiteral("names"));
}

bool ServerConfig::apply(const QString &key, const QString &value, QString *error)
{
    static const DurationKey durations[] = {
        {"auth_timeout", &ServerConfig::authTimeoutMs, 1},
        {"heartbeat_interval", &ServerConfig::heartbeatIntervalMs, 1},
        {"presence_grace", &ServerConfig::presenceGraceMs, 1},
        {"typing_expiry", &ServerConfig::typingExpiryMs, 1},
        {"shutdown_grace", &ServerConfig::shutdownGraceMs, 1},
        {"edit_window", &ServerConfig::editWindowMs, 1},
        {"access_token_ttl", &ServerConfig::accessTokenTtlSecs, 1000},
        {"refresh_token_ttl", &ServerConfig::refreshTokenTtlSecs, 1000},
        {"login_window", &ServerConfig::loginWindowSecs, 1000},
        {"slow_consumer_timeout", &ServerConfig::slowConsumerTimeoutMs, 1},
        {"unattached_file_ttl", &ServerConfig::unattachedFileTtlMs, 1},
        {"file_sweep_interval", &ServerConfig::fileSweepIntervalMs, 1},
        {"cluster_position_check", &ServerConfig::clusterPositionCheckMs, 1},
        {"cluster_node_ttl", &ServerConfig::clusterNodeTtlMs, 1},
    };
    for (const auto &d : durations) {
        if (key == QLatin1String(d.key)) {
            if (!parseSeconds(value, d.scale, &(this->*d.field))) {
                *error = tr("invalid number of seconds for %1: %2").arg(key, value);
                return false;
            }
            return true;
        }
    }
    bool ok = true;
    if (key == u"data_dir") {
        dataDir = value;
    } else if (key == u"files_dir") {
        filesDir = value;
        ok = !value.isEmpty();
    } else if (key == u"listen") {
        const int colon = value.lastIndexOf(QLatin1Char(':'));
        const uint port = colon > 0 ? value.mid(colon + 1).toUInt(&ok) : 0;
        if (colon <= 0 || !ok || port > 65535) {
            *error = tr("invalid listen address (want HOST:PORT): %1").arg(value);
            return false;
        }
        listenHost = value.left(colon);
        if (listenHost.startsWith(QLatin1Char('[')) && listenHost.endsWith(QLatin1Char(']')))
            listenHost = listenHost.mid(1, listenHost.size() - 2);
        listenPort = quint16(port);
    } else if (key == u"redis") {
        const int colon = value.lastIndexOf(QLatin1Char(':'));
        const uint port = colon > 0 ? value.mid(colon + 1).toUInt(&ok) : 0;
        if (colon <= 0 || !ok || port == 0 || port > 65535) {
            *error = tr("invalid Redis address (want HOST:PORT): %1").arg(value);
            return false;
        }
        redisHost = value.left(colon);
        redisPort = quint16(port);
    } else if (key == u"redis_user") {
        redisUser = value;
        ok = !value.isEmpty();
    } else if (key == u"redis_password_file") {
        redisPasswordFile = value;
        ok = !value.isEmpty();
    } else if (key == u"allow_origin") {
        for (const QString &o : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            allowOrigins << o.trimmed();
    } else if (key == u"trusted_proxies") {
        QString bad;
        if (!trustedProxies.parse(value, &bad)) {
            *error = tr("invalid trusted proxy address or CIDR: %1").arg(bad);
            return false;
        }
    } else if (key == u"public_url") {
        publicUrl = QUrl(value);
        if (!publicUrl.isValid() || publicUrl.host().isEmpty()) {
            *error = tr("invalid public URL: %1").arg(value);
            return false;
        }
    } else if (key == u"login_max_failures_user") {
        loginMaxFailuresPerUser = value.toInt(&ok);
    } else if (key == u"login_max_failures_peer") {
        loginMaxFailuresPerPeer = value.toInt(&ok);
    } else if (key == u"rate_limit_per_second") {
        rateLimitPerSecond = value.toDouble(&ok);
    } else if (key == u"resume_change_limit") {
        resumeChangeLimit = value.toInt(&ok);
        ok = ok && resumeChangeLimit >= 0;
    } else if (key == u"output_limit") {
        outputLimitBytes = value.toLongLong(&ok);
        // Below one full 64 KiB message a single answer would trip it.
        ok = ok && outputLimitBytes >= 64 * 1024;
    } else if (key == u"rate_limit_burst") {
        rateLimitBurst = value.toInt(&ok);
    } else if (key == u"max_pending_http_per_peer") {
        maxPendingHttpPerPeer = value.toInt(&ok);
        ok = ok && maxPendingHttpPerPeer >= 0;
    } else if (key == u"max_unauthenticated_ws_per_peer") {
        maxUnauthenticatedWsPerPeer = value.toInt(&ok);
        ok = ok && maxUnauthenticatedWsPerPeer >= 0;
    } else if (key == u"max_connections_per_user") {
        maxConnectionsPerUser = value.toInt(&ok);
        ok = ok && maxConnectionsPerUser >= 0;
    } else if (key == u"user_rate_limit_per_second") {
        userRateLimitPerSecond = value.toDouble(&ok);
        ok = ok && userRateLimitPerSecond > 0;
    } else if (key == u"user_rate_limit_burst") {
        userRateLimitBurst = value.toInt(&ok);
        ok = ok && userRateLimitBurst >= 1;
    } else if (key == u"user_presence_per_second") {
        userPresencePerSecond = value.toDouble(&ok);
        ok = ok && userPresencePerSecond > 0;
    } else if (key == u"user_presence_burst") {
        userPresenceBurst = value.toInt(&ok);
        ok = ok && userPresenceBurst >= 1;
    } else if (key == u"user_channel_per_second") {
        userChannelPerSecond = value.toDouble(&ok);
        ok = ok && userChannelPerSecond > 0;
    } else if (key == u"user_channel_burst") {
        userChannelBurst = value.toInt(&ok);
        ok = ok && userChannelBurst >= 1;
    } else if (key == u"user_typing_per_second") {
        userTypingPerSecond = value.toDouble(&ok);
        ok = ok && userTypingPerSecond > 0;
    } else if (key == u"user_typing_burst") {
        userTypingBurst = value.toInt(&ok);
        ok = ok && userTypingBurst >= 1;
    } else if (key == u"user_session_per_second") {
        userSessionPerSecond = value.toDouble(&ok);
        ok = ok && userSessionPerSecond > 0;
    } else if (key == u"user_session_burst") {
        userSessionBurst = value.toInt(&ok);
        ok = ok && userSessionBurst >= 0;
    } else if (key == u"max_upload_bytes") {
        maxUploadBytes = value.toLongLong(&ok);
        ok = ok && maxUploadBytes >= 0;
    } else if (key == u"upload_min_free_bytes") {
        uploadMinFreeBytes = value.toLongLong(&ok);
        ok = ok && uploadMinFreeBytes >= 0;
    } else if (key == u"search_per_second") {
        searchPerSecond = value.toDouble(&ok);
        ok = ok && searchPerSecond > 0;
    } else if (key == u"search_burst") {
        searchBurst = value.toInt(&ok);
        ok = ok && searchBurst >= 1;
    } else if (key == u"search_share") {
        searchShare = value.toDouble(&ok);
        ok = ok && searchShare > 0 && searchShare <= 1;
    } else if (key == u"search_user_share") {
        searchUserShare = value.toDouble(&ok);
        ok = ok && searchUserShare > 0 && searchUserShare <= 1;
    } else if (key == u"upload_rate_per_second") {
        uploadRatePerSecond = value.toDouble(&ok);
        ok = ok && uploadRatePerSecond > 0;
    } else if (key == u"upload_burst") {
        uploadBurst = value.toInt(&ok);
        ok = ok && uploadBurst >= 1;
    } else if (key == u"upload_quota_bytes") {
        uploadQuotaBytes = value.toLongLong(&ok);
        ok = ok && uploadQuotaBytes >= 0;
    } else if (key == u"upload_concurrency") {
        uploadConcurrency = value.toInt(&ok);
        ok = ok && uploadConcurrency >= 1;
    } else if (key == u"channel_creation") {
        ok = value == u"everyone" || value == u"admins";
        onlyAdminsCreateChannels = value == u"admins";
    } else if (key == u"storage") {
        ok = value == u"sqlite" || value == u"postgres";
        usePostgres = value == u"postgres";
    } else if (key == u"postgres") {
        postgresConnInfo = value;
        usePostgres = true;
    } else if (key == u"postgres_password_file") {
        postgresPasswordFile = value;
    } else if (key == u"node_id") {
        nodeId = value;
        // It names Redis keys and log fields: keep it plain.
        static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
        ok = plain.match(value).hasMatch();
    } else if (key == u"log_level") {
        logLevel = value;
    } else if (key == u"sqlite_synchronous") {
        ok = value == u"full" || value == u"normal";
        syncFull = value == u"full";
    } else {
        *error = tr("unknown configuration key: %1").arg(key);
        return false;
    }
    if (!ok) {
        *error = tr("invalid value for %1: %2").arg(key, value);
        return false;
    }
    return true;
}

bool ServerConfig::load(const QCommandLineParser &parser, QString *error)
{
    if (parser.isSet(QStringLiteral("config"))) {
        const QString file = parser.value(QStringLiteral("config"));
        if (!QFileInfo::exists(file)) {
            *error = tr("config file not found: %1").arg(file);
            return false;
        }
        QSettings ini(file, QSettings::IniFormat);
        // Keys may sit at the top level or in a [server] group.
        for (const QString &rawKey : ini.allKeys()) {
            QString key = rawKey;
            if (key.startsWith(u"server/"))
                key = key.mid(7);
            const QVariant v = ini.value(rawKey);
            const QString value = v.typeId() == QMetaType::QStringList
                ? v.toStringList().join(QLatin1Char(','))
                : v.toString();
            if (!apply(key, value, error))
                return false;
        }
    }
    static const char *const flags[] = {"data-dir",
                                        "listen",
                                        "public-url",
                                        "auth-timeout",
                                        "heartbeat-interval",
                                        "access-token-ttl",
                                        "refresh-token-ttl",
                                        "presence-grace",
                                        "typing-expiry",
                                        "login-max-failures-user",
                                        "login-max-failures-peer",
                                        "login-window",
                                        "log-level",
                                        "sqlite-synchronous",
                                        "edit-window",
                                        "resume-change-limit",
                                        "trusted-proxies",
                                        "max-pending-http-per-peer",
                                        "max-unauthenticated-ws-per-peer",
                                        "max-connections-per-user",
                                        "user-session-burst",
                                        "output-limit",
                                        "slow-consumer-timeout",
                                        "channel-creation",
                                        "postgres",
                                        "postgres-password-file",
                                        "node-id",
                                        "max-upload-bytes",
                                        "upload-min-free-bytes",
                                        "unattached-file-ttl",
                                        "file-sweep-interval",
                                        "redis",
                                        "redis-user",
                                        "redis-password-file",
                                        "cluster-position-check",
                                        "cluster-node-ttl",
                                        "files-dir"};
    for (const char *flag : flags) {
        const QString name = QLatin1String(flag);
        if (parser.isSet(name)) {
            QString key = name;
            key.replace(QLatin1Char('-'), QLatin1Char('_'));
            if (!apply(key, parser.value(name), error))
                return false;
        }
    }
    for (const QString &o : parser.values(QStringLiteral("allow-origin")))
        allowOrigins << o;
    demo = parser.isSet(QStringLiteral("demo"));
    if (usePostgres && postgresConnInfo.isEmpty()) {
        *error = tr("storage = postgres needs a connection string (postgres = CONNINFO or "
                    "--postgres CONNINFO)");
        return false;
    }
    if (nodeId.isEmpty()) {
        static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
        nodeId = QSysInfo::machineHostName().replace(unsafe, QStringLiteral("-")).left(64);
        if (nodeId.isEmpty())
            nodeId = QStringLiteral("natterd");
    }
    if (heartbeatIntervalMs <= 0 || authTimeoutMs <= 0) {
        *error = tr("heartbeat interval and auth timeout must be positive");
        return false;
    }
    if (fileSweepIntervalMs <= 0) {
        *error = tr("file sweep interval must be positive");
        return false;
    }
    if (slowConsumerTimeoutMs <= 0) {
        *error = tr("slow consumer timeout must be positive");
        return false;
    }
    if (clusterNodeTtlMs < 300) {
        *error = tr("cluster node TTL must be at least 0.3 seconds");
        return false;
    }
    return true;
}

QString ServerConfig::effectiveDataDir() const
{
    if (!dataDir.isEmpty())
        return dataDir;
    const QString state = qEnvironmentVariable("STATE_DIRECTORY");
    if (!state.isEmpty())
        return state.split(QLatin1Char(':')).first();
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/natterd");
}

bool ServerConfig::redisPassword(QByteArray *password, QString *error) const
{
    password->clear();
    if (redisPasswordFile.isEmpty()) {
        *password = qgetenv("NATTER_REDIS_PASSWORD");
        return true;
    }
    QFile file(redisPasswordFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read the Redis password file %1: %2")
                     .arg(redisPasswordFile, file.errorString());
        return false;
    }
    QByteArray line = file.readLine(4096);
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    *password = line;
    return true;
}

QString ServerConfig::effectiveFilesDir() const
{
    return filesDir.isEmpty() ? effectiveDataDir() + QStringLiteral("/files") : filesDir;
}

bool ServerConfig::listenIsLoopback() const
{
    if (listenHost == u"localhost")
        return true;
    const QHostAddress address(listenHost);
    return !address.isNull() && address.isLoopback();
}

} // namespace Natter::Server
