// Everything natterd can be told: the INI config file, overridden by flags.
//
// Plain value class built once in main() and handed to NatterServer and AdminCli.
// Durations are kept in milliseconds because the test knobs accept fractional
// seconds (`--auth-timeout 0.5`).
#pragma once

#include "http/TrustedProxies.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Natter::Server {

class ServerConfig
{
public:
    QString dataDir;
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8080;
    QStringList allowOrigins; // extra origins on top of the server's own
    TrustedProxies trustedProxies; // whose X-Forwarded-For names the client
    QUrl publicUrl;
    bool demo = false;

    qint64 authTimeoutMs = 5000;
    qint64 heartbeatIntervalMs = 20000;
    qint64 accessTokenTtlSecs = 15 * 60;
    qint64 refreshTokenTtlSecs = 30 * 24 * 3600;
    qint64 presenceGraceMs = 5000;
    qint64 typingExpiryMs = 6000;
    qint64 shutdownGraceMs = 5000;
    // §7: past this age a message can no longer be edited (`edit_window_expired`);
    // -1 = no window (the default), 0 = messages cannot be edited at all.
    qint64 editWindowMs = -1;
    // §6: more changed messages than this in one channel on resume → `resync`.
    int resumeChangeLimit = 1000;
    // §8 who may `channel_create`: everyone (the default) or admins only
    // (`channel_creation = admins`; others get `forbidden`).
    bool onlyAdminsCreateChannels = false;

    int loginMaxFailuresPerUser = 10;
    int loginMaxFailuresPerPeer = 50;
    qint64 loginWindowSecs = 15 * 60;

    double rateLimitPerSecond = 20;
    int rateLimitBurst = 40;

    // Caps against one peer or one user holding every socket (issue 12); 0 = no cap.
    // Per peer address (IPv6: per /64), after trusted_proxies where it applies.
    int maxPendingHttpPerPeer = 512; // HTTP connections not (yet) upgraded
    int maxUnauthenticatedWsPerPeer = 256; // WebSockets before `authenticate` succeeded
    int maxConnectionsPerUser = 32; // authenticated WebSockets of one user
    // Per-user rates over all of a user's connections (UserLimits).
    double userRateLimitPerSecond = 20; // send, edit, delete
    int userRateLimitBurst = 60;
    double userPresencePerSecond = 2;
    int userPresenceBurst = 10;
    double userChannelPerSecond = 2; // dm, channel_create and the other channel events
    int userChannelBurst = 10;
    double userTypingPerSecond = 5;
    int userTypingBurst = 20;
    double userSessionPerSecond = 1; // authenticate (a session start)
    int userSessionBurst = 60; // 0: no limit

    // Unsent bytes natterd queues for one WebSocket (pongs and close frames
    // included). Past it natterd stops reading the socket until it drains; a
    // socket still over it after slowConsumerTimeoutMs is dropped (it resumes).
    qint64 outputLimitBytes = 4 * 1024 * 1024;
    qint64 slowConsumerTimeoutMs = 10000;

    // Issue 16 (§12): where the data lives. SQLite (the default) in the data
    // directory, for one node; PostgreSQL for several nodes sharing it.
    // `postgresConnInfo` is a libpq connection string or URI without the
    // password, which comes from `postgresPasswordFile` (or libpq's PGPASSWORD /
    // PGPASSFILE); neither is ever logged.
    bool usePostgres = false; // storage = postgres, or --postgres
    QString postgresConnInfo;
    QString postgresPasswordFile;
    // This node's name (health, logs, and the Redis fan-out between nodes);
    // default: the host name.
    QString nodeId;

    // §9 files. Uploads over maxUploadBytes get 413 (from Content-Length);
    // one that would leave less than uploadMinFreeBytes free on the data
    // dir's disk gets 507; per user at most uploadBurst at once, refilled at
    // uploadRatePerSecond. Uploads never attached are deleted after
    // unattachedFileTtlMs, checked every fileSweepIntervalMs.
    qint64 maxUploadBytes = 25 * 1024 * 1024;
    qint64 uploadMinFreeBytes = 64 * 1024 * 1024;
    double searchPerSecond = 2; // per user (§10)
    int searchBurst = 10;
    double searchShare = 0.25; // of the time, for all searches together
    double searchUserShare = 0.125; // of the time, for one user's searches
    double uploadRatePerSecond = 0.5;
    int uploadBurst = 20;
    // Per user, uploads not yet answered (each holds its announced length of
    // the disk reserve while its body arrives). 10: a message's files (§11)
    // may all be uploaded at once, as the desktop does.
    int uploadConcurrency = 10;
    // Per user, the bytes of the files they uploaded that are kept (attached,
    // or waiting to be): one user cannot take the whole disk from everyone
    // else. 0: no quota.
    qint64 uploadQuotaBytes = qint64(1024) * 1024 * 1024;
    qint64 unattachedFileTtlMs = 24 * 3600 * 1000;
    qint64 fileSweepIntervalMs = 10 * 60 * 1000;
    // Where the uploaded bytes live (`files_dir`): empty = <data dir>/files. With
    // several nodes every node points at the same shared directory (NFS or
    // similar), so a file uploaded through one node downloads from any other.
    QString filesDir;

    // Several nodes (§12, issue 16): Redis between the nodes (`redis = HOST:PORT`;
    // empty: one process, no Redis), and how often a node compares what it
    // delivered with the store's last_seq/last_ev (`cluster_position_check`).
    QString redisHost;
    quint16 redisPort = 0;
    // Redis AUTH (§ docs/deploying.md): the password from `redisPasswordFile`
    // (`redis_password_file`) or the NATTER_REDIS_PASSWORD environment variable,
    // never from the command line; `redisUser` for an ACL user (empty: the
    // default user, plain `AUTH password`). The password is never logged.
    QString redisUser;
    QString redisPasswordFile;
    qint64 clusterPositionCheckMs = 5000;
    // How long a node's liveness key lives in Redis without a refresh
    // (`cluster_node_ttl`, seconds): a node dead or frozen this long is
    // reaped by the others (presence, fencing; docs/server.md).
    qint64 clusterNodeTtlMs = 10000;

    QString logLevel = QStringLiteral("info");
    bool syncFull = false; // sqlite_synchronous = full|normal

    // Adds every option natterd understands (server and admin) to `parser`.
    static void addOptions(QCommandLineParser &parser);
    // Reads --config (if any), then applies the flags. Returns false with a plain
    // message in `error` on a bad value.
    bool load(const QCommandLineParser &parser, QString *error);

    // The data directory actually used: --data-dir, else $STATE_DIRECTORY (systemd),
    // else $XDG_DATA_HOME/natterd.
    QString effectiveDataDir() const;
    // The files directory actually used: files_dir, else <data dir>/files.
    QString effectiveFilesDir() const;
    bool listenIsLoopback() const;
    // The Redis password: the first line of redisPasswordFile, else
    // $NATTER_REDIS_PASSWORD, else empty (no AUTH). False with `error` when the
    // file cannot be read.
    bool redisPassword(QByteArray *password, QString *error) const;

private:
    bool apply(const QString &key, const QString &value, QString *error);
};

} // namespace Natter::Server
