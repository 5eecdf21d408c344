// natterd's composition root: builds the store, auth, HTTP front and chat hub
// from a ServerConfig, starts listening, and runs the orderly shutdown.
#pragma once

#include "ServerConfig.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace Natter::Server {

class ApiHandlers;
class SearchHandler;
class AuthService;
class ChatHub;
class ClusterFanout;
class ClusterNode;
class FileHandlers;
class FileRepository;
class FileSweeper;
class HttpRouter;
class HeapTrimmer;
class HttpServer;
class PasswordHasher;
class ChatStore;
class TokenCleanup;
class TokenSigner;

class NatterServer : public QObject
{
    Q_OBJECT
public:
    explicit NatterServer(const ServerConfig &config, QObject *parent = nullptr);
    ~NatterServer() override;

    // Opens the data directory and starts listening. False with a reason on failure.
    bool start(QString *error);
    // Closes every socket with 1001 (at most shutdown_grace), flushes and closes
    // the database, then emits finished().
    void shutdown();

Q_SIGNALS:
    void finished();

private:
    bool seedDemo(QString *error);
    void finishShutdown();
    void completeShutdown();

    ServerConfig m_config;
    // Before the store: the store's last commit may still remove files.
    std::unique_ptr<FileRepository> m_files;
    std::unique_ptr<ChatStore> m_store;
    std::unique_ptr<TokenSigner> m_signer;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<AuthService> m_auth;
    std::unique_ptr<HttpRouter> m_router;
    std::unique_ptr<ApiHandlers> m_api;
    std::unique_ptr<SearchHandler> m_search; // §10
    std::unique_ptr<FileHandlers> m_fileHandlers;
    std::unique_ptr<FileSweeper> m_sweeper;
    std::unique_ptr<TokenCleanup> m_tokenCleanup;
    std::unique_ptr<ChatHub> m_hub;
    // Several nodes (§12): presence, typing, throttling and the jobs' lease
    // shared through Redis. Null without --redis.
    std::unique_ptr<ClusterNode> m_cluster;
    QPointer<ClusterFanout> m_clusterFanout; // the hub's, with --redis (health)
    std::unique_ptr<HeapTrimmer> m_trimmer;
    std::unique_ptr<HttpServer> m_http;
    QTimer m_shutdownTimer;
    bool m_shuttingDown = false;
    bool m_finished = false;
};

} // namespace Natter::Server
