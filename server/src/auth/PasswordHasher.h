// Argon2id password hashing (libsodium), run off the event loop.
//
// Hashing costs ~19 MiB and two passes on purpose; doing it on the main thread
// would stall every other connection during a login, so hash() and verify()
// run on a small private thread pool and report through QFuture. The *Sync
// variants are for the admin CLI.
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QObject>
#include <QThreadPool>

namespace Natter::Server {

class PasswordHasher : public QObject
{
    Q_OBJECT
public:
    static constexpr unsigned long long kOpsLimit = 2;
    static constexpr size_t kMemLimit = 19 * 1024 * 1024;

    explicit PasswordHasher(QObject *parent = nullptr);
    ~PasswordHasher() override;

    QFuture<QByteArray> hash(const QByteArray &password);
    // Verifies `password` against `storedHash`. An empty `storedHash` (unknown
    // user) is checked against a dummy hash so both cases take similar time.
    QFuture<bool> verify(const QByteArray &storedHash, const QByteArray &password);

    static QByteArray hashSync(const QByteArray &password);
    bool verifySync(const QByteArray &storedHash, const QByteArray &password) const;

private:
    static bool verifyImpl(const QByteArray &hash, const QByteArray &dummy,
                           const QByteArray &password);

    QThreadPool m_pool;
    QByteArray m_dummyHash;
};

} // namespace Natter::Server
