// §7 reactions, quote-replies and @mentions on the client, end to end through the
// real ConnectionManager, ChatSession, models and LocalStore, against a scripted
// v2 peer: what the person sees (chips, quotes, the mention badge) and which
// notifications fire, with frames out of order, fast toggles from two devices,
// targets edited and deleted, restarts.
#include "ScriptedPeer.h"
#include "StaticTokenProvider.h"
#include "net/ConnectionManager.h"
#include "protocol/Codec.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"

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

// The reaction chips of row `row` as a delegate would draw them:
// "emoji count [mine] users...".
QStringList chipsOf(const MessageListModel *model, int row)
{
    QStringList chips;
    const QVariantList list = model->index(row).data(MessageListModel::ReactionsRole).toList();
    for (const QVariant &v : list) {
        const QVariantMap x = v.toMap();
        chips.append(u"%1 %2%3 %4"_s.arg(x.value(u"emoji"_s).toString())
                         .arg(x.value(u"count"_s).toInt())
                         .arg(x.value(u"mine"_s).toBool() ? u" mine"_s : QString())
                         .arg(x.value(u"users"_s).toStringList().join(u',')));
    }
    return chips;
}

QVariantMap replyOf(const MessageListModel *model, int row)
{
    return model->index(row).data(MessageListModel::ReplyToRole).toMap();
}

int rowWithText(const MessageListModel *model, const QString &text)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i).data(MessageListModel::TextRole).toString() == text)
            return i;
    }
    return -1;
}

int mentionBadge(ChatSession *session, const QString &channel)
{
    const auto *channels = session->channels();
    return channels->index(channels->rowOf(channel))
        .data(ChannelListModel::MentionCountRole)
        .toInt();
}
} // namespace

class tst_Conversation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void reactionFramesOutOfOrderConvergeByRev();
    void tenFastTogglesFromTwoDevicesConverge();
    void refusedReactionIsExplained();
    void replyQuotesTheHeldTargetAndFollowsIt();
    void replyToATargetNotHeldShowsTheServersExcerpt();
    void replyToADeletedTargetFails();
    void mentionNotifiesOnceAndIsWithdrawnOnDelete();
    void mentionCountFollowsLiveMentionsAndReads();
    void editAfterRestartOfAMentionDoesNotNotifyAgain();
    void mentionTakenOutAndPutBackDoesNotNotifyAgain();

private:
    struct Client
    {
        std::unique_ptr<StaticTokenProvider> tokens;
        std::unique_ptr<LocalStore> store;
        std::unique_ptr<ConnectionManager> connection;
        std::unique_ptr<ChatSession> session;
    };
    Client makeClient(const QString &storeName, const QString &token = u"good"_s, bool open = true);

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Conversation::init()
{
    m_peer = std::make_unique<ScriptedPeer>();
    m_peer->v2 = true;
    m_peer->validTokens.insert(u"bob-token"_s);
    m_peer->tokenUsers.insert(u"bob-token"_s, u"u2"_s);
    QVERIFY(m_peer->listen());
    m_dir = std::make_unique<QTemporaryDir>();
}

void tst_Conversation::cleanup()
{
    m_peer.reset();
}

tst_Conversation::Client tst_Conversation::makeClient(const QString &storeName,
                                                      const QString &token, bool open)
{
    Client c;
    c.tokens = std::make_unique<StaticTokenProvider>(token);
    c.store = std::make_unique<LocalStore>(m_dir->filePath(storeName));
    if (!c.store->open())
        qFatal("store");
    c.connection = std::make_unique<ConnectionManager>(c.tokens.get(), c.store.get());
    c.connection->setOptions(fastOptions(m_peer->httpUrl()));
    const User self = token == u"bob-token" ? User{u"u2"_s, u"bob"_s, {}, {}, {}}
                                            : User{u"u1"_s, u"alice"_s, {}, {}, {}};
    c.session = std::make_unique<ChatSession>(c.connection.get(), c.store.get(), self);
    if (open) {
        QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
        c.connection->open();
        if (!resumed.wait(kWait))
            qFatal("no resume");
    }
    return c;
}

void tst_Conversation::reactionFramesOutOfOrderConvergeByRev()
{
    const Message m = m_peer->addMessage(u"c1"_s, u"u2"_s, u"react to me"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWait);
    QVERIFY(chipsOf(model, 0).isEmpty());

    // rev 2: bob 👍; rev 3: alice 🎉; rev 4: bob takes 👍 back; rev 5: alice 👍 again.
    QList<Message> revs;
    revs.append(m_peer->reactAs(u"u2"_s, u"c1"_s, m.id, u"👍"_s, true, false));
    revs.append(m_peer->reactAs(u"u1"_s, u"c1"_s, m.id, u"🎉"_s, true, false));
    revs.append(m_peer->reactAs(u"u2"_s, u"c1"_s, m.id, u"👍"_s, false, false));
    revs.append(m_peer->reactAs(u"u1"_s, u"c1"_s, m.id, u"👍"_s, true, false));
    QCOMPARE(revs.last().rev, 5);
    const auto frame = [](const Message &msg) {
        return Codec::encodeMessageUpdatedFrame(
            MessageUpdatedEvent{{}, MessageChange::Reaction, msg});
    };
    // Newest first, then the older ones, one of them twice.
    for (int i : {3, 1, 0, 2, 1})
        m_peer->sendToAll(frame(revs.at(i)));
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"marker"_s); // everything before it is handled
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, kWait);
    // 🎉 first: after 👍 left the list it came back later (§13 order of (re)appearance).
    QCOMPARE(chipsOf(model, 0), (QStringList{u"🎉 1 mine u1"_s, u"👍 1 mine u1"_s}));
    QCOMPARE(model->index(0).data(MessageListModel::RevRole).toLongLong(), 5);
    // Names for a tooltip, from the people we know.
    const QVariantMap first =
        model->index(0).data(MessageListModel::ReactionsRole).toList()[0].toMap();
    QCOMPARE(first.value(u"names"_s).toStringList(), QStringList{u"Alice"_s});
    // The cache converged on the same state: a restart shows the same chips.
    QTRY_COMPARE_WITH_TIMEOUT(c.store->cachedMessages(u"c1"_s).value(0).reactions,
                              revs.last().reactions, kWait);
}

void tst_Conversation::tenFastTogglesFromTwoDevicesConverge()
{
    const Message m = m_peer->addMessage(u"c1"_s, u"u2"_s, u"toggle"_s, false);
    Client alice = makeClient(u"alice.sqlite"_s);
    Client bob = makeClient(u"bob.sqlite"_s, u"bob-token"_s);
    MessageListModel *aliceModel = alice.session->messages(u"c1"_s);
    MessageListModel *bobModel = bob.session->messages(u"c1"_s);
    aliceModel->fetchMore({});
    bobModel->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(aliceModel->rowCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobModel->rowCount(), 1, kWait);

    // Ten toggles each, as fast as the clicks go, interleaved: alice ends with
    // her 👍 off, bob with his on (his first "off" is a no-change answer).
    for (int i = 0; i < 10; ++i) {
        alice.session->react(u"c1"_s, m.id, u"👍"_s, i % 2 == 0);
        bob.session->react(u"c1"_s, m.id, u"👍"_s, i % 2 == 1);
    }
    // 10 real changes by alice, 9 by bob: rev 1 + 19.
    QTRY_COMPARE_WITH_TIMEOUT(m_peer->messages(u"c1"_s).first().rev, 20, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(aliceModel->index(0).data(MessageListModel::RevRole).toLongLong(), 20,
                              kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobModel->index(0).data(MessageListModel::RevRole).toLongLong(), 20,
                              kWait);
    QCOMPARE(chipsOf(aliceModel, 0), QStringList{u"👍 1 u2"_s});
    QCOMPARE(chipsOf(bobModel, 0), QStringList{u"👍 1 mine u2"_s});
    QCOMPARE(m_peer->messages(u"c1"_s).first().reactions,
             (QList<Reaction>{Reaction{u"👍"_s, 1, {u"u2"_s}}}));
    // A chip click toggles from what the model shows: bob's goes off.
    bob.session->toggleReaction(u"c1"_s, m.id, u"👍"_s);
    QTRY_VERIFY_WITH_TIMEOUT(chipsOf(aliceModel, 0).isEmpty(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(chipsOf(bobModel, 0).isEmpty(), kWait);
}

void tst_Conversation::refusedReactionIsExplained()
{
    const Message m = m_peer->addMessage(u"c1"_s, u"u2"_s, u"full"_s, false);
    for (int i = 0; i < 50; ++i)
        m_peer->reactAs(u"u2"_s, u"c1"_s, m.id, u"e%1"_s.arg(i), true, false);
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy failed(c.session.get(), &ChatSession::actionFailed);
    c.session->react(u"c1"_s, m.id, u"🦀"_s, true);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWait);
    QCOMPARE(failed.first().at(1).toString(),
             u"This message already has as many different reactions as it can take."_s);
    // A message still waiting in the outbox has no id to react to: said at once.
    c.session->react(u"c1"_s, {}, u"👍"_s, true);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(failed.last().at(1).toString(), u"This message has not been sent yet."_s);
}

void tst_Conversation::replyQuotesTheHeldTargetAndFollowsIt()
{
    const Message target = m_peer->addMessage(u"c1"_s, u"u2"_s, u"what time is lunch?"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWait);

    c.session->sendMessage(u"c1"_s, u"noon"_s, target.id);
    // The pending row already quotes the target, from our own copy.
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(replyOf(model, 1).value(u"excerpt"_s).toString(), u"what time is lunch?"_s);
    QCOMPARE(replyOf(model, 1).value(u"held"_s).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(1).data(MessageListModel::SeqRole).toLongLong(), 2,
                              kWait);
    QVariantMap quote = replyOf(model, 1);
    QCOMPARE(quote.value(u"id"_s).toString(), target.id);
    QCOMPARE(quote.value(u"seq"_s).toLongLong(), 1);
    QCOMPARE(quote.value(u"authorId"_s).toString(), u"u2"_s);
    QCOMPARE(quote.value(u"excerpt"_s).toString(), u"what time is lunch?"_s);
    QCOMPARE(quote.value(u"deleted"_s).toBool(), false);
    QVERIFY(replyOf(model, 0).isEmpty()); // not a reply
    // The frame carried the target's id.
    bool sentWithReply = false;
    for (const QJsonObject &f : std::as_const(m_peer->frames))
        sentWithReply |= f.value(u"type"_s) == u"send"_s && f.value(u"reply_to"_s) == target.id;
    QVERIFY(sentWithReply);

    // The target is edited: the quote shows the new text at once.
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    m_peer->changeMessage(u"c1"_s, target.id, u"what time is lunch today?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(replyOf(model, 1).value(u"excerpt"_s).toString(),
                              u"what time is lunch today?"_s, kWait);
    bool replyRowChanged = false;
    for (const auto &args : std::as_const(changed))
        replyRowChanged |= args.at(0).toModelIndex().row() <= 1
            && args.at(1).toModelIndex().row() >= 1
            && args.at(2).value<QList<int>>().contains(MessageListModel::ReplyToRole);
    QVERIFY(replyRowChanged); // a view repaints the quote

    // The target is deleted: the quote says so, without the old text.
    m_peer->changeMessage(u"c1"_s, target.id, {}, true);
    QTRY_VERIFY_WITH_TIMEOUT(replyOf(model, 1).value(u"deleted"_s).toBool(), kWait);
    QCOMPARE(replyOf(model, 1).value(u"excerpt"_s).toString(), QString());
    QCOMPARE(model->index(1).data(MessageListModel::TextRole).toString(), u"noon"_s);
}

void tst_Conversation::replyToATargetNotHeldShowsTheServersExcerpt()
{
    const Message old = m_peer->addMessage(u"c1"_s, u"u2"_s, u"an old question"_s, false);
    for (int i = 0; i < 5; ++i)
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"filler %1"_s.arg(i), false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    // The model holds only the newest message; bob answers the old one live.
    model->historyLoaded({m_peer->messages(u"c1"_s).last()}, true);
    Client bob = makeClient(u"bob.sqlite"_s, u"bob-token"_s);
    bob.session->sendMessage(u"c1"_s, u"an old answer"_s, old.id);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, kWait);
    const QVariantMap quote = replyOf(model, 1);
    QCOMPARE(quote.value(u"held"_s).toBool(), false);
    QCOMPARE(quote.value(u"excerpt"_s).toString(), u"an old question"_s);
    QCOMPARE(quote.value(u"seq"_s).toLongLong(), 1);
    QCOMPARE(quote.value(u"authorName"_s).toString(), u"u2"_s); // bob is no known person here
    // The target is edited; a later copy of the reply (same rev) carries the new
    // excerpt, and the quote shows it.
    m_peer->changeMessage(u"c1"_s, old.id, u"an old question, edited"_s);
    const Message fresh = m_peer->messages(u"c1"_s).last();
    QCOMPARE(fresh.rev, 1);
    model->historyLoaded({fresh}, true);
    QCOMPARE(replyOf(model, 1).value(u"excerpt"_s).toString(), u"an old question, edited"_s);
    // Scrolling up brings the target: from then on the quote is our own copy.
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 7, kWait);
    QCOMPARE(replyOf(model, 6).value(u"held"_s).toBool(), true);
}

void tst_Conversation::replyToADeletedTargetFails()
{
    const Message target = m_peer->addMessage(u"c1"_s, u"u2"_s, u"soon gone"_s, false);
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    model->fetchMore({});
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWait);
    // Deleted on the server before our reply reaches it.
    m_peer->changeMessage(u"c1"_s, target.id, {}, true, false);
    c.session->sendMessage(u"c1"_s, u"too late"_s, target.id);
    const int row = rowWithText(model, u"too late"_s);
    QVERIFY(row >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(row).data(MessageListModel::DeliveryStateRole).toInt(),
                              int(MessageListModel::DeliveryState::Failed), kWait);
    QCOMPARE(model->index(row).data(MessageListModel::ErrorRole).toString(),
             u"The message you replied to no longer exists."_s);
    QCOMPARE(m_peer->messages(u"c1"_s).size(), 1);
}

void tst_Conversation::mentionNotifiesOnceAndIsWithdrawnOnDelete()
{
    Client c = makeClient(u"a.sqlite"_s);
    MessageListModel *model = c.session->messages(u"c1"_s);
    QSignalSpy notified(c.session.get(), &ChatSession::notifiableMessage);
    QSignalSpy deleted(c.session.get(), &ChatSession::messageDeleted);
    // What the notifications were about: "text" and whether they mention us.
    const auto notifications = [&] {
        QStringList list;
        for (const auto &args : std::as_const(notified)) {
            const Message m = args.at(0).value<Message>();
            list.append(m.text + (m.mentionsUser(u"u1"_s) ? u" [@me]"_s : QString()));
        }
        return list;
    };

    const Message mention = m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice lunch?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(notifications(), QStringList{u"@alice lunch? [@me]"_s}, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWait);
    QCOMPARE(model->index(0).data(MessageListModel::MentionsMeRole).toBool(), true);
    QCOMPARE(model->index(0).data(MessageListModel::MentionsRole).toStringList(),
             QStringList{u"u1"_s});

    // An unrelated edit of a message that already mentioned us: no second notification.
    m_peer->changeMessage(u"c1"_s, mention.id, u"@alice lunch at noon?"_s);
    // A plain message, then an edit that adds the mention: a notification each.
    const Message plain = m_peer->addMessage(u"c1"_s, u"u2"_s, u"who is in?"_s);
    m_peer->changeMessage(u"c1"_s, plain.id, u"who is in? @alice?"_s);
    // A second edit keeps the mention: nothing new.
    m_peer->changeMessage(u"c1"_s, plain.id, u"who is in, @alice?"_s);
    const Message marker = m_peer->addMessage(u"c1"_s, u"u2"_s, u"marker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(notifications(),
                              (QStringList{u"@alice lunch? [@me]"_s, u"who is in?"_s,
                                           u"who is in? @alice? [@me]"_s, u"marker"_s}),
                              kWait);
    QCOMPARE(notified.at(2).at(0).value<Message>().id, plain.id);
    QCOMPARE(model->index(1).data(MessageListModel::MentionsMeRole).toBool(), true);
    QCOMPARE(model->index(2).data(MessageListModel::MentionsMeRole).toBool(), false);
    Q_UNUSED(marker);

    // Deleted: the notification shown for it is withdrawn (ChatWindow closes it).
    m_peer->changeMessage(u"c1"_s, mention.id, {}, true);
    QTRY_COMPARE_WITH_TIMEOUT(deleted.size(), 1, kWait);
    QCOMPARE(deleted.first().at(1).toString(), mention.id);
    QCOMPARE(model->index(0).data(MessageListModel::MentionsMeRole).toBool(), false);
    QCOMPARE(notified.size(), 4);

    // In the channel the person is looking at, nothing pops up.
    c.session->setActiveChannel(u"c1"_s);
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice here?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, kWait);
    QCOMPARE(notified.size(), 4);
}

void tst_Conversation::mentionCountFollowsLiveMentionsAndReads()
{
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice before"_s, false);
    m_peer->mentionCounts.insert(u"c1"_s, 1); // as the server counts it
    Client c = makeClient(u"a.sqlite"_s);
    QCOMPARE(mentionBadge(c.session.get(), u"c1"_s), 1);
    QCOMPARE(c.session->channels()->totalMentions(), 1);

    const Message live = m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice live"_s);
    QTRY_COMPARE_WITH_TIMEOUT(mentionBadge(c.session.get(), u"c1"_s), 2, kWait);
    const Message plain = m_peer->addMessage(u"c1"_s, u"u2"_s, u"plain"_s);
    m_peer->changeMessage(u"c1"_s, plain.id, u"plain @alice"_s); // an edit adds one
    QTRY_COMPARE_WITH_TIMEOUT(mentionBadge(c.session.get(), u"c1"_s), 3, kWait);
    m_peer->changeMessage(u"c1"_s, live.id, {}, true); // a delete removes one
    QTRY_COMPARE_WITH_TIMEOUT(mentionBadge(c.session.get(), u"c1"_s), 2, kWait);
    // Reading everything leaves no unread mention.
    c.session->markChannelRead(u"c1"_s);
    QCOMPARE(mentionBadge(c.session.get(), u"c1"_s), 0);
    QCOMPARE(c.session->channels()->totalMentions(), 0);
    // The server's count is what a later `connected` says, and it is kept offline.
    c.connection->close();
    m_peer->mentionCounts.insert(u"c1"_s, 4);
    QSignalSpy resumed(c.connection.get(), &ConnectionManager::resumed);
    c.connection->open();
    QVERIFY(resumed.wait(kWait));
    QCOMPARE(mentionBadge(c.session.get(), u"c1"_s), 4);
    QCOMPARE(c.store->cachedChannels().first().mentionCount, 4);
}

void tst_Conversation::editAfterRestartOfAMentionDoesNotNotifyAgain()
{
    {
        Client before = makeClient(u"a.sqlite"_s);
        QSignalSpy notified(before.session.get(), &ChatSession::notifiableMessage);
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice one"_s);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kWait);
        m_peer->addMessage(u"c1"_s, u"u2"_s, u"two"_s);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, kWait);
        // Leaving the scope ends the program: the cache is written.
    }
    // While we were away (no channel open after the restart): an unrelated edit
    // of the mention, and an edit that adds one to the other message.
    const auto log = m_peer->messages(u"c1"_s);
    m_peer->changeMessage(u"c1"_s, log.at(0).id, u"@alice one, edited"_s, false, false);
    m_peer->changeMessage(u"c1"_s, log.at(1).id, u"two @alice"_s, false, false);
    Client after = makeClient(u"a.sqlite"_s, u"good"_s, false);
    QSignalSpy notified(after.session.get(), &ChatSession::notifiableMessage);
    QSignalSpy resumed(after.connection.get(), &ConnectionManager::resumed);
    after.connection->open();
    QVERIFY(resumed.wait(kWait));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kWait);
    QCOMPARE(notified.first().at(0).value<Message>().text, u"two @alice"_s);
    // The edited mention was held in the cache: not news. A marker settles it.
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"marker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, kWait);
    QCOMPARE(notified.last().at(0).value<Message>().text, u"marker"_s);
}

void tst_Conversation::mentionTakenOutAndPutBackDoesNotNotifyAgain()
{
    // §7: "an edit never makes an old one new again". An audit had a member
    // edit one message between "@channel ping" and "quiet" ten times a second,
    // and every member was notified at each "ping".
    Client c = makeClient(u"a.sqlite"_s);
    QSignalSpy notified(c.session.get(), &ChatSession::notifiableMessage);
    const Message plain = m_peer->addMessage(u"c1"_s, u"u2"_s, u"who is in?"_s);
    // Taken in by an edit: new (a notification); out, and in again: not new.
    for (int i = 0; i < 3; ++i) {
        m_peer->changeMessage(u"c1"_s, plain.id, u"who is in? @alice"_s);
        m_peer->changeMessage(u"c1"_s, plain.id, u"who is in?"_s);
    }
    const Message mention = m_peer->addMessage(u"c1"_s, u"u2"_s, u"@alice lunch?"_s);
    for (int i = 0; i < 3; ++i) {
        m_peer->changeMessage(u"c1"_s, mention.id, u"lunch?"_s);
        m_peer->changeMessage(u"c1"_s, mention.id, u"@alice lunch?"_s);
    }
    m_peer->addMessage(u"c1"_s, u"u2"_s, u"marker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 4, kWait);
    QCOMPARE(notified.last().at(0).value<Message>().text, u"marker"_s);
    QStringList texts;
    for (const auto &args : std::as_const(notified))
        texts << args.at(0).value<Message>().text;
    QCOMPARE(
        texts,
        (QStringList{u"who is in?"_s, u"who is in? @alice"_s, u"@alice lunch?"_s, u"marker"_s}));
}

QTEST_GUILESS_MAIN(tst_Conversation)
#include "tst_Conversation.moc"
