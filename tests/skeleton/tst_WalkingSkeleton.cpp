// The walking skeleton: every layer of the client core against the real natterd
// process — HTTP login, /ws with an Origin header, authentication in the first
// frame, and a message from one client arriving at a second one.
#include "NatterdProcess.h"

#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/MemoryTokenStore.h"
#include "auth/ProfileSettings.h"
#include "net/ConnectionManager.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Natter;

namespace {

// One signed-in client: the same objects the desktop app and natter-cli build.
struct Client
{
    explicit Client(const QString &profile)
        : settings(Profile(profile))
        , auth(&http, &tokens, &settings)
        , connection(&auth, nullptr)
    { }
    AuthClient http;
    MemoryTokenStore tokens;
    ProfileSettings settings;
    AuthSession auth;
    ConnectionManager connection;
};

} // namespace

class tst_WalkingSkeleton : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messageTravelsFromOneClientToAnother();
};

void tst_WalkingSkeleton::messageTravelsFromOneClientToAnother()
{
    NatterdProcess server;
    QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("alice-secret-1")));
    QVERIFY(server.addUser(QStringLiteral("bob"), QStringLiteral("bob-secret-1")));
    QVERIFY(server.addChannel(QStringLiteral("general"),
                              {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    Client alice(QStringLiteral("skeleton-alice"));
    Client bob(QStringLiteral("skeleton-bob"));
    for (auto [client, user] :
         {std::pair{&alice, QStringLiteral("alice")}, std::pair{&bob, QStringLiteral("bob")}}) {
        QSignalSpy signedIn(&client->auth, &AuthSession::signedIn);
        client->auth.login(server.httpUrl().toString(), user, user + QStringLiteral("-secret-1"),
                           false);
        QVERIFY(signedIn.wait(20000));
        QVERIFY(!client->auth.accessToken().isEmpty());

        ConnectionManager::Options options;
        options.serverUrl = server.httpUrl();
        client->connection.setOptions(options);
        QSignalSpy connected(&client->connection, &ConnectionManager::connected);
        QSignalSpy resumed(&client->connection, &ConnectionManager::resumed);
        client->connection.open();
        QVERIFY(connected.wait(20000));
        QCOMPARE(client->connection.state(), ConnectionManager::State::Connected);
        QVERIFY(resumed.count() > 0 || resumed.wait(20000));
        const auto event = connected.first().first().value<ConnectedEvent>();
        QCOMPARE(event.self.username, user);
        QCOMPARE(event.channels.size(), 1);
    }

    const QString channel = alice.connection.session().channels.first().id;
    QSignalSpy bobGot(&bob.connection, &ConnectionManager::messageReceived);
    QSignalSpy aliceAcked(&alice.connection, &ConnectionManager::messageAcked);
    const QString clientMsgId = alice.connection.sendMessage(channel, QStringLiteral("hello, bob"));

    QVERIFY(aliceAcked.wait(20000));
    QCOMPARE(aliceAcked.first().first().value<AckEvent>().clientMsgId, clientMsgId);
    QTRY_COMPARE_WITH_TIMEOUT(bobGot.size(), 1, 20000);
    const auto message = bobGot.first().first().value<Message>();
    QCOMPARE(message.text, QStringLiteral("hello, bob"));
    QCOMPARE(message.channel, channel);
    QCOMPARE(message.seq, 2); // seq 1 is the channel's `created` system message (§7)
    QCOMPARE(message.author, alice.auth.user().id);

    // The server saw an authenticated WebSocket, never a token in a URL or its log.
    const QByteArray log = server.log();
    QVERIFY(!log.contains(alice.auth.accessToken().toUtf8()));
    QVERIFY(!log.contains("alice-secret-1"));
}

QTEST_GUILESS_MAIN(tst_WalkingSkeleton)
#include "tst_WalkingSkeleton.moc"
