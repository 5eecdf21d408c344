// §7 between two real clients and the real natterd: ten fast reaction toggles
// from two people converge on both; a reply quotes its target and follows its
// edit and deletion; a mention is flagged, notified once and counted in the
// channel list until read. A notification level (§8 notify) set on one device
// reaches the user's other device and decides what notifies there.
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kWait = 20000;

// One client as the desktop builds it: store, connection and session.
struct Client
{
    Client(const QUrl &server, const QString &storePath)
        : tokens(server)
        , m_server(server)
        , m_storePath(storePath)
    { }

    bool login(const QString &user, const QString &password)
    {
        return tokens.login(user, password);
    }

    // (Re)creates store, connection and session, as a program start does.
    void start(bool open)
    {
        session.reset();
        connection.reset();
        store = std::make_unique<LocalStore>(m_storePath);
        store->open();
        connection = std::make_unique<ConnectionManager>(&tokens, store.get());
        ConnectionManager::Options options;
        options.serverUrl = m_server;
        options.clientName = u"natter-test"_s;
        options.backoff.baseMs = 100;
        options.backoff.capMs = 1000;
        options.backoff.floorMs = 50;
        connection->setOptions(options);
        QObject::connect(connection.get(), &ConnectionManager::connected, connection.get(),
                         [this](const ConnectedEvent &e) { snapshot = e; });
        User self;
        self.id = tokens.userId();
        session = std::make_unique<ChatSession>(connection.get(), store.get(), self);
        if (open)
            connection->open();
    }

    QString channelId(const QString &name) const
    {
        for (const Channel &c : snapshot.channels)
            if (c.name == name)
                return c.id;
        return {};
    }

    HttpTokenProvider tokens;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<ConnectionManager> connection;
    std::unique_ptr<ChatSession> session;
    ConnectedEvent snapshot;

private:
    QUrl m_server;
    QString m_storePath;
};

QStringList chipsOf(const MessageListModel *model, int row)
{
    QStringList chips;
    for (const QVariant &v : model->index(row).data(MessageListModel::ReactionsRole).toList()) {
        const QVariantMap x = v.toMap();
        chips.append(u"%1 %2%3"_s.arg(x.value(u"emoji"_s).toString())
                         .arg(x.value(u"count"_s).toInt())
                         .arg(x.value(u"mine"_s).toBool() ? u" mine"_s : QString()));
    }
    return chips;
}

QVariantMap replyOf(const MessageListModel *model, int row)
{
    return model->index(row).data(MessageListModel::ReplyToRole).toMap();
}

int answersTo(const QSignalSpy &updates)
{
    int answers = 0;
    for (const auto &args : updates)
        answers += !args.at(0).value<MessageUpdatedEvent>().ref.isEmpty();
    return answers;
}

int mentionBadge(ChatSession *session, const QString &channel)
{
    const auto *channels = session->channels();
    return channels->index(channels->rowOf(channel))
        .data(ChannelListModel::MentionCountRole)
        .toInt();
}
} // namespace

class tst_ConversationNatterd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void tenFastTogglesFromTwoPeopleConverge();
    void replyFollowsItsTargetAndMentionIsCounted();
    void notifyLevelReachesOtherDeviceAndFiltersNotifications();

private:
    void startServer();

    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ConversationNatterd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_ConversationNatterd::startServer()
{
    m_server = std::make_unique<NatterdProcess>();
    // Before natterd starts: see tst_ConnectionManagerNatterd::init.
    QVERIFY(m_server->addUser(u"alice"_s, u"alice-password-1"_s, u"Alice"_s));
    QVERIFY(m_server->addUser(u"bob"_s, u"bob-password-1"_s, u"Bob"_s));
    QVERIFY2(m_server->addChannel(u"team"_s, {u"alice"_s, u"bob"_s}),
             m_server->lastAdminOutput().constData());
    QVERIFY2(m_server->start({}), qPrintable(m_server->errorString()));
}

void tst_ConversationNatterd::cleanup()
{
    if (QTest::currentTestFailed() && m_server)
        qWarning().noquote() << "natterd log tail:\n"
                             << QString::fromUtf8(m_server->log().right(3000));
    m_server.reset();
}

void tst_ConversationNatterd::tenFastTogglesFromTwoPeopleConverge()
{
    startServer();
    if (QTest::currentTestFailed())
        return;
    Client alice(m_server->httpUrl(), m_dir->filePath(u"alice.sqlite"_s));
    Client bob(m_server->httpUrl(), m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.login(u"bob"_s, u"bob-password-1"_s));
    alice.start(true);
    bob.start(true);
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.connection->state(), State::Connected, kWait);
    const QString channel = alice.channelId(u"team"_s);
    QVERIFY(!channel.isEmpty());
    MessageListModel *aliceView = alice.session->messages(channel);
    MessageListModel *bobView = bob.session->messages(channel);
    alice.session->sendMessage(channel, u"react to this"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bobView->rowCount(), 1, kWait);
    // seq 1 is the channel's `created` system message (§7), read already and
    // not loaded into the view.
    QTRY_COMPARE_WITH_TIMEOUT(aliceView->index(0).data(MessageListModel::SeqRole).toLongLong(), 2,
                              kWait);
    const QString id = aliceView->index(0).data(MessageListModel::IdRole).toString();

    // Ten toggles each, interleaved, as fast as the clicks go: alice ends with
    // her 👍 off, bob with his on (his first "off" changes nothing).
    QSignalSpy aliceUpdates(alice.connection.get(), &ConnectionManager::messageUpdated);
    QSignalSpy bobUpdates(bob.connection.get(), &ConnectionManager::messageUpdated);
    for (int i = 0; i < 10; ++i) {
        alice.session->react(channel, id, u"👍"_s, i % 2 == 0);
        bob.session->react(channel, id, u"👍"_s, i % 2 == 1);
    }
    // Every toggle is answered; 19 of them changed the message (rev 1 + 19).
    QTRY_COMPARE_WITH_TIMEOUT(answersTo(aliceUpdates), 10, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(answersTo(bobUpdates), 10, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(aliceView->index(0).data(MessageListModel::RevRole).toLongLong(), 20,
                              kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobView->index(0).data(MessageListModel::RevRole).toLongLong(), 20,
                              kWait);
    QCOMPARE(chipsOf(aliceView, 0), QStringList{u"👍 1"_s});
    QCOMPARE(chipsOf(bobView, 0), QStringList{u"👍 1 mine"_s});
    const QVariantMap chip =
        aliceView->index(0).data(MessageListModel::ReactionsRole).toList()[0].toMap();
    QCOMPARE(chip.value(u"users"_s).toStringList(), QStringList{bob.tokens.userId()});
    QCOMPARE(chip.value(u"names"_s).toStringList(), QStringList{u"Bob"_s});
    // Both caches hold the same state for the next start.
    QTRY_COMPARE_WITH_TIMEOUT(alice.store->cachedMessage(id).value_or(Message{}).rev, 20, kWait);
    QCOMPARE(alice.store->cachedMessage(id)->reactions,
             bob.store->cachedMessage(id).value_or(Message{}).reactions);
}

void tst_ConversationNatterd::replyFollowsItsTargetAndMentionIsCounted()
{
    startServer();
    if (QTest::currentTestFailed())
        return;
    Client alice(m_server->httpUrl(), m_dir->filePath(u"alice.sqlite"_s));
    Client bob(m_server->httpUrl(), m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.login(u"bob"_s, u"bob-password-1"_s));
    alice.start(true);
    bob.start(true);
    QSignalSpy aliceResumed(alice.connection.get(), &ConnectionManager::resumed);
    QTRY_COMPARE_WITH_TIMEOUT(aliceResumed.size(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.connection->state(), State::Connected, kWait);
    const QString channel = alice.channelId(u"team"_s);
    MessageListModel *aliceView = alice.session->messages(channel);
    MessageListModel *bobView = bob.session->messages(channel);
    QSignalSpy notified(alice.session.get(), &ChatSession::notifiableMessage);

    alice.session->sendMessage(channel, u"lunch?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bobView->rowCount(), 1, kWait);
    const QString question = bobView->index(0).data(MessageListModel::IdRole).toString();
    bob.session->sendMessage(channel, u"@alice noon, `@alice` in code is no mention"_s, question);
    QTRY_COMPARE_WITH_TIMEOUT(aliceView->rowCount(), 2, kWait);
    // The server computed the mention; alice sees it flagged, quoted, notified once.
    QCOMPARE(aliceView->index(1).data(MessageListModel::MentionsMeRole).toBool(), true);
    QCOMPARE(aliceView->index(1).data(MessageListModel::MentionsRole).toStringList(),
             QStringList{alice.tokens.userId()});
    QCOMPARE(replyOf(aliceView, 1).value(u"excerpt"_s).toString(), u"lunch?"_s);
    QCOMPARE(replyOf(aliceView, 1).value(u"authorName"_s).toString(), u"Alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(mentionBadge(alice.session.get(), channel), 1, kWait);
    // Bob's own copy of the reply has the server's R too.
    QTRY_COMPARE_WITH_TIMEOUT(replyOf(bobView, 1).value(u"id"_s).toString(), question, kWait);

    // The server's own count after a reconnect says the same.
    alice.connection->close();
    alice.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(aliceResumed.size(), 2, kWait);
    QCOMPARE(mentionBadge(alice.session.get(), channel), 1);
    QCOMPARE(notified.size(), 1); // the reconnect is no news

    // The target is edited, then deleted: bob's quote follows.
    alice.session->editMessage(channel,
                               aliceView->index(0).data(MessageListModel::IdRole).toString(), {},
                               u"lunch today?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(replyOf(bobView, 1).value(u"excerpt"_s).toString(), u"lunch today?"_s,
                              kWait);
    alice.session->deleteMessage(channel,
                                 aliceView->index(0).data(MessageListModel::IdRole).toString(), {});
    QTRY_VERIFY_WITH_TIMEOUT(replyOf(bobView, 1).value(u"deleted"_s).toBool(), kWait);
    QCOMPARE(replyOf(bobView, 1).value(u"excerpt"_s).toString(), QString());

    // Read: no unread mention, here and on the server.
    alice.session->markChannelRead(channel);
    QCOMPARE(mentionBadge(alice.session.get(), channel), 0);
    alice.connection->close();
    alice.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(aliceResumed.size(), 3, kWait);
    QCOMPARE(mentionBadge(alice.session.get(), channel), 0);
}

void tst_ConversationNatterd::notifyLevelReachesOtherDeviceAndFiltersNotifications()
{
    startServer();
    if (QTest::currentTestFailed())
        return;
    // alice on two devices (a phone and a desktop), and bob.
    Client phone(m_server->httpUrl(), m_dir->filePath(u"phone.sqlite"_s));
    Client desktop(m_server->httpUrl(), m_dir->filePath(u"desktop.sqlite"_s));
    Client bob(m_server->httpUrl(), m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(phone.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(desktop.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.login(u"bob"_s, u"bob-password-1"_s));
    phone.start(true);
    desktop.start(true);
    bob.start(true);
    QSignalSpy desktopResumed(desktop.connection.get(), &ConnectionManager::resumed);
    QTRY_COMPARE_WITH_TIMEOUT(desktopResumed.size(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(phone.connection->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.connection->state(), State::Connected, kWait);
    const QString channel = desktop.channelId(u"team"_s);
    const auto levelOn = [&channel](Client &c) {
        const auto *channels = c.session->channels();
        return NotifyLevel(channels->index(channels->rowOf(channel))
                               .data(ChannelListModel::NotifyLevelRole)
                               .toInt());
    };
    QCOMPARE(levelOn(desktop), NotifyLevel::All);
    MessageListModel *desktopView = desktop.session->messages(channel);
    QSignalSpy notified(desktop.session.get(), &ChatSession::notifiableMessage);
    const auto notifiedTexts = [&notified] {
        QStringList texts;
        for (const auto &args : std::as_const(notified))
            texts.append(args.at(0).value<Message>().text);
        return texts;
    };
    const QString bobChannel = bob.channelId(u"team"_s);
    const auto bobSays = [&](const QString &text) {
        const int before = desktopView->rowCount();
        bob.session->sendMessage(bobChannel, text);
        QTRY_COMPARE_WITH_TIMEOUT(desktopView->rowCount(), before + 1, kWait);
    };

    // Mentions only, chosen on the phone: the desktop learns it from the server.
    phone.session->setNotifyLevel(channel, NotifyLevel::Mentions);
    QTRY_COMPARE_WITH_TIMEOUT(levelOn(desktop), NotifyLevel::Mentions, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(levelOn(phone), NotifyLevel::Mentions, kWait);
    bobSays(u"plain words"_s);
    bobSays(u"@alice a question"_s);
    QCOMPARE(notifiedTexts(), QStringList{u"@alice a question"_s});

    // Nothing: not even a mention notifies. The level survives a reconnect.
    phone.session->setNotifyLevel(channel, NotifyLevel::None);
    QTRY_COMPARE_WITH_TIMEOUT(levelOn(desktop), NotifyLevel::None, kWait);
    desktop.connection->close();
    desktop.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(desktopResumed.size(), 2, kWait);
    QCOMPARE(levelOn(desktop), NotifyLevel::None);
    bobSays(u"@alice are you there?"_s);
    bobSays(u"anyone?"_s);
    QCOMPARE(notifiedTexts(), QStringList{u"@alice a question"_s});

    // Back to every message, from the desktop this time.
    desktop.session->setNotifyLevel(channel, NotifyLevel::All);
    QTRY_COMPARE_WITH_TIMEOUT(levelOn(phone), NotifyLevel::All, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(levelOn(desktop), NotifyLevel::All, kWait);
    bobSays(u"hello again"_s);
    QCOMPARE(notifiedTexts(), (QStringList{u"@alice a question"_s, u"hello again"_s}));
}

QTEST_GUILESS_MAIN(tst_ConversationNatterd)
#include "tst_ConversationNatterd.moc"
