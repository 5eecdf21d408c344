// ConnectionManager against scripted in-test servers (ScriptedPeer), some of
// them behind a TcpProxy that can go silent. Every case is something a user or
// a server would notice: the handshake, the four ways to authenticate, the
// states, reconnecting without a tight loop, timeouts, token refresh, close
// codes, garbage, dead peers, resume with duplicates and gaps, and the outbox.
#include "NatterVersion.h"
#include "ScriptedPeer.h"
#include "StaticTokenProvider.h"
#include "TcpProxy.h"
#include "net/ConnectionManager.h"
#include "protocol/Codec.h"
#include "store/LocalStore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Natter;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kWait = 10000;

ConnectionManager::Options fastOptions(const QUrl &server)
{
    ConnectionManager::Options o;
    o.serverUrl = server;
    o.connectTimeoutMs = 3000;
    o.authTimeoutMs = 400;
    o.pongTimeoutMs = 500;
    o.backoff.baseMs = 50;
    o.backoff.capMs = 400;
    o.backoff.floorMs = 20;
    return o;
}

QList<qint64> seqsOf(const QSignalSpy &spy)
{
    QList<qint64> seqs;
    for (const auto &args : spy)
        seqs.append(args.at(0).value<Message>().seq);
    return seqs;
}

QList<State> statesOf(const QSignalSpy &spy)
{
    QList<State> states;
    for (const auto &args : spy) {
        const auto s = args.at(0).value<State>();
        if (states.isEmpty() || states.last() != s)
            states.append(s);
    }
    return states;
}
} // namespace

class tst_ConnectionManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void handshakeCarriesOriginAndUserAgent_data();
    void handshakeCarriesOriginAndUserAgent();
    void authMethods_data();
    void authMethods();
    void statesInOrderAndClose();
    void dropMidStreamReconnectsWithBackoff();
    void reconnectNowSkipsTheWait();
    void authenticateNeverAnswered();
    void expiredTokenRefreshedOnce();
    void refusedTwiceLogsOut_data();
    void refusedTwiceLogsOut();
    void revokedMidSessionRefreshes();
    void closeCodes_data();
    void closeCodes();
    void refusalsAreToldInWords_data();
    void refusalsAreToldInWords();
    void garbageFramesSkipped();
    void silentPeerDetectedAfterPing();
    void resumeAfterDrop();
    void resumeDropsDuplicates();
    void gapFilledWithHistory();
    void outboxSentInOrderOnConnect();
    void outboxSurvivesRestart();
    void channelFramesKeepTheCacheInStep();
    void failedSendRetryAndDiscard();
    void unackedSendResolvedByReplay();
    void tooLargeCloseFailsTheSend();
    void tlsErrorsReportedNeverIgnored();
    void tokenNeverLogged_data();
    void tokenNeverLogged();

private:
    std::unique_ptr<ConnectionManager> makeManager(const ConnectionManager::Options &options,
                                                   LocalStore *store = nullptr);

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<StaticTokenProvider> m_tokens;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ConnectionManager::init()
{
    m_peer = std::make_unique<ScriptedPeer>();
    QVERIFY(m_peer->listen());
    m_tokens = std::make_unique<StaticTokenProvider>(u"good"_s);
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_ConnectionManager::cleanup()
{
    m_peer.reset();
    m_tokens.reset();
}

std::unique_ptr<ConnectionManager>
tst_ConnectionManager::makeManager(const ConnectionManager::Options &options, LocalStore *store)
{
    auto manager = std::make_unique<ConnectionManager>(m_tokens.get(), store);
    manager->setOptions(options);
    return manager;
}

void tst_ConnectionManager::handshakeCarriesOriginAndUserAgent_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("default: the server's own origin") << QByteArray();
    QTest::newRow("overridden per account") << QByteArray("https://chat.example.org");
}

void tst_ConnectionManager::handshakeCarriesOriginAndUserAgent()
{
    QFETCH(QByteArray, origin);
    auto options = fastOptions(m_peer->httpUrl());
    options.origin = origin;
    auto manager = makeManager(options);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);

    const QNetworkRequest request = m_peer->handshakes.first();
    const QByteArray expected =
        origin.isEmpty() ? u"http://127.0.0.1:%1"_s.arg(m_peer->port()).toUtf8() : origin;
    QCOMPARE(request.rawHeader("Origin"), expected); // exactly one Origin line
    const QByteArray agent = request.rawHeader("User-Agent");
    QVERIFY2(agent.startsWith("Natter/" + QByteArray(kVersion) + " ("), agent.constData());
    QVERIFY(agent.endsWith(')'));
    QCOMPARE(request.url().path(), u"/ws"_s);
    // The default method keeps the token out of the URL and the headers.
    QVERIFY(!request.url().hasQuery());
    QVERIFY(!request.hasRawHeader("Authorization"));
    QVERIFY(!request.hasRawHeader("Cookie"));
    const QJsonObject auth = m_peer->authenticates.first();
    QCOMPARE(auth.value(u"token").toString(), u"good"_s);
    QCOMPARE(auth.value(u"client").toObject().value(u"name").toString(), u"natter-desktop"_s);
    QCOMPARE(auth.value(u"client").toObject().value(u"version").toString(),
             QString::fromLatin1(kVersion));
}

void tst_ConnectionManager::authMethods_data()
{
    QTest::addColumn<ConnectionManager::AuthMethod>("method");
    QTest::addColumn<ScriptedPeer::Demand>("demand");
    QTest::addColumn<bool>("succeeds");
    using M = ConnectionManager::AuthMethod;
    using D = ScriptedPeer::Demand;
    QTest::newRow("first message") << M::FirstMessage << D::FirstMessage << true;
    QTest::newRow("bearer header") << M::BearerHeader << D::BearerHeader << true;
    QTest::newRow("cookie") << M::Cookie << D::Cookie << true;
    QTest::newRow("query parameter") << M::QueryParameter << D::QueryParameter << true;
    // The peers really check: the wrong method is refused.
    QTest::newRow("first message to a bearer server")
        << M::FirstMessage << D::BearerHeader << false;
    QTest::newRow("cookie to a query server") << M::Cookie << D::QueryParameter << false;
}

void tst_ConnectionManager::authMethods()
{
    QFETCH(ConnectionManager::AuthMethod, method);
    QFETCH(ScriptedPeer::Demand, demand);
    QFETCH(bool, succeeds);
    m_peer->demand = demand;
    auto options = fastOptions(m_peer->httpUrl());
    options.authMethod = method;
    auto manager = makeManager(options);
    QCOMPARE(manager->usesInsecureAuth(), method == ConnectionManager::AuthMethod::QueryParameter);
    manager->open();
    if (!succeeds) {
        // Refused, one refresh (to the same token), refused again: logged out.
        m_tokens->refreshTo = u"good"_s;
        QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::LoggedOut, kWait);
        QCOMPARE(m_tokens->refreshCount, 1);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    const QNetworkRequest request = m_peer->handshakes.first();
    const QJsonObject auth = m_peer->authenticates.first();
    // The token travels exactly one way.
    QCOMPARE(auth.contains(u"token"), method == ConnectionManager::AuthMethod::FirstMessage);
    QCOMPARE(request.hasRawHeader("Authorization"),
             method == ConnectionManager::AuthMethod::BearerHeader);
    QCOMPARE(request.hasRawHeader("Cookie"), method == ConnectionManager::AuthMethod::Cookie);
    QCOMPARE(QUrlQuery(request.url()).hasQueryItem(u"token"_s),
             method == ConnectionManager::AuthMethod::QueryParameter);
    QCOMPARE(auth.value(u"type").toString(), u"authenticate"_s);
}

void tst_ConnectionManager::statesInOrderAndClose()
{
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy states(manager.get(), &ConnectionManager::stateChanged);
    QSignalSpy connected(manager.get(), &ConnectionManager::connected);
    QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
    QCOMPARE(manager->state(), State::Disconnected);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    QCOMPARE(statesOf(states),
             (QList<State>{State::Connecting, State::Authenticating, State::Connected}));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(connected.first().at(0).value<ConnectedEvent>().self.id, u"u1"_s);
    QCOMPARE(manager->property("state").value<State>(), State::Connected);
    QVERIFY(manager->lastError().isEmpty());

    manager->close();
    QCOMPARE(manager->state(), State::Disconnected);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->openConnections(), 0, kWait);
    QCOMPARE(m_peer->connections, 1); // and no reconnect after a close
}

void tst_ConnectionManager::dropMidStreamReconnectsWithBackoff()
{
    // A server that accepts, authenticates and drops TCP at once, every time.
    auto options = fastOptions(m_peer->httpUrl());
    auto manager = makeManager(options);
    connect(manager.get(), &ConnectionManager::connected, m_peer.get(),
            [peer = m_peer.get()] { QTimer::singleShot(0, peer, &ScriptedPeer::abortAll); });
    QSignalSpy states(manager.get(), &ConnectionManager::stateChanged);
    QList<qint64> waits;
    connect(manager.get(), &ConnectionManager::stateChanged, this, [&](State s) {
        if (s == State::Reconnecting)
            waits.append(QDateTime::currentDateTimeUtc().msecsTo(manager->nextAttemptAt()));
    });
    QElapsedTimer clock;
    clock.start();
    manager->open();
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->authenticated >= 5, kWait);
    const qint64 elapsed = clock.elapsed();
    // Every drop was followed by a wait, never by an immediate retry: the time
    // spent is at least the sum of the waits' floors, and there were no more
    // connection attempts than waits.
    QVERIFY(waits.size() >= 4);
    for (const qint64 wait : std::as_const(waits))
        QVERIFY2(wait <= options.backoff.capMs, qPrintable(QString::number(wait)));
    QVERIFY(elapsed >= 4 * options.backoff.floorMs);
    QVERIFY(m_peer->connections <= waits.size() + 1);
    QVERIFY(!manager->lastError().isEmpty());
    const auto seen = statesOf(states);
    QCOMPARE(seen.mid(0, 5),
             (QList<State>{State::Connecting, State::Authenticating, State::Connected,
                           State::Reconnecting, State::Connecting}));
}

void tst_ConnectionManager::reconnectNowSkipsTheWait()
{
    // What the user's "reconnect", the network coming back and a wake from
    // sleep all do: no waiting out a long backoff.
    auto options = fastOptions(m_peer->httpUrl());
    options.backoff.baseMs = 60000;
    options.backoff.capMs = 60000;
    options.backoff.floorMs = 60000;
    auto manager = makeManager(options);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    m_peer->abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Reconnecting, kWait);
    QVERIFY(QDateTime::currentDateTimeUtc().msecsTo(manager->nextAttemptAt()) > 30000);
    manager->reconnectNow();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    QCOMPARE(m_peer->authenticated, 2);
    QVERIFY(!manager->nextAttemptAt().isValid());
}

void tst_ConnectionManager::authenticateNeverAnswered()
{
    m_peer->answerAuthenticate = false;
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy states(manager.get(), &ConnectionManager::stateChanged);
    manager->open();
    // The client gives up on the silent server and tries again, more than once.
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->authenticates.size() >= 3, kWait);
    const auto seen = statesOf(states);
    QVERIFY(!seen.contains(State::Connected));
    QCOMPARE(seen.mid(0, 4),
             (QList<State>{State::Connecting, State::Authenticating, State::Reconnecting,
                           State::Connecting}));
    QVERIFY(!manager->lastError().isEmpty());
}

void tst_ConnectionManager::expiredTokenRefreshedOnce()
{
    m_tokens = std::make_unique<StaticTokenProvider>(u"expired"_s);
    m_tokens->refreshTo = u"good"_s;
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy loggedOut(manager.get(), &ConnectionManager::loggedOut);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    QCOMPARE(m_tokens->refreshCount, 1);
    QCOMPARE(m_peer->authenticates.size(), 2);
    QCOMPARE(m_peer->authenticates[0].value(u"token").toString(), u"expired"_s);
    QCOMPARE(m_peer->authenticates[1].value(u"token").toString(), u"good"_s);
    QCOMPARE(loggedOut.size(), 0);
}

void tst_ConnectionManager::refusedTwiceLogsOut_data()
{
    QTest::addColumn<QString>("refreshTo");
    QTest::newRow("refreshed token refused too") << u"also-bad"_s;
    QTest::newRow("refresh itself refused") << QString();
}

void tst_ConnectionManager::refusedTwiceLogsOut()
{
    QFETCH(QString, refreshTo);
    m_tokens = std::make_unique<StaticTokenProvider>(u"expired"_s);
    m_tokens->refreshTo = refreshTo;
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy loggedOut(manager.get(), &ConnectionManager::loggedOut);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(loggedOut.size(), 1, kWait);
    QCOMPARE(manager->state(), State::LoggedOut);
    QCOMPARE(m_tokens->refreshCount, 1);
    QCOMPARE(m_peer->authenticates.size(), refreshTo.isEmpty() ? 1 : 2);
    QVERIFY(!manager->lastError().isEmpty());
    // The user can log in again and reopen.
    m_peer->validTokens.insert(m_tokens->accessToken());
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
}

void tst_ConnectionManager::revokedMidSessionRefreshes()
{
    m_tokens->refreshTo = u"fresh"_s;
    m_peer->validTokens.insert(u"fresh"_s);
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    m_peer->closeAll(4401, u"revoked"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->authenticated, 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    QCOMPARE(m_tokens->refreshCount, 1);
    QCOMPARE(m_peer->authenticates.last().value(u"token").toString(), u"fresh"_s);
}

void tst_ConnectionManager::closeCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("reconnects");
    QTest::newRow("1000 normal: stays disconnected") << 1000 << false;
    QTest::newRow("1001 going away") << 1001 << true;
    QTest::newRow("1008 policy") << 1008 << true;
    QTest::newRow("1011 server error") << 1011 << true;
    QTest::newRow("4408 idle") << 4408 << true;
    QTest::newRow("4429 flooding") << 4429 << true;
}

void tst_ConnectionManager::closeCodes()
{
    QFETCH(int, code);
    QFETCH(bool, reconnects);
    auto options = fastOptions(m_peer->httpUrl());
    auto manager = makeManager(options);
    qint64 firstWait = -1;
    connect(manager.get(), &ConnectionManager::stateChanged, this, [&](State s) {
        if (s == State::Reconnecting && firstWait < 0)
            firstWait = QDateTime::currentDateTimeUtc().msecsTo(manager->nextAttemptAt());
    });
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    m_peer->closeAll(code, u"scripted close"_s);
    if (reconnects) {
        QTRY_COMPARE_WITH_TIMEOUT(m_peer->authenticated, 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
        if (code == 4429) // after the longest backoff there is
            QVERIFY2(firstWait >= options.backoff.capMs / 2, // first draws are at most 50 ms
                     qPrintable(QString::number(firstWait)));
        else
            QVERIFY(firstWait <= options.backoff.capMs);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Disconnected, kWait);
        QCOMPARE(m_peer->connections, 1);
        QCOMPARE(firstWait, -1);
    }
}

void tst_ConnectionManager::refusalsAreToldInWords_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("told");
    QTest::newRow("too many connections")
        << 1008 << u"too many connections"_s
        << ConnectionManager::tr("This account is connected from too many places at once. Close "
                                 "Natter where you no longer use it.");
    QTest::newRow("authentication timeout")
        << 1008 << u"authentication timeout"_s
        << ConnectionManager::tr("The server did not receive the sign-in in time.");
    QTest::newRow("unknown") << 1008 << u"no reason we know"_s
                             << ConnectionManager::tr("The server refused the connection.");
    // natterd's per-user limit on session starts: 4429, not about messages.
    QTest::newRow("too many sign-ins")
        << 4429 << u"too many sign-ins"_s
        << ConnectionManager::tr("This account connected too often in a short time; waiting "
                                 "before reconnecting.");
}

void tst_ConnectionManager::refusalsAreToldInWords()
{
    // natterd's close reasons are English words for logs: the person reads a
    // translated sentence instead, never the raw reason.
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(QString, told);
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    QStringList shown; // it reconnects at once, which clears the error again
    connect(manager.get(), &ConnectionManager::lastErrorChanged, this,
            [&] { shown << manager->lastError(); });
    m_peer->closeAll(code, reason);
    QTRY_VERIFY_WITH_TIMEOUT(shown.contains(told), kWait);
    for (const QString &text : std::as_const(shown))
        QVERIFY2(!text.contains(reason), qPrintable(text));
}

void tst_ConnectionManager::garbageFramesSkipped()
{
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    const QList<QByteArray> garbage{"",
                                    "{",
                                    "[1,2,3]",
                                    "null",
                                    R"({"type":"nope"})",
                                    R"({"type":"message","message":{"seq":"x"}})",
                                    QByteArray(70000, 'x'),
                                    "\xff\xfe\xfd"};
    for (const QByteArray &frame : garbage)
        m_peer->sendToAll(frame);
    m_peer->sendBinaryToAll("\x00\x01binary");
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"after the garbage"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
    QCOMPARE(messages.first().at(0).value<Message>().text, u"after the garbage"_s);
    QCOMPARE(manager->state(), State::Connected);
    QCOMPARE(m_peer->connections, 1);
}

void tst_ConnectionManager::silentPeerDetectedAfterPing()
{
    m_peer->heartbeatSecs = 1; // the ping interval comes from `connected`
    TcpProxy proxy(m_peer->port());
    QVERIFY(proxy.listen());
    auto options = fastOptions(QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port())));
    options.origin = u"http://127.0.0.1:%1"_s.arg(m_peer->port()).toUtf8();
    auto manager = makeManager(options);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    // The peer stops answering, TCP stays open: nothing closes, only the ping notices.
    proxy.setFrozen(true);
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Reconnecting, kWait);
    QVERIFY(!manager->lastError().isEmpty());
    QCOMPARE(m_peer->connections, 1);
    proxy.setFrozen(false);
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    QVERIFY(m_peer->authenticated >= 2); // a loaded machine may miss one more pong
}

void tst_ConnectionManager::resumeAfterDrop()
{
    for (int i = 0; i < 5; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"old"_s, false);
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    QCOMPARE(manager->lastSeq(u"c1"_s), 5); // a new channel starts at its last_seq
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"live"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
    // Missed while the connection is down:
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"missed 1"_s, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"missed 2"_s, false);
    m_peer->abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 2, kWait);
    QCOMPARE(m_peer->authenticates[1].value(u"resume").toObject().value(u"c1").toInteger(), 6);
    QCOMPARE(seqsOf(messages), (QList<qint64>{6, 7, 8}));
    QCOMPARE(manager->lastSeq(u"c1"_s), 8);
}

void tst_ConnectionManager::resumeDropsDuplicates()
{
    m_peer->replayExtraOld = 3; // the server replays some messages the client has
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    for (int i = 0; i < 4; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"live"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 4, kWait);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"missed"_s, false);
    m_peer->abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 2, kWait);
    // The live repeat of an old frame is dropped too.
    m_peer->sendToAll(Codec::encodeMessageFrame(m_peer->messages(u"c1"_s).at(1)));
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"after"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 6, kWait);
    QCOMPARE(seqsOf(messages), (QList<qint64>{1, 2, 3, 4, 5, 6}));
}

void tst_ConnectionManager::gapFilledWithHistory()
{
    m_peer->replayLimit = 2; // like the contract's 500, only smaller
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    QSignalSpy gaps(manager.get(), &ConnectionManager::gapDetected);
    QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"seen"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, kWait);
    for (int i = 0; i < 7; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"missed %1"_s.arg(i), false);
    m_peer->abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 8, kWait);
    QCOMPARE(seqsOf(messages), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));
    QCOMPARE(gaps.size(), 1);
    QCOMPARE(gaps.first().at(0).toString(), u"c1"_s);
    QCOMPARE(gaps.first().at(1).toLongLong(), 1);
    QCOMPARE(gaps.first().at(2).toLongLong(), 7);
    const QJsonObject history = m_peer->frames.last();
    QCOMPARE(history.value(u"type").toString(), u"history"_s);
    QCOMPARE(history.value(u"before_seq").toInteger(), 7);
    QCOMPARE(history.value(u"limit").toInteger(), 5);
}

void tst_ConnectionManager::outboxSentInOrderOnConnect()
{
    LocalStore store(m_dir->filePath(u"store.sqlite"_s));
    QVERIFY(store.open());
    auto manager = makeManager(fastOptions(m_peer->httpUrl()), &store);
    QSignalSpy acked(manager.get(), &ConnectionManager::messageAcked);
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    QSignalSpy outboxChanged(manager.get(), &ConnectionManager::outboxChanged);
    const QStringList texts{u"one"_s, u"two"_s, u"three"_s};
    QStringList ids;
    for (const QString &text : texts)
        ids.append(manager->sendMessage(u"c1"_s, text));
    QCOMPARE(manager->outbox(u"c1"_s).size(), 3);
    QCOMPARE(manager->outbox().first().state, OutgoingMessage::State::Pending);
    QCOMPARE(outboxChanged.size(), 3);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 3, kWait);
    QVERIFY(manager->outbox().isEmpty());
    QVERIFY(store.outbox().isEmpty());
    QStringList sent;
    for (const QJsonObject &frame : std::as_const(m_peer->frames))
        if (frame.value(u"type").toString() == u"send")
            sent.append(frame.value(u"text").toString());
    QCOMPARE(sent, texts);
    QCOMPARE(acked.first().at(0).value<AckEvent>().clientMsgId, ids.first());
    // The user's own messages are part of the channel's timeline.
    QCOMPARE(seqsOf(messages), (QList<qint64>{1, 2, 3}));
    QTRY_COMPARE_WITH_TIMEOUT(store.cachedMessages(u"c1"_s, 10).size(), 3, kWait);
}

void tst_ConnectionManager::outboxSurvivesRestart()
{
    const QString path = m_dir->filePath(u"store.sqlite"_s);
    {
        LocalStore store(path);
        QVERIFY(store.open());
        auto manager = makeManager(fastOptions(m_peer->httpUrl()), &store);
        manager->sendMessage(u"c1"_s, u"written offline 1"_s);
        manager->sendMessage(u"c1"_s, u"written offline 2"_s);
    } // the application quits before it ever connected
    LocalStore store(path);
    QVERIFY(store.open());
    auto manager = makeManager(fastOptions(m_peer->httpUrl()), &store);
    QCOMPARE(manager->outbox().size(), 2);
    QSignalSpy acked(manager.get(), &ConnectionManager::messageAcked);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, kWait);
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 2);
    QCOMPARE(m_peer->messages(u"c1"_s).at(0).text, u"written offline 1"_s);
    QVERIFY(manager->outbox().isEmpty());
}

void tst_ConnectionManager::channelFramesKeepTheCacheInStep()
{
    // What the window shows before the network is up (the cached channel list)
    // follows channels opened, changed and left after `connected`.
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"hi"_s, false);
    LocalStore store(m_dir->filePath(u"store.sqlite"_s));
    QVERIFY(store.open());
    auto manager = makeManager(fastOptions(m_peer->httpUrl()), &store);
    QSignalSpy channels(manager.get(), &ConnectionManager::channelReceived);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    const auto ids = [&] {
        QStringList out;
        for (const Channel &c : store.cachedChannels())
            out << c.id + u':' + QString::number(c.members.size());
        return out;
    };
    QCOMPARE(ids(), QStringList{u"c1:2"_s});
    m_peer->sendToAll(
        R"({"type":"channel","channel":{"id":"ops","name":"ops","kind":"channel","members":["u1","u3"],"last_seq":0,"last_read_seq":0}})");
    QTRY_COMPARE_WITH_TIMEOUT(channels.size(), 1, kWait);
    QCOMPARE(ids(), (QStringList{u"c1:2"_s, u"ops:2"_s}));
    m_peer->sendToAll(
        R"({"type":"channel","channel":{"id":"c1","name":"c1","kind":"channel","members":["u1","u2","u4"],"last_seq":1,"last_read_seq":0}})");
    QTRY_COMPARE_WITH_TIMEOUT(channels.size(), 2, kWait);
    QCOMPARE(ids(), (QStringList{u"c1:3"_s, u"ops:2"_s}));
    m_peer->sendToAll( // taken out of ops
        R"({"type":"channel","channel":{"id":"ops","name":"ops","kind":"channel","members":["u3"],"last_seq":0,"last_read_seq":0}})");
    QTRY_COMPARE_WITH_TIMEOUT(channels.size(), 3, kWait);
    QCOMPARE(ids(), QStringList{u"c1:3"_s});
}

void tst_ConnectionManager::failedSendRetryAndDiscard()
{
    m_peer->refusedTexts = {u"bad one"_s, u"bad two"_s};
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy failed(manager.get(), &ConnectionManager::messageFailed);
    QSignalSpy acked(manager.get(), &ConnectionManager::messageAcked);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    const QString first = manager->sendMessage(u"c1"_s, u"bad one"_s);
    const QString second = manager->sendMessage(u"c1"_s, u"bad two"_s);
    manager->sendMessage(u"c1"_s, u"fine"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 1, kWait);
    auto outbox = manager->outbox();
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(outbox[0].clientMsgId, first);
    QCOMPARE(outbox[0].state, OutgoingMessage::State::Failed);
    QVERIFY(!outbox[0].error.isEmpty());
    QCOMPARE(failed.first().at(0).toString(), first);

    m_peer->refusedTexts.clear();
    manager->retryMessage(first);
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, kWait);
    QCOMPARE(acked.last().at(0).value<AckEvent>().clientMsgId, first);
    manager->discardMessage(second);
    QVERIFY(manager->outbox().isEmpty());
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 2);
}

void tst_ConnectionManager::unackedSendResolvedByReplay()
{
    m_peer->ackSends = false; // the server stores the message, the ack is lost
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy acked(manager.get(), &ConnectionManager::messageAcked);
    QSignalSpy messages(manager.get(), &ConnectionManager::messageReceived);
    QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    const QString id = manager->sendMessage(u"c1"_s, u"did it arrive?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).size(), 1, kWait);
    QCOMPARE(manager->outbox().size(), 1);
    m_peer->ackSends = true;
    m_peer->abortAll();
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 1, kWait);
    QCOMPARE(acked.first().at(0).value<AckEvent>().clientMsgId, id);
    QVERIFY(manager->outbox().isEmpty());
    QCOMPARE(messages.size(), 1);
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 1); // stored once
}

void tst_ConnectionManager::tooLargeCloseFailsTheSend()
{
    m_peer->closeAfterSendsWith = 1009;
    auto manager = makeManager(fastOptions(m_peer->httpUrl()));
    QSignalSpy failed(manager.get(), &ConnectionManager::messageFailed);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    const QString id = manager->sendMessage(u"c1"_s, u"huge"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWait);
    QCOMPARE(failed.first().at(0).toString(), id);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->authenticated, 2, kWait);
    QCOMPARE(manager->outbox().first().state, OutgoingMessage::State::Failed);
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 0);
}

void tst_ConnectionManager::tlsErrorsReportedNeverIgnored()
{
    QFile certFile(QStringLiteral(NATTER_TEST_DATA_DIR "/selfsigned.crt"));
    QFile keyFile(QStringLiteral(NATTER_TEST_DATA_DIR "/selfsigned.key"));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    QWebSocketServer server(u"untrusted"_s, QWebSocketServer::SecureMode);
    server.setSslConfiguration(tls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int authenticates = 0;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *socket = server.nextPendingConnection();
        socket->setParent(&server);
        connect(socket, &QWebSocket::textMessageReceived, this, [&] { ++authenticates; });
    });

    auto manager =
        makeManager(fastOptions(QUrl(u"https://127.0.0.1:%1"_s.arg(server.serverPort()))));
    QSignalSpy states(manager.get(), &ConnectionManager::stateChanged);
    manager->open();
    QTRY_VERIFY_WITH_TIMEOUT(statesOf(states).contains(State::Reconnecting), kWait);
    // In plain words, naming what is wrong with the certificate...
    const QString selfSigned = QSslError(QSslError::SelfSignedCertificate).errorString();
    QVERIFY2(manager->lastError().contains(selfSigned), qPrintable(manager->lastError()));
    // ...and the token never went to the untrusted server.
    QVERIFY(!statesOf(states).contains(State::Authenticating));
    QCOMPARE(authenticates, 0);
    manager->close();
}

void tst_ConnectionManager::tokenNeverLogged_data()
{
    QTest::addColumn<ConnectionManager::AuthMethod>("method");
    QTest::addColumn<ScriptedPeer::Demand>("demand");
    using M = ConnectionManager::AuthMethod;
    using D = ScriptedPeer::Demand;
    QTest::newRow("first message") << M::FirstMessage << D::FirstMessage;
    QTest::newRow("bearer header") << M::BearerHeader << D::BearerHeader;
    QTest::newRow("cookie") << M::Cookie << D::Cookie;
    QTest::newRow("query parameter") << M::QueryParameter << D::QueryParameter;
}

namespace {
QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_log.append(QString::fromLatin1(context.category ? context.category : "") + u' ' + message);
}
} // namespace

void tst_ConnectionManager::tokenNeverLogged()
{
    QFETCH(ConnectionManager::AuthMethod, method);
    QFETCH(ScriptedPeer::Demand, demand);
    const QString secret = u"s3cret-Token-Value-9f2"_s;
    const QString refreshed = u"refreshed-Token-Value-4b7"_s;
    m_tokens = std::make_unique<StaticTokenProvider>(secret);
    m_tokens->refreshTo = refreshed;
    m_peer->demand = demand;
    m_peer->validTokens = {refreshed}; // the first is refused: the refusal path logs too

    QLoggingCategory::setFilterRules(u"natter.*=true"_s); // every level, debug included
    g_log.clear();
    const auto previous = qInstallMessageHandler(captureLog);
    auto options = fastOptions(m_peer->httpUrl());
    options.authMethod = method;
    auto manager = makeManager(options);
    manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(manager->state(), State::Connected, kWait);
    manager->sendMessage(u"c1"_s, u"hello"_s);
    m_peer->closeAll(1008, u"policy"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->authenticated, 2, kWait);
    manager->close();
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    QVERIFY(g_log.size() > 5); // the log did speak
    for (const QString &line : std::as_const(g_log)) {
        QVERIFY2(!line.contains(secret) && !line.contains(refreshed), qPrintable(line));
        QVERIFY2(!line.contains(u"hello"_s), qPrintable(line)); // nor message text
    }
    QVERIFY(!manager->lastError().contains(secret));
}

QTEST_GUILESS_MAIN(tst_ConnectionManager)
#include "tst_ConnectionManager.moc"
