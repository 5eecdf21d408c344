#include "StorageBackend.h"

#include "DataDirectory.h"
#include "auth/TokenSigner.h"
#include "store/postgres/PgChatStore.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QCoreApplication>
#include <QFile>

#include <sodium.h>

namespace Natter::Server {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StorageBackend", text);
}
} // namespace

bool StorageBackend::readPasswordFile(const QString &path, QString *password, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error =
            tr("cannot read the PostgreSQL password file %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray line = file.readLine(4096);
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    *password = QString::fromUtf8(line);
    return true;
}

std::unique_ptr<ChatStore> StorageBackend::open(const ServerConfig &config, QString *error)
{
    if (config.usePostgres) {
        QString password;
        if (!config.postgresPasswordFile.isEmpty()
            && !readPasswordFile(config.postgresPasswordFile, &password, error))
            return nullptr;
        auto store = std::make_unique<PgChatStore>(config.postgresConnInfo, password);
        if (!store->open(error))
            return nullptr;
        return store;
    }
    const QString dir = config.effectiveDataDir();
    if (!DataDirectory::prepare(dir, error))
        return nullptr;
    auto store = std::make_unique<SqliteChatStore>(DataDirectory::databasePath(dir));
    store->setFullSync(config.syncFull);
    if (!store->open(error))
        return nullptr;
    return store;
}

QByteArray StorageBackend::signingSecret(ChatStore *store, const ServerConfig &config,
                                         QString *error)
{
    if (auto *pg = dynamic_cast<PgChatStore *>(store)) {
        QByteArray candidate(TokenSigner::kSecretSize, '\0');
        randombytes_buf(candidate.data(), size_t(candidate.size()));
        const QByteArray secret =
            pg->sharedSecret(QStringLiteral("token_signing"), candidate, error);
        if (!secret.isEmpty() && secret.size() < TokenSigner::kSecretSize) {
            *error = tr("the shared signing secret is too short");
            return {};
        }
        return secret;
    }
    const QString dir = config.effectiveDataDir();
    return TokenSigner::loadOrCreateSecret(dir + QStringLiteral("/signing-secret"), error);
}

std::optional<bool> StorageBackend::databaseReachable(ChatStore *store)
{
    if (auto *pg = dynamic_cast<PgChatStore *>(store))
        return pg->reachable();
    return std::nullopt;
}

QString StorageBackend::name(const ServerConfig &config)
{
    return config.usePostgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

} // namespace Natter::Server
