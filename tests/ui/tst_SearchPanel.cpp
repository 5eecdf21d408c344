// Search on the desktop (issue 15, §10) through the real natterd: real desktop
// clients (DesktopController + ChatWindow, offscreen) whose messages natterd
// stores and indexes. Ctrl+F opens the panel, a query finds the messages of the
// person's channels (never those of a channel they are not in), the keyboard
// goes field → results → Enter, which opens the channel, loads older history
// until the message is there and highlights it; Esc gives the focus back. A bad
// query is explained, "More results" pages with the cursor, a scoped search
// stays in the open channel, and losing the server says "offline". Writes the
// README's screenshot of search results.
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/MessageDelegate.h"
#include "chat/SearchCompleter.h"
#include "chat/SearchPanel.h"
#include "chat/SearchResultDelegate.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTest>

#include <memory>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWait = 20000;

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

QModelIndex rowOf(ChatWindow *win, const QString &id)
{
    const QAbstractItemModel *model = win->messageView()->model();
    for (int i = model->rowCount() - 1; i >= 0; --i) {
        if (model->index(i, 0).data(MessageListModel::IdRole).toString() == id)
            return model->index(i, 0);
    }
    return {};
}

QString accessibleName(QWidget *widget)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
    return iface ? iface->text(QAccessible::Name) : u"<no interface>"_s;
}

// Result `row` of the panel, as data of `role`.
QVariant result(SearchPanel *panel, int row, int role)
{
    return panel->resultView()->model()->index(row, 0).data(role);
}

// The emphasised parts of result `row`'s snippet, folded to lower case.
QStringList emphasised(SearchPanel *panel, int row)
{
    const QString snippet = result(panel, row, SearchResultDelegate::SnippetRole).toString();
    QStringList out;
    for (const QVariant &v : result(panel, row, SearchResultDelegate::EmphasisRole).toList())
        out << snippet.mid(v.toPoint().x(), v.toPoint().y()).toLower();
    return out;
}

} // namespace

class tst_SearchPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchRangesFoldCaseAndDiacritics();
    void findsMyChannelsOnlyAndJumpsToAnOlderMessage();
    void badQueryNoResultsScopeAndPaging();
    void completesFromAndIn();
    void offlineSaysSo(); // last: stops natterd

private:
    std::unique_ptr<Client> signIn(const QString &user);
    // Sends `text` to channel `name` as `client`; its id once natterd stored it.
    QString say(Client *client, const QString &name, const QString &text);
    // Opens the panel with Ctrl+F, types `query` and presses Enter.
    SearchPanel *search(ChatWindow *win, const QString &query);

    NatterdProcess m_server;
    QString m_shots;
};

void tst_SearchPanel::initTestCase()
{
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s}) {
        QString display = name;
        display[0] = display.at(0).toUpper();
        QVERIFY2(m_server.addUser(name, name + u"-pw-123"_s, display),
                 m_server.lastAdminOutput().constData());
    }
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY(m_server.addChannel(u"random"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY(m_server.addChannel(u"secret"_s, {u"bob"_s, u"carol"_s})); // alice is not in it
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_shots = QDir(QStringLiteral(NATTER_SCREENSHOT_DIR)).absolutePath();
    QDir().mkpath(m_shots);
}

std::unique_ptr<Client> tst_SearchPanel::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + u"-pw-123"_s;
    client->controller = std::make_unique<DesktopController>(Profile(u"tst-searchpanel-"_s + user),
                                                             &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(kWait))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(kWait))
        return nullptr;
    return client;
}

QString tst_SearchPanel::say(Client *client, const QString &name, const QString &text)
{
    const QString channel = channelId(client->chat(), name);
    auto *model = client->chat()->messages(channel);
    client->chat()->sendMessage(channel, text);
    const bool stored =
        QTest::qWaitFor([&] { return lastText(model) == text && !lastId(model).isEmpty(); }, kWait);
    return stored ? lastId(model) : QString();
}

SearchPanel *tst_SearchPanel::search(ChatWindow *win, const QString &query)
{
    SearchPanel *panel = win->searchPanel();
    if (!panel->isVisible()) {
        win->activateWindow();
        if (!QTest::qWaitForWindowActive(win))
            return nullptr;
        QTest::keyClick(win, Qt::Key_F, Qt::ControlModifier);
        if (!QTest::qWaitFor([&] { return panel->queryField()->hasFocus(); }, kWait))
            return nullptr;
    }
    panel->queryField()->clear();
    QTest::keyClicks(panel->queryField(), query);
    QTest::keyClick(panel->queryField(), Qt::Key_Return);
    return panel;
}

void tst_SearchPanel::matchRangesFoldCaseAndDiacritics()
{
    // What the client emphasises when a server sends no ranges of its own.
    const QString snippet = u"Rendez-vous au Café Crème, cafeteria CAFE"_s;
    const auto words = [&](const QString &query) {
        QStringList out;
        for (const auto &[start, length] : SearchPanel::matchRanges(snippet, query))
            out << snippet.mid(start, length);
        return out;
    };
    QCOMPARE(words(u"cafe"_s), (QStringList{u"Café"_s, u"CAFE"_s}));
    QCOMPARE(words(u"caf*"_s), (QStringList{u"Café"_s, u"cafeteria"_s, u"CAFE"_s}));
    QCOMPARE(words(u"\"cafe creme\" from:bob in:cafe -rendez"_s),
             (QStringList{u"Café"_s, u"Crème"_s, u"CAFE"_s}));
    QCOMPARE(words(u"has:file"_s), QStringList{});
}

void tst_SearchPanel::findsMyChannelsOnlyAndJumpsToAnOlderMessage()
{
    // bob writes the decision in #general, 60 lines follow; the same words in
    // #random and in #secret, where alice is not.
    auto bob = signIn(u"bob"_s);
    QVERIFY(bob);
    const QString target = say(bob.get(), u"general"_s, u"the kestrel budget is approved"_s);
    QVERIFY(!target.isEmpty());
    const QString general = channelId(bob->chat(), u"general"_s);
    auto *bobGeneral = bob->chat()->messages(general);
    for (int i = 0; i < 60; ++i)
        bob->chat()->sendMessage(general, u"filler %1"_s.arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(
        lastText(bobGeneral) == u"filler 59"_s && !lastId(bobGeneral).isEmpty(), 30000);
    QVERIFY(!say(bob.get(), u"secret"_s, u"kestrel budget for carol only"_s).isEmpty());
    const QString draft = say(bob.get(), u"random"_s, u"kestrel budget draft, see below"_s);
    QVERIFY(!draft.isEmpty());

    // alice signs in for the first time: she holds the newest page of
    // #general only, and is reading #random.
    auto alice = signIn(u"alice"_s);
    QVERIFY(alice);
    ChatWindow *win = alice->window();
    const QString aliceGeneral = channelId(alice->chat(), u"general"_s);
    auto *messages = alice->chat()->messages(aliceGeneral);
    win->openChannel(aliceGeneral);
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), u"filler 59"_s, kWait);
    QVERIFY(messages->rowOfId(target) < 0);
    win->openChannel(channelId(alice->chat(), u"random"_s));
    win->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(win));
    win->composer()->setFocus();
    QVERIFY(win->composer()->hasFocus());

    // Ctrl+F, a query, Enter: her two messages, newest first; not #secret's.
    SearchPanel *panel = search(win, u"Kestrel budget"_s);
    QVERIFY(panel);
    QCOMPARE(accessibleName(panel->queryField()), u"Search messages"_s);
    QCOMPARE(accessibleName(panel->resultView()), u"Search results"_s);
    QVERIFY(panel->queryField()->toolTip().contains(u"from:user"_s));
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    QCOMPARE(panel->resultCount(), 2);
    QCOMPARE(result(panel, 0, SearchResultDelegate::MessageIdRole).toString(), draft);
    QCOMPARE(result(panel, 1, SearchResultDelegate::MessageIdRole).toString(), target);
    QCOMPARE(result(panel, 1, SearchResultDelegate::SnippetRole).toString(),
             u"the kestrel budget is approved"_s);
    QVERIFY(result(panel, 1, SearchResultDelegate::HeaderRole)
                .toString()
                .startsWith(u"#general · Bob · "_s));
    QVERIFY(result(panel, 0, SearchResultDelegate::HeaderRole)
                .toString()
                .startsWith(u"#random · Bob · "_s));
    QCOMPARE(emphasised(panel, 1), (QStringList{u"kestrel"_s, u"budget"_s}));
    QVERIFY(!result(panel, 0, Qt::DisplayRole).toString().contains(u"carol"_s));
    QVERIFY(!result(panel, 1, Qt::DisplayRole).toString().contains(u"carol"_s));
    QVERIFY(!panel->moreButton()->isVisible());
    // The count is said (status line and screen readers).
    QCOMPARE(panel->statusText(), u"Results: 2"_s);
    QCOMPARE(win->statusBar()->currentMessage(), u"Results: 2"_s);

    // The README's picture of search results.
    win->resize(1100, 660);
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QApplication::setPalette(QApplication::style()->standardPalette());
    QCoreApplication::processEvents();
    {
        QSaveFile file(m_shots + u"/search-results-light.png"_s); // whole or not at all
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(win->grab().save(&file, "PNG"));
        QVERIFY(file.commit());
    }

    // Keyboard only: Down into the results, Down to the older one, Enter.
    QTest::keyClick(panel->queryField(), Qt::Key_Down);
    QVERIFY(panel->resultView()->hasFocus());
    QCOMPARE(panel->resultView()->currentIndex().row(), 0);
    QTest::keyClick(panel->resultView(), Qt::Key_Down);
    QCOMPARE(panel->resultView()->currentIndex().row(), 1);
    QTest::keyClick(panel->resultView(), Qt::Key_Return);
    // #general opens, older pages load until the message is there, and the
    // view lands on it, highlighted.
    QTRY_COMPARE_WITH_TIMEOUT(win->currentChannel(), aliceGeneral, kWait);
    QListView *view = win->messageView();
    auto *delegate = qobject_cast<MessageDelegate *>(view->itemDelegate());
    QVERIFY(delegate);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentIndex().data(MessageListModel::IdRole).toString(),
                              target, kWait);
    QCOMPARE(delegate->flashingId(), target);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(rowOf(win, target))));

    // Esc closes the panel and gives the focus back to the composer.
    QVERIFY(panel->resultView()->hasFocus());
    QTest::keyClick(panel->resultView(), Qt::Key_Escape);
    QVERIFY(!panel->isVisible());
    QTRY_VERIFY(win->composer()->hasFocus());
    // Esc was the panel's: the view did not jump to the newest message.
    QCoreApplication::processEvents();
    QVERIFY(view->viewport()->rect().intersects(view->visualRect(rowOf(win, target))));
}

void tst_SearchPanel::badQueryNoResultsScopeAndPaging()
{
    auto alice = signIn(u"alice"_s);
    QVERIFY(alice);
    ChatWindow *win = alice->window();
    win->openChannel(channelId(alice->chat(), u"random"_s));

    // A malformed filter: the server refuses it, the panel says why in words.
    SearchPanel *panel = search(win, u"kestrel before:yesterday"_s);
    QVERIFY(panel);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::BadQuery, kWait);
    QVERIFY2(panel->statusText().contains(u"before:YYYY-MM-DD"_s), qPrintable(panel->statusText()));
    QCOMPARE(panel->resultCount(), 0);
    QCOMPARE(win->statusBar()->currentMessage(), panel->statusText());

    // Past one of natterd's limits: which one, and what is allowed.
    search(win, u"a* b* c* d* e* f* g* h* i*"_s);
    QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(u"ending in *"_s), kWait);
    QCOMPARE(panel->state(), SearchPanel::State::BadQuery);
    QVERIFY2(panel->statusText().contains(u"at most 8"_s), qPrintable(panel->statusText()));

    // Nothing matches: said so.
    search(win, u"xylophone"_s);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::NoResults, kWait);
    QCOMPARE(panel->statusText(), u"No messages match “xylophone”."_s);

    // Only in the open channel: #random's message, not #general's.
    QVERIFY(panel->scopeBox()->isEnabled());
    QCOMPARE(panel->scopeBox()->text(), u"Only in #random"_s);
    panel->scopeBox()->setChecked(true);
    search(win, u"kestrel"_s);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    QCOMPARE(panel->resultCount(), 1);
    QVERIFY(result(panel, 0, SearchResultDelegate::HeaderRole).toString().startsWith(u"#random"_s));
    panel->scopeBox()->setChecked(false);

    // 25 matches: a page of 20, then "More results" loads the other 5.
    const QString general = channelId(alice->chat(), u"general"_s);
    auto *model = alice->chat()->messages(general);
    for (int i = 0; i < 25; ++i)
        alice->chat()->sendMessage(general, u"heron count %1"_s.arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(lastText(model) == u"heron count 24"_s && !lastId(model).isEmpty(),
                             30000);
    search(win, u"heron"_s);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    QCOMPARE(panel->resultCount(), 20);
    QCOMPARE(result(panel, 0, SearchResultDelegate::SnippetRole).toString(), u"heron count 24"_s);
    QVERIFY(panel->moreButton()->isVisible());
    QCOMPARE(panel->statusText(), u"Results: 20 so far; more are available."_s);
    // By keyboard: Down to the last result, Down to the button, Space.
    QTest::keyClick(panel->queryField(), Qt::Key_Down);
    for (int i = 0; i < 19; ++i)
        QTest::keyClick(panel->resultView(), Qt::Key_Down);
    QTest::keyClick(panel->resultView(), Qt::Key_Down);
    QVERIFY(panel->moreButton()->hasFocus());
    QTest::keyClick(panel->moreButton(), Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(panel->resultCount(), 25, kWait);
    QCOMPARE(panel->state(), SearchPanel::State::Results);
    QCOMPARE(panel->statusText(), u"Results: 25"_s);
    QVERIFY(!panel->moreButton()->isVisible());
    QSet<QString> ids;
    for (int i = 0; i < 25; ++i)
        ids.insert(result(panel, i, SearchResultDelegate::MessageIdRole).toString());
    QCOMPARE(ids.size(), 25);
    QCOMPARE(result(panel, 24, SearchResultDelegate::SnippetRole).toString(), u"heron count 0"_s);
    QVERIFY(panel->resultView()->hasFocus()); // the focus went on to the results
}

void tst_SearchPanel::completesFromAndIn()
{
    // §10 values: plain names as they are, anything else quoted.
    QCOMPARE(SearchCompleter::quoted(u"general"_s), u"general"_s);
    QCOMPARE(SearchCompleter::quoted(u"team-2_x.y"_s), u"team-2_x.y"_s);
    QCOMPARE(SearchCompleter::quoted(u"my channel"_s), u"\"my channel\""_s);
    QCOMPARE(SearchCompleter::quoted(u"c++"_s), u"\"c++\""_s);

    auto bob = signIn(u"bob"_s);
    QVERIFY(bob);
    QVERIFY(!say(bob.get(), u"general"_s, u"osprey over the lake"_s).isEmpty());
    QVERIFY(!say(bob.get(), u"random"_s, u"osprey photos later"_s).isEmpty());
    auto alice = signIn(u"alice"_s);
    QVERIFY(alice);
    QVERIFY(!say(alice.get(), u"general"_s, u"osprey? where"_s).isEmpty());
    ChatWindow *win = alice->window();
    QTRY_VERIFY_WITH_TIMEOUT(alice->chat()->people()->rowCount() >= 2, kWait);

    SearchPanel *panel = search(win, u"osprey"_s);
    QVERIFY(panel);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    QCOMPARE(panel->resultCount(), 3);
    SearchCompleter *completion = panel->completer();
    QVERIFY(!completion->isVisible());
    QCOMPARE(accessibleName(completion), u"Filter suggestions"_s);

    // from:bo → bob is offered (username and display name); Enter puts
    // `from:bob ` in and does not search by itself.
    panel->queryField()->clear();
    QTest::keyClicks(panel->queryField(), u"from:bo"_s);
    QVERIFY(completion->isVisible());
    QCOMPARE(completion->count(), 1);
    QCOMPARE(completion->item(0)->text(), u"bob (Bob)"_s);
    QCOMPARE(completion->currentRow(), 0);
    QTest::keyClick(panel->queryField(), Qt::Key_Return);
    QCOMPARE(panel->queryField()->text(), u"from:bob "_s);
    QCOMPARE(panel->queryField()->cursorPosition(), 9);
    QVERIFY(!completion->isVisible());
    QVERIFY(panel->queryField()->hasFocus());
    QCOMPARE(panel->state(), SearchPanel::State::Results);
    QCOMPARE(panel->resultCount(), 3);
    // …and the search with it finds bob's messages only.
    QTest::keyClicks(panel->queryField(), u"osprey"_s);
    QVERIFY(!completion->isVisible());
    QTest::keyClick(panel->queryField(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(panel->resultCount(), 2, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    for (int i = 0; i < 2; ++i) {
        QVERIFY(
            result(panel, i, SearchResultDelegate::HeaderRole).toString().contains(u" · Bob · "_s));
    }
    QCOMPARE(result(panel, 1, SearchResultDelegate::SnippetRole).toString(),
             u"osprey over the lake"_s);

    // in: offers alice's channels only, never #secret.
    panel->queryField()->clear();
    QTest::keyClicks(panel->queryField(), u"osprey in:"_s);
    QVERIFY(completion->isVisible());
    QStringList offered;
    for (int i = 0; i < completion->count(); ++i)
        offered << completion->item(i)->text();
    QCOMPARE(offered, (QStringList{u"#general"_s, u"#random"_s}));
    // Down and Up move; Esc closes the suggestions, not the panel.
    QTest::keyClick(panel->queryField(), Qt::Key_Down);
    QCOMPARE(completion->currentRow(), 1);
    QTest::keyClick(panel->queryField(), Qt::Key_Up);
    QCOMPARE(completion->currentRow(), 0);
    QTest::keyClick(panel->queryField(), Qt::Key_Escape);
    QVERIFY(!completion->isVisible());
    QVERIFY(panel->isVisible());
    QVERIFY(panel->queryField()->hasFocus());
    // in:ran → #random; Tab puts `in:random ` in.
    QTest::keyClicks(panel->queryField(), u"ran"_s);
    QVERIFY(completion->isVisible());
    QCOMPARE(completion->count(), 1);
    QCOMPARE(completion->item(0)->text(), u"#random"_s);
    QTest::keyClick(panel->queryField(), Qt::Key_Tab);
    QCOMPARE(panel->queryField()->text(), u"osprey in:random "_s);
    QVERIFY(panel->queryField()->hasFocus());
    QTest::keyClick(panel->queryField(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(panel->resultCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Results, kWait);
    QCOMPARE(result(panel, 0, SearchResultDelegate::SnippetRole).toString(),
             u"osprey photos later"_s);
    QVERIFY(result(panel, 0, SearchResultDelegate::HeaderRole).toString().startsWith(u"#random"_s));

    // Esc with no suggestions open closes the panel as before.
    QTest::keyClick(panel->queryField(), Qt::Key_Escape);
    QVERIFY(!panel->isVisible());
}

void tst_SearchPanel::offlineSaysSo()
{
    auto alice = signIn(u"alice"_s);
    QVERIFY(alice);
    ChatWindow *win = alice->window();
    m_server.kill();
    SearchPanel *panel = search(win, u"kestrel"_s);
    QVERIFY(panel);
    QTRY_COMPARE_WITH_TIMEOUT(panel->state(), SearchPanel::State::Offline, kWait);
    QVERIFY(panel->statusText().startsWith(u"Offline"_s));
}

QTEST_MAIN(tst_SearchPanel)
#include "tst_SearchPanel.moc"
