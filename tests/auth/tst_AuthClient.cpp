// AuthClient against the real natterd: every outcome a person can meet at the
// sign-in, mapped to a kind and a sentence.
#include "NatterdProcess.h"
#include "auth/AuthClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Natter;

class tst_AuthClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loginSucceeds();
    void loginFails_data();
    void loginFails();
    void unreachableServer();
    void silentServerTimesOut();
    void rateLimitedAfterThrottle();
    void refreshRotatesAndRejectsReuse();
    void logoutRevokesTheFamily();
    void meWithAndWithoutToken();
    void notANatterServer();

private:
    TokenPair loginOk();

    NatterdProcess m_server;
};

void tst_AuthClient::initTestCase()
{
    // A small throttle so the 429 test does not need dozens of attempts.
    QVERIFY2(m_server.start({QStringLiteral("--login-max-failures-user"), QStringLiteral("3")}),
             qPrintable(m_server.errorString()));
    QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("correct horse"),
                             QStringLiteral("Alice A.")));
    QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-password")));
    QVERIFY(m_server.addUser(QStringLiteral("carol"), QStringLiteral("carol-password")));
}

TokenPair tst_AuthClient::loginOk()
{
    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy ok(&client, &AuthClient::loginSucceeded);
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    client.login(QStringLiteral("alice"), QStringLiteral("correct horse"));
    if (!ok.wait(10000) || ok.isEmpty())
        return {};
    return ok.first().first().value<TokenPair>();
}

void tst_AuthClient::loginSucceeds()
{
    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    client.setDeviceName(QStringLiteral("tst_AuthClient"));
    QSignalSpy ok(&client, &AuthClient::loginSucceeded);
    QSignalSpy started(&client, &AuthClient::requestStarted);
    client.login(QStringLiteral("alice"), QStringLiteral("correct horse"));
    QVERIFY(ok.wait(10000));
    QCOMPARE(started.size(), 1);
    const auto pair = ok.first().first().value<TokenPair>();
    QVERIFY(pair.isValid());
    QVERIFY(pair.expiresInSecs > 0);
    QVERIFY(pair.refreshExpiresInSecs > 0);
    QCOMPARE(pair.user.username, QStringLiteral("alice"));
    QCOMPARE(pair.user.displayName, QStringLiteral("Alice A."));
    QVERIFY(!pair.user.id.isEmpty());
    // HS256 JWT: three base64url parts.
    QCOMPARE(pair.accessToken.count(QLatin1Char('.')), 2);
}

void tst_AuthClient::loginFails_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<AuthError::Kind>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("wrong password")
        << QStringLiteral("bob") << QStringLiteral("nope") << AuthError::Kind::InvalidCredentials
        << QStringLiteral("Wrong username or password.");
    QTest::newRow("unknown user") << QStringLiteral("nobody") << QStringLiteral("whatever")
                                  << AuthError::Kind::InvalidCredentials
                                  << QStringLiteral("Wrong username or password.");
}

void tst_AuthClient::loginFails()
{
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(AuthError::Kind, kind);
    QFETCH(QString, message);

    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    client.login(username, password);
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<AuthError>();
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.message, message);
    QCOMPARE(error.httpStatus, 401);
    QVERIFY(error.isPermanent());
}

void tst_AuthClient::unreachableServer()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    AuthClient client;
    client.setServer(ServerUrl::parse(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    client.login(QStringLiteral("alice"), QStringLiteral("correct horse"));
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<AuthError>();
    QCOMPARE(error.kind, AuthError::Kind::Unreachable);
    QVERIFY2(error.message.startsWith(QStringLiteral("Cannot reach the server at")),
             qPrintable(error.message));
    QVERIFY(!error.isPermanent());
}

void tst_AuthClient::silentServerTimesOut()
{
    // Accepts the connection and never answers: the transfer timeout must end it.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    AuthClient client;
    client.setTransferTimeout(300);
    client.setServer(
        ServerUrl::parse(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())));
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    client.login(QStringLiteral("alice"), QStringLiteral("correct horse"));
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<AuthError>();
    QCOMPARE(error.kind, AuthError::Kind::Unreachable);
    QVERIFY2(error.message.contains(QStringLiteral("did not answer in time")),
             qPrintable(error.message));
}

void tst_AuthClient::rateLimitedAfterThrottle()
{
    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    // The server allows 3 failures for one username, then answers 429.
    AuthError last;
    for (int attempt = 0; attempt < 4; ++attempt) {
        client.login(QStringLiteral("carol"), QStringLiteral("wrong"));
        QVERIFY(failed.wait(10000));
        last = failed.takeFirst().first().value<AuthError>();
        if (last.kind == AuthError::Kind::RateLimited)
            break;
        QCOMPARE(last.kind, AuthError::Kind::InvalidCredentials);
    }
    QCOMPARE(last.kind, AuthError::Kind::RateLimited);
    QCOMPARE(last.httpStatus, 429);
    QVERIFY(last.retryAfterSecs > 0);
    QVERIFY2(last.message.startsWith(QStringLiteral("Too many sign-in attempts. Please wait")),
             qPrintable(last.message));
    QVERIFY(!last.isPermanent());
    // Even the right password waits now.
    client.login(QStringLiteral("carol"), QStringLiteral("carol-password"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.takeFirst().first().value<AuthError>().kind, AuthError::Kind::RateLimited);
}

void tst_AuthClient::refreshRotatesAndRejectsReuse()
{
    const TokenPair first = loginOk();
    QVERIFY(first.isValid());

    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy ok(&client, &AuthClient::refreshSucceeded);
    QSignalSpy failed(&client, &AuthClient::refreshFailed);
    client.refresh(first.refreshToken);
    QVERIFY2(ok.wait(10000), m_server.log().right(1500).constData());
    const auto second = ok.first().first().value<TokenPair>();
    QVERIFY(second.isValid());
    QVERIFY(second.refreshToken != first.refreshToken);
    QCOMPARE(second.user.username, QStringLiteral("alice"));

    // Reusing the spent token is refused and revokes the family...
    client.refresh(first.refreshToken);
    QVERIFY(failed.wait(10000));
    const auto error = failed.takeFirst().first().value<AuthError>();
    QCOMPARE(error.kind, AuthError::Kind::InvalidGrant);
    QCOMPARE(error.message, QStringLiteral("Your session has expired — please sign in again"));
    // ...so the rotated one is dead too.
    client.refresh(second.refreshToken);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.takeFirst().first().value<AuthError>().kind, AuthError::Kind::InvalidGrant);
}

void tst_AuthClient::logoutRevokesTheFamily()
{
    const TokenPair pair = loginOk();
    QVERIFY(pair.isValid());
    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy loggedOut(&client, &AuthClient::logoutSucceeded);
    QSignalSpy refreshFailed(&client, &AuthClient::refreshFailed);
    client.logout(pair.refreshToken);
    QVERIFY(loggedOut.wait(10000));
    client.refresh(pair.refreshToken);
    QVERIFY(refreshFailed.wait(10000));
    QCOMPARE(refreshFailed.first().first().value<AuthError>().kind, AuthError::Kind::InvalidGrant);
    // A spent token still logs out fine (204).
    client.logout(pair.refreshToken);
    QVERIFY(loggedOut.wait(10000));
}

void tst_AuthClient::meWithAndWithoutToken()
{
    const TokenPair pair = loginOk();
    QVERIFY(pair.isValid());
    AuthClient client;
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy ok(&client, &AuthClient::meSucceeded);
    QSignalSpy failed(&client, &AuthClient::meFailed);
    client.me(pair.accessToken);
    QVERIFY(ok.wait(10000));
    QCOMPARE(ok.first().first().value<User>().username, QStringLiteral("alice"));

    client.me(QStringLiteral("not-a-token"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().first().value<AuthError>().kind, AuthError::Kind::InvalidToken);
}

void tst_AuthClient::notANatterServer()
{
    AuthClient client;
    // natterd under a path prefix it does not have: every route is 404.
    client.setServer(ServerUrl::parse(m_server.httpUrl().toString() + QStringLiteral("/nothing")));
    QSignalSpy failed(&client, &AuthClient::loginFailed);
    client.login(QStringLiteral("alice"), QStringLiteral("correct horse"));
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<AuthError>();
    QCOMPARE(error.kind, AuthError::Kind::BadResponse);
    QVERIFY2(error.message.contains(QStringLiteral("does not look like a Natter server")),
             qPrintable(error.message));
}

QTEST_GUILESS_MAIN(tst_AuthClient)
#include "tst_AuthClient.moc"
