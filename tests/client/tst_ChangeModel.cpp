// The v2 change model (§6, §7, §13) on the client, end to end through the real
// ConnectionManager, ChatSession, MessageListModel and LocalStore, against a
// scripted v2 peer (ScriptedPeer with v2 on): edits and deletes live and on
// resume, frames twice and out of order, last_ev, resync, the outbox rules and
// refusals — what the person sees in the message list.
#include "ScriptedPeer.h"
#include "StaticTokenProvider.h"
#include "net/ConnectionManager.h"
#include "protocol/Codec.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
constexpr int kWait = 10000;

ConnectionManager::Options fastOptions(const QUrl &server)
{
    ConnectionManager::Options o;
    o.serverUrl = server;
    o.connectTimeoutMs = 3000;
    o.authTimeoutMs = 2000;
    o.backoff.baseMs = 50;
    o.backoff.capMs = 400;
    o.backoff.floorMs = 20;
    return o;
}

// The confirmed rows as the person sees them: "seq:text" ("seq:-" a tombstone).
QStringList rowsOf(const MessageListModel *model)
{
    QStringList rows;
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex idx = model->index(i);
        if (idx.data(MessageListModel::DeliveryStateRole).toInt()
            != int(MessageListModel::DeliveryState::Sent)) {
            rows.append(u"pending:"_s + idx.data(MessageListModel::TextRole).toString());
            continue;
        }
        rows.append(u"%1:%2"_s.arg(idx.data(MessageListModel::SeqRole).toLongLong())
                        .arg(idx.data(MessageListModel::DeletedRole).toBool()
                                 ? u"-"_s
                                 : idx.data(MessageListModel::TextRole).toString()));
    }
    return rows;
}

QStringList rowsOf(const QList<Message> &log)
{
    QStringList rows;
    for (const Message &m : log)
        rows.append(u"%1:%2"_s.arg(m.seq).arg(m.deleted ? u"-"_s : m.text));
    return rows;
}
} // namespace

class tst_ChangeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void liveEditAndDeleteReplaceTheRow();
    void updateTwiceOrOutOfOrderChangesNothing();
    void updateOfAMessageNotHeldIsNotShown();
    void resumeBringsChangesMadeWhileAway();
    void lastEvWaitsForResumed();
    void restartShowsTheEditOffline();
    void editRightAfterTheMessageIsKeptOffline();
    void resyncReloadsWithoutEmptying();
    void resyncReloadSurvivesADrop();
    void editOfAPendingMessageGoesAfterItsAck();
    void deleteOfAnUnsentMessageRemovesIt();
    void editOfAPendingMessageSurvivesARestart();
    void refusedChangeIsExplained();
    void aChangeTheServerCannotTakeYetIsSentAgain();
    void aChangeNotTakenYetSurvivesARestart();
    void aDeleteHeldBackStandsOverALaterEdit();
    void aDelayedChangeOfAMessageDeletedMeanwhile();
    void adminFlagReachesTheSession();
    void v1ServerIsSpokenToAsBefore();
    void cacheFromAV1ServerIsReloadedByAV2One();

private:
    struct Client
    {
        std::unique_ptr<LocalStore> store;
        std::unique_ptr<ConnectionManager> connection;
        std::unique_ptr<ChatSession> session;
    };
    Client makeClient(const QString &storeName, bool open = true);

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<StaticTokenProvider> m_tokens;
    std::unique_ptr<QTemporaryDir> m_dir;
    QUrl m_url;
};

void tst_ChangeModel::init()
{
    m_peer = std::make_unique<ScriptedPeer>();
    m_peer->v2 = true;
    QVERIFY(m_peer->listen());
    m_url = m_peer->httpUrl();
    m_tokens = std::make_unique<StaticTokenProvider>(u"good"_s);
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_ChangeModel::cleanup()
{
    m_peer.reset();
    m_tokens.reset();
}

tst_ChangeModel::Client tst_ChangeModel::makeClient(const QString &storeName, bool open)
{
    Client c;
    c.store = std::make_unique<LocalStore>(m_dir->filePath(storeName));
    if (!c.store->open())
        qFatal("store");
    c.connection = std::make_unique<ConnectionManager>(m_tokens.get(), c.store.get());
    c.connection->setOptions(fastOptions(m_url));
    c.session = std::make_unique<ChatSession>(c.connection.get(), c.store.get(),
                                              User{u"u1"_s, u"alice"_s, {}, {}, {}});
    if (open) {
        QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
        c.connection->open();
        if (!resumed.wait(kWait))
            qFatal("no resume");
    }
    return c;
}

void tst_ChangeModel::liveEditAndDeleteReplaceTheRow()
{
    const Message first = m_peer->addMessage(u"c1"_s, u"u2"_s, u"hello"_s, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"second"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:hello"_s, u"2:second"_s}), kWait);
    QSignalSpy deleted(c.session.get(), &ChatSession::messageDeleted);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);

    m_peer->changeMessage(u"c1"_s, first.id, u"hello, edited"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:hello, edited"_s, u"2:second"_s}),
                              kWait);
    QCOMPARE(model->index(0).data(MessageListModel::RevRole).toLongLong(), 2);
    QVERIFY(model->index(0).data(MessageListModel::EditedAtRole).toDateTime().isValid());
    QVERIFY(!model->index(1).data(MessageListModel::EditedAtRole).toDateTime().isValid());

    m_peer->changeMessage(u"c1"_s, m_peer->messages(u"c1"_s).at(1).id, {}, true);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:hello, edited"_s, u"2:-"_s}), kWait);
    QCOMPARE(model->index(1).data(MessageListModel::TextRole).toString(), QString());
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.first().at(1).toString(), m_peer->messages(u"c1"_s).at(1).id);
    QCOMPARE(inserted.size(), 0); // an update is never a new row
    // The channel list's preview follows the newest message's deletion.
    const int row = c.session->channels()->rowOf(u"c1"_s);
    QCOMPARE(
        c.session->channels()->index(row).data(ChannelListModel::LastMessageTextRole).toString(),
        u"Message deleted"_s);
}

void tst_ChangeModel::updateTwiceOrOutOfOrderChangesNothing()
{
    const Message m = m_peer->addMessage(u"c1"_s, u"u2"_s, u"v1"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:v1"_s}, kWait);

    // The server's rev 2 and rev 3 are held back; they arrive reversed and twice.
    const Message rev2 = m_peer->changeMessage(u"c1"_s, m.id, u"v2"_s, false, false);
    const Message rev3 = m_peer->changeMessage(u"c1"_s, m.id, u"v3"_s, false, false);
    const auto frame = [](const Message &msg) {
        return Codec::encodeMessageUpdatedFrame(MessageUpdatedEvent{{}, MessageChange::Edit, msg});
    };
    QSignalSpy updates(c.connection.get(), &ConnectionManager::messageUpdated);
    m_peer->sendToAll(frame(rev3));
    m_peer->sendToAll(frame(rev2));
    m_peer->sendToAll(frame(rev3));
    // A `message` frame repeating the first version changes nothing either.
    m_peer->sendToAll(Codec::encodeMessageFrame(m));
    // A marker: once this arrives, everything before it has been handled.
    const Message marker = m_peer->addMessage(u"c1"_s, u"u2"_s, u"marker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:v3"_s, u"2:marker"_s}), kWait);
    QCOMPARE(model->index(0).data(MessageListModel::RevRole).toLongLong(), 3);
    QCOMPARE(updates.size(), 1); // the repeats and the older rev were not even passed on
    QCOMPARE(c.connection->lastEv(u"c1"_s), marker.ev);
    // The store converged on the same state.
    const QList<Message> cached = c.store->cachedMessages(u"c1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(c.store->cachedMessages(u"c1"_s)),
                              (QStringList{u"1:v3"_s, u"2:marker"_s}), kWait);
}

void tst_ChangeModel::updateOfAMessageNotHeldIsNotShown()
{
    for (int i = 1; i <= 5; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"old %1"_s.arg(i), false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    // The model holds only the newest two.
    model->historyLoaded({m_peer->messages(u"c1"_s).at(3), m_peer->messages(u"c1"_s).at(4)}, true);
    QCOMPARE(rowsOf(model), (QStringList{u"4:old 4"_s, u"5:old 5"_s}));
    QSignalSpy deleted(c.session.get(), &ChatSession::messageDeleted);
    m_peer->changeMessage(u"c1"_s, m_peer->messages(u"c1"_s).at(0).id, u"edited long ago"_s);
    m_peer->changeMessage(u"c1"_s, m_peer->messages(u"c1"_s).at(1).id, {}, true);
    m_peer->changeMessage(u"c1"_s, m_peer->messages(u"c1"_s).at(4).id, u"new 5"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"4:old 4"_s, u"5:new 5"_s}), kWait);
    QCOMPARE(deleted.size(), 0); // not a message this person could have been shown
    // Scrolling up later shows the current state of the older ones.
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), rowsOf(m_peer->messages(u"c1"_s)), kWait);
}

void tst_ChangeModel::resumeBringsChangesMadeWhileAway()
{
    for (int i = 1; i <= 4; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"m%1"_s.arg(i), false);
    Client c = makeClient(u"b.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, kWait);
    // Live frames move last_ev (here: a message that is then edited, both live).
    const Message live = m_peer->addMessage(u"c1"_s, u"u2"_s, u"m5"_s);
    m_peer->changeMessage(u"c1"_s, live.id, u"m5 edited live"_s);
    QTRY_COMPARE_WITH_TIMEOUT(c.connection->lastEv(u"c1"_s), m_peer->lastEv(u"c1"_s), kWait);
    const qint64 evBefore = c.connection->lastEv(u"c1"_s);

    c.connection->close();
    const auto log = m_peer->messages(u"c1"_s);
    m_peer->changeMessage(u"c1"_s, log.at(0).id, u"m1 edited"_s, false, false);
    m_peer->changeMessage(u"c1"_s, log.at(2).id, {}, true, false);
    m_peer->changeMessage(u"c1"_s, log.at(0).id, u"m1 edited twice"_s, false, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"m6 while away"_s, false);

    const Message gone = m_peer->addMessage(u"c1"_s, u"u2"_s, u"m7 sent and deleted"_s, false);
    m_peer->changeMessage(u"c1"_s, gone.id, {}, true, false);

    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy updates(c.connection.get(), &ConnectionManager::messageUpdated);
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    QSignalSpy notified(c.session.get(), &ChatSession::notifiableMessage);
    c.connection->open();
    QVERIFY(resumed.wait(kWait));
    const QJsonObject auth = m_peer->authenticates.last();
    QCOMPARE(auth.value(u"resume_ev").toObject().value(u"c1").toInteger(), evBefore);
    QCOMPARE(auth.value(u"resume").toObject().value(u"c1").toInteger(), 5);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), rowsOf(m_peer->messages(u"c1"_s)), kWait);
    QCOMPARE(rowsOf(model),
             (QStringList{u"1:m1 edited twice"_s, u"2:m2"_s, u"3:-"_s, u"4:m4"_s,
                          u"5:m5 edited live"_s, u"6:m6 while away"_s, u"7:-"_s}));
    int insertedRows = 0;
    for (const auto &args : std::as_const(inserted))
        insertedRows += args.at(2).toInt() - args.at(1).toInt() + 1;
    QCOMPARE(insertedRows, 2); // only the two new messages are new rows
    // The one sent and deleted while away is no news to be notified about.
    QCOMPARE(notified.size(), 1);
    QCOMPARE(notified.first().at(0).value<Message>().text, u"m6 while away"_s);
    QCOMPARE(updates.size(), 2); // one frame per changed message, however often it changed
    QCOMPARE(c.connection->lastEv(u"c1"_s), m_peer->lastEv(u"c1"_s));
}

void tst_ChangeModel::lastEvWaitsForResumed()
{
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"one"_s, false);
    Client c = makeClient(u"b.sqlite"_s);
    QCOMPARE(c.connection->lastEv(u"c1"_s), m_peer->lastEv(u"c1"_s));
    const qint64 before = c.connection->lastEv(u"c1"_s);
    c.connection->close();
    const Message away = m_peer->addMessage(u"c1"_s, u"u2"_s, u"two"_s, false);
    m_peer->changeMessage(u"c1"_s, away.id, u"two, edited"_s, false, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"three"_s, false);

    // While the replay runs, last_ev stays where it was (§6).
    QList<qint64> evDuringReplay;
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    connect(c.connection.get(), &ConnectionManager::messageReceived, this,
            [&](const Message &) { evDuringReplay.append(c.connection->lastEv(u"c1"_s)); });
    c.connection->open();
    QVERIFY(resumed.wait(kWait));
    QCOMPARE(evDuringReplay, (QList<qint64>{before, before}));
    QCOMPARE(c.connection->lastEv(u"c1"_s), m_peer->lastEv(u"c1"_s));
    // And it is kept across a restart for the next resume_ev.
    c.session.reset();
    c.connection.reset();
    QCOMPARE(c.store->lastEvs().value(u"c1"_s), m_peer->lastEv(u"c1"_s));
}

void tst_ChangeModel::restartShowsTheEditOffline()
{
    for (int i = 1; i <= 3; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"m%1"_s.arg(i), false);
    {
        Client c = makeClient(u"b.sqlite"_s);
        MessageListModel *model = c.session->messages(u"c1"_s);
        model->fetchMore({});
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kWait);
        const auto log = m_peer->messages(u"c1"_s);
        m_peer->changeMessage(u"c1"_s, log.at(1).id, u"m2 edited"_s);
        m_peer->changeMessage(u"c1"_s, log.at(2).id, {}, true);
        QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model),
                                  (QStringList{u"1:m1"_s, u"2:m2 edited"_s, u"3:-"_s}), kWait);
    }
    // Restarted with the server gone: the local store shows the current state.
    m_peer.reset();
    Client offline = makeClient(u"b.sqlite"_s, false);
    MessageListModel *model = offline.session->messages(u"c1"_s);
    QCOMPARE(rowsOf(model), (QStringList{u"1:m1"_s, u"2:m2 edited"_s, u"3:-"_s}));
    QVERIFY(model->index(1).data(MessageListModel::EditedAtRole).toDateTime().isValid());
    QCOMPARE(model->index(1).data(MessageListModel::RevRole).toLongLong(), 2);
}

void tst_ChangeModel::editRightAfterTheMessageIsKeptOffline()
{
    // The message and its edit arrive together, before the client's cache batch
    // (100 ms) has written the message: the edit must not be lost on disk.
    {
        Client c = makeClient(u"b.sqlite"_s);
        MessageListModel *model = c.session->messages(u"c1"_s); // resumed already
        const Message sent = m_peer->addMessage(u"c1"_s, u"u2"_s, u"the plan is redy"_s);
        m_peer->changeMessage(u"c1"_s, sent.id, u"the plan is ready"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:the plan is ready"_s}, kWait);
    }
    m_peer.reset();
    Client offline = makeClient(u"b.sqlite"_s, false);
    QCOMPARE(rowsOf(offline.session->messages(u"c1"_s)), QStringList{u"1:the plan is ready"_s});
}

void tst_ChangeModel::resyncReloadsWithoutEmptying()
{
    m_peer->resyncLimit = 3; // the server's 1,000, smaller
    for (int i = 1; i <= 6; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"m%1"_s.arg(i), false);
    Client c = makeClient(u"b.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 6, kWait);
    c.connection->close();
    const auto log = m_peer->messages(u"c1"_s);
    for (int i = 0; i < 4; ++i)
        m_peer->changeMessage(u"c1"_s, log.at(i).id, u"m%1 edited"_s.arg(i + 1), false, false);
    m_peer->changeMessage(u"c1"_s, log.at(4).id, {}, true, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"m7"_s, false);

    // Never empty: checked at every change of the rows.
    int emptySeen = 0;
    const auto check = [&] {
        emptySeen += model->rowCount() == 0;
    };
    connect(model, &QAbstractItemModel::rowsRemoved, this, check);
    connect(model, &QAbstractItemModel::modelReset, this, check);
    connect(model, &QAbstractItemModel::layoutChanged, this, check);
    QSignalSpy reloading(model, &MessageListModel::reloadingChanged);
    QSignalSpy resyncs(c.connection.get(), &ConnectionManager::resyncRequired);
    c.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(resyncs.size(), 1, kWait);
    QVERIFY(model->isReloading() || reloading.size() == 2);
    QTRY_COMPARE_WITH_TIMEOUT(reloading.size(), 2, kWait);
    QCOMPARE(reloading.at(0).at(0).toBool(), true);
    QCOMPARE(reloading.at(1).at(0).toBool(), false);
    QVERIFY(!model->isReloading());
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), rowsOf(m_peer->messages(u"c1"_s)), kWait);
    QCOMPARE(emptySeen, 0);
    // The reload went by `history`, not by the replay: and live messages continue.
    QVERIFY(std::any_of(m_peer->frames.cbegin(), m_peer->frames.cend(), [](const QJsonObject &f) {
        return f.value(u"type").toString() == u"history" && !f.contains(u"before_seq");
    }));
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"m8"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 8, kWait);
    QCOMPARE(rowsOf(model), rowsOf(m_peer->messages(u"c1"_s)));
    // The fresh state is what the store keeps.
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(c.store->cachedMessages(u"c1"_s)),
                              rowsOf(m_peer->messages(u"c1"_s)), kWait);
}

void tst_ChangeModel::resyncReloadSurvivesADrop()
{
    m_peer->resyncLimit = 1;
    for (int i = 1; i <= 3; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"m%1"_s.arg(i), false);
    Client c = makeClient(u"b.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kWait);
    c.connection->close();
    const auto log = m_peer->messages(u"c1"_s);
    m_peer->changeMessage(u"c1"_s, log.at(0).id, u"m1 edited"_s, false, false);
    m_peer->changeMessage(u"c1"_s, log.at(1).id, {}, true, false);

    // The reload's page is never answered on this connection, which then drops.
    m_peer->answerHistory = false;
    QSignalSpy resyncs(c.connection.get(), &ConnectionManager::resyncRequired);
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    const auto historyRequests = [this] {
        return std::count_if(
            m_peer->frames.cbegin(), m_peer->frames.cend(),
            [](const QJsonObject &f) { return f.value(u"type").toString() == u"history"_s; });
    };
    const auto before = historyRequests();
    c.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(resyncs.size(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(historyRequests(), before + 1, kWait);
    QVERIFY(model->isReloading());
    QCOMPARE(rowsOf(model), (QStringList{u"1:m1"_s, u"2:m2"_s, u"3:m3"_s})); // kept meanwhile
    m_peer->answerHistory = true;
    m_peer->abortAll();
    // Asked again after the next resume; then the fresh state, never empty.
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 2, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isReloading(), kWait);
    QCOMPARE(rowsOf(model), (QStringList{u"1:m1 edited"_s, u"2:-"_s, u"3:m3"_s}));
}

void tst_ChangeModel::editOfAPendingMessageGoesAfterItsAck()
{
    Client c = makeClient(u"a.sqlite"_s, false);
    MessageListModel *model = c.session->messages(u"c1"_s);
    c.session->sendMessage(u"c1"_s, u"typo"_s);
    const QString clientMsgId = c.connection->outbox(u"c1"_s).first().clientMsgId;
    c.session->editMessage(u"c1"_s, {}, clientMsgId, u"fixed"_s);
    QCOMPARE(rowsOf(model), QStringList{u"pending:typo"_s});
    c.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:fixed"_s}, kWait);
    QStringList types;
    for (const QJsonObject &f : std::as_const(m_peer->frames))
        types.append(f.value(u"type").toString());
    QCOMPARE(types.filter(QRegularExpression(u"^(send|edit)$"_s)),
             (QStringList{u"send"_s, u"edit"_s}));
    const QJsonObject edit = m_peer->frames.at(types.indexOf(u"edit"_s));
    QCOMPARE(edit.value(u"id").toString(), m_peer->messages(u"c1"_s).first().id);
    QCOMPARE(model->index(0).data(MessageListModel::RevRole).toLongLong(), 2);
}

void tst_ChangeModel::editOfAPendingMessageSurvivesARestart()
{
    {
        Client before = makeClient(u"a.sqlite"_s, false);
        before.session->messages(u"c1"_s);
        before.session->sendMessage(u"c1"_s, u"tpyo"_s);
        const QString clientMsgId = before.connection->outbox(u"c1"_s).first().clientMsgId;
        before.session->editMessage(u"c1"_s, {}, clientMsgId, u"typo fixed"_s);
    }
    // The program ended before anything was sent; the next start sends both.
    Client after = makeClient(u"a.sqlite"_s, false);
    MessageListModel *model = after.session->messages(u"c1"_s);
    QCOMPARE(rowsOf(model), QStringList{u"pending:tpyo"_s});
    after.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:typo fixed"_s}, kWait);
    QVERIFY(after.store->heldActions().isEmpty());
}

void tst_ChangeModel::deleteOfAnUnsentMessageRemovesIt()
{
    Client c = makeClient(u"a.sqlite"_s, false);
    MessageListModel *model = c.session->messages(u"c1"_s);
    c.session->sendMessage(u"c1"_s, u"keep"_s);
    c.session->sendMessage(u"c1"_s, u"oops"_s);
    const QString oops = c.connection->outbox(u"c1"_s).last().clientMsgId;
    c.session->deleteMessage(u"c1"_s, {}, oops);
    QCOMPARE(rowsOf(model), QStringList{u"pending:keep"_s});
    QCOMPARE(c.connection->outbox(u"c1"_s).size(), 1);
    c.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:keep"_s}, kWait);
    for (const QJsonObject &f : std::as_const(m_peer->frames)) {
        QVERIFY(f.value(u"text").toString() != u"oops"_s);
        QVERIFY(f.value(u"type").toString() != u"delete"_s);
    }
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 1);
}

void tst_ChangeModel::refusedChangeIsExplained()
{
    const Message theirs = m_peer->addMessage(u"c1"_s, u"u2"_s, u"not yours"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy failed(c.session.get(), &ChatSession::actionFailed);
    c.session->editMessage(u"c1"_s, theirs.id, {}, u"mine now"_s);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWait);
    QCOMPARE(failed.first().at(0).toString(), u"c1"_s);
    QCOMPARE(failed.first().at(1).toString(), u"You are not allowed to change this message."_s);
    c.session->deleteMessage(u"c1"_s, u"no-such-id"_s, {});
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, kWait);
    QCOMPARE(failed.last().at(1).toString(), u"This message no longer exists."_s);
    // An unsent message that is no longer in the outbox: said at once.
    c.session->editMessage(u"c1"_s, {}, u"discarded-long-ago"_s, u"text"_s);
    QCOMPARE(failed.size(), 3);
    QCOMPARE(failed.last().at(1).toString(), u"This message no longer exists."_s);
    QCOMPARE(m_peer->messages(u"c1"_s).first().text, u"not yours"_s);
}

void tst_ChangeModel::aChangeTheServerCannotTakeYetIsSentAgain()
{
    const Message mine = m_peer->addMessage(u"c1"_s, u"u1"_s, u"first draft"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy failed(c.session.get(), &ChatSession::actionFailed);
    QSignalSpy delayed(c.connection.get(), &ConnectionManager::actionsDelayed);
    // The server cannot take the next two changes (rate_limited): the first
    // edit and the reaction. The second edit, made right after, is taken.
    m_peer->busyChanges = 2;
    c.session->editMessage(u"c1"_s, mine.id, {}, u"second draft"_s);
    c.session->react(u"c1"_s, mine.id, u"👍"_s, true);
    c.session->editMessage(u"c1"_s, mine.id, {}, u"final"_s);
    const auto changeFrames = [&] {
        QStringList seen;
        for (const QJsonObject &f : std::as_const(m_peer->frames)) {
            const QString type = f.value(u"type").toString();
            if (type == u"edit")
                seen << u"edit "_s + f.value(u"text").toString();
            else if (type == u"react")
                seen << u"react "_s + f.value(u"emoji").toString();
        }
        return seen;
    };
    // The reaction goes out again on its own, and is made. The first edit is
    // not sent again: the newer one stands, and the older would undo it.
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().reactions.size(), 1, kWait);
    QCOMPARE(changeFrames(),
             (QStringList{u"edit second draft"_s, u"react 👍"_s, u"edit final"_s, u"react 👍"_s}));
    QCOMPARE(m_peer->messages(u"c1"_s).first().text, u"final"_s);
    // Nothing was given up, and the wait was said once.
    QCOMPARE(failed.size(), 0);
    QCOMPARE(delayed.size(), 1);
}

void tst_ChangeModel::aChangeNotTakenYetSurvivesARestart()
{
    const Message mine = m_peer->addMessage(u"c1"_s, u"u1"_s, u"before"_s, false);
    {
        Client c = makeClient(u"a.sqlite"_s);
        QSignalSpy errors(c.connection.get(), &ConnectionManager::errorReceived);
        m_peer->busyChanges = 3;
        c.session->editMessage(u"c1"_s, mine.id, {}, u"after"_s);
        c.session->react(u"c1"_s, mine.id, u"👍"_s, true);
        c.session->react(u"c1"_s, mine.id, u"🎉"_s, true);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 3, kWait);
    } // quits before a second has passed: nothing was sent again yet
    QCOMPARE(m_peer->messages(u"c1"_s).first().text, u"before"_s);

    // The next start sends them after its resume, and they are made.
    qsizetype framesBefore = 0;
    {
        Client again = makeClient(u"a.sqlite"_s);
        QSignalSpy answered(again.connection.get(), &ConnectionManager::messageUpdated);
        QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().text, u"after"_s, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().reactions.size(), 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 3, kWait);
        framesBefore = m_peer->frames.size();
    }
    // Answered: a third start has nothing left to send before its own edit.
    Client third = makeClient(u"a.sqlite"_s);
    third.session->editMessage(u"c1"_s, mine.id, {}, u"synced"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().text, u"synced"_s, kWait);
    QStringList changes;
    for (qsizetype i = framesBefore; i < m_peer->frames.size(); ++i) {
        const QJsonObject &f = m_peer->frames.at(i);
        const QString type = f.value(u"type").toString();
        if (type == u"edit" || type == u"react" || type == u"delete")
            changes << type + u' ' + f.value(u"text").toString();
    }
    QCOMPARE(changes, QStringList{u"edit synced"_s});
}

void tst_ChangeModel::aDeleteHeldBackStandsOverALaterEdit()
{
    // The delete is answered rate_limited; an edit of the same message made
    // right after it is taken. The delete still goes out again (an edit never
    // overtakes it), and the message ends deleted.
    const Message mine = m_peer->addMessage(u"c1"_s, u"u1"_s, u"regrettable"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy failed(c.session.get(), &ChatSession::actionFailed);
    m_peer->busyChanges = 1;
    c.session->deleteMessage(u"c1"_s, mine.id, {});
    c.session->editMessage(u"c1"_s, mine.id, {}, u"less regrettable"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().deleted, kWait);
    QCOMPARE(failed.size(), 0);
}

void tst_ChangeModel::aDelayedChangeOfAMessageDeletedMeanwhile()
{
    // A delete and an edit are answered rate_limited; before they go out again
    // their messages are deleted elsewhere (another device, an admin), so both
    // retries are answered not_found. The delete wanted what happened: nothing
    // is said. The edit is refused, and its text comes with the refusal (the
    // window keeps it as the draft).
    const Message gone = m_peer->addMessage(u"c1"_s, u"u1"_s, u"to delete"_s, false);
    const Message edited = m_peer->addMessage(u"c1"_s, u"u1"_s, u"to edit"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy failed(c.session.get(), &ChatSession::actionFailed);
    QSignalSpy errors(c.connection.get(), &ConnectionManager::errorReceived);
    m_peer->busyChanges = 2;
    c.session->deleteMessage(u"c1"_s, gone.id, {});
    c.session->editMessage(u"c1"_s, edited.id, {}, u"edited too late"_s);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 2, kWait);
    m_peer->changeMessage(u"c1"_s, gone.id, {}, true);
    m_peer->changeMessage(u"c1"_s, edited.id, {}, true);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 4, kWait);
    for (const QList<QVariant> &e : std::as_const(errors).mid(2))
        QCOMPARE(e.at(0).value<ErrorEvent>().code, u"not_found"_s);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).toString(), u"This message no longer exists."_s);
    QCOMPARE(failed.first().at(2).toString(), u"edited too late"_s);
}

void tst_ChangeModel::adminFlagReachesTheSession()
{
    m_peer->selfIsAdmin = true;
    const Message theirs = m_peer->addMessage(u"c1"_s, u"u2"_s, u"spam"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QVERIFY(c.session->isAdmin());
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWait);
    c.session->deleteMessage(u"c1"_s, theirs.id, {});
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"1:-"_s}, kWait);
}

void tst_ChangeModel::v1ServerIsSpokenToAsBefore()
{
    m_peer->v2 = false;
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"old"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    QVERIFY(!c.session->isAdmin());
    QCOMPARE(c.connection->lastEv(u"c1"_s), -1); // nothing to claim
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"live"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), QStringList{u"2:live"_s}, kWait);
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    c.connection->close();
    c.connection->open();
    QVERIFY(resumed.wait(kWait));
    // resume as in v1, and no resume_ev: a v1 server never numbered changes.
    const QJsonObject auth = m_peer->authenticates.last();
    QCOMPARE(auth.value(u"resume").toObject().value(u"c1").toInteger(), 2);
    QVERIFY(!auth.contains(u"resume_ev"));
    QCOMPARE(model->index(0).data(MessageListModel::RevRole).toLongLong(), 0);
}

void tst_ChangeModel::cacheFromAV1ServerIsReloadedByAV2One()
{
    // A client that cached a channel from a v1 server has no last_ev for it, so
    // it cannot ask a v2 server for the changes since: an edit made after the
    // server's upgrade must still reach it.
    m_peer->v2 = false;
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"first"_s, false);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"second"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:first"_s, u"2:second"_s}), kWait);
    c.connection->close();

    m_peer->v2 = true; // the server is upgraded; someone edits while we are away
    m_peer->changeMessage(u"c1"_s, m_peer->messages(u"c1"_s).at(0).id, u"first, edited"_s, false,
                          false);
    QSignalSpy resyncs(c.connection.get(), &ConnectionManager::resyncRequired);
    c.connection->open();
    QTRY_COMPARE_WITH_TIMEOUT(resyncs.size(), 1, kWait);
    QVERIFY(!m_peer->authenticates.last().value(u"resume_ev").toObject().contains(u"c1"));
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model), (QStringList{u"1:first, edited"_s, u"2:second"_s}),
                              kWait);
    // From now on the channel resumes by ev: no second reload.
    QVERIFY(c.connection->lastEv(u"c1"_s) >= 0);
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    c.connection->close();
    c.connection->open();
    QVERIFY(resumed.wait(kWait));
    QVERIFY(m_peer->authenticates.last().value(u"resume_ev").toObject().contains(u"c1"));
    QCOMPARE(resyncs.size(), 1);
}

QTEST_GUILESS_MAIN(tst_ChangeModel)
#include "tst_ChangeModel.moc"
