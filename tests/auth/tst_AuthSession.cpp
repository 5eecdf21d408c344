// AuthSession against the real natterd and the real Secret Service: sign-in,
// kept sign-in across a restart, expiry/revocation back to the dialog,
// single-flight and proactive refresh, logout, and no secret on disk or in logs.
#include "NatterdProcess.h"
#include "TcpProxy.h"
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/KeychainTokenStore.h"
#include "auth/ProfileSettings.h"
#include "net/ConnectionManager.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>

using namespace Natter;

namespace {

const QString kPassword = QStringLiteral("s3cret-Passw0rd!");

// Everything logged while a test runs, at every level, to scan for secrets.
QMutex g_logMutex;
QByteArray g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log +=
            QByteArray(context.category ? context.category : "") + ": " + message.toUtf8() + '\n';
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// One program's worth of auth objects for one profile, as a composition root
// would build them; a second App on the same profile is "the app restarted".
struct App
{
    explicit App(const QString &profile)
        : settings(Profile(profile))
        , session(&client, &store, &settings)
    { }
    ProfileSettings settings;
    KeychainTokenStore store;
    AuthClient client;
    AuthSession session;
};

// How many of the requests `requests` (AuthClient::requestStarted) saw were logouts.
qsizetype logoutsAmong(const QSignalSpy &requests)
{
    return std::count_if(requests.cbegin(), requests.cend(), [](const QList<QVariant> &args) {
        return args.first().value<AuthClient::Endpoint>() == AuthClient::Endpoint::Logout;
    });
}

// Whose session `app` holds, in the server's words (GET /me; empty on failure).
QString whoTheServerSays(App &app)
{
    QSignalSpy me(&app.client, &AuthClient::meSucceeded);
    app.client.me(app.session.accessToken());
    return me.wait(10000) ? me.first().first().value<User>().username : QString();
}

} // namespace

class tst_AuthSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void loginKeepsRefreshTokenInKeychainOnly();
    void restartGoesStraightIn();
    void staySignedInOffKeepsNothing();
    void revokedRefreshTokenBackToLogin();
    void loginFailures_data();
    void loginFailures();
    void rateLimitedSaysHowLong();
    void singleFlightRefresh();
    void proactiveRefreshAt80Percent();
    void logoutRevokesAndForgets();
    void logoutTheServerDidNotTakeSaysSo();
    void revokedWhileConnectedGoesBackToLogin();
    void cancelledLoginDoesNotSignIn();
    void aCancelledLoginsLateAnswerIsNotTheNextOnes_data();
    void aCancelledLoginsLateAnswerIsNotTheNextOnes();
    void theRevokeOfALateSignInIsNotTheSignOut_data();
    void theRevokeOfALateSignInIsNotTheSignOut();
    void aCancelledRestoresRefreshIsNotTheNextSessions();
    void aCancelledRestoreStillKeepsTheSignIn();
    void aLateSignInIsRevokedWhereItWasMade();
    void aSignInOutlivingASignOutIsRevokedWhereItWent();
    void anotherAccountReplacesTheKeptSignIn();
    void secretsNeverWritten();

private:
    QString uniqueProfile() const
    {
        return QStringLiteral("p") + QUuid::createUuid().toString(QUuid::Id128).left(10);
    }
    // Through `server` when given (a TcpProxy), else straight to m_server.
    bool signIn(App &app, bool stay = true, const QString &user = QStringLiteral("alice"),
                const QString &server = {});
    QString keychainToken(App &app);
    // alice signs in on `profile` through `server` and stays signed in; the
    // refresh token the keychain keeps (empty on failure).
    QByteArray keptSignIn(const QString &profile, const QString &server);

    QTemporaryDir m_home;
    NatterdProcess m_server;
    NatterdProcess m_shortLived; // access tokens live 2 s
};

void tst_AuthSession::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
    QLoggingCategory::setFilterRules(QStringLiteral("natter.*=true"));
    g_previousHandler = qInstallMessageHandler(captureMessages);

    QVERIFY2(m_server.start({QStringLiteral("--login-max-failures-user"), QStringLiteral("3")}),
             qPrintable(m_server.errorString()));
    QVERIFY(m_server.addUser(QStringLiteral("alice"), kPassword));
    QVERIFY(m_server.addUser(QStringLiteral("dave"), QStringLiteral("dave-password")));
    QVERIFY(m_server.addUser(QStringLiteral("erin"), kPassword));
    QVERIFY2(m_shortLived.start({QStringLiteral("--access-token-ttl"), QStringLiteral("2")}),
             qPrintable(m_shortLived.errorString()));
    QVERIFY(m_shortLived.addUser(QStringLiteral("alice"), kPassword));
}

void tst_AuthSession::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
}

bool tst_AuthSession::signIn(App &app, bool stay, const QString &user, const QString &server)
{
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    QSignalSpy error(&app.session, &AuthSession::errorOccurred);
    app.session.login(server.isEmpty() ? m_server.httpUrl().toString() : server, user, kPassword,
                      stay);
    if (!QTest::qWaitFor([&] { return !signedIn.isEmpty() || !error.isEmpty(); }, 15000))
        return false;
    if (!error.isEmpty())
        qWarning("login failed: %s", qPrintable(error.first().first().value<AuthError>().message));
    // The keychain write runs behind signedIn(); let it land like a real app would.
    if (app.session.hasPendingStoreWork()) {
        QSignalSpy stored(&app.session, &AuthSession::storeWorkFinished);
        if (!stored.wait(10000))
            return false;
    }
    return signedIn.size() == 1;
}

QByteArray tst_AuthSession::keptSignIn(const QString &profile, const QString &server)
{
    App first(profile);
    return signIn(first, true, QStringLiteral("alice"), server) ? keychainToken(first).toUtf8()
                                                                : QByteArray();
}

QString tst_AuthSession::keychainToken(App &app)
{
    const QString key = app.settings.profile().keychainKey(
        QString::fromUtf8(ServerUrl::parse(app.settings.serverUrl()).origin()),
        app.settings.username());
    KeychainTokenStore store;
    QSignalSpy done(&store, &TokenStore::readFinished);
    store.read(key);
    if (!done.wait(10000))
        return QStringLiteral("<no answer>");
    return done.first().at(1).toString();
}

void tst_AuthSession::loginKeepsRefreshTokenInKeychainOnly()
{
    App app(uniqueProfile());
    QSignalSpy busy(&app.session, &AuthSession::busyChanged);
    QSignalSpy keychainTrouble(&app.session, &AuthSession::keychainUnavailable);
    QVERIFY(signIn(app));
    QCOMPARE(app.session.state(), AuthSession::State::SignedIn);
    QCOMPARE(app.session.user().username, QStringLiteral("alice"));
    QVERIFY(!app.session.accessToken().isEmpty());
    QCOMPARE(busy.size(), 2); // busy while signing in, then not
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QCOMPARE(keychainTrouble.size(), 0);
    QVERIFY(app.session.isKeychainAvailable());

    const QString kept = keychainToken(app);
    QVERIFY(!kept.isEmpty());
    QVERIFY(kept != app.session.accessToken());
    QCOMPARE(app.settings.serverUrl(), m_server.httpUrl().toString());
    QCOMPARE(app.settings.username(), QStringLiteral("alice"));
    QVERIFY(app.settings.staySignedIn());
}

void tst_AuthSession::restartGoesStraightIn()
{
    const QString profile = uniqueProfile();
    QString firstKept;
    {
        App first(profile);
        QVERIFY(signIn(first));
        firstKept = keychainToken(first);
        QVERIFY(!firstKept.isEmpty());
    }
    App restarted(profile);
    QVERIFY(restarted.session.canRestore());
    QSignalSpy signedIn(&restarted.session, &AuthSession::signedIn);
    QSignalSpy signedOut(&restarted.session, &AuthSession::signedOut);
    QVERIFY(restarted.session.restore());
    QCOMPARE(restarted.session.state(), AuthSession::State::Restoring);
    QVERIFY(restarted.session.isBusy());
    QVERIFY(signedIn.wait(15000));
    QCOMPARE(signedOut.size(), 0);
    QCOMPARE(restarted.session.user().username, QStringLiteral("alice"));
    QVERIFY(!restarted.session.accessToken().isEmpty());
    // The spent refresh token was replaced in the keychain by the rotated one,
    // so a third start goes straight in as well.
    if (restarted.session.hasPendingStoreWork()) {
        QSignalSpy stored(&restarted.session, &AuthSession::storeWorkFinished);
        QVERIFY(stored.wait(10000));
    }
    const QString rotated = keychainToken(restarted);
    QVERIFY(!rotated.isEmpty());
    QVERIFY(rotated != firstKept);
    App third(profile);
    QSignalSpy thirdIn(&third.session, &AuthSession::signedIn);
    QVERIFY(third.session.restore());
    QVERIFY(thirdIn.wait(15000));
}

void tst_AuthSession::staySignedInOffKeepsNothing()
{
    const QString profile = uniqueProfile();
    {
        App app(profile);
        QVERIFY(signIn(app, false));
        QCOMPARE(keychainToken(app), QString());
        QVERIFY(!app.session.canRestore());
    }
    App restarted(profile);
    QVERIFY(!restarted.session.restore());
    QCOMPARE(restarted.session.state(), AuthSession::State::SignedOut);
    // What the dialog pre-fills is remembered all the same.
    QCOMPARE(restarted.session.rememberedUsername(), QStringLiteral("alice"));
    QCOMPARE(restarted.session.rememberedServerUrl(), m_server.httpUrl().toString());
    QCOMPARE(restarted.session.rememberedStaySignedIn(), false);
}

void tst_AuthSession::revokedRefreshTokenBackToLogin()
{
    const QString profile = uniqueProfile();
    QString kept;
    {
        App app(profile);
        QVERIFY(signIn(app));
        kept = keychainToken(app);
        QVERIFY(!kept.isEmpty());
    }
    // Someone signs this session out elsewhere (same as an expired token: the
    // server answers invalid_grant).
    AuthClient other;
    other.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy revoked(&other, &AuthClient::logoutSucceeded);
    other.logout(kept);
    QVERIFY(revoked.wait(10000));

    App restarted(profile);
    QSignalSpy signedIn(&restarted.session, &AuthSession::signedIn);
    QSignalSpy signedOut(&restarted.session, &AuthSession::signedOut);
    QSignalSpy refreshFailed(&restarted.session, &AccessTokenProvider::accessTokenRefreshFailed);
    QVERIFY(restarted.session.restore());
    QVERIFY(signedOut.wait(15000));
    QCOMPARE(signedIn.size(), 0);
    QCOMPARE(signedOut.first().first().toString(),
             QStringLiteral("Your session has expired — please sign in again"));
    QCOMPARE(refreshFailed.size(), 1);
    QCOMPARE(refreshFailed.first().at(1).toBool(), true); // permanent
    QCOMPARE(restarted.session.state(), AuthSession::State::SignedOut);
    QVERIFY(restarted.session.accessToken().isEmpty());
    // The dead token is gone from the keychain.
    QTRY_COMPARE_WITH_TIMEOUT(keychainToken(restarted), QString(), 10000);
}

void tst_AuthSession::loginFailures_data()
{
    QTest::addColumn<QString>("server"); // empty: the running natterd
    QTest::addColumn<QString>("password");
    QTest::addColumn<AuthError::Kind>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("wrong password")
        << QString() << QStringLiteral("wrong") << AuthError::Kind::InvalidCredentials
        << QStringLiteral("Wrong username or password.");
    QTest::newRow("unreachable") << QStringLiteral("closed") << kPassword
                                 << AuthError::Kind::Unreachable
                                 << QStringLiteral("Cannot reach the server at");
    QTest::newRow("invalid address")
        << QStringLiteral("ftp://example.org") << kPassword << AuthError::Kind::BadResponse
        << QStringLiteral("The address must start with");
}

void tst_AuthSession::loginFailures()
{
    QFETCH(QString, server);
    QFETCH(QString, password);
    QFETCH(AuthError::Kind, kind);
    QFETCH(QString, message);

    if (server.isEmpty()) {
        server = m_server.httpUrl().toString();
    } else if (server == QLatin1String("closed")) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        server = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
    }
    App app(uniqueProfile());
    QSignalSpy error(&app.session, &AuthSession::errorOccurred);
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    app.session.login(server, QStringLiteral("alice"), password, true);
    QTRY_VERIFY_WITH_TIMEOUT(!error.isEmpty(), 15000); // may come at once (bad address)
    const auto e = error.first().first().value<AuthError>();
    QCOMPARE(e.kind, kind);
    QVERIFY2(e.message.startsWith(message), qPrintable(e.message));
    QCOMPARE(signedIn.size(), 0);
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
    QVERIFY(!app.session.isBusy());
    QVERIFY(app.session.accessToken().isEmpty());
}

void tst_AuthSession::rateLimitedSaysHowLong()
{
    App app(uniqueProfile());
    QSignalSpy error(&app.session, &AuthSession::errorOccurred);
    AuthError last;
    for (int attempt = 0; attempt < 4 && last.kind != AuthError::Kind::RateLimited; ++attempt) {
        app.session.login(m_server.httpUrl().toString(), QStringLiteral("dave"),
                          QStringLiteral("wrong"), true);
        QVERIFY(error.wait(15000));
        last = error.takeFirst().first().value<AuthError>();
    }
    QCOMPARE(last.kind, AuthError::Kind::RateLimited);
    QVERIFY(last.retryAfterSecs > 0);
    QVERIFY2(last.message.contains(QStringLiteral("Please wait")), qPrintable(last.message));
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
}

void tst_AuthSession::singleFlightRefresh()
{
    App app(uniqueProfile());
    QVERIFY(signIn(app));
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    QSignalSpy refreshed(&app.session, &AccessTokenProvider::accessTokenRefreshed);
    QSignalSpy failed(&app.session, &AccessTokenProvider::accessTokenRefreshFailed);

    // Two callers at once (say, the connection after a 4401 and the timer):
    // one request. Two would present the same refresh token twice, and the
    // server would revoke the whole session for the reuse.
    app.session.refreshAccessToken();
    app.session.refreshAccessToken();
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(refreshed.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Refresh);
    QVERIFY(!app.session.accessToken().isEmpty());

    // The session is intact: the next refresh works too (no reuse was detected).
    app.session.refreshAccessToken();
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(failed.size(), 0);
    QVERIFY(app.session.isSignedIn());
}

void tst_AuthSession::proactiveRefreshAt80Percent()
{
    App app(uniqueProfile());
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    app.session.login(m_shortLived.httpUrl().toString(), QStringLiteral("alice"), kPassword, true);
    QVERIFY(signedIn.wait(15000));
    QVERIFY(!app.session.accessTokenDeadline().isForever());
    if (app.session.hasPendingStoreWork()) {
        QSignalSpy stored(&app.session, &AuthSession::storeWorkFinished);
        QVERIFY(stored.wait(10000));
    }
    const QString firstKept = keychainToken(app);

    // Nobody asks: the session refreshes on its own before the 2 s token runs out.
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    QSignalSpy refreshed(&app.session, &AccessTokenProvider::accessTokenRefreshed);
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Refresh);
    QVERIFY(app.session.isSignedIn());
    QTRY_VERIFY_WITH_TIMEOUT(keychainToken(app) != firstKept, 10000); // rotated and kept
    // And again for the new token.
    QVERIFY(refreshed.wait(10000));
    QVERIFY(app.session.isSignedIn());
}

void tst_AuthSession::logoutRevokesAndForgets()
{
    const QString profile = uniqueProfile();
    App app(profile);
    QVERIFY(signIn(app));
    const QString kept = keychainToken(app);
    QVERIFY(!kept.isEmpty());

    QSignalSpy signedOut(&app.session, &AuthSession::signedOut);
    app.session.logout();
    QVERIFY(app.session.accessToken().isEmpty()); // cleared at once
    QVERIFY(signedOut.wait(10000));
    QCOMPARE(signedOut.first().first().toString(), QString());
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
    QCOMPARE(keychainToken(app), QString());

    // Revoked on the server as well.
    AuthClient other;
    other.setServer(ServerUrl::parse(m_server.httpUrl().toString()));
    QSignalSpy refreshFailed(&other, &AuthClient::refreshFailed);
    other.refresh(kept);
    QVERIFY(refreshFailed.wait(10000));
    QCOMPARE(refreshFailed.first().first().value<AuthError>().kind, AuthError::Kind::InvalidGrant);

    // Restarting now means the dialog (nothing is kept).
    App restarted(profile);
    QSignalSpy restartedOut(&restarted.session, &AuthSession::signedOut);
    if (restarted.session.restore())
        QVERIFY(restartedOut.wait(10000));
    QCOMPARE(restarted.session.state(), AuthSession::State::SignedOut);
}

void tst_AuthSession::logoutTheServerDidNotTakeSaysSo()
{
    const QString profile = uniqueProfile();
    App app(profile);
    QVERIFY(signIn(app));
    QVERIFY(!keychainToken(app).isEmpty());

    // The server is gone when the person signs out: the session ends on this
    // computer anyway, and the sign-out says that the server still holds it.
    QCOMPARE(m_server.stop(), 0);
    QSignalSpy incomplete(&app.session, &AuthSession::logoutIncomplete);
    QSignalSpy signedOut(&app.session, &AuthSession::signedOut);
    app.session.logout();
    QVERIFY(signedOut.wait(20000));
    const bool restarted = m_server.restart();
    QCOMPARE(incomplete.size(), 1);
    const AuthError error = incomplete.first().first().value<AuthError>();
    QCOMPARE(error.kind, AuthError::Kind::Unreachable);
    const QString reason = signedOut.first().first().toString();
    QVERIFY2(reason.contains(QStringLiteral("could not end the session")), qPrintable(reason));
    QVERIFY2(reason.contains(error.message), qPrintable(reason));
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
    QCOMPARE(keychainToken(app), QString());
    QVERIFY(restarted);
}

void tst_AuthSession::revokedWhileConnectedGoesBackToLogin()
{
    App app(uniqueProfile());
    QVERIFY(signIn(app));
    const QString kept = keychainToken(app);
    QVERIFY(!kept.isEmpty());

    ConnectionManager connection(&app.session, nullptr);
    ConnectionManager::Options options;
    options.serverUrl = app.session.server().httpBase();
    options.origin = app.session.server().origin();
    options.clientName = QStringLiteral("tst_AuthSession");
    connection.setOptions(options);
    QSignalSpy connected(&connection, &ConnectionManager::connected);
    connection.open();
    QVERIFY(connected.wait(15000));

    // A stolen copy of the refresh token is used twice: the server sees the
    // reuse, revokes the whole session and closes its sockets with 4401.
    AuthClient thief;
    thief.setServer(app.session.server());
    QSignalSpy stolen(&thief, &AuthClient::refreshSucceeded);
    QSignalSpy reused(&thief, &AuthClient::refreshFailed);
    thief.refresh(kept);
    QVERIFY(stolen.wait(10000));

    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    QSignalSpy signedOut(&app.session, &AuthSession::signedOut);
    QSignalSpy loggedOut(&connection, &ConnectionManager::loggedOut);
    thief.refresh(kept);
    QVERIFY(reused.wait(10000));

    // The 4401 makes the connection ask the session for a refresh, which the
    // server refuses: back to the login dialog, saying why.
    QTRY_VERIFY_WITH_TIMEOUT(!signedOut.isEmpty(), 15000);
    QCOMPARE(signedOut.first().first().toString(),
             QStringLiteral("Your session has expired — please sign in again"));
    QTRY_COMPARE_WITH_TIMEOUT(loggedOut.size(), 1, 15000);
    QCOMPARE(connection.state(), ConnectionManager::State::LoggedOut);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Refresh);
    QVERIFY(app.session.accessToken().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(keychainToken(app), QString(), 10000);
}

void tst_AuthSession::cancelledLoginDoesNotSignIn()
{
    App app(uniqueProfile());
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    app.session.login(m_server.httpUrl().toString(), QStringLiteral("alice"), kPassword, true);
    QVERIFY(app.session.isBusy());
    app.session.cancel();
    QVERIFY(!app.session.isBusy());
    // The late answer is turned into a logout (a second request), never a sign-in.
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 2, 15000);
    QCOMPARE(requests.at(1).first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Logout);
    QCOMPARE(signedIn.size(), 0);
    QVERIFY(app.session.accessToken().isEmpty());
}

void tst_AuthSession::aCancelledLoginsLateAnswerIsNotTheNextOnes_data()
{
    QTest::addColumn<QString>("firstUser");
    QTest::addColumn<QString>("firstPassword");
    QTest::newRow("a late sign-in") << QStringLiteral("alice") << kPassword;
    QTest::newRow("a late refusal") << QStringLiteral("dave") << QStringLiteral("wrong");
}

void tst_AuthSession::aCancelledLoginsLateAnswerIsNotTheNextOnes()
{
    // Someone signs in as the wrong account, cancels, and signs in as erin at
    // once. The first login's answer comes while erin's is still on its way:
    // it must neither sign her in as the other account nor fail her login.
    QFETCH(QString, firstUser);
    QFETCH(QString, firstPassword);
    TcpProxy proxy(m_server.port());
    QVERIFY(proxy.listen());
    const QString server = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const QByteArray erinsLogin = QByteArrayLiteral("\"username\":\"erin\"");
    proxy.hold(erinsLogin, TcpProxy::Hold::Answer);

    App app(uniqueProfile());
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    QSignalSpy error(&app.session, &AuthSession::errorOccurred);
    QSignalSpy loginsAnswered(&app.client, &AuthClient::loginSucceeded);
    QSignalSpy loginsRefused(&app.client, &AuthClient::loginFailed);
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    app.session.login(server, firstUser, firstPassword, false);
    app.session.cancel();
    app.session.login(server, QStringLiteral("erin"), kPassword, false);
    QTRY_COMPARE_WITH_TIMEOUT(loginsAnswered.size() + loginsRefused.size(), 1, 15000);
    const bool lateSignIn = loginsAnswered.size() == 1;
    QCOMPARE(lateSignIn, firstPassword == kPassword);
    QCOMPARE(signedIn.size(), 0);
    QCOMPARE(error.size(), 0);
    QCOMPARE(app.session.state(), AuthSession::State::SigningIn);

    proxy.release(erinsLogin);
    QVERIFY(signedIn.wait(15000));
    QCOMPARE(error.size(), 0);
    QCOMPARE(app.session.user().username, QStringLiteral("erin"));
    QCOMPARE(whoTheServerSays(app), QStringLiteral("erin"));
    // A late sign-in is ended on the server at once.
    QCOMPARE(logoutsAmong(requests), lateSignIn ? 1 : 0);
}

void tst_AuthSession::theRevokeOfALateSignInIsNotTheSignOut_data()
{
    QTest::addColumn<bool>("revokeFails");
    QTest::newRow("the revoke is answered") << false;
    QTest::newRow("the revoke fails") << true;
}

void tst_AuthSession::theRevokeOfALateSignInIsNotTheSignOut()
{
    // A cancelled login's answer comes while erin is signing out; natterd
    // answers its revoke before erin's logout. Neither that answer nor its
    // failure is erin's: she is signed out when her own logout is answered,
    // and not told that the server kept her session.
    QFETCH(bool, revokeFails);
    TcpProxy proxy(m_server.port());
    QVERIFY(proxy.listen());
    const QString server = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const QByteArray alicesLogin = QByteArrayLiteral("\"username\":\"alice\"");
    proxy.hold(alicesLogin, TcpProxy::Hold::Answer);

    App app(uniqueProfile());
    app.session.login(server, QStringLiteral("alice"), kPassword, true);
    app.session.cancel();
    QVERIFY(signIn(app, true, QStringLiteral("erin"), server));
    const QByteArray erinsToken = keychainToken(app).toUtf8();
    QVERIFY(!erinsToken.isEmpty());

    proxy.hold(erinsToken, TcpProxy::Hold::Request);
    QSignalSpy signedOut(&app.session, &AuthSession::signedOut);
    QSignalSpy incomplete(&app.session, &AuthSession::logoutIncomplete);
    QSignalSpy revoked(&app.client, &AuthClient::logoutSucceeded);
    QSignalSpy revokeFailed(&app.client, &AuthClient::logoutFailed);
    app.session.logout();
    QCOMPARE(app.session.state(), AuthSession::State::SigningOut);
    if (revokeFails) {
        // The late answer's connection closes behind it and natterd cannot be
        // reached on a new one.
        QTcpServer gone;
        QVERIFY(gone.listen(QHostAddress::LocalHost));
        proxy.setTargetPort(gone.serverPort());
        gone.close();
    }
    proxy.release(alicesLogin, revokeFails);
    QVERIFY((revokeFails ? revokeFailed : revoked).wait(15000));
    QCOMPARE(incomplete.size(), 0);
    QCOMPARE(signedOut.size(), 0);
    QVERIFY(!app.session.hasPendingStoreWork()); // erin's keychain entry is not being removed
    QCOMPARE(app.session.state(), AuthSession::State::SigningOut);

    proxy.setTargetPort(m_server.port());
    proxy.release(erinsToken);
    QVERIFY(signedOut.wait(15000));
    QCOMPARE(signedOut.first().first().toString(), QString());
    QCOMPARE(incomplete.size(), 0);
    QCOMPARE(keychainToken(app), QString());
}

void tst_AuthSession::aCancelledRestoresRefreshIsNotTheNextSessions()
{
    // alice's kept sign-in is slow to restore; the person cancels and signs in
    // as erin on the same profile. The restore's refresh answers after that:
    // it is not erin's session, and alice's is ended rather than kept.
    TcpProxy proxy(m_server.port());
    QVERIFY(proxy.listen());
    const QString server = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const QString profile = uniqueProfile();
    const QByteArray alicesKept = keptSignIn(profile, server);
    QVERIFY(!alicesKept.isEmpty());
    proxy.hold(alicesKept, TcpProxy::Hold::Answer);
    App app(profile);
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    QSignalSpy refreshed(&app.client, &AuthClient::refreshSucceeded);
    QVERIFY(app.session.restore());
    QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 10000); // the keychain was read
    QCOMPARE(requests.first().first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Refresh);
    app.session.cancel();
    QVERIFY(signIn(app, true, QStringLiteral("erin"), server));
    const QString erinsKept = keychainToken(app);
    QVERIFY(!erinsKept.isEmpty());

    proxy.release(alicesKept);
    QVERIFY(refreshed.wait(15000));
    QCOMPARE(app.session.user().username, QStringLiteral("erin"));
    QCOMPARE(whoTheServerSays(app), QStringLiteral("erin"));
    // alice's rotated token is revoked, not written anywhere.
    QCOMPARE(logoutsAmong(requests), 1);
    QCOMPARE(keychainToken(app), erinsKept);
    KeychainTokenStore store;
    QSignalSpy read(&store, &TokenStore::readFinished);
    store.read(Profile(profile).keychainKey(server, QStringLiteral("alice")));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.first().at(1).toString(), QString());
}

void tst_AuthSession::aCancelledRestoreStillKeepsTheSignIn()
{
    // Cancelled while its refresh is on the way: the refresh spends the kept
    // token, so its successor is kept and the next start still goes straight in.
    TcpProxy proxy(m_server.port());
    QVERIFY(proxy.listen());
    const QString server = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const QString profile = uniqueProfile();
    const QByteArray kept = keptSignIn(profile, server);
    QVERIFY(!kept.isEmpty());
    proxy.hold(kept, TcpProxy::Hold::Answer);
    {
        App app(profile);
        QSignalSpy requests(&app.client, &AuthClient::requestStarted);
        QSignalSpy refreshed(&app.client, &AuthClient::refreshSucceeded);
        QVERIFY(app.session.restore());
        QTRY_COMPARE_WITH_TIMEOUT(requests.size(), 1, 10000);
        app.session.cancel();
        proxy.release(kept);
        QVERIFY(refreshed.wait(15000));
        QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
        QSignalSpy stored(&app.session, &AuthSession::storeWorkFinished);
        QVERIFY(app.session.hasPendingStoreWork());
        QVERIFY(stored.wait(10000));
        const QString successor = keychainToken(app);
        QVERIFY(!successor.isEmpty());
        QVERIFY(successor.toUtf8() != kept);
    }
    App again(profile);
    QSignalSpy signedIn(&again.session, &AuthSession::signedIn);
    QVERIFY(again.session.restore());
    QVERIFY(signedIn.wait(15000));
    QCOMPARE(again.session.user().username, QStringLiteral("alice"));
}

void tst_AuthSession::aLateSignInIsRevokedWhereItWasMade()
{
    // Cancelled on one server, then a sign-in on another: the late answer's
    // session is ended on the server that made it, not sent to the new one.
    TcpProxy proxy(m_shortLived.port());
    QVERIFY(proxy.listen());
    const QByteArray alicesLogin = QByteArrayLiteral("\"username\":\"alice\"");
    proxy.hold(alicesLogin, TcpProxy::Hold::Answer);
    App app(uniqueProfile());
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    QSignalSpy revoked(&app.client, &AuthClient::logoutSucceeded);
    app.session.login(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()),
                      QStringLiteral("alice"), kPassword, false);
    app.session.cancel();
    app.session.login(m_server.httpUrl().toString(), QStringLiteral("erin"), kPassword, false);
    QVERIFY(signedIn.wait(15000));
    const qsizetype before = m_shortLived.log().count("event=logout ");
    proxy.release(alicesLogin);
    QVERIFY(revoked.wait(15000));
    QTRY_COMPARE_WITH_TIMEOUT(m_shortLived.log().count("event=logout "), before + 1, 10000);
    QCOMPARE(app.session.user().username, QStringLiteral("erin"));
}

void tst_AuthSession::aSignInOutlivingASignOutIsRevokedWhereItWent()
{
    // The profile keeps a sign-in on one server; a login to another is still
    // waiting when logout() signs the kept one out (which points the client
    // back at the kept server). The login's answer is revoked where it went.
    const QString profile = uniqueProfile();
    {
        App first(profile);
        QVERIFY(signIn(first));
    }
    TcpProxy proxy(m_shortLived.port());
    QVERIFY(proxy.listen());
    const QByteArray alicesLogin = QByteArrayLiteral("\"username\":\"alice\"");
    proxy.hold(alicesLogin, TcpProxy::Hold::Answer);
    App app(profile);
    QSignalSpy signedOut(&app.session, &AuthSession::signedOut);
    QSignalSpy revoked(&app.client, &AuthClient::logoutSucceeded);
    app.session.login(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()),
                      QStringLiteral("alice"), kPassword, true);
    app.session.logout();
    QVERIFY(signedOut.wait(15000)); // the kept sign-in, revoked on its own server
    const qsizetype before = m_shortLived.log().count("event=logout ");
    proxy.release(alicesLogin);
    QTRY_COMPARE_WITH_TIMEOUT(revoked.size(), 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(m_shortLived.log().count("event=logout "), before + 1, 10000);
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
}

void tst_AuthSession::anotherAccountReplacesTheKeptSignIn()
{
    const QString profile = uniqueProfile();
    {
        App first(profile);
        QVERIFY(signIn(first));
        QVERIFY(!keychainToken(first).isEmpty());
    }
    App second(profile); // the dialog, this time as erin
    QVERIFY(signIn(second, true, QStringLiteral("erin")));
    QCOMPARE(second.settings.username(), QStringLiteral("erin"));
    QVERIFY(!keychainToken(second).isEmpty());
    // alice's entry for this profile is gone: a profile keeps one account.
    KeychainTokenStore store;
    QSignalSpy read(&store, &TokenStore::readFinished);
    store.read(Profile(profile).keychainKey(QString::fromUtf8(m_server.origin()),
                                            QStringLiteral("alice")));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.first().at(1).toString(), QString());
}

void tst_AuthSession::secretsNeverWritten()
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    const QString profile = uniqueProfile();
    QStringList secrets{kPassword};
    {
        App app(profile);
        QVERIFY(signIn(app));
        secrets << app.session.accessToken() << keychainToken(app);
        QSignalSpy refreshed(&app.session, &AccessTokenProvider::accessTokenRefreshed);
        app.session.refreshAccessToken();
        QVERIFY(refreshed.wait(10000));
        if (app.session.hasPendingStoreWork()) {
            QSignalSpy stored(&app.session, &AuthSession::storeWorkFinished);
            QVERIFY(stored.wait(10000));
        }
        secrets << app.session.accessToken() << keychainToken(app);
    }
    {
        App restarted(profile); // quit and start again
        QSignalSpy signedIn(&restarted.session, &AuthSession::signedIn);
        QVERIFY(restarted.session.restore());
        QVERIFY(signedIn.wait(15000));
        secrets << restarted.session.accessToken();
        QSignalSpy signedOut(&restarted.session, &AuthSession::signedOut);
        restarted.session.logout();
        QVERIFY(signedOut.wait(10000));
    }
    for (const QString &s : std::as_const(secrets))
        QVERIFY(s.size() >= 8);

    QByteArray log;
    {
        QMutexLocker lock(&g_logMutex);
        log = g_log;
    }
    QVERIFY(log.contains("signed in")); // the capture works and saw the session
    QStringList scanned;
    QDirIterator files(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        scanned << path;
        for (const QString &s : std::as_const(secrets))
            QVERIFY2(!content.contains(s.toUtf8()),
                     qPrintable(QStringLiteral("secret in %1").arg(path)));
    }
    QVERIFY(scanned.contains(ProfileSettings(Profile(profile)).fileName()));
    for (const QString &s : std::as_const(secrets))
        QVERIFY2(!log.contains(s.toUtf8()), "a secret reached the log");
}

QTEST_GUILESS_MAIN(tst_AuthSession)
#include "tst_AuthSession.moc"
