// The conversation's actions in two real desktop clients (DesktopController +
// ChatWindow, offscreen) talking through the real natterd: who `@` offers,
// `@channel` asking first, the message toolbar, the reaction picker and
// jumping to a quoted message that is not loaded yet (issue 13).
#include "ForgetDrafts.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/MessageDelegate.h"
#include "chat/MessageToolbar.h"
#include "chat/ReactionPicker.h"
#include "chat/ReplyBar.h"
#include "models/MessageListModel.h"
#include "models/PresenceModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QCompleter>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Natter;

namespace {

struct Client
{
    MemoryTokenStore tokens;
    std::unique_ptr<DesktopController> controller;

    ChatWindow *window() const { return controller->window(); }
    ChatSession *chat() const { return controller->chat(); }
};

QString channelId(ChatSession *chat, const QString &name)
{
    const auto *channels = chat->channels();
    for (int i = 0; i < channels->rowCount(); ++i) {
        if (channels->index(i).data(ChannelListModel::NameRole).toString() == name)
            return channels->index(i).data(ChannelListModel::IdRole).toString();
    }
    return {};
}

QString lastText(const MessageListModel *model)
{
    return model->index(model->rowCount() - 1).data(MessageListModel::TextRole).toString();
}

QString lastId(const MessageListModel *model)
{
    return model->index(model->rowCount() - 1).data(MessageListModel::IdRole).toString();
}

// The row of the message `id` as the window's message view shows it.
QModelIndex rowOf(ChatWindow *win, const QString &id)
{
    const QAbstractItemModel *model = win->messageView()->model();
    for (int i = model->rowCount() - 1; i >= 0; --i) {
        if (model->index(i, 0).data(MessageListModel::IdRole).toString() == id)
            return model->index(i, 0);
    }
    return {};
}

// What a screen reader reads as the widget's name (its accessible interface).
QString accessibleName(QWidget *widget)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
    return iface ? iface->text(QAccessible::Name) : QStringLiteral("<no interface>");
}

ReactionPicker *activePicker()
{
    return qobject_cast<ReactionPicker *>(QApplication::activeModalWidget());
}

// What the mention popup offers, as shown.
QStringList offered(QCompleter *completer)
{
    QStringList out;
    for (int i = 0; i < completer->completionModel()->rowCount(); ++i)
        out << completer->completionModel()->index(i, 0).data().toString();
    return out;
}

QMessageBox *notifyEveryoneBox()
{
    auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
    return box && box->objectName() == u"notifyEveryoneBox" ? box : nullptr;
}

} // namespace

class tst_ConversationActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void atOffersOnlyTheChannelsMembersWithBothNames();
    void atChannelInABigChannelAsksFirst();
    void aRefusedEditStaysOutOfAMessageThatWaits();
    void emojiNamesComeFromUnicode();
    void toolbarOverAMessageByMouseAndKeyboard();
    void pickerSearchesThumbsAndReacts();
    void quoteOfAnOlderMessageLoadsHistoryUntilItIsThere();
    void olderPagesLoadAtTheTopNotAtTheBottom();

private:
    std::unique_ptr<Client> signIn(const QString &user);

    NatterdProcess m_server;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
};

void tst_ConversationActions::initTestCase()
{
    const QStringList people{QStringLiteral("alice"), QStringLiteral("bob"),
                             QStringLiteral("carol"), QStringLiteral("dave"),
                             QStringLiteral("erin"),  QStringLiteral("frank")};
    for (const QString &name : people) {
        QString display = name;
        display[0] = display.at(0).toUpper();
        QVERIFY2(m_server.addUser(name, name + QStringLiteral("-pw-123"), display),
                 m_server.lastAdminOutput().constData());
    }
    QVERIFY(m_server.addChannel(QStringLiteral("general"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY(m_server.addChannel(QStringLiteral("all-hands"), people));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Client> tst_ConversationActions::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + QStringLiteral("-pw-123");
    client->controller = std::make_unique<DesktopController>(
        Profile(QStringLiteral("tst-conversation-") + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    return client;
}

void tst_ConversationActions::init()
{
    m_alice = signIn(QStringLiteral("alice"));
    QVERIFY(m_alice);
    m_bob = signIn(QStringLiteral("bob"));
    QVERIFY(m_bob);
    for (Client *c : {m_alice.get(), m_bob.get()}) {
        c->window()->openChannel(channelId(c->chat(), QStringLiteral("general")));
        QVERIFY(!c->window()->currentChannel().isEmpty());
    }
}

void tst_ConversationActions::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
}

void tst_ConversationActions::atOffersOnlyTheChannelsMembersWithBothNames()
{
    ChatWindow *win = m_alice->window();
    Composer *composer = win->composer();
    QCompleter *completer = composer->mentionCompleter();
    QVERIFY(completer);

    // #general is alice and bob: carol is known (from #all-hands) but no member.
    QTest::keyClicks(composer, QStringLiteral("hi @ca"));
    QVERIFY(!completer->popup()->isVisible());
    composer->clear();
    QTest::keyClicks(composer, QStringLiteral("hi @"));
    QTest::keyClicks(composer, QStringLiteral("b"));
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(offered(completer), QStringList{QStringLiteral("Bob (@bob)")});
    QTest::keyClick(completer->popup(), Qt::Key_Escape);
    composer->clear();

    // In #all-hands she gets everyone but herself.
    win->openChannel(channelId(m_alice->chat(), QStringLiteral("all-hands")));
    QTest::keyClicks(composer, QStringLiteral("@e"));
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(offered(completer), QStringList{QStringLiteral("Erin (@erin)")});
    QTest::keyClick(completer->popup(), Qt::Key_Escape);
    composer->clear();
    QTest::keyClicks(composer, QStringLiteral("ping @"));
    QTest::keyClicks(composer, QStringLiteral("a"));
    QVERIFY(!completer->popup()->isVisible()); // alice herself is not offered
    QTest::keyClick(composer, Qt::Key_Backspace);
    QTest::keyClicks(composer, QStringLiteral("d"));
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(offered(completer), QStringList{QStringLiteral("Dave (@dave)")});
    QCOMPARE(completer->popup()->currentIndex().data(PresenceModel::UsernameRole).toString(),
             QStringLiteral("dave"));
    QTest::keyClick(completer->popup(), Qt::Key_Return);
    QTRY_COMPARE(composer->toPlainText(), QStringLiteral("ping @dave "));
}

void tst_ConversationActions::atChannelInABigChannelAsksFirst()
{
    // #general has two members: @channel goes out without a question.
    ChatWindow *win = m_alice->window();
    Composer *composer = win->composer();
    auto *bobGeneral = m_bob->chat()->messages(m_bob->window()->currentChannel());
    QTest::keyClicks(composer, QStringLiteral("@channel small news"));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(!notifyEveryoneBox());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobGeneral), QStringLiteral("@channel small news"), 10000);

    // #all-hands has six: alice is asked. Esc keeps the draft and sends nothing.
    const QString allHands = channelId(m_alice->chat(), QStringLiteral("all-hands"));
    m_bob->window()->openChannel(channelId(m_bob->chat(), QStringLiteral("all-hands")));
    auto *bobAllHands = m_bob->chat()->messages(m_bob->window()->currentChannel());
    win->openChannel(allHands);
    auto *aliceAllHands = m_alice->chat()->messages(allHands);
    const int rows = aliceAllHands->rowCount();
    QTest::keyClicks(composer, QStringLiteral("@channel standup moved to 10:00"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY(notifyEveryoneBox());
    QMessageBox *box = notifyEveryoneBox();
    QVERIFY(QTest::qWaitForWindowActive(box));
    QVERIFY2(box->text().contains(QStringLiteral("5 other members of #all-hands")),
             qPrintable(box->text()));
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!notifyEveryoneBox());
    QCOMPARE(composer->toPlainText(), QStringLiteral("@channel standup moved to 10:00"));
    QCOMPARE(aliceAllHands->rowCount(), rows); // nothing sent

    // `@channel` in code notifies nobody (§7): no question.
    composer->clear();
    QTest::keyClicks(composer, QStringLiteral("type `@channel` to ping all"));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(!notifyEveryoneBox());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobAllHands), QStringLiteral("type `@channel` to ping all"),
                              10000);

    // Asked again, Enter (the default button) sends; bob is mentioned.
    QTest::keyClicks(composer, QStringLiteral("@channel standup moved to 10:00"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY(notifyEveryoneBox());
    QVERIFY(QTest::qWaitForWindowActive(notifyEveryoneBox()));
    QTest::keyClick(notifyEveryoneBox(), Qt::Key_Return);
    QTRY_VERIFY(!notifyEveryoneBox());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobAllHands),
                              QStringLiteral("@channel standup moved to 10:00"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bobAllHands->index(bobAllHands->rowCount() - 1)
                                 .data(MessageListModel::MentionsMeRole)
                                 .toBool(),
                             10000);
    QCOMPARE(composer->toPlainText(), QString());
}

void tst_ConversationActions::aRefusedEditStaysOutOfAMessageThatWaits()
{
    // While "Notify everyone?" waits, the composer's text is what will go: the
    // text of an edit refused meanwhile must not join the message. It comes
    // back into the composer once the message has gone.
    ChatWindow *win = m_alice->window();
    Composer *composer = win->composer();
    const QString allHands = channelId(m_alice->chat(), QStringLiteral("all-hands"));
    m_bob->window()->openChannel(channelId(m_bob->chat(), QStringLiteral("all-hands")));
    auto *bobAllHands = m_bob->chat()->messages(m_bob->window()->currentChannel());
    win->openChannel(allHands);
    auto *aliceAllHands = m_alice->chat()->messages(allHands);
    m_bob->chat()->sendMessage(m_bob->window()->currentChannel(), QStringLiteral("bob's words"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(aliceAllHands), QStringLiteral("bob's words"), 10000);
    const QString bobsMessage = lastId(aliceAllHands);

    QTest::keyClicks(composer, QStringLiteral("@channel lunch is here"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY(notifyEveryoneBox());
    QSignalSpy failed(m_alice->chat(), &ChatSession::actionFailed);
    // Only the author may edit (§7): refused, forbidden.
    m_alice->chat()->editMessage(allHands, bobsMessage, {}, QStringLiteral("alice's words"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(composer->toPlainText(), QStringLiteral("@channel lunch is here"));
    QVERIFY(QTest::qWaitForWindowActive(notifyEveryoneBox()));
    QTest::keyClick(notifyEveryoneBox(), Qt::Key_Return);
    QTRY_VERIFY(!notifyEveryoneBox());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobAllHands), QStringLiteral("@channel lunch is here"),
                              10000);
    QCOMPARE(composer->toPlainText(), QStringLiteral("alice's words"));
}

void tst_ConversationActions::emojiNamesComeFromUnicode()
{
    // The table generated from unicode-data's emoji-test.txt at build time;
    // English names (the other languages: tst_ChatWindowTranslated).
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const auto restore = qScopeGuard([before] { QLocale::setDefault(before); });
    QVERIFY(ReactionPicker::all().size() > 1000);
    QCOMPARE(ReactionPicker::nameOf(QStringLiteral("👍")), QStringLiteral("thumbs up"));
    const QList<ReactionPicker::Emoji> thumbs = ReactionPicker::search(QStringLiteral("thumbs"));
    QCOMPARE(thumbs.size(), 2);
    QCOMPARE(thumbs.at(0).emoji, QStringLiteral("👍"));
    QCOMPARE(thumbs.at(1).emoji, QStringLiteral("👎"));
    QVERIFY(ReactionPicker::search(QStringLiteral("umbs")).isEmpty()); // word starts only
    bool heart = false;
    for (const auto &e : ReactionPicker::search(QStringLiteral("RED heart")))
        heart = heart || e.emoji == QStringLiteral("❤️");
    QVERIFY(heart);
}

void tst_ConversationActions::toolbarOverAMessageByMouseAndKeyboard()
{
    ChatWindow *win = m_alice->window();
    auto *messages = m_alice->chat()->messages(win->currentChannel());
    m_bob->chat()->sendMessage(m_bob->window()->currentChannel(), QStringLiteral("from bob"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("from bob"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(messages).isEmpty(), 10000);
    const QString bobsId = lastId(messages);
    m_alice->chat()->sendMessage(win->currentChannel(), QStringLiteral("from alice"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("from alice"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(messages).isEmpty(), 10000);
    const QString alicesId = lastId(messages);

    // The mouse over bob's message: React and Reply, no Edit or Delete.
    QListView *view = win->messageView();
    MessageToolbar *toolbar = win->messageToolbar();
    QVERIFY(toolbar);
    QVERIFY(!toolbar->isVisible());
    QTRY_VERIFY(view->visualRect(rowOf(win, bobsId)).isValid());
    QTest::mouseMove(view->viewport(), view->visualRect(rowOf(win, bobsId)).center());
    QTRY_VERIFY(toolbar->isVisible());
    QCOMPARE(toolbar->target().data(MessageListModel::IdRole).toString(), bobsId);
    QVERIFY(view->visualRect(rowOf(win, bobsId)).intersects(toolbar->geometry()));
    QVERIFY(toolbar->reactButton()->isVisible());
    QVERIFY(toolbar->replyButton()->isVisible());
    QVERIFY(!toolbar->editButton()->isVisible());
    QVERIFY(!toolbar->deleteButton()->isVisible());
    QCOMPARE(toolbar->reactButton()->accessibleName(), QStringLiteral("Add reaction"));
    QCOMPARE(toolbar->replyButton()->accessibleName(), QStringLiteral("Reply"));
    QCOMPARE(toolbar->accessibleName(), QStringLiteral("Actions for the message from Bob"));
    QCOMPARE(accessibleName(toolbar), QStringLiteral("Actions for the message from Bob"));
    QCOMPARE(accessibleName(toolbar->replyButton()), QStringLiteral("Reply"));

    // Reply from the toolbar.
    QTest::mouseClick(toolbar->replyButton(), Qt::LeftButton);
    QVERIFY(win->replyBar()->isVisible());
    QCOMPARE(win->replyBar()->text(), QStringLiteral("Replying to Bob: from bob"));
    win->replyBar()->clear();

    // Over her own message: Edit and Delete too; Edit puts the text in the composer.
    QTest::mouseMove(view->viewport(), view->visualRect(rowOf(win, alicesId)).center());
    QTRY_COMPARE(toolbar->target().data(MessageListModel::IdRole).toString(), alicesId);
    QVERIFY(toolbar->editButton()->isVisible());
    QVERIFY(toolbar->deleteButton()->isVisible());
    QCOMPARE(toolbar->editButton()->accessibleName(), QStringLiteral("Edit"));
    QCOMPARE(toolbar->deleteButton()->accessibleName(), QStringLiteral("Delete"));
    QCOMPARE(toolbar->accessibleName(), QStringLiteral("Actions for the message from Alice"));
    QCOMPARE(accessibleName(toolbar), QStringLiteral("Actions for the message from Alice"));
    QTest::mouseClick(toolbar->editButton(), Qt::LeftButton);
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("from alice"));
    QTest::keyClick(win->composer(), Qt::Key_Escape);
    QCOMPARE(win->composer()->toPlainText(), QString());

    // By keyboard: the toolbar follows the current message; "+" opens the picker.
    win->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(win));
    view->setFocus();
    view->setCurrentIndex(rowOf(win, bobsId));
    QTest::keyClick(view, Qt::Key_Shift); // any key: the toolbar catches up
    QTRY_COMPARE(toolbar->target().data(MessageListModel::IdRole).toString(), bobsId);
    QTest::keyClick(view, Qt::Key_Plus);
    QTRY_VERIFY(activePicker());
    QTest::keyClick(activePicker(), Qt::Key_Escape);
    QTRY_VERIFY(!activePicker());
    QTRY_VERIFY(view->hasFocus());
}

void tst_ConversationActions::pickerSearchesThumbsAndReacts()
{
    ChatWindow *win = m_alice->window();
    auto *messages = m_alice->chat()->messages(win->currentChannel());
    auto *bobMessages = m_bob->chat()->messages(m_bob->window()->currentChannel());
    m_bob->chat()->sendMessage(m_bob->window()->currentChannel(), QStringLiteral("ship it?"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("ship it?"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(messages).isEmpty(), 10000);
    const QString id = lastId(messages);

    // The toolbar's Add reaction opens the picker: frequent emoji first.
    QListView *view = win->messageView();
    QTRY_VERIFY(view->visualRect(rowOf(win, id)).isValid());
    QTest::mouseMove(view->viewport(), view->visualRect(rowOf(win, id)).center());
    QTRY_VERIFY(win->messageToolbar()->isVisible());
    QTest::mouseClick(win->messageToolbar()->reactButton(), Qt::LeftButton);
    QTRY_VERIFY(activePicker());
    ReactionPicker *picker = activePicker();
    QVERIFY(QTest::qWaitForWindowActive(picker));
    QCOMPARE(picker->list()->item(0)->data(Qt::UserRole).toString(), QStringLiteral("👍"));
    QVERIFY(picker->searchField()->hasFocus());

    // Typing "thumbs" leaves 👍 and 👎; Down, Up, Enter picks 👍.
    QTest::keyClicks(picker->searchField(), QStringLiteral("thumbs"));
    QCOMPARE(picker->list()->count(), 2);
    QCOMPARE(picker->list()->item(0)->data(Qt::AccessibleTextRole).toString(),
             QStringLiteral("thumbs up"));
    QTest::keyClick(picker->searchField(), Qt::Key_Down);
    QCOMPARE(picker->list()->currentRow(), 1);
    QTest::keyClick(picker->searchField(), Qt::Key_Up);
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QTRY_VERIFY(!activePicker());

    // natterd has it: bob sees alice's 👍 on his message.
    const auto reactions = [&] {
        const QModelIndex row = bobMessages->index(bobMessages->rowOfId(id));
        return row.data(MessageListModel::ReactionsRole).toList();
    };
    QTRY_COMPARE_WITH_TIMEOUT(reactions().size(), 1, 10000);
    const QVariantMap chip = reactions().first().toMap();
    QCOMPARE(chip.value(QStringLiteral("emoji")).toString(), QStringLiteral("👍"));
    QCOMPARE(chip.value(QStringLiteral("count")).toInt(), 1);

    // The status bar (and screen readers) say what happened.
    QCOMPARE(win->statusBar()->currentMessage(), QStringLiteral("Reacted with 👍"));
}

void tst_ConversationActions::quoteOfAnOlderMessageLoadsHistoryUntilItIsThere()
{
    // bob asks in #all-hands, 60 lines follow, then he answers himself.
    ChatSession *bob = m_bob->chat();
    const QString allHands = channelId(bob, QStringLiteral("all-hands"));
    auto *bobMessages = bob->messages(allHands);
    bob->sendMessage(allHands, QStringLiteral("the original question"));
    QTRY_VERIFY_WITH_TIMEOUT(lastText(bobMessages) == QStringLiteral("the original question")
                                 && !lastId(bobMessages).isEmpty(),
                             10000);
    const QString target = lastId(bobMessages);
    for (int i = 0; i < 60; ++i)
        bob->sendMessage(allHands, QStringLiteral("filler %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("filler 59"), 30000);
    bob->sendMessage(allHands, QStringLiteral("the late answer"), target);
    QTRY_VERIFY_WITH_TIMEOUT(lastText(bobMessages) == QStringLiteral("the late answer")
                                 && !lastId(bobMessages).isEmpty(),
                             10000);

    // carol signs in for the first time: she holds the newest page only.
    auto carol = signIn(QStringLiteral("carol"));
    QVERIFY(carol);
    ChatWindow *win = carol->window();
    win->openChannel(channelId(carol->chat(), QStringLiteral("all-hands")));
    auto *messages = carol->chat()->messages(win->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("the late answer"), 10000);
    QVERIFY(messages->rowOfId(target) < 0);

    // She clicks the quote: older pages load until the question is there, and
    // the view lands on it, highlighted.
    QListView *view = win->messageView();
    auto *delegate = qobject_cast<MessageDelegate *>(view->itemDelegate());
    QVERIFY(delegate);
    view->scrollToBottom();
    QStyleOptionViewItem opt;
    QRect quote;
    QTRY_VERIFY([&] {
        const QModelIndex row = rowOf(win, lastId(messages));
        opt.initFrom(view->viewport());
        opt.rect = view->visualRect(row);
        quote = delegate->replyQuoteRect(opt, row);
        return !quote.isEmpty() && view->viewport()->rect().contains(quote);
    }());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, quote.center());
    QTRY_COMPARE_WITH_TIMEOUT(view->currentIndex().data(MessageListModel::IdRole).toString(),
                              target, 20000);
    QVERIFY(messages->rowOfId(target) >= 0);
    QCOMPARE(delegate->flashingId(), target);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(rowOf(win, target))));
    QTRY_COMPARE_WITH_TIMEOUT(delegate->flashingId(), QString(), 5000); // only briefly
}

void tst_ConversationActions::olderPagesLoadAtTheTopNotAtTheBottom()
{
    // #all-hands holds more than a page by now (the test above). dave signs in
    // for the first time and sits at the newest message: one page, no more.
    ChatSession *bob = m_bob->chat();
    const QString allHands = channelId(bob, QStringLiteral("all-hands"));
    for (int i = 0; i < 60; ++i)
        bob->sendMessage(allHands, QStringLiteral("more %1").arg(i));
    auto *bobMessages = bob->messages(allHands);
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("more 59"), 30000);
    auto dave = signIn(QStringLiteral("dave"));
    QVERIFY(dave);
    ChatWindow *win = dave->window();
    win->openChannel(channelId(dave->chat(), QStringLiteral("all-hands")));
    auto *messages = dave->chat()->messages(win->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("more 59"), 10000);
    QTRY_VERIFY(!messages->isFetchingHistory());
    const int onePage = messages->rowCount();
    QVERIFY(messages->canFetchMore({}));
    QListView *view = win->messageView();
    view->scrollToBottom();
    view->doItemsLayout(); // a view with its last row in sight would fetchMore() now
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(!messages->isFetchingHistory()); // no page asked for
    QCOMPARE(messages->rowCount(), onePage);

    // At the top, the page before comes.
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->minimum());
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > onePage, 10000);
}

QTEST_MAIN(tst_ConversationActions)
#include "tst_ConversationActions.moc"
