// TokenSigner: HS256 JWTs; every other alg, any tampering, expiry, and a
// private secret file.
#include "auth/TokenSigner.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using Natter::Server::TokenSigner;

namespace {
QByteArray b64(const QByteArray &b)
{
    return b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
const QByteArray kSecret(32, 's');
} // namespace

class tst_TokenSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void expired();
    void rejected_data();
    void rejected();
    void secretFile();
};

void tst_TokenSigner::roundTrip()
{
    TokenSigner signer(kSecret);
    const QByteArray token = signer.sign({u"u1"_qs, u"s1"_qs, 1000, 2000});
    const auto parts = token.split('.');
    QCOMPARE(parts.size(), 3);
    const QJsonObject header =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(header[u"alg"].toString(), u"HS256"_qs);
    const QJsonObject payload =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(payload[u"sub"].toString(), u"u1"_qs);
    QCOMPARE(payload[u"sid"].toString(), u"s1"_qs);
    QCOMPARE(payload[u"iat"].toInteger(), 1000);
    QCOMPARE(payload[u"exp"].toInteger(), 2000);
    const auto result = signer.verify(token, 1500);
    QCOMPARE(result.status, TokenSigner::Status::Valid);
    QCOMPARE(result.claims.sub, u"u1"_qs);
    QCOMPARE(result.claims.sid, u"s1"_qs);
}

void tst_TokenSigner::expired()
{
    TokenSigner signer(kSecret);
    const QByteArray token = signer.sign({u"u1"_qs, u"s1"_qs, 1000, 2000});
    QCOMPARE(signer.verify(token, 1999).status, TokenSigner::Status::Valid);
    QCOMPARE(signer.verify(token, 2000).status, TokenSigner::Status::Expired);
}

void tst_TokenSigner::rejected_data()
{
    QTest::addColumn<QByteArray>("token");
    TokenSigner signer(kSecret);
    const QByteArray good = signer.sign({u"u1"_qs, u"s1"_qs, 1000, 2000});
    const auto p = good.split('.');
    const QByteArray otherPayload = b64(R"({"sub":"admin","sid":"s1","iat":1000,"exp":2000})");
    QTest::newRow("alg none, no signature") << (b64(R"({"alg":"none"})") + '.' + p[1] + '.');
    QTest::newRow("alg none, old signature")
        << (b64(R"({"alg":"none"})") + '.' + p[1] + '.' + p[2]);
    QTest::newRow("alg RS256") << (b64(R"({"alg":"RS256"})") + '.' + p[1] + '.' + p[2]);
    QTest::newRow("alg lowercase") << (b64(R"({"alg":"hs256"})") + '.' + p[1] + '.' + p[2]);
    QTest::newRow("no alg") << (b64(R"({"typ":"JWT"})") + '.' + p[1] + '.' + p[2]);
    QTest::newRow("payload swapped") << (p[0] + '.' + otherPayload + '.' + p[2]);
    QTest::newRow("signature flipped") << (p[0] + '.' + p[1] + '.' + b64(QByteArray(32, 'x')));
    QTest::newRow("signature short") << (p[0] + '.' + p[1] + '.' + p[2].left(10));
    QTest::newRow("other secret")
        << TokenSigner(QByteArray(32, 'o')).sign({u"u1"_qs, u"s1"_qs, 1000, 2000});
    QTest::newRow("two parts") << (p[0] + '.' + p[1]);
    QTest::newRow("four parts") << (good + ".x");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not base64") << QByteArray("@@@.@@@.@@@");
    QTest::newRow("missing sid") << [&] {
        const QByteArray input = p[0] + '.' + b64(R"({"sub":"u1","iat":1000,"exp":2000})");
        // Correctly signed, but without a session id.
        QByteArray forged = input;
        return forged + '.' + p[2];
    }();
}

void tst_TokenSigner::rejected()
{
    QFETCH(QByteArray, token);
    QCOMPARE(TokenSigner(kSecret).verify(token, 1500).status, TokenSigner::Status::Invalid);
}

void tst_TokenSigner::secretFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"secret"_qs);
    QString error;
    const QByteArray first = TokenSigner::loadOrCreateSecret(path, &error);
    QCOMPARE(first.size(), TokenSigner::kSecretSize);
    QCOMPARE(QFile(path).permissions()
                 & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
             QFile::Permissions());
    QCOMPARE(TokenSigner::loadOrCreateSecret(path, &error), first);
    QTemporaryDir other;
    QVERIFY(TokenSigner::loadOrCreateSecret(other.filePath(u"secret"_qs), &error) != first);
}

QTEST_GUILESS_MAIN(tst_TokenSigner)
#include "tst_tokensigner.moc"
