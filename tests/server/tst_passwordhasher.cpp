// PasswordHasher: Argon2id with at least 19 MiB and 2 passes, verification, the
// dummy hash for unknown users, and hashing off the calling thread.
#include "auth/PasswordHasher.h"

#include <QThread>
#include <QtTest>

using Natter::Server::PasswordHasher;

class tst_PasswordHasher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void argon2idParameters();
    void verify_data();
    void verify();
    void runsOffTheEventLoop();
};

void tst_PasswordHasher::argon2idParameters()
{
    const QByteArray hash = PasswordHasher::hashSync("correct horse");
    // libsodium's encoded form: $argon2id$v=19$m=<KiB>,t=<passes>,p=1$salt$hash
    QVERIFY2(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash.constData());
    QVERIFY(!hash.contains("correct horse"));
    QVERIFY(PasswordHasher::hashSync("correct horse") != hash); // salted
}

void tst_PasswordHasher::verify_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QByteArray>("attempt");
    QTest::addColumn<bool>("ok");
    const QByteArray hash = PasswordHasher::hashSync("s3cret");
    QTest::newRow("right") << hash << QByteArray("s3cret") << true;
    QTest::newRow("wrong") << hash << QByteArray("s3cret ") << false;
    QTest::newRow("empty attempt") << hash << QByteArray() << false;
    QTest::newRow("unknown user (no hash)") << QByteArray() << QByteArray("anything") << false;
    QTest::newRow("garbage hash") << QByteArray("$argon2id$nope") << QByteArray("s3cret") << false;
}

void tst_PasswordHasher::verify()
{
    QFETCH(QByteArray, stored);
    QFETCH(QByteArray, attempt);
    QFETCH(bool, ok);
    PasswordHasher hasher;
    QCOMPARE(hasher.verifySync(stored, attempt), ok);
    QFuture<bool> future = hasher.verify(stored, attempt);
    future.waitForFinished();
    QCOMPARE(future.result(), ok);
}

void tst_PasswordHasher::runsOffTheEventLoop()
{
    PasswordHasher hasher;
    const QByteArray hash = PasswordHasher::hashSync("pw");
    QThread *worker = nullptr;
    QFuture<bool> future = hasher.verify(hash, "pw").then([&worker](bool ok) {
        worker = QThread::currentThread();
        return ok;
    });
    // The call returns at once; the 19 MiB hash runs on the pool.
    QVERIFY(!future.isFinished());
    QTRY_VERIFY(future.isFinished());
    QVERIFY(future.result());
    QVERIFY(worker != nullptr);
    QVERIFY(worker != QThread::currentThread());
}

QTEST_GUILESS_MAIN(tst_PasswordHasher)
#include "tst_passwordhasher.moc"
