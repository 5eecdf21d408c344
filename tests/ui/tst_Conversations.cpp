// Conversations people start themselves (§8), through two and three real
// desktop clients (DesktopController + ChatWindow, offscreen) and the real
// natterd: Ctrl+K finds a person and opens a direct conversation; a private
// channel made in the Create dialog reaches its member and stays out of
// another's Browse; archiving it makes it read-only for everyone; joining from
// Browse, the topic, the members panel and leaving.
#include "ForgetDrafts.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/BrowseChannelsDialog.h"
#include "chat/ChannelActions.h"
#include "chat/ChannelInfoBar.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/CreateChannelDialog.h"
#include "chat/MembersPanel.h"
#include "chat/QuickSwitcher.h"
#include "models/ChannelListModel.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
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

// A modal dialog runs its own event loop: `act` runs from a timer inside it,
// once a W is the active modal widget while `trigger` runs.
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

// Opens the message's context menu from the keyboard (Menu key) and triggers
// the entry `choose`; returns the entries it had.
QStringList contextMenu(ChatWindow *win, int row, const QString &choose)
{
    QListView *view = win->messageView();
    view->setCurrentIndex(view->model()->index(row, 0));
    view->setFocus();
    QStringList entries;
    whileShowing<QMenu>([&] { QTest::keyClick(view, Qt::Key_Menu); },
                        [&](QMenu *menu) {
                            QAction *chosen = nullptr;
                            for (QAction *a : menu->actions()) {
                                entries.append(a->text());
                                if (a->text() == choose)
                                    chosen = a;
                            }
                            menu->hide();
                            if (chosen)
                                chosen->trigger();
                        });
    return entries;
}

// The row of `list` whose text contains `needle`, or -1.
int rowWith(const QAbstractItemModel *model, const QString &needle)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data().toString().contains(needle))
            return i;
    }
    return -1;
}

} // namespace

class tst_Conversations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void aliceOpensADirectMessageWithBobFromCtrlK();
    void privateChannelReachesBobNotCarolAndArchivedIsReadOnly();
    void carolJoinsFromBrowseSeesTopicAndMembersThenLeaves();

private:
    std::unique_ptr<Client> signIn(const QString &user);

    QTemporaryDir m_configDir;
    NatterdProcess m_server;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
    std::unique_ptr<Client> m_carol;
};

void tst_Conversations::initTestCase()
{
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s}) {
        QString display = name;
        display[0] = display[0].toUpper();
        QVERIFY2(m_server.addUser(name, name + u"-pw-123"_s, display),
                 m_server.lastAdminOutput().constData());
    }
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s, u"carol"_s}));
    // The tests create several channels in a row: lift the per-user channel
    // budget so that it never answers first.
    QFile config(m_configDir.filePath(u"natterd.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[server]\nuser_channel_per_second = 5000\nuser_channel_burst = 5000\n");
    config.close();
    QVERIFY2(m_server.start({u"--config"_s, config.fileName()}),
             qPrintable(m_server.errorString()));
}

std::unique_ptr<Client> tst_Conversations::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + u"-pw-123"_s;
    client->controller = std::make_unique<DesktopController>(
        Profile(u"tst-conversations-"_s + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    return client;
}

void tst_Conversations::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get(), m_carol.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
}

void tst_Conversations::aliceOpensADirectMessageWithBobFromCtrlK()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    ChatWindow *win = m_alice->window();
    win->activateWindow(); // shortcuts go to the active window
    QVERIFY(QTest::qWaitForWindowActive(win));
    const QString general = channelId(m_alice->chat(), u"general"_s);
    win->openChannel(general);

    // Ctrl+K, "bo": bob comes from the directory (he shares no direct channel
    // with alice yet); Enter opens the conversation with him.
    bool sawBob = false;
    QVERIFY(whileShowing<QuickSwitcher>(
        [&] { QTest::keyClick(win, Qt::Key_K, Qt::ControlModifier); },
        [&](QuickSwitcher *dialog) {
            auto *filter = dialog->findChild<QLineEdit *>();
            auto *list = dialog->findChild<QListView *>();
            QTest::keyClicks(filter, u"bo"_s);
            sawBob = QTest::qWaitFor(
                [&] {
                    return rowWith(list->model(), u"Bob"_s) >= 0
                        && list->currentIndex().data(QuickSwitcher::IsPersonRole).toBool();
                },
                10000);
            if (sawBob)
                QTest::keyClick(filter, Qt::Key_Return);
        }));
    QVERIFY(sawBob);
    QTRY_VERIFY_WITH_TIMEOUT(win->currentChannel() != general, 10000);
    const QString direct = win->currentChannel();
    QCOMPARE(m_alice->chat()->channels()->channel(direct).kind, ChannelKind::Direct);

    QTest::keyClicks(win->composer(), u"hi bob, straight to you"_s);
    QTest::keyClick(win->composer(), Qt::Key_Return);

    // bob's window has the new conversation, with the message in it.
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->chat()->channels()->contains(direct), 10000);
    QCOMPARE(m_bob->chat()->channels()->displayName(direct), u"Alice"_s);
    m_bob->window()->openChannel(direct);
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_bob->chat()->messages(direct)).contains(u"hi bob, straight to you"_s), 10000);

    // "Message Alice" on one of her messages elsewhere leads bob back to it.
    const QString bobGeneral = channelId(m_bob->chat(), u"general"_s);
    m_bob->window()->openChannel(bobGeneral);
    m_alice->chat()->sendMessage(general, u"in the open"_s);
    auto *bobGeneralModel = m_bob->chat()->messages(bobGeneral);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobGeneralModel).contains(u"in the open"_s), 10000);
    const QStringList entries = contextMenu(m_bob->window(), bobGeneralModel->rowCount() - 1,
                                            ChannelActions::tr("&Message %1").arg(u"Alice"_s));
    QVERIFY2(entries.contains(ChannelActions::tr("&Message %1").arg(u"Alice"_s)),
             qPrintable(entries.join(u'|')));
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->window()->currentChannel(), direct, 10000);
}

void tst_Conversations::privateChannelReachesBobNotCarolAndArchivedIsReadOnly()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    m_carol = signIn(u"carol"_s);
    QVERIFY(m_carol);
    ChatWindow *win = m_alice->window();
    win->activateWindow(); // shortcuts go to the active window
    QVERIFY(QTest::qWaitForWindowActive(win));

    // Create channel… (Ctrl+Shift+N): the name is checked as it is typed.
    bool checked = false;
    QVERIFY(whileShowing<CreateChannelDialog>(
        [&] { QTest::keyClick(win, Qt::Key_N, Qt::ControlModifier | Qt::ShiftModifier); },
        [&](CreateChannelDialog *dialog) {
            auto *buttons = dialog->findChild<QDialogButtonBox *>();
            QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
            QLineEdit *name = nullptr;
            QLineEdit *topic = nullptr;
            for (QLineEdit *e : dialog->findChildren<QLineEdit *>()) {
                if (e->accessibleName() == CreateChannelDialog::tr("Channel name"))
                    name = e;
                if (e->accessibleName() == CreateChannelDialog::tr("Topic"))
                    topic = e;
            }
            QTest::keyClicks(name, u"Secret Plans"_s);
            const bool refused = !ok->isEnabled();
            name->clear();
            QTest::keyClicks(name, u"secret-plans"_s);
            QTest::keyClicks(topic, u"just us"_s);
            for (QRadioButton *r : dialog->findChildren<QRadioButton *>()) {
                if (r->text().contains(u"rivate"_s))
                    r->setChecked(true);
            }
            // bob from the directory: tick him.
            auto *people = dialog->findChild<QListWidget *>();
            const bool found =
                QTest::qWaitFor([&] { return rowWith(people->model(), u"Bob"_s) >= 0; }, 10000);
            if (found)
                people->item(rowWith(people->model(), u"Bob"_s))->setCheckState(Qt::Checked);
            checked = refused && ok->isEnabled() && found && dialog->memberIds().size() == 1;
            if (checked)
                ok->click();
        }));
    QVERIFY(checked);

    // alice is in it at once (it opens), bob sees it appear.
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_alice->chat(), u"secret-plans"_s).isEmpty(), 10000);
    const QString secret = channelId(m_alice->chat(), u"secret-plans"_s);
    QTRY_COMPARE_WITH_TIMEOUT(win->currentChannel(), secret, 10000);
    QCOMPARE(win->channelActions()->infoBar()->topicText(), u"just us"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->chat()->channels()->contains(secret), 10000);

    // carol cannot find it in Browse channels; she does find general.
    ChatWindow *carolWin = m_carol->window();
    carolWin->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(carolWin));
    QStringList listed;
    QVERIFY(whileShowing<BrowseChannelsDialog>(
        [&] { QTest::keyClick(carolWin, Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier); },
        [&](BrowseChannelsDialog *dialog) {
            if (!QTest::qWaitFor([&] { return dialog->list()->topLevelItemCount() > 0; }, 10000))
                return;
            for (int i = 0; i < dialog->list()->topLevelItemCount(); ++i)
                listed.append(dialog->list()->topLevelItem(i)->text(0));
        }));
    QVERIFY2(listed.join(u' ').contains(u"#general"_s), qPrintable(listed.join(u' ')));
    QVERIFY2(!listed.join(u' ').contains(u"secret"_s), qPrintable(listed.join(u' ')));

    // alice archives it (asked first); bob's composer is disabled under a banner.
    m_bob->window()->openChannel(secret);
    QVERIFY(m_bob->window()->composer()->isEnabled());
    QVERIFY(!m_bob->window()->channelActions()->infoBar()->bannerShown());
    QAction *archive = action(win, ChannelActions::tr("&Archive channel"));
    QVERIFY(archive);
    QVERIFY(archive->isEnabled());
    QVERIFY(whileShowing<QMessageBox>(
        [&] { archive->trigger(); },
        [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); }));
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->window()->channelActions()->infoBar()->bannerShown(), 10000);
    QVERIFY(!m_bob->window()->composer()->isEnabled());
    QVERIFY(!win->composer()->isEnabled());
    // bob is no owner: he may not archive or rename it.
    QVERIFY(!action(m_bob->window(), ChannelActions::tr("Un&archive channel"))->isEnabled());
}

void tst_Conversations::carolJoinsFromBrowseSeesTopicAndMembersThenLeaves()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_carol = signIn(u"carol"_s);
    QVERIFY(m_carol);
    QSignalSpy opened(m_alice->chat(), &ChatSession::channelOpened);
    m_alice->chat()->createChannel(u"town-hall"_s, false, u"Fridays at four"_s, {});
    QVERIFY(opened.wait(10000));

    ChatWindow *win = m_carol->window();
    win->activateWindow(); // shortcuts go to the active window
    QVERIFY(QTest::qWaitForWindowActive(win));
    QVERIFY(whileShowing<BrowseChannelsDialog>(
        [&] { QTest::keyClick(win, Qt::Key_B, Qt::ControlModifier | Qt::ShiftModifier); },
        [&](BrowseChannelsDialog *dialog) {
            auto *search = dialog->findChild<QLineEdit *>();
            QTest::keyClicks(search, u"town"_s);
            const bool found = QTest::qWaitFor(
                [&] {
                    return dialog->list()->topLevelItemCount() == 1
                        && dialog->list()->topLevelItem(0)->text(0) == u"#town-hall"_s;
                },
                10000);
            if (found) {
                QCOMPARE(dialog->list()->topLevelItem(0)->text(1), u"1"_s);
                QTest::keyClick(search, Qt::Key_Return);
            }
        }));
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_carol->chat(), u"town-hall"_s).isEmpty(), 10000);
    const QString hall = channelId(m_carol->chat(), u"town-hall"_s);
    QTRY_COMPARE_WITH_TIMEOUT(win->currentChannel(), hall, 10000);
    QCOMPARE(win->channelActions()->infoBar()->topicText(), u"Fridays at four"_s);

    // The members panel (Ctrl+Shift+M) lists both, with their presence.
    MembersPanel *panel = win->channelActions()->membersPanel();
    QVERIFY(panel->isHidden());
    win->activateWindow(); // the closed dialog had it
    QVERIFY(QTest::qWaitForWindowActive(win));
    QTest::keyClick(win, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!panel->isHidden());
    QTRY_COMPARE_WITH_TIMEOUT(panel->list()->count(), 2, 10000);
    QVERIFY(rowWith(panel->list()->model(), u"Alice · owner — online"_s) >= 0);
    QVERIFY(rowWith(panel->list()->model(), u"Carol (you)"_s) >= 0);

    // Leave (asked first): gone from her list.
    QAction *leave = action(win, ChannelActions::tr("&Leave channel"));
    QVERIFY(leave && leave->isEnabled());
    QVERIFY(whileShowing<QMessageBox>(
        [&] { leave->trigger(); },
        [](QMessageBox *box) { box->button(QMessageBox::Yes)->click(); }));
    QTRY_VERIFY_WITH_TIMEOUT(!m_carol->chat()->channels()->contains(hall), 10000);
    QVERIFY(win->currentChannel() != hall);
}

QTEST_MAIN(tst_Conversations)
#include "tst_Conversations.moc"
