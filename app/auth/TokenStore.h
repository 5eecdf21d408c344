// Where the refresh token lives between runs. The access token never comes here:
// it stays in AuthSession's memory.
//
// Every operation is asynchronous (the OS keychain answers over D-Bus) and is
// answered by exactly one signal naming the same key: readFinished / written /
// removed on success, failed otherwise. Implementations: KeychainTokenStore (the
// OS keychain) and MemoryTokenStore (this process only). There is deliberately
// no plaintext-file implementation: when no keychain works the token is kept in
// memory and the user is told (see AuthSession::keychainUnavailable).
#pragma once

#include <QObject>
#include <QString>

namespace Natter {

class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum class Operation { Read, Write, Remove };
    Q_ENUM(Operation)

    using QObject::QObject;

    virtual void read(const QString &key) = 0;
    virtual void write(const QString &key, const QString &token) = 0;
    // Removing an entry that does not exist succeeds.
    virtual void remove(const QString &key) = 0;

Q_SIGNALS:
    // `token` is empty when there is no entry for `key`.
    void readFinished(const QString &key, const QString &token);
    void written(const QString &key);
    void removed(const QString &key);
    // `message` is a translated sentence for a person. `unavailable` means the
    // store cannot work at all (no Secret Service, locked, access denied), as
    // opposed to one operation failing.
    void failed(const QString &key, Natter::TokenStore::Operation operation, const QString &message,
                bool unavailable);
};

} // namespace Natter
