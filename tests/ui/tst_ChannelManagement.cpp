// Managing channels from the desktop (§7 system messages, §8), through real
// desktop clients (DesktopController + ChatWindow, offscreen) and the real
// natterd: inviting and leaving from the channel list's context menu (by
// keyboard), renaming and re-describing a channel (its owner only), archiving
// and unarchiving, "New direct message…" (Ctrl+N), "Message" on a member, the
// paged people and channel directories, and a start before the network is up
// that shows what the local store kept (topic, archived banner).
#include "ForgetDrafts.h"
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/BrowseChannelsDialog.h"
#include "chat/ChannelActions.h"
#include "chat/ChannelInfoBar.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/DirectoryPager.h"
#include "chat/EditChannelDialog.h"
#include "chat/InviteDialog.h"
#include "chat/MembersPanel.h"
#include "chat/PeoplePicker.h"
#include "chat/QuickSwitcher.h"
#include "models/ChannelListModel.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <functional>
#include <memory>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWait = 10000;
constexpr int kExtraPeople = 22; // more than one page of QuickSwitcher::kPeoplePageSize
constexpr int kBulkChannels = 60; // more than one page of BrowseChannelsDialog::kPageSize

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

QStringList texts(const MessageListModel *model)
{
    QStringList out;
    for (int i = 0; i < model->rowCount(); ++i)
        out.append(model->index(i).data(MessageListModel::TextRole).toString());
    return out;
}

QAction *action(QWidget *window, const QString &text)
{
    for (QAction *a : window->findChildren<QAction *>()) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

// A modal dialog or popup runs its own event loop: `act` runs from a timer
// inside it, once a W is the active modal widget (or popup) while `trigger` runs.
template<typename W>
bool whileShowing(const std::function<void()> &trigger, const std::function<void(W *)> &act)
{
    bool seen = false;
    QTimer driver;
    driver.setInterval(10);
    QObject::connect(&driver, &QTimer::timeout, [&] {
        W *w = qobject_cast<W *>(QApplication::activePopupWidget());
        if (!w)
            w = qobject_cast<W *>(QApplication::activeModalWidget());
        if (!w)
            return;
        driver.stop();
        seen = true;
        act(w);
        if (w->isVisible())
            w->close(); // never leave the test stuck in a modal loop
    });
    driver.start();
    trigger();
    driver.stop();
    return seen;
}

int rowWith(const QAbstractItemModel *model, const QString &needle)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data().toString().contains(needle))
            return i;
    }
    return -1;
}

QStringList entriesOf(const QMenu *menu)
{
    QStringList out;
    for (const QAction *a : menu->actions()) {
        if (!a->isSeparator())
            out.append(a->text());
    }
    return out;
}

// Opens the channel list's context menu on `channel` from the keyboard (`key`:
// the Menu key or F10 with Shift) and runs `act` on it.
bool channelMenu(ChatWindow *win, const QString &channel, Qt::Key key,
                 Qt::KeyboardModifiers modifiers, const std::function<void(QMenu *)> &act)
{
    QListView *view = win->channelView();
    const QAbstractItemModel *model = view->model();
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data(ChannelListModel::IdRole).toString() == channel)
            view->setCurrentIndex(model->index(i, 0));
    }
    view->setFocus();
    return whileShowing<QMenu>([&] { QTest::keyClick(view, key, modifiers); }, act);
}

QTreeWidgetItem *browseItem(QTreeWidget *list, const QString &name)
{
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        if (list->topLevelItem(i)->text(0).section(u' ', 0, 0) == name)
            return list->topLevelItem(i);
    }
    return nullptr;
}

} // namespace

class tst_ChannelManagement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void inviteAndLeaveFromTheChannelListByKeyboard();
    void ownerEditsNameAndTopicOthersSeeItAndCannot();
    void archivedIsReadOnlyWithABannerUntilUnarchived();
    void newDirectMessageWithCtrlN();
    void messageAMemberFromTheMembersPanel();
    void peopleDirectoryLoadsTheNextPageAtTheEnd();
    void browseLoadsTheNextPageAtTheEndAndSearchStartsOver();
    // Last: stops natterd.
    void startBeforeTheNetworkShowsTopicAndArchivedBanner();

private:
    std::unique_ptr<Client> signIn(const QString &user);
    ChatWindow *activate(Client *client);

    QTemporaryDir m_configDir;
    NatterdProcess m_server;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
    std::unique_ptr<Client> m_carol;
};

void tst_ChannelManagement::initTestCase()
{
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s}) {
        QString display = name;
        display[0] = display[0].toUpper();
        QVERIFY2(m_server.addUser(name, name + u"-pw-123"_s, display),
                 m_server.lastAdminOutput().constData());
    }
    // More people than one page of the directory, all found by "zed".
    for (int i = 1; i <= kExtraPeople; ++i) {
        const QString name = u"zed%1"_s.arg(i, 2, 10, QLatin1Char('0'));
        QVERIFY2(m_server.addUser(name, name + u"-pw-123"_s,
                                  u"Zed %1"_s.arg(i, 2, 10, QLatin1Char('0'))),
                 m_server.lastAdminOutput().constData());
    }
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s, u"carol"_s}));
    // The tests create many channels in a row: lift the per-user channel budget
    // so that it never answers first.
    QFile config(m_configDir.filePath(u"natterd.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[server]\nuser_channel_per_second = 5000\nuser_channel_burst = 5000\n");
    config.close();
    QVERIFY2(m_server.start({u"--config"_s, config.fileName()}),
             qPrintable(m_server.errorString()));
}

std::unique_ptr<Client> tst_ChannelManagement::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + u"-pw-123"_s;
    client->controller = std::make_unique<DesktopController>(
        Profile(u"tst-channelmanagement-"_s + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    return client;
}

ChatWindow *tst_ChannelManagement::activate(Client *client)
{
    ChatWindow *win = client->window();
    win->activateWindow(); // shortcuts go to the active window
    if (!QTest::qWaitForWindowActive(win))
        return nullptr;
    return win;
}

void tst_ChannelManagement::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get(), m_carol.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
}

void tst_ChannelManagement::inviteAndLeaveFromTheChannelListByKeyboard()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    QSignalSpy opened(m_alice->chat(), &ChatSession::channelOpened);
    m_alice->chat()->createChannel(u"launch"_s, false, u"Go-live checklist"_s, {});
    QVERIFY(opened.wait(kWait));
    const QString launch = opened.at(0).at(0).toString();
    QVERIFY(!m_bob->chat()->channels()->contains(launch));

    // The Menu key on the channel in alice's list: its notification level,
    // Invite people… and Leave channel, under a name screen readers say.
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);
    QStringList entries;
    QString menuName;
    bool invited = false;
    QVERIFY(channelMenu(win, launch, Qt::Key_Menu, Qt::NoModifier, [&](QMenu *menu) {
        entries = entriesOf(menu);
        menuName = menu->accessibleName();
        QAction *invite = menu->findChild<QAction *>(u"inviteAction"_s);
        if (!invite)
            return;
        menu->hide();
        // Invite people…: bob from the directory, ticked, Invite.
        whileShowing<InviteDialog>(
            [&] { invite->trigger(); },
            [&](InviteDialog *dialog) {
                auto *people = dialog->findChild<QListWidget *>();
                QTest::keyClicks(dialog->findChild<QLineEdit *>(), u"bob"_s);
                if (!QTest::qWaitFor([&] { return rowWith(people->model(), u"Bob"_s) >= 0; },
                                     kWait))
                    return;
                people->item(rowWith(people->model(), u"Bob"_s))->setCheckState(Qt::Checked);
                QPushButton *ok =
                    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
                invited = ok->isEnabled() && dialog->chosenIds().size() == 1;
                if (invited)
                    ok->click();
            });
    }));
    QCOMPARE(menuName, u"Actions for #launch"_s);
    QCOMPARE(entries,
             (QStringList{u"&Notifications"_s, ChannelActions::tr("&Invite people…"),
                          ChannelActions::tr("&Leave channel")}));
    QVERIFY(invited);

    // bob has the channel, with the §7 system message saying alice added him.
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->chat()->channels()->contains(launch), kWait);
    m_bob->window()->openChannel(launch);
    QTRY_VERIFY_WITH_TIMEOUT(texts(m_bob->chat()->messages(launch)).contains(u"Alice added Bob"_s),
                             kWait);
    QCOMPARE(m_bob->window()->channelActions()->infoBar()->topicText(), u"Go-live checklist"_s);

    // Shift+F10 on it in bob's list: Leave channel (asked first). Gone from his
    // list; alice reads that he left.
    ChatWindow *bobWin = activate(m_bob.get());
    QVERIFY(bobWin);
    bool left = false;
    QVERIFY(channelMenu(bobWin, launch, Qt::Key_F10, Qt::ShiftModifier, [&](QMenu *menu) {
        QAction *leave = menu->findChild<QAction *>(u"leaveAction"_s);
        if (!leave)
            return;
        menu->hide();
        left = whileShowing<QMessageBox>(
            [&] { leave->trigger(); },
            [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); });
    }));
    QVERIFY(left);
    QTRY_VERIFY_WITH_TIMEOUT(!m_bob->chat()->channels()->contains(launch), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(texts(m_alice->chat()->messages(launch)).contains(u"Bob left"_s),
                             kWait);

    // A direct conversation has only its notification level in that menu.
    QSignalSpy direct(m_alice->chat(), &ChatSession::channelOpened);
    m_alice->chat()->openDirect(m_bob->chat()->self().id);
    QVERIFY(direct.wait(kWait));
    QVERIFY(channelMenu(win, direct.at(0).at(0).toString(), Qt::Key_Menu, Qt::NoModifier,
                        [&](QMenu *menu) { entries = entriesOf(menu); }));
    QCOMPARE(entries, QStringList{u"&Notifications"_s});

    // Someone who is not (or no longer) on the server: said, not silently dropped.
    QSignalSpy refused(m_alice->chat(), &ChatSession::channelActionFailed);
    m_alice->chat()->openDirect(u"no-such-user-id"_s);
    QVERIFY(refused.wait(kWait));
    QCOMPARE(refused.at(0).at(1).toString(),
             ChatSession::tr("This person is not on this server (any more)."));
}

void tst_ChannelManagement::ownerEditsNameAndTopicOthersSeeItAndCannot()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    QSignalSpy opened(m_alice->chat(), &ChatSession::channelOpened);
    m_alice->chat()->createChannel(u"design"_s, false, u"old topic"_s, {m_bob->chat()->self().id});
    QVERIFY(opened.wait(kWait));
    const QString design = opened.at(0).at(0).toString();
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->chat()->channels()->contains(design), kWait);
    ChatWindow *bobWin = m_bob->window();
    bobWin->openChannel(design);
    QCOMPARE(bobWin->channelActions()->infoBar()->topicText(), u"old topic"_s);

    // bob is no owner (nor admin): Edit is not his to use.
    QAction *bobEdit = action(bobWin, ChannelActions::tr("&Edit name and topic…"));
    QVERIFY(bobEdit);
    QVERIFY(!bobEdit->isEnabled());

    // alice, the owner: Edit name and topic… with both changed.
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);
    win->openChannel(design);
    QAction *edit = action(win, ChannelActions::tr("&Edit name and topic…"));
    QVERIFY(edit);
    QVERIFY(edit->isEnabled());
    bool saved = false;
    QVERIFY(whileShowing<EditChannelDialog>(
        [&] { edit->trigger(); },
        [&](EditChannelDialog *dialog) {
            QLineEdit *name = nullptr;
            QLineEdit *topic = nullptr;
            for (QLineEdit *e : dialog->findChildren<QLineEdit *>()) {
                if (e->accessibleName() == EditChannelDialog::tr("Channel name"))
                    name = e;
                if (e->accessibleName() == EditChannelDialog::tr("Topic"))
                    topic = e;
            }
            if (!name || !topic)
                return;
            QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            name->clear();
            QTest::keyClicks(name, u"Design Review"_s);
            const bool refused = !ok->isEnabled();
            name->clear();
            QTest::keyClicks(name, u"design-review"_s);
            topic->clear();
            QTest::keyClicks(topic, u"Thursdays, room 2"_s);
            saved = refused && ok->isEnabled();
            if (saved)
                ok->click();
        }));
    QVERIFY(saved);

    // Both windows: the header (title) and the topic bar follow; the change is
    // in the conversation as system messages.
    QTRY_VERIFY_WITH_TIMEOUT(win->windowTitle().contains(u"#design-review"_s), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(win->channelActions()->infoBar()->topicText(), u"Thursdays, room 2"_s,
                              kWait);
    QTRY_VERIFY_WITH_TIMEOUT(bobWin->windowTitle().contains(u"#design-review"_s), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bobWin->channelActions()->infoBar()->topicText(),
                              u"Thursdays, room 2"_s, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(texts(m_bob->chat()->messages(design))
                                 .contains(u"Alice renamed the channel to #design-review"_s),
                             kWait);
    QVERIFY(texts(m_bob->chat()->messages(design))
                .contains(u"Alice set the topic: Thursdays, room 2"_s));
    QCOMPARE(m_bob->chat()->channels()->displayName(design), u"design-review"_s);
    QVERIFY(!bobEdit->isEnabled());
}

void tst_ChannelManagement::archivedIsReadOnlyWithABannerUntilUnarchived()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    QSignalSpy opened(m_alice->chat(), &ChatSession::channelOpened);
    m_alice->chat()->createChannel(u"old-project"_s, true, {}, {m_bob->chat()->self().id});
    QVERIFY(opened.wait(kWait));
    const QString project = opened.at(0).at(0).toString();
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->chat()->channels()->contains(project), kWait);
    ChatWindow *bobWin = m_bob->window();
    bobWin->openChannel(project);
    ChannelInfoBar *bobBar = bobWin->channelActions()->infoBar();
    QVERIFY(!bobBar->bannerShown());
    QVERIFY(bobWin->composer()->isEnabled());
    QVERIFY(!action(bobWin, ChannelActions::tr("&Archive channel"))->isEnabled());

    // Archive (asked first).
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);
    win->openChannel(project);
    QAction *archive = action(win, ChannelActions::tr("&Archive channel"));
    QVERIFY(archive && archive->isEnabled());
    QVERIFY(whileShowing<QMessageBox>(
        [&] { archive->trigger(); },
        [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); }));

    // bob: a banner saying it is read-only, no composer; alice cannot invite.
    QTRY_VERIFY_WITH_TIMEOUT(bobBar->bannerShown(), kWait);
    QVERIFY2(bobBar->banner()->text().contains(u"archived"_s),
             qPrintable(bobBar->banner()->text()));
    QVERIFY(!bobWin->composer()->isEnabled());
    QVERIFY(!win->composer()->isEnabled());
    QVERIFY(!action(win, ChannelActions::tr("&Invite people…"))->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_bob->chat()->messages(project)).contains(u"Alice archived the channel"_s), kWait);

    // Unarchive (the same entry, now "Unarchive channel"): writable again.
    QAction *unarchive = action(win, ChannelActions::tr("Un&archive channel"));
    QVERIFY(unarchive && unarchive->isEnabled());
    unarchive->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!bobBar->bannerShown(), kWait);
    QVERIFY(bobWin->composer()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_bob->chat()->messages(project)).contains(u"Alice unarchived the channel"_s), kWait);
    QTest::keyClicks(bobWin->composer(), u"back in business"_s);
    QTest::keyClick(bobWin->composer(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_alice->chat()->messages(project)).contains(u"back in business"_s), kWait);
}

void tst_ChannelManagement::newDirectMessageWithCtrlN()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_carol = signIn(u"carol"_s);
    QVERIFY(m_carol);
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);
    const QString general = channelId(m_alice->chat(), u"general"_s);
    win->openChannel(general);
    // "New direct message…" sits in the Conversations menu, before Help.
    QStringList menus;
    for (const QAction *a : win->menuBar()->actions())
        menus.append(a->text());
    QCOMPARE(menus,
             (QStringList{ChatWindow::tr("&Natter"), ChannelActions::tr("&Conversations"),
                          ChatWindow::tr("&Help")}));
    QAction *newDm = action(win, ChannelActions::tr("New &direct message…"));
    QVERIFY(newDm);
    QCOMPARE(newDm->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));

    // Ctrl+N: people only; "car" finds Carol, Enter opens the conversation.
    bool sawCarol = false;
    QVERIFY(whileShowing<QuickSwitcher>(
        [&] { QTest::keyClick(win, Qt::Key_N, Qt::ControlModifier); },
        [&](QuickSwitcher *dialog) {
            auto *filter = dialog->findChild<QLineEdit *>();
            QTest::keyClicks(filter, u"car"_s);
            sawCarol = QTest::qWaitFor(
                [&] {
                    return rowWith(dialog->list()->model(), u"Carol"_s) >= 0
                        && dialog->list()
                               ->currentIndex()
                               .data(QuickSwitcher::IsPersonRole)
                               .toBool();
                },
                kWait);
            // Only people: #general is not offered even though it matches nothing here.
            if (sawCarol)
                QTest::keyClick(filter, Qt::Key_Return);
        }));
    QVERIFY(sawCarol);
    QTRY_VERIFY_WITH_TIMEOUT(win->currentChannel() != general, kWait);
    const QString direct = win->currentChannel();
    QCOMPARE(m_alice->chat()->channels()->channel(direct).kind, ChannelKind::Direct);
    QVERIFY(win->windowTitle().contains(u"Carol"_s));
    QTest::keyClicks(win->composer(), u"a word in private"_s);
    QTest::keyClick(win->composer(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(m_carol->chat()->channels()->contains(direct), kWait);
    m_carol->window()->openChannel(direct);
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_carol->chat()->messages(direct)).contains(u"a word in private"_s), kWait);
}

void tst_ChannelManagement::messageAMemberFromTheMembersPanel()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);
    const QString general = channelId(m_alice->chat(), u"general"_s);
    win->openChannel(general);
    QTest::keyClick(win, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    MembersPanel *panel = win->channelActions()->membersPanel();
    QVERIFY(!panel->isHidden());
    QTRY_COMPARE_WITH_TIMEOUT(panel->list()->count(), 3, kWait);

    // The Menu key on Bob: "Message" opens the conversation with him.
    const int bob = rowWith(panel->list()->model(), u"Bob"_s);
    QVERIFY(bob >= 0);
    panel->list()->setCurrentRow(bob);
    panel->list()->setFocus();
    QStringList entries;
    QString menuName;
    QVERIFY(whileShowing<QMenu>([&] { QTest::keyClick(panel->list(), Qt::Key_Menu); },
                                [&](QMenu *menu) {
                                    entries = entriesOf(menu);
                                    menuName = menu->accessibleName();
                                    auto *message =
                                        menu->findChild<QAction *>(u"messagePersonAction"_s);
                                    menu->hide();
                                    if (message)
                                        message->trigger();
                                }));
    QCOMPARE(entries, QStringList{MembersPanel::tr("&Message")});
    QCOMPARE(menuName, u"Actions for Bob"_s);
    QTRY_VERIFY_WITH_TIMEOUT(win->currentChannel() != general, kWait);
    const Channel direct = m_alice->chat()->channels()->channel(win->currentChannel());
    QCOMPARE(direct.kind, ChannelKind::Direct);
    QCOMPARE(m_alice->chat()->channels()->displayName(direct.id), u"Bob"_s);

    // On herself there is nothing to message: no menu opens.
    win->openChannel(general);
    QTRY_COMPARE_WITH_TIMEOUT(panel->list()->count(), 3, kWait);
    panel->list()->setCurrentRow(rowWith(panel->list()->model(), u"Alice (you)"_s));
    panel->list()->setFocus();
    QVERIFY(!whileShowing<QMenu>([&] { QTest::keyClick(panel->list(), Qt::Key_Menu); },
                                 [](QMenu *) {}));
}

void tst_ChannelManagement::peopleDirectoryLoadsTheNextPageAtTheEnd()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    ChatWindow *win = activate(m_alice.get());
    QVERIFY(win);

    // "zed" matches 22 people: one page of 20 first; the rest when the list is
    // moved to its end; typing starts a new search from the first page.
    int firstPage = -1;
    int all = -1;
    bool lastOne = false;
    int narrowed = -1;
    bool settledAfterFirst = false;
    QVERIFY(whileShowing<QuickSwitcher>(
        [&] { QTest::keyClick(win, Qt::Key_N, Qt::ControlModifier); },
        [&](QuickSwitcher *dialog) {
            dialog->resize(320, 240); // less than one page in view
            auto *filter = dialog->findChild<QLineEdit *>();
            QListView *list = dialog->list();
            QTest::keyClicks(filter, u"zed"_s);
            if (!QTest::qWaitFor(
                    [&] {
                        return dialog->pager()->query() == u"zed"_s && !dialog->pager()->isLoading()
                            && list->model()->rowCount() > 0;
                    },
                    kWait))
                return;
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            firstPage = list->model()->rowCount();
            // A list with rows out of sight asks for nothing more on its own.
            settledAfterFirst = !dialog->pager()->isLoading();
            if (!dialog->pager()->hasMore())
                return;
            list->setFocus();
            QTest::keyClick(list, Qt::Key_End);
            (void)QTest::qWaitFor(
                [&] { return !dialog->pager()->hasMore() && !dialog->pager()->isLoading(); },
                kWait);
            all = list->model()->rowCount();
            lastOne = rowWith(list->model(), u"Zed 22"_s) >= 0;
            filter->setFocus();
            QTest::keyClicks(filter, u"2"_s); // "zed2": zed20, zed21, zed22
            (void)QTest::qWaitFor(
                [&] {
                    return dialog->pager()->query() == u"zed2"_s && !dialog->pager()->isLoading()
                        && list->model()->rowCount() == 3;
                },
                kWait);
            narrowed = list->model()->rowCount();
        }));
    QCOMPARE(firstPage, QuickSwitcher::kPeoplePageSize);
    QVERIFY(settledAfterFirst);
    QCOMPARE(all, kExtraPeople);
    QVERIFY(lastOne);
    QCOMPARE(narrowed, 3);
}

void tst_ChannelManagement::browseLoadsTheNextPageAtTheEndAndSearchStartsOver()
{
    // dave makes more public channels than one page of the directory.
    HttpTokenProvider daveTokens(m_server.httpUrl());
    QVERIFY(daveTokens.login(u"dave"_s, u"dave-pw-123"_s));
    ConnectionManager dave(&daveTokens, nullptr);
    ConnectionManager::Options options;
    options.serverUrl = m_server.httpUrl();
    options.clientName = u"natter-test"_s;
    dave.setOptions(options);
    QSignalSpy resumed(&dave, &ConnectionManager::resumed);
    dave.open();
    QVERIFY(resumed.wait(kWait));
    QSet<QString> refs;
    int made = 0;
    connect(&dave, &ConnectionManager::channelReceived, this,
            [&](const ChannelEvent &e) { made += refs.remove(e.ref) ? 1 : 0; });
    for (int i = 0; i < kBulkChannels; ++i)
        refs.insert(dave.createChannel(u"bulk-%1"_s.arg(i, 2, 10, QLatin1Char('0')), false));
    QTRY_COMPARE_WITH_TIMEOUT(made, kBulkChannels, 30000);

    m_carol = signIn(u"carol"_s);
    QVERIFY(m_carol);
    ChatWindow *win = activate(m_carol.get());
    QVERIFY(win);
    int firstPage = -1;
    bool lastBulkFirst = true;
    bool lastBulkAfter = false;
    int all = -1;
    int distinct = -1;
    int narrowed = -1;
    bool settledAfterFirst = false;
    QVERIFY(whileShowing<BrowseChannelsDialog>(
        [&] { QTest::keyClick(win, Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier); },
        [&](BrowseChannelsDialog *dialog) {
            QTreeWidget *list = dialog->list();
            if (!QTest::qWaitFor(
                    [&] { return !dialog->pager()->isLoading() && list->topLevelItemCount() > 0; },
                    kWait))
                return;
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            firstPage = list->topLevelItemCount();
            settledAfterFirst = !dialog->pager()->isLoading();
            lastBulkFirst = browseItem(list, u"#bulk-59"_s) != nullptr;
            // Scrolled to the end: the next page.
            list->setFocus();
            QTest::keyClick(list, Qt::Key_End);
            (void)QTest::qWaitFor(
                [&] { return !dialog->pager()->hasMore() && !dialog->pager()->isLoading(); },
                kWait);
            all = list->topLevelItemCount();
            lastBulkAfter = browseItem(list, u"#bulk-59"_s) != nullptr;
            QSet<QString> names;
            for (int i = 0; i < list->topLevelItemCount(); ++i)
                names.insert(list->topLevelItem(i)->text(0));
            distinct = int(names.size());
            // Typing starts over: "bulk-5" is bulk-50 … bulk-59.
            QTest::keyClicks(dialog->findChild<QLineEdit *>(), u"bulk-5"_s);
            (void)QTest::qWaitFor(
                [&] {
                    return dialog->pager()->query() == u"bulk-5"_s && !dialog->pager()->isLoading()
                        && list->topLevelItemCount() == 10;
                },
                kWait);
            narrowed = list->topLevelItemCount();
        }));
    // The directory is in name order: bulk-00 … bulk-49 fill the first page.
    QCOMPARE(firstPage, BrowseChannelsDialog::kPageSize);
    QVERIFY(settledAfterFirst);
    QVERIFY(!lastBulkFirst);
    QVERIFY(lastBulkAfter);
    QVERIFY2(all > kBulkChannels, qPrintable(QString::number(all)));
    QCOMPARE(distinct, all);
    QCOMPARE(narrowed, 10);
    dave.close();
}

void tst_ChannelManagement::startBeforeTheNetworkShowsTopicAndArchivedBanner()
{
    // alice's client core with its local store, as the desktop builds it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString storePath = dir.filePath(u"store.sqlite"_s);
    HttpTokenProvider tokens(m_server.httpUrl());
    QVERIFY(tokens.login(u"alice"_s, u"alice-pw-123"_s));
    User self;
    self.id = tokens.userId();
    self.username = u"alice"_s;
    self.displayName = u"Alice"_s;
    ConnectionManager::Options options;
    options.serverUrl = m_server.httpUrl();
    options.clientName = u"natter-test"_s;
    QString notes;
    {
        LocalStore store(storePath);
        QVERIFY(store.open());
        ConnectionManager connection(&tokens, &store);
        connection.setOptions(options);
        ChatSession session(&connection, &store, self);
        QSignalSpy resumed(&connection, &ConnectionManager::resumed);
        connection.open();
        QVERIFY(resumed.wait(kWait));
        QSignalSpy opened(&session, &ChatSession::channelOpened);
        session.createChannel(u"offline-notes"_s, true, u"Read me on the train"_s, {});
        QVERIFY(opened.wait(kWait));
        notes = opened.at(0).at(0).toString();
        session.setNotifyLevel(notes, NotifyLevel::Mentions);
        session.archiveChannel(notes, true);
        QTRY_VERIFY_WITH_TIMEOUT(session.channels()->channel(notes).archived
                                     && session.channels()->channel(notes).notify
                                         == NotifyLevel::Mentions,
                                 kWait);
        connection.close();
    }
    QCOMPARE(m_server.stop(), 0);

    // The next start, with natterd gone: the window shows the channel as it was.
    LocalStore store(storePath);
    QVERIFY(store.open());
    ConnectionManager connection(&tokens, &store);
    connection.setOptions(options);
    ChatSession session(&connection, &store, self);
    ChatWindow win(&session);
    win.show();
    connection.open();
    QVERIFY(QTest::qWaitForWindowExposed(&win));
    QVERIFY(connection.state() != ConnectionManager::State::Connected);
    QVERIFY(session.channels()->contains(notes));
    win.openChannel(notes);
    QCOMPARE(win.currentChannel(), notes);
    QCOMPARE(win.channelActions()->infoBar()->topicText(), u"Read me on the train"_s);
    QVERIFY(win.channelActions()->infoBar()->bannerShown());
    QVERIFY(!win.composer()->isEnabled());
    QCOMPARE(session.channels()->channel(notes).visibility, ChannelVisibility::Private);
    QCOMPARE(session.channels()->channel(notes).notify, NotifyLevel::Mentions);
    QCOMPARE(session.channels()->channel(notes).owner, self.id);

    // The directories cannot be read with natterd gone: Browse channels and
    // the people picker say so in their lists (and to screen readers), with
    // nothing to join or tick.
    BrowseChannelsDialog browse(&session, &win);
    QTRY_COMPARE_WITH_TIMEOUT(browse.list()->topLevelItemCount(), 1, kWait);
    const QTreeWidgetItem *why = browse.list()->topLevelItem(0);
    QVERIFY(!why->text(0).isEmpty());
    QCOMPARE(browse.list()->accessibleDescription(), why->text(0));
    QVERIFY(!(why->flags() & Qt::ItemIsSelectable));
    PeoplePicker people(&session, {}, &win);
    QTRY_COMPARE_WITH_TIMEOUT(people.list()->count(), 1, kWait);
    QCOMPARE(people.list()->item(0)->text(), why->text(0));
    QCOMPARE(people.list()->accessibleDescription(), why->text(0));
    QVERIFY(!(people.list()->item(0)->flags() & Qt::ItemIsUserCheckable));
    connection.close();
}

QTEST_MAIN(tst_ChannelManagement)
#include "tst_ChannelManagement.moc"
