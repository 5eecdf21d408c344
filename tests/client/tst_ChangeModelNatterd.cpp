// The v2 change model (§6, §7) between two real clients and the real natterd:
// B goes away, A edits an old message, deletes another and writes a new one;
// B comes back and shows exactly the current state (no duplicate, nothing
// re-inserted), keeps it in its local store for a restart without the network,
// ignores a replayed or older copy, and reloads a channel that changed too much
// (resync) without ever showing it empty; an edit natterd cannot take yet is
// sent again and made, not given up.
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"

#include <QFile>
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

// The rows as the person sees them: "text" per confirmed row, "-" for a tombstone.
QStringList rowsOf(const MessageListModel *model)
{
    QStringList rows;
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex idx = model->index(i);
        // The channel's `created` system message (§7) is not one of the test's.
        if (idx.data(MessageListModel::KindRole).toInt() != int(MessageKind::User))
            continue;
        rows.append(idx.data(MessageListModel::DeletedRole).toBool()
                        ? u"-"_s
                        : idx.data(MessageListModel::TextRole).toString());
    }
    return rows;
}

QStringList rowsOf(const QList<Message> &messages)
{
    QStringList rows;
    for (const Message &m : messages) {
        if (m.kind == MessageKind::User) // not the channel's `created` (§7)
            rows.append(m.deleted ? u"-"_s : m.text);
    }
    return rows;
}

Message rowMessage(const MessageListModel *model, int row)
{
    const QModelIndex idx = model->index(row);
    Message m;
    m.id = idx.data(MessageListModel::IdRole).toString();
    m.channel = model->channelId();
    m.seq = idx.data(MessageListModel::SeqRole).toLongLong();
    m.author = idx.data(MessageListModel::AuthorIdRole).toString();
    m.text = idx.data(MessageListModel::TextRole).toString();
    m.ts = idx.data(MessageListModel::TimestampRole).toDateTime();
    m.rev = idx.data(MessageListModel::RevRole).toLongLong();
    m.editedAt = idx.data(MessageListModel::EditedAtRole).toDateTime();
    m.deleted = idx.data(MessageListModel::DeletedRole).toBool();
    return m;
}
} // namespace

class tst_ChangeModelNatterd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void changesWhileAwayShowExactlyTheCurrentState();
    void resyncPastTheLimitReloadsWithoutEmptying();
    void anEditPastTheUserLimitIsSentAgain();

private:
    void startServer(const QStringList &args);

    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ChangeModelNatterd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_ChangeModelNatterd::startServer(const QStringList &args)
{
    m_server = std::make_unique<NatterdProcess>();
    // Before natterd starts: see tst_ConnectionManagerNatterd::init.
    QVERIFY(m_server->addUser(u"alice"_s, u"alice-password-1"_s, u"Alice"_s));
    QVERIFY(m_server->addUser(u"bob"_s, u"bob-password-1"_s, u"Bob"_s));
    QVERIFY2(m_server->addChannel(u"team"_s, {u"alice"_s, u"bob"_s}),
             m_server->lastAdminOutput().constData());
    QVERIFY2(m_server->start(args), qPrintable(m_server->errorString()));
}

void tst_ChangeModelNatterd::cleanup()
{
    if (QTest::currentTestFailed() && m_server)
        qWarning().noquote() << "natterd log tail:\n"
                             << QString::fromUtf8(m_server->log().right(3000));
    m_server.reset();
}

void tst_ChangeModelNatterd::changesWhileAwayShowExactlyTheCurrentState()
{
    startServer({});
    if (QTest::currentTestFailed())
        return;
    const QUrl url = m_server->httpUrl();
    Client alice(url, m_dir->filePath(u"alice.sqlite"_s));
    Client bob(url, m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.login(u"bob"_s, u"bob-password-1"_s));
    alice.start(true);
    bob.start(true);
    QSignalSpy bobResumed(bob.connection.get(), &ConnectionManager::resumed);
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobResumed.size(), 1, kWait);
    const QString channel = alice.channelId(u"team"_s);
    QVERIFY(!channel.isEmpty());
    QCOMPARE(alice.snapshot.protocol, 2);

    MessageListModel *aliceView = alice.session->messages(channel);
    MessageListModel *bobView = bob.session->messages(channel);
    for (const QString &text : {u"one"_s, u"two"_s, u"three"_s, u"four"_s})
        alice.session->sendMessage(channel, text);
    const QStringList before{u"one"_s, u"two"_s, u"three"_s, u"four"_s};
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobView), before, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(aliceView), before, kWait);
    const Message oldOne = rowMessage(bobView, 0);
    QCOMPARE(oldOne.rev, 1);

    // Bob goes away; Alice edits an old message, deletes another, writes a new one.
    bob.connection->close();
    QSignalSpy aliceUpdates(alice.connection.get(), &ConnectionManager::messageUpdated);
    alice.session->editMessage(channel, rowMessage(aliceView, 0).id, {}, u"one (edited)"_s);
    alice.session->deleteMessage(channel, rowMessage(aliceView, 1).id, {});
    alice.session->sendMessage(channel, u"five"_s);
    const QStringList now{u"one (edited)"_s, u"-"_s, u"three"_s, u"four"_s, u"five"_s};
    // Alice's own devices get the change too (§6), and her view follows.
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(aliceView), now, kWait);
    QCOMPARE(aliceUpdates.size(), 2);

    // Bob comes back: exactly the current state, one new row, nothing else inserted.
    QSignalSpy inserted(bobView, &QAbstractItemModel::rowsInserted);
    QSignalSpy deleted(bob.session.get(), &ChatSession::messageDeleted);
    bob.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(bobResumed.size(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobView), now, kWait);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(deleted.size(), 1);
    QVERIFY(bobView->index(0).data(MessageListModel::EditedAtRole).toDateTime().isValid());
    QCOMPARE(bob.connection->lastEv(channel), alice.connection->lastEv(channel));

    // A replayed or older copy changes nothing: the rev-1 copy of the edited
    // message, fed to the model and the store, and a resume with nothing new.
    QVERIFY(!bobView->applyUpdate(oldOne));
    QVERIFY(bob.store->updateMessages({oldOne}));
    QSignalSpy bobUpdates(bob.connection.get(), &ConnectionManager::messageUpdated);
    bob.connection->close();
    bob.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(bobResumed.size(), 3, kWait);
    QCOMPARE(bobUpdates.size(), 0);
    QCOMPARE(rowsOf(bobView), now);

    // Bob restarted without the network: his store shows the current state.
    bob.connection->close();
    bob.start(false);
    MessageListModel *offline = bob.session->messages(channel);
    QCOMPARE(rowsOf(offline), now);
    QVERIFY(offline->index(0).data(MessageListModel::EditedAtRole).toDateTime().isValid());
    QCOMPARE(offline->index(1).data(MessageListModel::DeletedRole).toBool(), true);
}

void tst_ChangeModelNatterd::resyncPastTheLimitReloadsWithoutEmptying()
{
    // The server's 1,000 changed messages, made 3 for the test.
    startServer({u"--resume-change-limit"_s, u"3"_s});
    if (QTest::currentTestFailed())
        return;
    const QUrl url = m_server->httpUrl();
    Client alice(url, m_dir->filePath(u"alice.sqlite"_s));
    Client bob(url, m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(alice.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(bob.login(u"bob"_s, u"bob-password-1"_s));
    alice.start(true);
    bob.start(true);
    QSignalSpy bobResumed(bob.connection.get(), &ConnectionManager::resumed);
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection->state(), State::Connected, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobResumed.size(), 1, kWait);
    const QString channel = alice.channelId(u"team"_s);
    MessageListModel *aliceView = alice.session->messages(channel);
    MessageListModel *bobView = bob.session->messages(channel);
    for (int i = 1; i <= 6; ++i)
        alice.session->sendMessage(channel, u"m%1"_s.arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(bobView->rowCount(), 6, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(aliceView->rowCount(), 6, kWait);

    bob.connection->close();
    for (int i = 0; i < 5; ++i)
        alice.session->editMessage(channel, rowMessage(aliceView, i).id, {},
                                   u"m%1 edited"_s.arg(i + 1));
    alice.session->sendMessage(channel, u"m7"_s);
    QStringList now;
    for (int i = 1; i <= 5; ++i)
        now.append(u"m%1 edited"_s.arg(i));
    now << u"m6"_s << u"m7"_s;
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(aliceView), now, kWait);

    int emptySeen = 0;
    const auto check = [&] {
        emptySeen += bobView->rowCount() == 0;
    };
    connect(bobView, &QAbstractItemModel::rowsRemoved, this, check);
    connect(bobView, &QAbstractItemModel::modelReset, this, check);
    QSignalSpy reloading(bobView, &MessageListModel::reloadingChanged);
    QSignalSpy resyncs(bob.connection.get(), &ConnectionManager::resyncRequired);
    bob.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(resyncs.size(), 1, kWait);
    QCOMPARE(resyncs.first().at(0).value<ResyncEvent>().channel, channel);
    QTRY_COMPARE_WITH_TIMEOUT(reloading.size(), 2, kWait);
    QCOMPARE(reloading.first().at(0).toBool(), true);
    QCOMPARE(rowsOf(bobView), now);
    QCOMPARE(emptySeen, 0);
    // Live again after the reload, and the store holds the fresh state.
    alice.session->sendMessage(channel, u"m8"_s);
    now << u"m8"_s;
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bobView), now, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(bob.store->cachedMessages(channel)), now, kWait);
}

QTEST_GUILESS_MAIN(tst_ChangeModelNatterd)
void tst_ChangeModelNatterd::anEditPastTheUserLimitIsSentAgain()
{
    // natterd takes one send, edit or delete from a user every 2 s (burst 1):
    // Alice's edit right after her message is answered rate_limited.
    const QString config = m_dir->filePath(u"natterd.conf"_s);
    QFile conf(config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[server]\nuser_rate_limit_per_second = 0.5\nuser_rate_limit_burst = 1\n");
    conf.close();
    startServer({u"--config"_s, config});
    if (QTest::currentTestFailed())
        return;
    Client alice(m_server->httpUrl(), m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.login(u"alice"_s, u"alice-password-1"_s));
    alice.start(true);
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection->state(), State::Connected, kWait);
    const QString channel = alice.channelId(u"team"_s);
    QVERIFY(!channel.isEmpty());
    MessageListModel *view = alice.session->messages(channel);
    alice.session->sendMessage(channel, u"frist"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(view), QStringList{u"frist"_s}, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!rowMessage(view, 0).id.isEmpty(), kWait);

    QSignalSpy errors(alice.connection.get(), &ConnectionManager::errorReceived);
    QSignalSpy failed(alice.session.get(), &ChatSession::actionFailed);
    QSignalSpy delayed(alice.connection.get(), &ConnectionManager::actionsDelayed);
    alice.session->editMessage(channel, rowMessage(view, 0).id, {}, u"first"_s);
    // Refused for now, sent again on its own, and made.
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(view), QStringList{u"first"_s}, kWait);
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().at(0).value<ErrorEvent>().code, u"rate_limited"_s);
    QCOMPARE(delayed.size(), 1);
    QCOMPARE(failed.size(), 0);
    // natterd made the edit once (its log comes through a pipe, at times later).
    QTRY_COMPARE_WITH_TIMEOUT(m_server->log().count("event=message_edited"), 1, kWait);
}

#include "tst_ChangeModelNatterd.moc"
