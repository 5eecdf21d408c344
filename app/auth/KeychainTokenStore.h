// A TokenStore on the OS keychain through QtKeychain (Secret Service on Linux),
// under the service Profile::keychainService() ("natter").
//
// QtKeychain 0.13 has no isAvailable(): a missing Secret Service, a locked or
// refusing keychain only show up as a job's error (NoBackendAvailable,
// AccessDenied, AccessDeniedByUser, OtherError — the latter is what "no D-Bus
// session" gives). Those are reported as `unavailable`. insecureFallback stays
// off: the app decides itself what to do without a keychain, never plaintext.
#pragma once

#include "TokenStore.h"

namespace QKeychain {
class Job;
}

namespace Natter {

class KeychainTokenStore : public TokenStore
{
    Q_OBJECT
public:
    explicit KeychainTokenStore(QObject *parent = nullptr);
    // For tests: a separate service name so test entries never meet the real ones.
    KeychainTokenStore(const QString &service, QObject *parent);

    QString service() const { return m_service; }

    void read(const QString &key) override;
    void write(const QString &key, const QString &token) override;
    void remove(const QString &key) override;

private:
    void finish(QKeychain::Job *job, Operation operation, const QString &key);

    QString m_service;
};

} // namespace Natter
