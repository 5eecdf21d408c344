// ConnectionManager against the real natterd process: a conversation between
// two clients, and the soak test of the issue — two clients, 2,000 messages,
// natterd SIGKILLed and restarted 5 times and the connection cut 20 times in
// between; every message arrives exactly once and in order on both sides and
// nothing stays pending.
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"
#include "TcpProxy.h"
#include "net/ConnectionManager.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Natter;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kWait = 20000;

// One client: token provider, store, manager, and everything it received.
struct Client
{
    Client(const QUrl &server, const QUrl &connectTo, const QByteArray &origin,
           const QString &storePath)
        : tokens(server)
        , store(storePath)
    {
        store.open();
        manager = std::make_unique<ConnectionManager>(&tokens, &store);
        ConnectionManager::Options options;
        options.serverUrl = connectTo;
        options.origin = origin;
        options.clientName = u"natter-test"_s;
        options.backoff.baseMs = 100;
        options.backoff.capMs = 1000;
        options.backoff.floorMs = 50;
        options.framesPerSecond = 18.0; // just under natterd's 20/s
        manager->setOptions(options);
        QObject::connect(manager.get(), &ConnectionManager::messageReceived, manager.get(),
                         [this](const Message &m) { received[m.channel].append(m); });
        QObject::connect(manager.get(), &ConnectionManager::messageAcked, manager.get(),
                         [this] { ++acked; });
        QObject::connect(
            manager.get(), &ConnectionManager::messageFailed, manager.get(),
            [this](const QString &, const QString &reason) { failures.append(reason); });
        QObject::connect(manager.get(), &ConnectionManager::connected, manager.get(),
                         [this](const ConnectedEvent &e) { session = e; });
    }

    QString channelId(const QString &name) const
    {
        for (const Channel &c : session.channels)
            if (c.name == name)
                return c.id;
        return {};
    }

    HttpTokenProvider tokens;
    LocalStore store;
    std::unique_ptr<ConnectionManager> manager;
    QHash<QString, QList<Message>> received;
    ConnectedEvent session;
    QStringList failures;
    int acked = 0;
};

// Every seq from 2 to the end exactly once, in order (seq 1 is the channel's
// `created` system message, stored by `natterd channel add` before anyone connected).
bool contiguous(const QList<Message> &messages, QString *why)
{
    for (int i = 0; i < messages.size(); ++i) {
        if (messages[i].seq != i + 2) {
            *why = u"position %1 holds seq %2"_s.arg(i).arg(messages[i].seq);
            return false;
        }
    }
    return true;
}

// The sender's texts "<prefix> <n>" appear once each, in the order they were written.
bool senderOrder(const QList<Message> &messages, const QString &prefix, int count, QString *why)
{
    int next = 0;
    for (const Message &m : messages) {
        if (!m.text.startsWith(prefix + u' '))
            continue;
        const int n = m.text.mid(prefix.size() + 1).toInt();
        if (n != next) {
            *why = u"%1: expected %2, got %3"_s.arg(prefix).arg(next).arg(n);
            return false;
        }
        ++next;
    }
    if (next != count) {
        *why = u"%1: %2 of %3 arrived"_s.arg(prefix).arg(next).arg(count);
        return false;
    }
    return true;
}
} // namespace

class tst_ConnectionManagerNatterd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void conversation();
    void aRefusedOriginIsToldInWords();
    void soak();

private:
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ConnectionManagerNatterd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<NatterdProcess>();
    // Accounts and channel before natterd starts: an operator's change to a
    // running natterd reaches its membership copy up to 250 ms later (the store's
    // change feed), and these tests are not about that window.
    QVERIFY(m_server->addUser(u"alice"_s, u"alice-password-1"_s, u"Alice"_s));
    QVERIFY(m_server->addUser(u"bob"_s, u"bob-password-1"_s, u"Bob"_s));
    QVERIFY2(m_server->addChannel(u"soak"_s, {u"alice"_s, u"bob"_s}),
             m_server->lastAdminOutput().constData());
    QVERIFY2(m_server->start({u"--presence-grace"_s, u"1"_s}), qPrintable(m_server->errorString()));
}

void tst_ConnectionManagerNatterd::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "natterd log tail:\n"
                             << QString::fromUtf8(m_server->log().right(3000));
    m_server.reset();
}

void tst_ConnectionManagerNatterd::conversation()
{
    const QUrl url = m_server->httpUrl();
    Client alice(url, url, {}, m_dir->filePath(u"alice.sqlite"_s));
    Client bob(url, url, {}, m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.tokens.login(u"bob"_s, u"bob-password-1"_s));
    QSignalSpy history(alice.manager.get(), &ConnectionManager::historyReceived);
    alice.manager->open();
    bob.manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(alice.manager->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.manager->state(), State::Connected, kWait);
    const QString channel = alice.channelId(u"soak"_s);
    QVERIFY(!channel.isEmpty());

    alice.manager->sendMessage(channel, u"hello bob"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.value(channel).size(), 1, kWait);
    QCOMPARE(bob.received.value(channel).first().text, u"hello bob"_s);
    QCOMPARE(bob.received.value(channel).first().author, alice.tokens.userId());
    QTRY_COMPARE_WITH_TIMEOUT(alice.acked, 1, kWait);
    QCOMPARE(alice.received.value(channel).size(), 1);

    const QString ref = alice.manager->requestHistory(channel, 0, 10);
    QTRY_COMPARE_WITH_TIMEOUT(history.size(), 1, kWait);
    const auto reply = history.first().at(0).value<HistoryEvent>();
    QCOMPARE(reply.ref, ref);
    QCOMPARE(reply.messages.size(), 2); // the channel's `created` (§7 system message), hello bob
    QTRY_COMPARE_WITH_TIMEOUT(alice.store.cachedMessages(channel, 10).size(), 2, kWait);
    QCOMPARE(alice.store.cachedChannels().size(), 1);

    // A restart of natterd (1001 on the way out) is survived with a resume.
    QSignalSpy resumed(bob.manager.get(), &ConnectionManager::resumed);
    QVERIFY(m_server->restart());
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, kWait);
    alice.manager->sendMessage(channel, u"still there?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.value(channel).size(), 2, kWait);
    QVERIFY(alice.failures.isEmpty());
}

void tst_ConnectionManagerNatterd::aRefusedOriginIsToldInWords()
{
    // natterd answers a handshake from an origin it does not allow with 403,
    // which Qt reports as a refused connection: not "is it running?" then.
    const QUrl url = m_server->httpUrl();
    Client alice(url, url, "https://elsewhere.example", m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    alice.manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(alice.manager->lastError(),
                              ConnectionManager::tr("The server does not accept connections "
                                                    "from %1. Its operator can allow that origin "
                                                    "(allow_origin).")
                                  .arg(u"https://elsewhere.example"_s),
                              kWait);
    QVERIFY(alice.manager->state() != State::Connected);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->log().contains("event=origin_refused"), kWait);
}

void tst_ConnectionManagerNatterd::soak()
{
    constexpr int kPerClient = 1000;
    constexpr int kKills = 5;
    constexpr int kCuts = 20;
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    const QUrl url = m_server->httpUrl();
    const QUrl viaProxy(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    Client alice(url, viaProxy, m_server->origin(), m_dir->filePath(u"alice.sqlite"_s));
    Client bob(url, viaProxy, m_server->origin(), m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.tokens.login(u"bob"_s, u"bob-password-1"_s));
    alice.manager->open();
    bob.manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(alice.manager->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.manager->state(), State::Connected, kWait);
    const QString channel = alice.channelId(u"soak"_s);
    QVERIFY(!channel.isEmpty());

    // Both users keep writing at a steady pace, whatever the connection does.
    int written = 0;
    QTimer writer;
    writer.setInterval(40);
    connect(&writer, &QTimer::timeout, this, [&] {
        if (written == kPerClient) {
            writer.stop();
            return;
        }
        alice.manager->sendMessage(channel, u"alice %1"_s.arg(written));
        bob.manager->sendMessage(channel, u"bob %1"_s.arg(written));
        ++written;
    });
    writer.start();

    auto bothConnected = [&] {
        return alice.manager->state() == State::Connected
            && bob.manager->state() == State::Connected;
    };
    int kills = 0;
    int cuts = 0;
    for (int event = 0; event < kKills + kCuts; ++event) {
        // Traffic flows between two blows: wait for acks, not for time.
        const int before = alice.acked + bob.acked;
        QTRY_VERIFY_WITH_TIMEOUT(bothConnected() && alice.acked + bob.acked >= before + 30, 60000);
        if (event % 5 == 2) {
            m_server->kill(); // SIGKILL: no 1001, nothing flushed
            QTRY_VERIFY_WITH_TIMEOUT(!bothConnected(), kWait);
            QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
            ++kills;
        } else {
            proxy.cutAll();
            ++cuts;
        }
    }
    QCOMPARE(kills, kKills);
    QCOMPARE(cuts, kCuts);

    QTRY_VERIFY_WITH_TIMEOUT(written == kPerClient && alice.manager->outbox().isEmpty()
                                 && bob.manager->outbox().isEmpty(),
                             120000);
    QTRY_COMPARE_WITH_TIMEOUT(alice.received.value(channel).size(), 2 * kPerClient, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(bob.received.value(channel).size(), 2 * kPerClient, 60000);
    for (Client *client : {&alice, &bob}) {
        const auto messages = client->received.value(channel);
        QString why;
        QVERIFY2(contiguous(messages, &why), qPrintable(why));
        QVERIFY2(senderOrder(messages, u"alice"_s, kPerClient, &why), qPrintable(why));
        QVERIFY2(senderOrder(messages, u"bob"_s, kPerClient, &why), qPrintable(why));
        QVERIFY2(client->failures.isEmpty(), qPrintable(client->failures.join(u", "_s)));
        QVERIFY(client->store.outbox().isEmpty());
    }
    QCOMPARE(alice.received.value(channel), bob.received.value(channel));
    QCOMPARE(alice.acked, kPerClient);
    QCOMPARE(bob.acked, kPerClient);
}

QTEST_GUILESS_MAIN(tst_ConnectionManagerNatterd)
#include "tst_ConnectionManagerNatterd.moc"
