#include "NatterServer.h"

#include "DataDirectory.h"
#include "HeapTrimmer.h"
#include "RandomId.h"
#include "ServerLog.h"
#include "StorageBackend.h"
#include "auth/AuthService.h"
#include "auth/PasswordHasher.h"
#include "auth/TokenCleanup.h"
#include "auth/TokenSigner.h"
#include "cluster/ClusterFanout.h"
#include "cluster/ClusterNode.h"
#include "files/FileHandlers.h"
#include "files/FileRepository.h"
#include "files/FileSweeper.h"
#include "http/ApiHandlers.h"
#include "http/HttpRouter.h"
#include "http/HttpServer.h"
#include "http/SearchHandler.h"
#include "hub/ChatHub.h"

#include <NatterVersion.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSet>
#include <QSysInfo>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#endif

#include <cstdio>

namespace Natter::Server {

namespace {

QString originOf(const QString &scheme, const QString &host, int port, int defaultPort)
{
    const QString h = host.contains(QLatin1Char(':')) ? u'[' + host + u']' : host;
    const QString base = scheme + QStringLiteral("://") + h;
    return port == defaultPort || port < 0 ? base : base + u':' + QString::number(port);
}

QHostAddress listenAddress(const QString &host)
{
    if (host == u"localhost")
        return QHostAddress(QHostAddress::LocalHost);
    return QHostAddress(host);
}

} // namespace

NatterServer::NatterServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, &NatterServer::finishShutdown);
}

NatterServer::~NatterServer()
{
    // The hub's sockets go first, then what they used.
    m_http.reset();
    m_hub.reset();
    m_cluster.reset();
    m_sweeper.reset();
    m_tokenCleanup.reset();
    m_fileHandlers.reset(); // waits for a thumbnail being made
    if (m_store)
        m_store->close();
}

bool NatterServer::start(QString *error)
{
    if (m_config.demo && !m_config.listenIsLoopback()) {
        *error = tr("--demo only listens on loopback (127.0.0.1, ::1 or localhost), not %1")
                     .arg(m_config.listenHost);
        return false;
    }
    const QHostAddress address = listenAddress(m_config.listenHost);
    if (address.isNull()) {
        *error = tr("cannot listen on %1: not an IP address").arg(m_config.listenHost);
        return false;
    }
    m_store = StorageBackend::open(m_config, error);
    if (!m_store)
        return false;
    qCInfo(lcServer).noquote().nospace()
        << "event=storage_opened backend=" << StorageBackend::name(m_config)
        << " node=" << ServerLog::value(m_config.nodeId);
    // §9: uploads live under the data directory by id, whatever the storage;
    // with `files_dir` in a directory every node shares (§12), where each node
    // receives uploads in a temporary directory of its own.
    m_files = m_config.filesDir.isEmpty()
        ? std::make_unique<FileRepository>(m_config.effectiveFilesDir())
        : std::make_unique<FileRepository>(m_config.filesDir,
                                           QStringLiteral("tmp/node-") + m_config.nodeId);
    if (!m_files->prepare(error))
        return false;
    const QByteArray secret = StorageBackend::signingSecret(m_store.get(), m_config, error);
    if (secret.isEmpty())
        return false;
    m_signer = std::make_unique<TokenSigner>(secret);
    m_hasher = std::make_unique<PasswordHasher>();
    AuthService::Settings authSettings;
    authSettings.accessTtlSecs = m_config.accessTokenTtlSecs;
    authSettings.refreshTtlSecs = m_config.refreshTokenTtlSecs;
    authSettings.maxFailuresPerUser = m_config.loginMaxFailuresPerUser;
    authSettings.maxFailuresPerPeer = m_config.loginMaxFailuresPerPeer;
    authSettings.windowSecs = m_config.loginWindowSecs;
    m_auth =
        std::make_unique<AuthService>(m_store.get(), m_hasher.get(), m_signer.get(), authSettings);
    if (m_config.demo && !seedDemo(error))
        return false;
    QByteArray redisPassword;
    if (!m_config.redisHost.isEmpty() && !m_config.redisPassword(&redisPassword, error))
        return false;
    if (!m_config.redisHost.isEmpty()) {
        // Several nodes (§12): what the nodes share besides messages.
        ClusterNode::Settings cluster;
        cluster.redisHost = m_config.redisHost;
        cluster.redisPort = m_config.redisPort;
        cluster.redisUser = m_config.redisUser.toUtf8();
        cluster.redisPassword = redisPassword;
        cluster.nodeId = m_config.nodeId;
        cluster.nodeTtlMs = int(m_config.clusterNodeTtlMs);
        cluster.presenceGraceMs = m_config.presenceGraceMs;
        cluster.typingExpiryMs = m_config.typingExpiryMs;
        cluster.loginMaxPerUser = m_config.loginMaxFailuresPerUser;
        cluster.loginMaxPerPeer = m_config.loginMaxFailuresPerPeer;
        cluster.loginWindowSecs = m_config.loginWindowSecs;
        m_cluster = std::make_unique<ClusterNode>(cluster);
        m_auth->setSharedThrottle(m_cluster->throttle());
        m_cluster->start();
    }

    m_router = std::make_unique<HttpRouter>();
    m_api = std::make_unique<ApiHandlers>(m_store.get(), m_auth.get());
    // §12 health: the node's id, its storage and whether it can serve (503 when
    // PostgreSQL is unreachable).
    m_api->setHealthProbe([this](QJsonObject *health) {
        health->insert(QStringLiteral("node"), m_config.nodeId);
        health->insert(QStringLiteral("storage"), StorageBackend::name(m_config));
        const std::optional<bool> reachable = StorageBackend::databaseReachable(m_store.get());
        if (reachable)
            health->insert(QStringLiteral("postgres"), *reachable);
        // With --redis: whether this node's Redis connections are up. Redis down
        // is no 503: the node still serves, its sends commit and the other nodes
        // get them by their position check; a 503 would take every node out of
        // the load balancer at once for a shared dependency they can do without.
        if (!m_config.redisHost.isEmpty())
            health->insert(QStringLiteral("redis"),
                           m_clusterFanout && m_clusterFanout->redisConnected() && m_cluster
                               && m_cluster->redisConnected());
        return reachable.value_or(true);
    });
    m_api->registerRoutes(m_router.get());
    SearchHandler::Settings searchSettings;
    searchSettings.perSecond = m_config.searchPerSecond;
    searchSettings.burst = m_config.searchBurst;
    searchSettings.share = m_config.searchShare;
    searchSettings.userShare = m_config.searchUserShare;
    m_search = std::make_unique<SearchHandler>(m_store.get(), m_auth.get(), searchSettings);
    m_search->registerRoutes(m_router.get());
    FileHandlers::Settings fileSettings;
    fileSettings.maxUploadBytes = m_config.maxUploadBytes;
    fileSettings.minFreeBytes = m_config.uploadMinFreeBytes;
    fileSettings.uploadsPerSecond = m_config.uploadRatePerSecond;
    fileSettings.uploadBurst = m_config.uploadBurst;
    fileSettings.uploadsAtOnce = m_config.uploadConcurrency;
    fileSettings.quotaBytes = m_config.uploadQuotaBytes;
    m_fileHandlers =
        std::make_unique<FileHandlers>(m_store.get(), m_auth.get(), m_files.get(), fileSettings);
    m_fileHandlers->registerRoutes(m_router.get());
    m_sweeper =
        std::make_unique<FileSweeper>(m_store.get(), m_files.get(), m_config.unattachedFileTtlMs);
    m_tokenCleanup = std::make_unique<TokenCleanup>(m_store.get());
    if (m_cluster) {
        // One node sweeps at a time, the holder of the jobs lease (§12).
        m_cluster->jobsLease()->every(m_config.fileSweepIntervalMs,
                                      [sweeper = m_sweeper.get()] { sweeper->sweep(); });
        m_cluster->jobsLease()->every(TokenCleanup::kDefaultIntervalMs,
                                      [cleanup = m_tokenCleanup.get()] { cleanup->sweep(); });
    } else {
        m_sweeper->start(m_config.fileSweepIntervalMs);
        m_tokenCleanup->start(TokenCleanup::kDefaultIntervalMs);
    }

    ChatHub::Settings hubSettings;
    hubSettings.limits.authTimeoutMs = m_config.authTimeoutMs;
    hubSettings.limits.heartbeatIntervalMs = m_config.heartbeatIntervalMs;
    hubSettings.limits.ratePerSecond = m_config.rateLimitPerSecond;
    hubSettings.limits.burst = m_config.rateLimitBurst;
    hubSettings.limits.outputLimitBytes = m_config.outputLimitBytes;
    hubSettings.limits.slowConsumerMs = m_config.slowConsumerTimeoutMs;
    hubSettings.presenceGraceMs = m_config.presenceGraceMs;
    hubSettings.typingExpiryMs = m_config.typingExpiryMs;
    hubSettings.editWindowMs = m_config.editWindowMs;
    hubSettings.onlyAdminsCreateChannels = m_config.onlyAdminsCreateChannels;
    hubSettings.resumeChangeLimit = m_config.resumeChangeLimit;
    hubSettings.userLimits.maxConnectionsPerUser = m_config.maxConnectionsPerUser;
    hubSettings.userLimits.message = {m_config.userRateLimitPerSecond, m_config.userRateLimitBurst};
    hubSettings.userLimits.presence = {m_config.userPresencePerSecond, m_config.userPresenceBurst};
    hubSettings.userLimits.channel = {m_config.userChannelPerSecond, m_config.userChannelBurst};
    hubSettings.userLimits.typing = {m_config.userTypingPerSecond, m_config.userTypingBurst};
    hubSettings.userLimits.session = {m_config.userSessionPerSecond, m_config.userSessionBurst};
    if (!m_config.redisHost.isEmpty()) {
        // Several nodes (§12): frames reach the other nodes through Redis.
        ClusterFanout::Settings cluster;
        cluster.redisHost = m_config.redisHost;
        cluster.redisPort = m_config.redisPort;
        cluster.redisUser = m_config.redisUser.toUtf8();
        cluster.redisPassword = redisPassword;
        cluster.nodeId = m_config.nodeId.isEmpty() ? QStringLiteral("%1:%2")
                                                         .arg(QSysInfo::machineHostName())
                                                         .arg(QCoreApplication::applicationPid())
                                                   : m_config.nodeId;
        cluster.positionCheckMs = int(m_config.clusterPositionCheckMs);
        hubSettings.makeFanout = [this, cluster](LocalFanout *local,
                                                 const SessionRegistry *sessions, ChatStore *store,
                                                 QObject *parent) {
            auto *fanout = new ClusterFanout(cluster, store, local, sessions, parent);
            m_clusterFanout = fanout; // for the health answer
            fanout->start();
            return fanout;
        };
    }
    if (m_cluster)
        hubSettings.sharedPresence = m_cluster->presence();
    m_hub = std::make_unique<ChatHub>(m_store.get(), m_auth.get(), hubSettings);
    if (m_cluster) {
        // Fenced (frozen past its TTL): this node's sockets belong to an
        // incarnation the others have reaped. Clients reconnect and resume.
        connect(m_cluster.get(), &ClusterNode::fenced, m_hub.get(),
                [hub = m_hub.get()] { hub->closeAll(1001, QStringLiteral("node fenced")); });
    }
    connect(m_hub.get(), &ChatHub::filesReleased, this,
            [files = m_files.get()](const QStringList &ids) { files->remove(ids); });
    m_trimmer = std::make_unique<HeapTrimmer>();
    connect(m_hub.get(), &ChatHub::connectionCountChanged, m_trimmer.get(), &HeapTrimmer::poke);

    m_http = std::make_unique<HttpServer>(m_router.get());
    connect(m_http.get(), &HttpServer::webSocketConnected, m_hub.get(), &ChatHub::addSocket);
    connect(m_hub.get(), &ChatHub::socketAuthenticated, m_http.get(),
            &HttpServer::socketAuthenticated);
    m_http->setPeerLimits({m_config.maxPendingHttpPerPeer, m_config.maxUnauthenticatedWsPerPeer});
    if (!m_http->listen(address, m_config.listenPort)) {
        *error = tr("cannot listen on %1:%2: %3")
                     .arg(m_config.listenHost)
                     .arg(m_config.listenPort)
                     .arg(m_http->errorString());
        return false;
    }
    const int port = m_http->serverPort();
    QSet<QString> origins;
    origins << originOf(QStringLiteral("http"), address.toString(), port, 80);
    if (address == QHostAddress(QHostAddress::LocalHost))
        origins << originOf(QStringLiteral("http"), QStringLiteral("localhost"), port, 80);
    if (address == QHostAddress(QHostAddress::LocalHostIPv6))
        origins << originOf(QStringLiteral("http"), QStringLiteral("localhost"), port, 80);
    if (m_config.publicUrl.isValid()) {
        const QUrl &u = m_config.publicUrl;
        const int defaultPort = u.scheme() == u"https" ? 443 : 80;
        origins << originOf(u.scheme(), u.host(), u.port(defaultPort), defaultPort);
    }
    for (QString o : m_config.allowOrigins) {
        while (o.endsWith(QLatin1Char('/')))
            o.chop(1);
        origins << o;
    }
    m_http->setAllowedOrigins(origins);
    m_http->setTrustedProxies(m_config.trustedProxies);

    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + address.toString() + u']'
        : address.toString();
    const QString url = QStringLiteral("http://%1:%2").arg(host).arg(port);
    qCInfo(lcServer).noquote().nospace()
        << "event=listening url=" << url << " version=" << Natter::kVersion
        << " storage=" << StorageBackend::name(m_config)
        << " data_dir=" << ServerLog::value(m_config.effectiveDataDir())
        << " node=" << ServerLog::value(m_config.nodeId);
    // Also on stdout, for supervisors (and test harnesses) that only watch stdout.
    const QByteArray line = "event=listening url=" + url.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
    return true;
}

bool NatterServer::seedDemo(QString *error)
{
    struct Demo
    {
        const char *name;
        const char *display;
    };
    const Demo people[] = {{"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}};
    QStringList ids;
    QByteArray printed;
    for (const Demo &d : people) {
        const QString name = QLatin1String(d.name);
        // A fresh password at every demo start; stdout is the only place it appears.
        const QByteArray password = RandomId::base64url(12);
        const QByteArray hash = PasswordHasher::hashSync(password);
        auto user = m_store->userByName(name);
        if (!user) {
            StoredUser u;
            u.id = RandomId::hex();
            u.username = name;
            u.displayName = QLatin1String(d.display);
            u.passwordHash = hash;
            if (!m_store->addUser(u, error))
                return false;
            ids << u.id;
        } else {
            m_store->setPassword(user->id, hash);
            ids << user->id;
        }
        printed += "demo-user " + QByteArray(d.name) + ' ' + password + '\n';
    }
    for (const char *channelName : {"general", "random"}) {
        const QString name = QLatin1String(channelName);
        if (const auto existing = m_store->channelByName(name)) {
            for (const QString &id : ids)
                m_store->addMember(existing->id, id);
            continue;
        }
        StoredChannel c;
        c.id = RandomId::hex();
        c.name = name;
        c.members = ids;
        if (!m_store->addChannel(c, error))
            return false;
    }
    if (!m_store->flush()) {
        *error = tr("could not write the demo data");
        return false;
    }
    std::fwrite(printed.constData(), 1, size_t(printed.size()), stdout);
    std::fflush(stdout);
    qCInfo(lcServer).noquote().nospace() << "event=demo_seeded users=alice,bob,carol";
    return true;
}

void NatterServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer).noquote().nospace() << "event=shutting_down";
    if (m_http)
        m_http->close();
    if (!m_hub) {
        finishShutdown();
        return;
    }
    // Commit and deliver what is owed, then say goodbye with 1001.
    if (m_store)
        m_store->flush();
    const int open = m_hub->closeAll(1001, QStringLiteral("server shutting down"));
    if (open == 0) {
        finishShutdown();
        return;
    }
    connect(m_hub.get(), &ChatHub::connectionCountChanged, this, [this](int count) {
        if (count == 0)
            QMetaObject::invokeMethod(this, &NatterServer::finishShutdown, Qt::QueuedConnection);
    });
    m_shutdownTimer.start(int(m_config.shutdownGraceMs));
}

void NatterServer::finishShutdown()
{
    if (!m_shuttingDown || m_finished)
        return;
    m_finished = true;
    m_shutdownTimer.stop();
    if (m_cluster) {
        // §12: a clean stop leaves the cluster (presence entries, liveness key,
        // jobs lease), so this node's users go offline elsewhere after the
        // grace rather than after the crash bound. Bounded by the Redis reply
        // timeout; at once when Redis is away.
        m_cluster->leave([this] { completeShutdown(); });
        return;
    }
    completeShutdown();
}

void NatterServer::completeShutdown()
{
    m_store->flush();
    m_store->close();
    qCInfo(lcServer).noquote().nospace() << "event=stopped";
    Q_EMIT finished();
}

} // namespace Natter::Server
