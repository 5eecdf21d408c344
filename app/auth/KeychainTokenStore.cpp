#include "KeychainTokenStore.h"

#include "Profile.h"
#include "util/Logging.h"

#include <QCoreApplication>

#include <qt6keychain/keychain.h>

namespace Natter {

namespace {

bool isUnavailable(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return true;
    default:
        return false;
    }
}

QString messageFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QCoreApplication::translate("KeychainTokenStore",
                                           "Access to the system keychain was denied.");
    case QKeychain::CouldNotDeleteEntry:
        return QCoreApplication::translate("KeychainTokenStore",
                                           "The saved sign-in could not be removed from the "
                                           "system keychain.");
    default:
        return QCoreApplication::translate("KeychainTokenStore",
                                           "No system keychain is available (is a Secret Service "
                                           "such as GNOME Keyring or KWallet running and "
                                           "unlocked?).");
    }
}

} // namespace

KeychainTokenStore::KeychainTokenStore(QObject *parent)
    : KeychainTokenStore(Profile::keychainService(), parent)
{ }

KeychainTokenStore::KeychainTokenStore(const QString &service, QObject *parent)
    : TokenStore(parent)
    , m_service(service)
{ }

// Jobs have no parent on purpose: libsecret calls back into a job when D-Bus
// answers, so a job deleted before that (with its parent) would crash the
// process. Jobs delete themselves after finished(); the connection's context
// object (this) drops the answer when the store is gone first.

void KeychainTokenStore::read(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this,
            [this, key](QKeychain::Job *j) { finish(j, Operation::Read, key); });
    job->start();
}

void KeychainTokenStore::write(const QString &key, const QString &token)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this,
            [this, key](QKeychain::Job *j) { finish(j, Operation::Write, key); });
    job->start();
}

void KeychainTokenStore::remove(const QString &key)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this,
            [this, key](QKeychain::Job *j) { finish(j, Operation::Remove, key); });
    job->start();
}

void KeychainTokenStore::finish(QKeychain::Job *job, Operation operation, const QString &key)
{
    // Jobs delete themselves after finished() (autoDelete is on by default).
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError
        || (error == QKeychain::EntryNotFound && operation != Operation::Write)) {
        switch (operation) {
        case Operation::Read:
            Q_EMIT readFinished(key,
                                error == QKeychain::NoError
                                    ? static_cast<QKeychain::ReadPasswordJob *>(job)->textData()
                                    : QString());
            break;
        case Operation::Write:
            Q_EMIT written(key);
            break;
        case Operation::Remove:
            Q_EMIT removed(key);
            break;
        }
        return;
    }
    // The backend's own errorString goes to the debug log only: it names the
    // key (server and user), never the secret.
    qCInfo(lcAuth) << "keychain operation failed:" << operation << "error" << int(error)
                   << job->errorString();
    Q_EMIT failed(key, operation, messageFor(error), isUnavailable(error));
}

} // namespace Natter
