// Two real desktop clients (DesktopController + ChatWindow, offscreen) talking
// through the real natterd: what alice does shows up in bob's window.
#include "DunstProcess.h"
#include "ForgetDrafts.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "app/DesktopNotifier.h"
#include "auth/MemoryTokenStore.h"
#include "chat/Announcer.h"
#include "chat/ChannelDelegate.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/EditBar.h"
#include "chat/MessageActions.h"
#include "chat/MessageDelegate.h"
#include "chat/MessageViewModel.h"
#include "chat/QuickSwitcher.h"
#include "chat/ReplyBar.h"
#include "models/ChannelListModel.h"
#include "models/MessageListModel.h"
#include "models/PresenceModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

#include <algorithm>
#include <functional>
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

int unread(ChatSession *chat, const QString &id)
{
    return chat->channels()
        ->index(chat->channels()->rowOf(id))
        .data(ChannelListModel::UnreadRole)
        .toInt();
}

QStringList texts(const MessageListModel *model)
{
    QStringList out;
    for (int i = 0; i < model->rowCount(); ++i)
        out.append(model->index(i).data(MessageListModel::TextRole).toString());
    return out;
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

// The view's row for a row of the channel's model.
QModelIndex viewIndex(ChatWindow *win, const QModelIndex &modelIndex)
{
    return win->messageView()->model()->index(modelIndex.row(), 0);
}

// Menus and message boxes run their own event loop: `act` runs from a timer
// inside it, once a W shows (as a popup or a modal window) while `trigger` runs.
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

// Opens the message's context menu from the keyboard (Menu key) and returns its
// entries; triggers the entry `choose` if given, answering its confirmation
// with `confirm`.
QStringList contextMenu(ChatWindow *win, const QModelIndex &row, const QString &choose = {},
                        const std::function<void(QMessageBox *)> &confirm = {})
{
    QListView *view = win->messageView();
    view->setCurrentIndex(row);
    view->setFocus();
    QStringList entries;
    QAction *chosen = nullptr;
    const bool shown =
        whileShowing<QMenu>([&] { QTest::keyClick(view, Qt::Key_Menu); },
                            [&](QMenu *menu) {
                                for (QAction *a : menu->actions()) {
                                    if (a->isSeparator())
                                        continue;
                                    entries.append(a->text());
                                    if (a->text() == choose)
                                        chosen = a;
                                }
                                if (!chosen)
                                    return;
                                menu->hide();
                                if (confirm)
                                    whileShowing<QMessageBox>([&] { chosen->trigger(); }, confirm);
                                else
                                    chosen->trigger();
                            });
    if (!shown)
        entries.append(QStringLiteral("<no menu>"));
    return entries;
}

// Whether `color` is painted anywhere inside `rect` of `widget`.
bool paints(QWidget *widget, const QRect &rect, const QColor &color)
{
    const QImage shot = widget->grab(rect).toImage();
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.width(); ++x) {
            if (shot.pixelColor(x, y) == color)
                return true;
        }
    }
    return false;
}

QString lastText(const MessageListModel *model)
{
    return model->index(model->rowCount() - 1).data(MessageListModel::TextRole).toString();
}

QString lastId(const MessageListModel *model)
{
    return model->index(model->rowCount() - 1).data(MessageListModel::IdRole).toString();
}

MessageListModel::DeliveryState lastDelivery(const MessageListModel *model)
{
    return MessageListModel::DeliveryState(
        model->index(model->rowCount() - 1).data(MessageListModel::DeliveryStateRole).toInt());
}

} // namespace

class tst_ChatWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void typingShowsAndClearsWhenTheMessageLands();
    void unreadBadgesCountUpAndClearOnReading();
    void keyboardMovesBetweenChannels();
    void quickSwitcherQuitAndJumpToNewest();
    void messageSentWhileServerIsDownGoesFromPendingToSent();
    void idleAndScreenLockTurnPresenceAway();
    void presenceTurnsOfflineAfterTheGracePeriod();
    void screenshotsInLightAndDarkPalettes();
    void partOfAMessageCanBeSelectedAndCopied();
    void channelsFollowTheOperator();
    void editFromTheContextMenuShowsEditedInTheOtherWindow();
    void upEditsTheLastMessageAndEscCancels();
    void deleteAsksFirstThenShowsMessageDeletedInBothWindows();
    void onlyAnAdminMayDeleteOthersMessages();
    void refusedEditIsExplainedInTheStatusBar();
    void anEditRefusedForGoodKeepsWhatWasWritten();
    void aMessageDeletedWhileBeingEditedLeavesWhatWasWritten();
    void messagesStillInTheOutboxCanBeEditedAndDeleted();
    void deletedMessageWithdrawsItsNotification();
    void screenshotOfAnEditedAndADeletedMessage();
    void resyncShowsLoadingAndNeverAnEmptyChannel();
    void mentionShowsABadgeAndIsHighlighted();
    void aliceReactsBobSeesTheChipAndClicksItToo();
    void bobRepliesAliceClicksTheQuoteAndLandsOnTheTarget();
    void focusedMessageRRepliesAndEEdits();
    void atBoCompletesToBobWhoIsMentioned();
    void screenshotsOfReactionsAReplyAndAMention();
    // Last: it leaves a failed message in alice's outbox.
    void aRefusedMessageSaysWhyInItsRowAndTheStatusBar();
    void aTextOverTheLimitIsKeptAndSaidNotSent();
    void draftsSurviveARestart();

private:
    std::unique_ptr<Client> signIn(const QString &user);

    NatterdProcess m_server;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
    QString m_shots;
};

void tst_ChatWindow::initTestCase()
{
    QVERIFY2(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-123"),
                              QStringLiteral("Alice")),
             m_server.lastAdminOutput().constData());
    QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-123"),
                             QStringLiteral("Bob")));
    QVERIFY(m_server.addChannel(QStringLiteral("general"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY(m_server.addChannel(QStringLiteral("random"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    // alice is a server admin (§7: may delete anyone's message); bob is not.
    QCOMPARE(m_server.admin(
                 {QStringLiteral("user"), QStringLiteral("promote"), QStringLiteral("alice")}),
             0);
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_shots = QDir(QStringLiteral(NATTER_SCREENSHOT_DIR)).absolutePath();
    QDir().mkpath(m_shots);
}

std::unique_ptr<Client> tst_ChatWindow::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + QStringLiteral("-pw-123");
    client->controller = std::make_unique<DesktopController>(
        Profile(QStringLiteral("tst-chatwindow-") + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    return client;
}

void tst_ChatWindow::init()
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

void tst_ChatWindow::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
}

void tst_ChatWindow::typingShowsAndClearsWhenTheMessageLands()
{
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    QCOMPARE(bobWin->typingText(), QString());

    QElapsedTimer latency;
    latency.start();
    QTest::keyClicks(aliceWin->composer(), QStringLiteral("Hello Bob"));
    QTRY_COMPARE_WITH_TIMEOUT(bobWin->typingText(), QStringLiteral("Alice is typing…"), 10000);
    qInfo("typing indicator reached the other window after %lld ms", latency.elapsed());

    QTest::keyClick(aliceWin->composer(), Qt::Key_Return);
    QCOMPARE(aliceWin->composer()->toPlainText(), QString());
    auto *bobMessages = m_bob->chat()->messages(bobWin->currentChannel());
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobMessages).contains(QStringLiteral("Hello Bob")), 10000);
    // The message itself ends the indicator, without waiting for any expiry.
    QCOMPARE(bobWin->typingText(), QString());
    // Alice sees her own message confirmed.
    auto *aliceMessages = m_alice->chat()->messages(aliceWin->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(aliceMessages->index(aliceMessages->rowCount() - 1)
                                  .data(MessageListModel::DeliveryStateRole)
                                  .toInt(),
                              int(MessageListModel::DeliveryState::Sent), 10000);
}

void tst_ChatWindow::unreadBadgesCountUpAndClearOnReading()
{
    const QString random = channelId(m_bob->chat(), QStringLiteral("random"));
    const QString aliceRandom = channelId(m_alice->chat(), QStringLiteral("random"));
    QCOMPARE(unread(m_bob->chat(), random), 0);
    QSignalSpy notified(m_bob->chat(), &ChatSession::notifiableMessage);
    m_alice->chat()->sendMessage(aliceRandom, QStringLiteral("one"));
    m_alice->chat()->sendMessage(aliceRandom, QStringLiteral("two"));
    QTRY_COMPARE_WITH_TIMEOUT(unread(m_bob->chat(), random), 2, 10000);
    QVERIFY2(m_bob->window()->windowTitle().startsWith(QStringLiteral("(2)")),
             qPrintable(m_bob->window()->windowTitle()));
    // Bob opens #random: it is read, and the badge and title clear.
    m_bob->window()->openChannel(random);
    QTRY_COMPARE_WITH_TIMEOUT(unread(m_bob->chat(), random), 0, 10000);
    QVERIFY(!m_bob->window()->windowTitle().startsWith(QStringLiteral("(")));

    // A desktop notification for each message in a channel not in view, none for
    // the channel being read.
    QCOMPARE(notified.size(), 2);
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("random"));
    m_alice->chat()->sendMessage(aliceRandom, QStringLiteral("three"));
    auto *bobRandom = m_bob->chat()->messages(random);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRandom).contains(QStringLiteral("three")), 10000);
    QCOMPARE(notified.size(), 2);
}

void tst_ChatWindow::keyboardMovesBetweenChannels()
{
    ChatWindow *win = m_bob->window();
    win->activateWindow();
    const QString first = win->currentChannel();
    // Channels are sorted by activity: move towards whichever neighbour exists.
    const bool atTop = m_bob->chat()->channels()->rowOf(first) == 0;
    QTest::keyClick(win, atTop ? Qt::Key_Down : Qt::Key_Up, Qt::AltModifier);
    QVERIFY(win->currentChannel() != first);
    QTest::keyClick(win, atTop ? Qt::Key_Up : Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(win->currentChannel(), first);
}

void tst_ChatWindow::quickSwitcherQuitAndJumpToNewest()
{
    ChatWindow *win = m_bob->window();
    win->activateWindow();
    const QString random = channelId(m_bob->chat(), QStringLiteral("random"));
    QVERIFY(win->currentChannel() != random);

    // Ctrl+K, type part of a name, Enter: that channel opens. The switcher is
    // modal (its own event loop), so it is driven from a timer inside that loop.
    bool sawSwitcher = false;
    QTimer driver;
    driver.setInterval(10);
    connect(&driver, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<QuickSwitcher *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        driver.stop();
        sawSwitcher = true;
        auto *filter = dialog->findChild<QLineEdit *>();
        QTest::keyClicks(filter, QStringLiteral("ANDO"));
        QTest::keyClick(filter, Qt::Key_Return);
        if (dialog->isVisible())
            dialog->reject(); // never leave the test stuck in a modal loop
    });
    driver.start();
    QTest::keyClick(win, Qt::Key_K, Qt::ControlModifier);
    driver.stop();
    QVERIFY(sawSwitcher);
    QCOMPARE(win->currentChannel(), random);

    win->activateWindow(); // the closed switcher had it
    QVERIFY(QTest::qWaitForWindowActive(win));

    // Ctrl+Q is Quit. (QApplication::quit() itself does nothing outside exec(),
    // so the test can check which action the key reaches and carry on.)
    QAction *quit = nullptr;
    for (QAction *a : win->findChildren<QAction *>()) {
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_Q))
            quit = a;
    }
    QVERIFY(quit);
    QCOMPARE(quit->text(), ChatWindow::tr("&Quit"));
    QSignalSpy quitting(quit, &QAction::triggered);
    QTest::keyClick(win, Qt::Key_Q, Qt::ControlModifier);
    QCOMPARE(quitting.size(), 1);

    // Enough messages to scroll; scrolled up, Esc brings the newest into view.
    auto *model = m_bob->chat()->messages(random);
    const int before = model->rowCount();
    for (int i = 0; i < 60; ++i)
        m_alice->chat()->sendMessage(random, QStringLiteral("filler %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), before + 60, 20000);
    QListView *view = win->messageView();
    QScrollBar *bar = view->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    bar->setValue(0);
    // From the composer, where the user is typing.
    QTest::keyClick(win->composer(), Qt::Key_Escape);
    QCOMPARE(bar->value(), bar->maximum());
    const QModelIndex newest = viewIndex(win, model->index(model->rowCount() - 1));
    QVERIFY(view->viewport()->rect().intersects(view->visualRect(newest)));
}

void tst_ChatWindow::messageSentWhileServerIsDownGoesFromPendingToSent()
{
    ConnectionManager *conn = m_bob->controller->connection();
    auto *announcer = m_bob->window()->statusBar()->findChild<Announcer *>();
    QVERIFY(announcer);
    QSignalSpy said(announcer, &Announcer::said);
    const auto saidText = [&said](const QString &text) {
        return std::any_of(said.cbegin(), said.cend(),
                           [&](const QList<QVariant> &args) { return args.at(0) == text; });
    };
    const int exitCode = m_server.stop();
    QCOMPARE(exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(conn->state() != ConnectionManager::State::Connected, 10000);
    QVERIFY(m_bob->window()->connectionText() != ChatWindow::tr("Connected"));
    // Screen readers are told the connection is gone (the status bar shows it).
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(said.cbegin(), said.cend(),
                    [](const QList<QVariant> &args) {
                        return args.at(0).toString().endsWith(
                            ChatWindow::tr("%1 — reconnecting…").arg(QString()));
                    }),
        10000);

    ChatWindow *bobWin = m_bob->window();
    QTest::keyClicks(bobWin->composer(), QStringLiteral("sent while offline"));
    QTest::keyClick(bobWin->composer(), Qt::Key_Return);
    auto *model = m_bob->chat()->messages(bobWin->currentChannel());
    const QModelIndex last = model->index(model->rowCount() - 1);
    QCOMPARE(last.data(MessageListModel::TextRole).toString(),
             QStringLiteral("sent while offline"));
    QCOMPARE(last.data(MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::DeliveryState::Pending));

    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(lastDelivery(model), MessageListModel::DeliveryState::Sent, 60000);
    QCOMPARE(texts(model).count(QStringLiteral("sent while offline")), 1);
    QTRY_VERIFY_WITH_TIMEOUT(saidText(ChatWindow::tr("Connected again.")), 10000);
    // And alice got it exactly once.
    auto *aliceModel = m_alice->chat()->messages(m_alice->window()->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(texts(aliceModel).count(QStringLiteral("sent while offline")), 1,
                              60000);
}

void tst_ChatWindow::idleAndScreenLockTurnPresenceAway()
{
    PresenceModel *bobsView = m_bob->chat()->people();
    const QString aliceId = m_alice->chat()->self().id;
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Online, 10000);

    // No input for the idle time: away, as bob sees it through the server.
    m_alice->chat()->setIdleTimeout(300);
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Away, 10000);
    // Alice touches the keyboard: online again.
    m_alice->chat()->setIdleTimeout(ChatSession::kDefaultIdleTimeoutMs);
    QTest::keyClick(m_alice->window()->composer(), Qt::Key_Shift);
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Online, 10000);

    // The desktop locks (the screensaver's real D-Bus signal on this session bus).
    auto screensaver = [](bool active) {
        QDBusMessage signal = QDBusMessage::createSignal(
            QStringLiteral("/org/freedesktop/ScreenSaver"),
            QStringLiteral("org.freedesktop.ScreenSaver"), QStringLiteral("ActiveChanged"));
        signal << active;
        return QDBusConnection::sessionBus().send(signal);
    };
    if (!QDBusConnection::sessionBus().isConnected())
        QFAIL("this test needs the D-Bus session the test runner provides");
    QVERIFY(screensaver(true));
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Away, 10000);
    // Input while locked does not make her "online".
    m_alice->chat()->userActivity();
    QCOMPARE(m_alice->chat()->ownStatus(), PresenceStatus::Away);
    QVERIFY(screensaver(false));
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Online, 10000);
}

void tst_ChatWindow::presenceTurnsOfflineAfterTheGracePeriod()
{
    PresenceModel *bobsView = m_bob->chat()->people();
    const QString aliceId = m_alice->chat()->self().id;
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Online, 10000);
    QElapsedTimer sinceQuit;
    m_alice.reset(); // alice quits the app
    sinceQuit.start();
    // Not at once: a reconnect within the grace period must not flap.
    QCOMPARE(bobsView->status(aliceId), PresenceStatus::Online);
    QTRY_COMPARE_WITH_TIMEOUT(bobsView->status(aliceId), PresenceStatus::Offline, 20000);
    qInfo("alice shown offline %lld ms after quitting", sinceQuit.elapsed());
    QVERIFY(bobsView->user(aliceId).lastSeen.isValid());
}

void tst_ChatWindow::screenshotsInLightAndDarkPalettes()
{
    const QString general = m_alice->window()->currentChannel();
    m_alice->chat()->sendMessage(
        general, QStringLiteral("Morning! The **build** is green: see https://example.org/ci"));
    m_bob->chat()->sendMessage(channelId(m_bob->chat(), QStringLiteral("general")),
                               QStringLiteral("Nice. I'll merge `feature/typing` after lunch."));
    auto *model = m_alice->chat()->messages(general);
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(model).contains(QStringLiteral("Nice. I'll merge `feature/typing` after lunch.")),
        10000);
    QTest::keyClicks(m_bob->window()->composer(), QStringLiteral("typing"));
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->window()->typingText(), QStringLiteral("Bob is typing…"),
                              10000);

    ChatWindow *win = m_alice->window();
    win->resize(1000, 640);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette light = QApplication::style()->standardPalette();
    QApplication::setPalette(light);
    QCoreApplication::processEvents();
    const QImage lightShot = win->grab().toImage();
    QVERIFY(lightShot.save(m_shots + QStringLiteral("/chat-light.png")));

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb4));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    QApplication::setPalette(dark);
    QCoreApplication::processEvents(); // deliver the palette-change events before grabbing
    const QImage darkShot = win->grab().toImage();
    QVERIFY(darkShot.save(m_shots + QStringLiteral("/chat-dark.png")));
    QApplication::setPalette(light);

    // The palettes really reach the window: the message area is dark in one and
    // light in the other.
    const QPoint probe = win->messageView()->viewport()->mapTo(win, QPoint(4, 4));
    QVERIFY(qGray(lightShot.pixel(probe)) > 160);
    QVERIFY(qGray(darkShot.pixel(probe)) < 96);
}

void tst_ChatWindow::partOfAMessageCanBeSelectedAndCopied()
{
    const QString general = m_alice->window()->currentChannel();
    const QString line = QStringLiteral("the code is 4242, see https://example.org/x");
    m_bob->chat()->sendMessage(channelId(m_bob->chat(), QStringLiteral("general")), line);
    auto *model = m_alice->chat()->messages(general);
    QTRY_VERIFY_WITH_TIMEOUT(texts(model).contains(line), 10000);
    QListView *view = m_alice->window()->messageView();
    const QModelIndex idx = viewIndex(m_alice->window(), model->index(model->rowCount() - 1));
    view->scrollTo(idx);
    const QPoint pos = view->visualRect(idx).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, pos);
    QTRY_VERIFY(view->isPersistentEditorOpen(idx));
    auto *text = qobject_cast<QTextBrowser *>(view->indexWidget(idx));
    QVERIFY(text);
    QVERIFY(text->isReadOnly());
    // Select just "4242" and copy it.
    const int at = int(text->toPlainText().indexOf(QStringLiteral("4242")));
    QVERIFY(at >= 0);
    QTextCursor cursor = text->textCursor();
    cursor.setPosition(at);
    cursor.setPosition(at + 4, QTextCursor::KeepAnchor);
    text->setTextCursor(cursor);
    text->copy();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("4242"));
    // Switching channels closes it; the message itself is never written to.
    m_alice->window()->openChannel(channelId(m_alice->chat(), QStringLiteral("random")));
    QVERIFY(!view->isPersistentEditorOpen(idx));
    QCOMPARE(texts(model).last(), line);
}

void tst_ChatWindow::channelsFollowTheOperator()
{
    // An operator runs `natterd channel add/join/leave` while both are signed in:
    // the channel lists change in the open windows, without a reconnect.
    QVERIFY(m_server.addUser(QStringLiteral("carol"), QStringLiteral("carol-pw-123"),
                             QStringLiteral("Carol Danvers")));
    QVERIFY(m_server.addChannel(QStringLiteral("ops"),
                                {QStringLiteral("alice"), QStringLiteral("carol")}));
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_alice->chat(), QStringLiteral("ops")).isEmpty(), 10000);
    const QString ops = channelId(m_alice->chat(), QStringLiteral("ops"));
    QVERIFY(channelId(m_bob->chat(), QStringLiteral("ops")).isEmpty());
    // carol shares no other channel with alice: the channel introduced her.
    const QStringList members = m_alice->chat()->channels()->channel(ops).members;
    QCOMPARE(members.size(), 2);
    QString carolId;
    for (const QString &id : members) {
        if (m_alice->chat()->people()->displayName(id) == u"Carol Danvers")
            carolId = id;
    }
    QVERIFY2(!carolId.isEmpty(), "carol's name is known in alice's window");

    QCOMPARE(m_server.admin({QStringLiteral("channel"), QStringLiteral("join"),
                             QStringLiteral("ops"), QStringLiteral("bob")}),
             0);
    QTRY_COMPARE_WITH_TIMEOUT(channelId(m_bob->chat(), QStringLiteral("ops")), ops, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->chat()->channels()->channel(ops).members.size(), 3, 10000);

    // alice is reading #ops when she is taken out of it.
    m_alice->window()->openChannel(ops);
    QCOMPARE(m_alice->window()->currentChannel(), ops);
    QCOMPARE(m_server.admin({QStringLiteral("channel"), QStringLiteral("leave"),
                             QStringLiteral("ops"), QStringLiteral("alice")}),
             0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_alice->chat()->channels()->contains(ops), 10000);
    QCOMPARE(m_alice->window()->statusBar()->currentMessage(),
             ChatWindow::tr("You were removed from %1.").arg(QStringLiteral("ops")));
    QVERIFY(m_alice->window()->currentChannel() != ops);
    QVERIFY(!m_alice->window()->currentChannel().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(m_bob->chat()->channels()->channel(ops).members.size(), 2, 10000);
    QVERIFY(m_bob->chat()->channels()->contains(ops));

    // Someone whose only channel goes away is left with no channel, not a stale one.
    QVERIFY(m_server.addUser(QStringLiteral("dave"), QStringLiteral("dave-pw-123")));
    QVERIFY(m_server.addChannel(QStringLiteral("solo"), {QStringLiteral("dave")}));
    auto dave = signIn(QStringLiteral("dave"));
    QVERIFY(dave);
    const QString solo = channelId(dave->chat(), QStringLiteral("solo"));
    dave->window()->openChannel(solo);
    QCOMPARE(dave->window()->currentChannel(), solo);
    QCOMPARE(m_server.admin({QStringLiteral("channel"), QStringLiteral("leave"),
                             QStringLiteral("solo"), QStringLiteral("dave")}),
             0);
    QTRY_COMPARE_WITH_TIMEOUT(dave->chat()->channels()->rowCount(), 0, 10000);
    QVERIFY(dave->window()->currentChannel().isEmpty());
    QVERIFY(!dave->window()->messageView()->model()); // no messages of a channel left
    QCOMPARE(dave->window()->windowTitle(), ChatWindow::tr("Natter"));
    // Added back, the channel opens by itself: there is nothing else to show.
    QCOMPARE(m_server.admin({QStringLiteral("channel"), QStringLiteral("join"),
                             QStringLiteral("solo"), QStringLiteral("dave")}),
             0);
    QTRY_COMPARE_WITH_TIMEOUT(dave->window()->currentChannel(), solo, 10000);
    QVERIFY(dave->window()->messageView()->model());
}

void tst_ChatWindow::editFromTheContextMenuShowsEditedInTheOtherWindow()
{
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    auto *aliceModel = m_alice->chat()->messages(aliceWin->currentChannel());
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    QTest::keyClicks(aliceWin->composer(), QStringLiteral("teh plan is ready"));
    QTest::keyClick(aliceWin->composer(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(aliceModel).isEmpty(), 10000);
    const QString id = lastId(aliceModel);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bobWin, id).isValid(), 10000);

    // Half a new message is in the composer; it is kept aside during the edit.
    QTest::keyClicks(aliceWin->composer(), QStringLiteral("half-written"));
    const QStringList entries = contextMenu(aliceWin, rowOf(aliceWin, id), ChatWindow::tr("&Edit"));
    QVERIFY2(entries.contains(ChatWindow::tr("&Edit")), qPrintable(entries.join(u'|')));
    QVERIFY(entries.contains(ChatWindow::tr("De&lete…")));
    QVERIFY(aliceWin->composer()->isEditing());
    QVERIFY(aliceWin->editBar()->isVisible());
    QCOMPARE(aliceWin->editBar()->text(), EditBar::tr("Editing message — Esc to cancel"));
    QCOMPARE(aliceWin->composer()->toPlainText(), QStringLiteral("teh plan is ready"));
    QCOMPARE(aliceWin->composer()->accessibleDescription(),
             Composer::tr("Editing a message you sent. Enter saves the change, Esc cancels it."));

    aliceWin->composer()->selectAll();
    QTest::keyClicks(aliceWin->composer(), QStringLiteral("the plan is ready"));
    QTest::keyClick(aliceWin->composer(), Qt::Key_Return);
    QVERIFY(!aliceWin->composer()->isEditing());
    QVERIFY(!aliceWin->editBar()->isVisible());
    QCOMPARE(aliceWin->composer()->toPlainText(), QStringLiteral("half-written"));

    // Bob sees the new text in place, marked "(edited)" with the time in a tooltip,
    // and a screen reader says so too.
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(bobWin, id).data(MessageListModel::TextRole).toString(),
                              QStringLiteral("the plan is ready"), 10000);
    const QModelIndex bobRow = rowOf(bobWin, id);
    const QDateTime editedAt = bobRow.data(MessageListModel::EditedAtRole).toDateTime();
    QVERIFY(editedAt.isValid());
    QCOMPARE(bobRow.data(Qt::ToolTipRole).toString(), MessageViewModel::editedTooltip(editedAt));
    QVERIFY2(bobRow.data(Qt::AccessibleTextRole)
                 .toString()
                 .endsWith(QStringLiteral("the plan is ready (edited)")),
             qPrintable(bobRow.data(Qt::AccessibleTextRole).toString()));
    QVERIFY(bobRow.data(Qt::AccessibleDescriptionRole).toString().startsWith(u"Edited "));
    // and screen readers are told (the view's description follows the newest change).
    QVERIFY2(bobWin->messageView()->accessibleDescription().endsWith(
                 QStringLiteral("the plan is ready (edited)")),
             qPrintable(bobWin->messageView()->accessibleDescription()));
    // Replaced in place, not added as a new message.
    QCOMPARE(texts(bobModel).count(QStringLiteral("the plan is ready")), 1);
    QCOMPARE(texts(bobModel).count(QStringLiteral("teh plan is ready")), 0);
    QTRY_COMPARE_WITH_TIMEOUT(texts(aliceModel).count(QStringLiteral("the plan is ready")), 1,
                              10000);
}

void tst_ChatWindow::upEditsTheLastMessageAndEscCancels()
{
    ChatWindow *aliceWin = m_alice->window();
    Composer *composer = aliceWin->composer();
    auto *aliceModel = m_alice->chat()->messages(aliceWin->currentChannel());
    auto *bobModel = m_bob->chat()->messages(m_bob->window()->currentChannel());
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("older one"));
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("newest one"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("newest one"), 10000);
    const QString id = lastId(bobModel);

    // Up in the empty composer: the last own message, with its current text.
    composer->setFocus();
    QVERIFY(composer->toPlainText().isEmpty());
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    QVERIFY(aliceWin->editBar()->isVisible());
    QCOMPARE(composer->toPlainText(), QStringLiteral("newest one"));
    QCOMPARE(aliceWin->messageActions()->editingMessageId(), id);
    QTest::keyClicks(composer, QStringLiteral(", never mind"));
    // Esc cancels: nothing changes, the composer is empty again, and Esc did not
    // go to the window's "jump to newest" instead.
    QTest::keyClick(composer, Qt::Key_Escape);
    QVERIFY(!composer->isEditing());
    QVERIFY(!aliceWin->editBar()->isVisible());
    QCOMPARE(composer->toPlainText(), QString());
    QCOMPARE(aliceWin->statusBar()->currentMessage(), MessageActions::tr("Edit cancelled."));

    // Esc with the focus elsewhere in the window (here the message list) cancels too.
    aliceWin->activateWindow(); // Esc is a shortcut of the active window
    QVERIFY(QTest::qWaitForWindowActive(aliceWin));
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    aliceWin->messageView()->setFocus();
    QTest::keyClick(aliceWin->messageView(), Qt::Key_Escape);
    QVERIFY(!composer->isEditing());

    // The Cancel button on the bar, by keyboard, does the same.
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    QPushButton *cancel = aliceWin->editBar()->cancelButton();
    QVERIFY(cancel->focusPolicy() & Qt::TabFocus);
    cancel->setFocus();
    QTest::keyClick(cancel, Qt::Key_Space);
    QVERIFY(!composer->isEditing());
    QCOMPARE(composer->toPlainText(), QString());

    // Nothing was sent: a message after it arrives while "newest one" is unedited
    // (a channel's changes reach a connection in order, §13).
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("after the cancel"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("after the cancel"), 10000);
    const QModelIndex row = rowOf(m_bob->window(), id);
    QCOMPARE(row.data(MessageListModel::TextRole).toString(), QStringLiteral("newest one"));
    QVERIFY(!row.data(MessageListModel::EditedAtRole).toDateTime().isValid());
    QCOMPARE(texts(aliceModel).count(QStringLiteral("newest one")), 1);
}

void tst_ChatWindow::deleteAsksFirstThenShowsMessageDeletedInBothWindows()
{
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    const QString general = aliceWin->currentChannel();
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    m_alice->chat()->sendMessage(general, QStringLiteral("posted in the wrong place"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("posted in the wrong place"),
                              10000);
    const QString id = lastId(bobModel);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(aliceWin, id).isValid(), 10000);

    // The Delete key asks first; Enter takes the default, which is Cancel.
    QListView *view = aliceWin->messageView();
    view->setCurrentIndex(rowOf(aliceWin, id));
    QString question;
    const bool asked = whileShowing<QMessageBox>([&] { QTest::keyClick(view, Qt::Key_Delete); },
                                                 [&](QMessageBox *box) {
                                                     question = box->text();
                                                     QCOMPARE(box->defaultButton(),
                                                              box->button(QMessageBox::Cancel));
                                                     QTest::keyClick(box, Qt::Key_Return);
                                                 });
    QVERIFY(asked);
    QCOMPARE(question,
             MessageActions::tr("Delete this message for everyone? This cannot be undone."));
    m_alice->chat()->sendMessage(general, QStringLiteral("still there?"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("still there?"), 10000);
    QVERIFY(!rowOf(bobWin, id).data(MessageListModel::DeletedRole).toBool());

    // From the context menu, confirmed: gone for both, "Message deleted" in its place.
    contextMenu(aliceWin, rowOf(aliceWin, id), ChatWindow::tr("De&lete…"), [](QMessageBox *box) {
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                b->click();
        }
    });
    for (ChatWindow *win : {aliceWin, bobWin}) {
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(win, id).data(MessageListModel::DeletedRole).toBool(),
                                 10000);
        const QModelIndex row = rowOf(win, id);
        QCOMPARE(row.data(MessageListModel::TextRole).toString(), QString());
        QVERIFY2(row.data(Qt::AccessibleTextRole)
                     .toString()
                     .endsWith(MessageViewModel::tr("%1, %2: message deleted").section(u':', -1)),
                 qPrintable(row.data(Qt::AccessibleTextRole).toString()));
        QCOMPARE(row.data(Qt::AccessibleDescriptionRole).toString(),
                 MessageViewModel::tr("This message was deleted."));
    }
    QCOMPARE(MessageDelegate::deletedText(), QStringLiteral("Message deleted"));
    // A tombstone can be neither edited nor deleted again.
    const QStringList entries = contextMenu(aliceWin, rowOf(aliceWin, id));
    QVERIFY2(!entries.contains(ChatWindow::tr("&Edit")), qPrintable(entries.join(u'|')));
    QVERIFY(!entries.contains(ChatWindow::tr("De&lete…")));
}

void tst_ChatWindow::onlyAnAdminMayDeleteOthersMessages()
{
    QVERIFY(m_alice->chat()->isAdmin());
    QVERIFY(!m_bob->chat()->isAdmin());
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    auto *aliceModel = m_alice->chat()->messages(aliceWin->currentChannel());
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    m_bob->chat()->sendMessage(bobWin->currentChannel(), QStringLiteral("bob says hi"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(aliceModel), QStringLiteral("bob says hi"), 10000);
    const QString bobsId = lastId(aliceModel);
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("alice says hi"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("alice says hi"), 10000);
    const QString alicesId = lastId(bobModel);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bobWin, bobsId).isValid(), 10000);

    // bob, not an admin: alice's message offers neither Edit nor Delete.
    QStringList entries = contextMenu(bobWin, rowOf(bobWin, alicesId));
    QVERIFY2(entries.contains(ChatWindow::tr("&Copy text")), qPrintable(entries.join(u'|')));
    QVERIFY(!entries.contains(ChatWindow::tr("De&lete…")));
    QVERIFY(!entries.contains(ChatWindow::tr("&Edit")));
    // alice, an admin: bob's message offers Delete (but not Edit), and it works.
    entries = contextMenu(aliceWin, rowOf(aliceWin, bobsId));
    QVERIFY2(entries.contains(ChatWindow::tr("De&lete…")), qPrintable(entries.join(u'|')));
    QVERIFY(!entries.contains(ChatWindow::tr("&Edit")));
    QString question;
    contextMenu(aliceWin, rowOf(aliceWin, bobsId), ChatWindow::tr("De&lete…"),
                [&](QMessageBox *box) {
                    question = box->text();
                    for (QAbstractButton *b : box->buttons()) {
                        if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                            b->click();
                    }
                });
    QCOMPARE(question,
             MessageActions::tr("Delete this message by %1 for everyone? This cannot be undone.")
                 .arg(QStringLiteral("Bob")));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bobWin, bobsId).data(MessageListModel::DeletedRole).toBool(),
                             10000);
}

void tst_ChatWindow::refusedEditIsExplainedInTheStatusBar()
{
    ChatWindow *bobWin = m_bob->window();
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    m_alice->chat()->sendMessage(m_alice->window()->currentChannel(),
                                 QStringLiteral("only alice may change this"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("only alice may change this"),
                              10000);
    // The window never offers it; a refusal from the server is still explained.
    QSignalSpy failed(m_bob->chat(), &ChatSession::actionFailed);
    m_bob->chat()->editMessage(bobWin->currentChannel(), lastId(bobModel), QString(),
                               QStringLiteral("changed by bob"));
    QVERIFY(failed.wait(10000));
    const QString explanation = failed.at(0).at(1).toString();
    QCOMPARE(explanation, ChatSession::tr("You are not allowed to change this message."));
    // What bob wrote is kept, since nothing else holds it (see the next test).
    const QString said = ChatWindow::tr("%1 What you wrote is back in the message box.");
    QCOMPARE(bobWin->statusBar()->currentMessage(), said.arg(explanation));
    QCOMPARE(bobWin->statusBar()->accessibleDescription(), said.arg(explanation));
    QCOMPARE(bobWin->composer()->toPlainText(), QStringLiteral("changed by bob"));
    QCOMPARE(lastText(bobModel), QStringLiteral("only alice may change this"));
}

void tst_ChatWindow::anEditRefusedForGoodKeepsWhatWasWritten()
{
    ChatWindow *bobWin = m_bob->window();
    Composer *composer = bobWin->composer();
    const QString general = bobWin->currentChannel();
    auto *bobModel = m_bob->chat()->messages(general);
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("a message to correct"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(lastDelivery(bobModel), MessageListModel::DeliveryState::Sent, 10000);

    // natterd now refuses every edit for good (§7 edit window 0: edit_window_expired).
    const QString config = QDir(m_server.dataDir()).filePath(QStringLiteral("no-edits.conf"));
    QFile conf(config);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[server]\nedit_window = 0\n");
    conf.close();
    QSignalSpy bobBack(m_bob->controller->connection(), &ConnectionManager::resumed);
    QSignalSpy aliceBack(m_alice->controller->connection(), &ConnectionManager::resumed);
    QVERIFY2(m_server.restartWith({QStringLiteral("--config"), config}),
             qPrintable(m_server.errorString()));
    const auto normalAgain = qScopeGuard([this] { QVERIFY(m_server.restartWith({})); });
    QTRY_VERIFY_WITH_TIMEOUT(!bobBack.isEmpty() && !aliceBack.isEmpty(), 60000);
    const QString tooOld = ChatSession::tr("This message is too old to be edited.");
    QSignalSpy failed(m_bob->chat(), &ChatSession::actionFailed);

    // 1. Nothing else typed: the edit's text comes back into the empty composer.
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    composer->selectAll();
    QTest::keyClicks(composer, QStringLiteral("a corrected message"));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(!composer->isEditing());
    QVERIFY(failed.wait(10000));
    QCOMPARE(composer->toPlainText(), QStringLiteral("a corrected message"));
    QVERIFY(!composer->isEditing());
    const QString backHere = ChatWindow::tr("%1 What you wrote is back in the message box.");
    QCOMPARE(bobWin->statusBar()->currentMessage(), backHere.arg(tooOld));
    QCOMPARE(bobWin->statusBar()->accessibleDescription(), backHere.arg(tooOld));
    QCOMPARE(lastText(bobModel), QStringLiteral("a message to correct"));

    // 2. With a draft in the composer (set aside during the edit, back after it):
    // the refused text goes after the draft.
    composer->clear();
    QTest::keyClicks(composer, QStringLiteral("half a thought"));
    QListView *view = bobWin->messageView();
    view->setCurrentIndex(viewIndex(bobWin, bobModel->index(bobModel->rowCount() - 1)));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_E);
    QVERIFY(composer->isEditing());
    composer->selectAll();
    QTest::keyClicks(composer, QStringLiteral("second try"));
    failed.clear();
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(composer->toPlainText(), QStringLiteral("half a thought"));
    QVERIFY(failed.wait(10000));
    QCOMPARE(composer->toPlainText(), QStringLiteral("half a thought\nsecond try"));

    // 3. Another channel opened before the answer came: it is kept as the draft
    // of the message's channel, and shown when the person goes back.
    composer->clear();
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    composer->selectAll();
    QTest::keyClicks(composer, QStringLiteral("third try"));
    failed.clear();
    QTest::keyClick(composer, Qt::Key_Return); // no event loop until the switch
    bobWin->openChannel(channelId(m_bob->chat(), QStringLiteral("random")));
    QVERIFY(failed.wait(10000));
    QCOMPARE(composer->toPlainText(), QString());
    QCOMPARE(bobWin->statusBar()->currentMessage(),
             ChatWindow::tr("%1 What you wrote is kept as a draft in %2.")
                 .arg(tooOld, m_bob->chat()->channels()->displayName(general)));
    bobWin->openChannel(general);
    QCOMPARE(composer->toPlainText(), QStringLiteral("third try"));
    QCOMPARE(lastText(bobModel), QStringLiteral("a message to correct"));
}

void tst_ChatWindow::aMessageDeletedWhileBeingEditedLeavesWhatWasWritten()
{
    ChatWindow *bobWin = m_bob->window();
    Composer *composer = bobWin->composer();
    const QString general = bobWin->currentChannel();
    auto *bobModel = m_bob->chat()->messages(general);
    auto *aliceModel = m_alice->chat()->messages(m_alice->window()->currentChannel());
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("bob will rewrite this"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(lastText(aliceModel), QStringLiteral("bob will rewrite this"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(lastDelivery(bobModel), MessageListModel::DeliveryState::Sent, 10000);

    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    composer->selectAll();
    QTest::keyClicks(composer, QStringLiteral("bob's better words"));
    // alice, an admin, deletes it meanwhile (§7).
    m_alice->chat()->deleteMessage(m_alice->window()->currentChannel(), lastId(aliceModel), {});
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isEditing(), 10000);
    QCOMPARE(composer->toPlainText(), QStringLiteral("bob's better words"));
    QCOMPARE(bobWin->statusBar()->currentMessage(),
             MessageActions::tr("The message you were editing was deleted. What you wrote is "
                                "kept in the message box."));
    QVERIFY(bobModel->rowCount() > 0);
}

void tst_ChatWindow::messagesStillInTheOutboxCanBeEditedAndDeleted()
{
    ChatWindow *bobWin = m_bob->window();
    Composer *composer = bobWin->composer();
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    auto *aliceModel = m_alice->chat()->messages(m_alice->window()->currentChannel());
    ConnectionManager *conn = m_bob->controller->connection();
    conn->close();
    QTRY_COMPARE_WITH_TIMEOUT(conn->state(), ConnectionManager::State::Disconnected, 10000);

    // Offline: one message to correct, one to take back before it goes out.
    composer->setFocus();
    QTest::keyClicks(composer, QStringLiteral("never mind this"));
    QTest::keyClick(composer, Qt::Key_Return);
    QTest::keyClicks(composer, QStringLiteral("typed offlne"));
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(lastText(bobModel), QStringLiteral("typed offlne"));
    QCOMPARE(lastDelivery(bobModel), MessageListModel::DeliveryState::Pending);
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    QCOMPARE(composer->toPlainText(), QStringLiteral("typed offlne"));
    composer->selectAll();
    QTest::keyClicks(composer, QStringLiteral("typed offline"));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(!composer->isEditing());

    const QModelIndex takeBack = viewIndex(bobWin, bobModel->index(bobModel->rowCount() - 2));
    QCOMPARE(takeBack.data(MessageListModel::TextRole).toString(),
             QStringLiteral("never mind this"));
    bobWin->messageView()->setCurrentIndex(takeBack);
    QVERIFY(
        whileShowing<QMessageBox>([&] { QTest::keyClick(bobWin->messageView(), Qt::Key_Delete); },
                                  [](QMessageBox *box) {
                                      for (QAbstractButton *b : box->buttons()) {
                                          if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                                              b->click();
                                      }
                                  }));
    QVERIFY(!texts(bobModel).contains(QStringLiteral("never mind this")));

    // Back online: alice gets the corrected message (the edit after its send) and
    // never the one taken back.
    conn->open();
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceModel).contains(QStringLiteral("typed offline")), 20000);
    QVERIFY(!texts(aliceModel).contains(QStringLiteral("never mind this")));
    QCOMPARE(texts(aliceModel).count(QStringLiteral("typed offlne")), 0);
    QTRY_COMPARE_WITH_TIMEOUT(texts(bobModel).count(QStringLiteral("typed offline")), 1, 20000);
    QVERIFY(!texts(bobModel).contains(QStringLiteral("never mind this")));
}

void tst_ChatWindow::deletedMessageWithdrawsItsNotification()
{
    DunstProcess dunst;
    QVERIFY2(dunst.start(), qPrintable(dunst.errorString()));
    DesktopNotifier *bobNotifier = m_bob->controller->notifier();
    QVERIFY(bobNotifier);
    QSignalSpy shown(bobNotifier, &DesktopNotifier::shown);
    QSignalSpy withdrawn(bobNotifier, &DesktopNotifier::withdrawn);

    // bob reads #general; alice writes in #random: a notification pops up for bob.
    const QString random = channelId(m_alice->chat(), QStringLiteral("random"));
    QVERIFY(m_bob->window()->currentChannel()
            != channelId(m_bob->chat(), QStringLiteral("random")));
    m_alice->chat()->sendMessage(random, QStringLiteral("the door code is 1234"));
    QVERIFY(shown.wait(10000));
    // One notification per channel: keyed by bob's id of #random.
    const QString bobRandom = channelId(m_bob->chat(), QStringLiteral("random"));
    QCOMPARE(shown.at(0).at(0).toString(), bobRandom);
    const uint notification = shown.at(0).at(1).toUInt();
    QVERIFY(!dunst.inHistory(notification)); // on screen
    QVERIFY(dunst.displayedCount() >= 1);
    auto *aliceRandom = m_alice->chat()->messages(random);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(aliceRandom).isEmpty(), 10000);
    const QString messageId = lastId(aliceRandom);

    // alice deletes it: bob's notification is taken off the screen.
    m_alice->chat()->deleteMessage(random, messageId,
                                   aliceRandom->index(aliceRandom->rowCount() - 1)
                                       .data(MessageListModel::ClientMsgIdRole)
                                       .toString());
    QVERIFY(withdrawn.wait(10000));
    QCOMPARE(withdrawn.at(0).at(0).toString(), bobRandom);
    QCOMPARE(withdrawn.at(0).at(1).toUInt(), notification);
    QTRY_VERIFY_WITH_TIMEOUT(dunst.inHistory(notification), 10000);
    QCOMPARE(bobNotifier->notificationId(bobRandom), 0u);
    dunst.stop();
}

void tst_ChatWindow::screenshotOfAnEditedAndADeletedMessage()
{
    // A channel of its own, so the picture shows just this conversation.
    QVERIFY(m_server.addChannel(QStringLiteral("lunch"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_alice->chat(), QStringLiteral("lunch")).isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_bob->chat(), QStringLiteral("lunch")).isEmpty(), 10000);
    const QString lunch = channelId(m_alice->chat(), QStringLiteral("lunch"));
    ChatWindow *win = m_alice->window();
    win->openChannel(lunch);
    auto *model = m_alice->chat()->messages(lunch);

    m_bob->chat()->sendMessage(lunch, QStringLiteral("Lunch at 12?"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(model), QStringLiteral("Lunch at 12?"), 10000);
    const QString question = lastId(model);
    m_alice->chat()->sendMessage(lunch, QStringLiteral("Deploy is done, all green"));
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(model).isEmpty() && lastId(model) != question, 10000);
    const QString wrong = lastId(model);
    m_alice->chat()->sendMessage(lunch, QStringLiteral("12:30 works for me"));
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(model).isEmpty() && lastId(model) != wrong, 10000);
    m_bob->chat()->editMessage(lunch, question, QString(), QStringLiteral("Lunch at 12:30?"));
    m_alice->chat()->deleteMessage(lunch, wrong, QString());
    QTRY_VERIFY_WITH_TIMEOUT(
        rowOf(win, question).data(MessageListModel::EditedAtRole).toDateTime().isValid()
            && rowOf(win, wrong).data(MessageListModel::DeletedRole).toBool(),
        10000);
    QCOMPARE(rowOf(win, question).data(MessageListModel::TextRole).toString(),
             QStringLiteral("Lunch at 12:30?"));

    // And alice is editing her last message (Up), so the bar above the composer shows.
    win->activateWindow();
    win->composer()->setFocus();
    QTest::keyClick(win->composer(), Qt::Key_Up);
    QVERIFY(win->editBar()->isVisible());
    win->resize(1000, 640);
    QCoreApplication::processEvents();
    QVERIFY(win->grab().save(m_shots + QStringLiteral("/chat-edit-delete.png")));
    QTest::keyClick(win->composer(), Qt::Key_Escape);
}

void tst_ChatWindow::resyncShowsLoadingAndNeverAnEmptyChannel()
{
    // natterd replays at most two changed messages per channel on resume here
    // (§6: past the limit it sends `resync` instead).
    m_alice.reset();
    m_bob.reset();
    QCOMPARE(m_server.stop(), 0);
    QVERIFY2(m_server.start({QStringLiteral("--resume-change-limit"), QStringLiteral("2")}),
             qPrintable(m_server.errorString()));
    m_alice = signIn(QStringLiteral("alice"));
    QVERIFY(m_alice);
    m_bob = signIn(QStringLiteral("bob"));
    QVERIFY(m_bob);
    const QString general = channelId(m_alice->chat(), QStringLiteral("general"));
    m_alice->window()->openChannel(general);
    ChatWindow *bobWin = m_bob->window();
    bobWin->openChannel(channelId(m_bob->chat(), QStringLiteral("general")));
    auto *bobModel = m_bob->chat()->messages(bobWin->currentChannel());
    auto *aliceModel = m_alice->chat()->messages(general);

    for (int i = 1; i <= 3; ++i)
        m_alice->chat()->sendMessage(general, QStringLiteral("to be fixed %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), QStringLiteral("to be fixed 3"), 10000);
    QStringList ids;
    for (int row = bobModel->rowCount() - 3; row < bobModel->rowCount(); ++row)
        ids.append(bobModel->index(row).data(MessageListModel::IdRole).toString());

    // bob is offline while alice edits all three: more than the server replays.
    ConnectionManager *conn = m_bob->controller->connection();
    conn->close();
    QTRY_COMPARE_WITH_TIMEOUT(conn->state(), ConnectionManager::State::Disconnected, 10000);
    for (int i = 0; i < 3; ++i)
        m_alice->chat()->editMessage(general, ids.at(i), QString(),
                                     QStringLiteral("fixed %1").arg(i + 1));
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceModel).contains(QStringLiteral("fixed 3")), 10000);

    // What bob's window shows when the reload starts and when it ends.
    struct Seen
    {
        bool reloading;
        bool loadingShown;
        int rows;
    };
    QList<Seen> seen;
    int fewestRows = bobModel->rowCount();
    QObject guard;
    connect(bobModel, &MessageListModel::reloadingChanged, &guard, [&](bool reloading) {
        seen.append({reloading, bobWin->loadingLabel()->isVisible(), bobModel->rowCount()});
    });
    auto countRows = [&] {
        fewestRows = std::min(fewestRows, bobModel->rowCount());
    };
    connect(bobModel, &QAbstractItemModel::rowsRemoved, &guard, countRows);
    connect(bobModel, &QAbstractItemModel::modelReset, &guard, countRows);
    conn->open();
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 2, 20000);
    QVERIFY(seen.first().reloading);
    QVERIFY(seen.first().loadingShown);
    QVERIFY(seen.first().rows > 0);
    QVERIFY(!seen.last().reloading);
    QVERIFY(!seen.last().loadingShown);
    QVERIFY(!bobWin->loadingLabel()->isVisible());
    QVERIFY2(fewestRows > 0, "the channel was shown empty while it reloaded");
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(
            rowOf(bobWin, ids.at(i)).data(MessageListModel::TextRole).toString(),
            QStringLiteral("fixed %1").arg(i + 1), 10000);
    }
}

void tst_ChatWindow::mentionShowsABadgeAndIsHighlighted()
{
    // alice mentions bob in #random while bob reads #general: bob's channel list
    // shows "@1" beside the unread count; opening #random shows the message
    // highlighted, and reading it clears the badge (§7 mention_count).
    ChatWindow *bobWin = m_bob->window();
    const QString random = channelId(m_bob->chat(), QStringLiteral("random"));
    const QString aliceRandom = channelId(m_alice->chat(), QStringLiteral("random"));
    auto mentionCount = [&] {
        return m_bob->chat()
            ->channels()
            ->index(m_bob->chat()->channels()->rowOf(random))
            .data(ChannelListModel::MentionCountRole)
            .toInt();
    };
    const int before = mentionCount();
    m_alice->chat()->sendMessage(aliceRandom, QStringLiteral("@bob, **look** at `this`"));
    QTRY_COMPARE_WITH_TIMEOUT(mentionCount(), before + 1, 10000);
    QListView *channels = bobWin->channelView();
    const QRect row =
        channels->visualRect(channels->model()->index(m_bob->chat()->channels()->rowOf(random), 0));
    QTRY_VERIFY(paints(channels->viewport(), row, ChannelDelegate::mentionBadgeColor()));
    QCOMPARE(ChannelDelegate::mentionBadgeText(before + 1), QStringLiteral("@%1").arg(before + 1));

    bobWin->openChannel(random);
    auto *messages = m_bob->chat()->messages(random);
    QTRY_VERIFY_WITH_TIMEOUT(lastText(messages) == QStringLiteral("@bob, **look** at `this`"),
                             10000);
    const QModelIndex message = rowOf(bobWin, lastId(messages));
    QVERIFY(message.data(MessageListModel::MentionsMeRole).toBool());
    QListView *view = bobWin->messageView();
    view->scrollTo(message);
    QTRY_VERIFY(
        paints(view->viewport(), view->visualRect(message), MessageDelegate::mentionColor()));
    QTRY_COMPARE_WITH_TIMEOUT(mentionCount(), 0, 10000);
}

void tst_ChatWindow::aliceReactsBobSeesTheChipAndClicksItToo()
{
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    auto *aliceMessages = m_alice->chat()->messages(aliceWin->currentChannel());
    auto *bobMessages = m_bob->chat()->messages(bobWin->currentChannel());
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("react to me"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("react to me"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(aliceMessages).isEmpty(), 10000);
    const QString id = lastId(aliceMessages);

    // alice reacts from her context menu (the keyboard path): React > 👍.
    QListView *aliceView = aliceWin->messageView();
    aliceView->setCurrentIndex(rowOf(aliceWin, id));
    aliceView->setFocus();
    const bool shown =
        whileShowing<QMenu>([&] { QTest::keyClick(aliceView, Qt::Key_Menu); },
                            [&](QMenu *menu) {
                                auto *react = menu->findChild<QMenu *>(QStringLiteral("reactMenu"));
                                QVERIFY(react);
                                QAction *thumbs = react->actions().value(0);
                                QCOMPARE(thumbs->text(), QStringLiteral("👍"));
                                QVERIFY(!thumbs->isChecked());
                                menu->hide();
                                thumbs->trigger();
                            });
    QVERIFY(shown);

    // bob sees a chip with 1, not his, telling him who reacted.
    QListView *bobView = bobWin->messageView();
    auto *delegate = qobject_cast<MessageDelegate *>(bobView->itemDelegate());
    QVERIFY(delegate);
    auto chips = [&] {
        const QModelIndex row = rowOf(bobWin, id);
        QStyleOptionViewItem opt;
        opt.initFrom(bobView->viewport());
        opt.rect = bobView->visualRect(row);
        return delegate->reactionChips(opt, row);
    };
    QTRY_COMPARE_WITH_TIMEOUT(chips().size(), 1, 10000);
    QCOMPARE(chips().at(0).count, 1);
    QVERIFY(!chips().at(0).mine);
    QCOMPARE(MessageDelegate::chipTooltip(chips().at(0)), QStringLiteral("Alice reacted with 👍"));

    // bob clicks it: both windows show 2, bob's chip is his.
    bobView->scrollTo(rowOf(bobWin, id));
    QTRY_VERIFY(bobView->viewport()->rect().contains(chips().at(0).rect));
    QTest::mouseClick(bobView->viewport(), Qt::LeftButton, {}, chips().at(0).rect.center());
    QTRY_COMPARE_WITH_TIMEOUT(chips().value(0).count, 2, 10000);
    QVERIFY(chips().at(0).mine);
    QTRY_VERIFY_WITH_TIMEOUT(m_alice->chat()
                                     ->messages(aliceWin->currentChannel())
                                     ->message(id)
                                     .value_or(Message())
                                     .reactions.value(0)
                                     .count
                                 == 2,
                             10000);
}

void tst_ChatWindow::bobRepliesAliceClicksTheQuoteAndLandsOnTheTarget()
{
    ChatWindow *aliceWin = m_alice->window();
    ChatWindow *bobWin = m_bob->window();
    auto *aliceMessages = m_alice->chat()->messages(aliceWin->currentChannel());
    auto *bobMessages = m_bob->chat()->messages(bobWin->currentChannel());
    m_alice->chat()->sendMessage(aliceWin->currentChannel(), QStringLiteral("the question"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("the question"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(bobMessages).isEmpty(), 10000);
    const QString target = lastId(bobMessages);
    // Some messages after it, so the jump has somewhere to go.
    for (int i = 0; i < 30; ++i)
        m_alice->chat()->sendMessage(aliceWin->currentChannel(),
                                     QStringLiteral("filler %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("filler 29"), 20000);

    // bob: context menu > Reply; the bar says to whom; he types and sends.
    const QStringList entries =
        contextMenu(bobWin, rowOf(bobWin, target), QStringLiteral("Re&ply"));
    QVERIFY2(entries.contains(QStringLiteral("Re&ply")), qPrintable(entries.join(u',')));
    QVERIFY(bobWin->replyBar()->isVisible());
    QCOMPARE(bobWin->replyBar()->text(), QStringLiteral("Replying to Alice: the question"));
    QVERIFY(!bobWin->replyBar()->cancelButton()->accessibleDescription().isEmpty());
    QTest::keyClicks(bobWin->composer(), QStringLiteral("the answer"));
    QTest::keyClick(bobWin->composer(), Qt::Key_Return);
    QVERIFY(!bobWin->replyBar()->isVisible());

    // alice sees the answer quoting her question.
    QTRY_COMPARE_WITH_TIMEOUT(lastText(aliceMessages), QStringLiteral("the answer"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(aliceMessages).isEmpty(), 10000);
    const QModelIndex answer = rowOf(aliceWin, lastId(aliceMessages));
    QCOMPARE(
        answer.data(MessageListModel::ReplyToRole).toMap().value(QStringLiteral("id")).toString(),
        target);
    QCOMPARE(MessageDelegate::quoteText(answer), QStringLiteral("Alice: the question"));

    // She clicks the quote and lands on the question, highlighted.
    QListView *view = aliceWin->messageView();
    auto *delegate = qobject_cast<MessageDelegate *>(view->itemDelegate());
    QVERIFY(delegate);
    view->scrollToBottom();
    QStyleOptionViewItem opt;
    QRect quote;
    QTRY_VERIFY([&] {
        const QModelIndex row = rowOf(aliceWin, lastId(aliceMessages));
        opt.initFrom(view->viewport());
        opt.rect = view->visualRect(row);
        quote = delegate->replyQuoteRect(opt, row);
        return !quote.isEmpty() && view->viewport()->rect().contains(quote);
    }());
    QVERIFY(!view->viewport()->rect().intersects(view->visualRect(rowOf(aliceWin, target))));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, quote.center());
    QCOMPARE(view->currentIndex().data(MessageListModel::IdRole).toString(), target);
    QCOMPARE(delegate->flashingId(), target);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(rowOf(aliceWin, target))));
    QTRY_COMPARE_WITH_TIMEOUT(delegate->flashingId(), QString(), 5000); // only briefly
}

void tst_ChatWindow::focusedMessageRRepliesAndEEdits()
{
    ChatWindow *win = m_alice->window();
    auto *messages = m_alice->chat()->messages(win->currentChannel());
    m_alice->chat()->sendMessage(win->currentChannel(), QStringLiteral("by keyboard"));
    QTRY_VERIFY_WITH_TIMEOUT(!lastId(messages).isEmpty(), 10000);
    win->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(win));
    QListView *view = win->messageView();
    view->setCurrentIndex(rowOf(win, lastId(messages)));
    view->setFocus();

    QTest::keyClick(view, Qt::Key_R);
    QVERIFY(win->replyBar()->isVisible());
    QCOMPARE(win->replyBar()->text(), QStringLiteral("Replying to Alice: by keyboard"));
    QVERIFY(win->composer()->hasFocus());
    // Tab from the composer reaches the bar's Cancel button.
    QTest::keyClick(win->composer(), Qt::Key_Tab);
    QVERIFY(win->replyBar()->cancelButton()->hasFocus());
    QTest::keyClick(win->replyBar()->cancelButton(), Qt::Key_Space);
    QVERIFY(!win->replyBar()->isVisible());

    view->setFocus();
    QTest::keyClick(view, Qt::Key_E);
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("by keyboard"));
    QTest::keyClick(win->composer(), Qt::Key_Escape);
    QCOMPARE(win->composer()->toPlainText(), QString());
}

void tst_ChatWindow::atBoCompletesToBobWhoIsMentioned()
{
    ChatWindow *aliceWin = m_alice->window();
    Composer *composer = aliceWin->composer();
    QTest::keyClicks(composer, QStringLiteral("hi @bo"));
    QCompleter *completer = composer->mentionCompleter();
    QVERIFY(completer);
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(completer->popup()->currentIndex().data(PresenceModel::UsernameRole).toString(),
             QStringLiteral("bob"));
    QTest::keyClick(completer->popup(), Qt::Key_Return);
    QTRY_COMPARE(composer->toPlainText(), QStringLiteral("hi @bob "));
    QVERIFY(!completer->popup()->isVisible());
    QTest::keyClicks(composer, QStringLiteral("look"));
    QTest::keyClick(composer, Qt::Key_Return);

    auto *bobMessages = m_bob->chat()->messages(m_bob->window()->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobMessages), QStringLiteral("hi @bob look"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bobMessages->index(bobMessages->rowCount() - 1)
                                 .data(MessageListModel::MentionsMeRole)
                                 .toBool(),
                             10000);
}

void tst_ChatWindow::screenshotsOfReactionsAReplyAndAMention()
{
    // A channel of its own, so the picture shows just this conversation.
    QVERIFY(m_server.addChannel(QStringLiteral("standup"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_alice->chat(), QStringLiteral("standup")).isEmpty(),
                             10000);
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_bob->chat(), QStringLiteral("standup")).isEmpty(), 10000);
    const QString standup = channelId(m_alice->chat(), QStringLiteral("standup"));
    ChatWindow *win = m_alice->window();
    win->openChannel(standup);
    auto *model = m_alice->chat()->messages(standup);

    m_bob->chat()->sendMessage(standup,
                               QStringLiteral("Standup in 5, @alice: agenda is "
                                              "`deploy` and **review**"));
    // Not seq 1, the channel's `created` system message (§7): bob's own line.
    QTRY_VERIFY_WITH_TIMEOUT(lastText(model).startsWith(QStringLiteral("Standup in 5"))
                                 && !lastId(model).isEmpty(),
                             10000);
    const QString agenda = lastId(model);
    m_alice->chat()->sendMessage(standup, QStringLiteral("On my way, bringing the _notes_"));
    QTRY_VERIFY_WITH_TIMEOUT(lastText(model) == QStringLiteral("On my way, bringing the _notes_")
                                 && !lastId(model).isEmpty(),
                             10000);
    const QString notes = lastId(model);
    m_alice->chat()->toggleReaction(standup, agenda, QStringLiteral("👍"));
    m_bob->chat()->toggleReaction(standup, agenda, QStringLiteral("👍"));
    m_bob->chat()->toggleReaction(standup, agenda, QStringLiteral("🎉"));
    m_bob->chat()->sendMessage(standup, QStringLiteral("Great, see you there"), notes);
    QTRY_VERIFY_WITH_TIMEOUT(
        lastText(model) == QStringLiteral("Great, see you there")
            && rowOf(win, agenda).data(MessageListModel::ReactionsRole).toList().size() == 2
            && rowOf(win, agenda)
                    .data(MessageListModel::ReactionsRole)
                    .toList()
                    .at(0)
                    .toMap()
                    .value(QStringLiteral("count"))
                    .toInt()
                == 2,
        10000);
    QVERIFY(rowOf(win, agenda).data(MessageListModel::MentionsMeRole).toBool());

    // The reactions are drawn in colour (scripts/install-deps.sh: fonts-noto-color-emoji).
    QVERIFY(QFontDatabase::families().contains(QStringLiteral("Noto Color Emoji")));
    win->resize(1000, 640);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette light = QApplication::style()->standardPalette();
    QApplication::setPalette(light);
    QCoreApplication::processEvents();
    QVERIFY(win->grab().save(m_shots + QStringLiteral("/chat-reactions-reply-mention-light.png")));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb4));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    QApplication::setPalette(dark);
    QCoreApplication::processEvents(); // deliver the palette-change events before grabbing
    QVERIFY(win->grab().save(m_shots + QStringLiteral("/chat-reactions-reply-mention-dark.png")));
    QApplication::setPalette(light);
}

QTEST_MAIN(tst_ChatWindow)
void tst_ChatWindow::aRefusedMessageSaysWhyInItsRowAndTheStatusBar()
{
    ChatWindow *win = m_alice->window();
    QSignalSpy failed(m_alice->chat()->connection(), &ConnectionManager::messageFailed);
    // §3: the server refuses a text over 4000 characters with too_large.
    m_alice->chat()->sendMessage(win->currentChannel(), QString(4001, u'x'));
    QVERIFY(failed.wait(10000));
    const QString reason = failed.at(0).at(1).toString();
    QCOMPARE(reason, ConnectionManager::tr("The message is too long."));
    // Said at once (the person may be reading elsewhere by then)...
    const QString said = ChatWindow::tr("A message was not sent: %1").arg(reason);
    QCOMPARE(win->statusBar()->currentMessage(), said);
    QCOMPARE(win->statusBar()->accessibleDescription(), said);
    // The notice does not hide the connection state beside it.
    const auto labels = win->statusBar()->findChildren<QLabel *>();
    const auto state = std::find_if(labels.cbegin(), labels.cend(), [](const QLabel *l) {
        return l->accessibleName() == ChatWindow::tr("Connection state");
    });
    QVERIFY(state != labels.cend());
    QVERIFY((*state)->isVisible());
    QCOMPARE((*state)->text(), ChatWindow::tr("Connected"));
    // ...and kept on the row: its tooltip and what a screen reader reads first.
    const QAbstractItemModel *view = win->messageView()->model();
    const auto lastRow = [view] {
        return view->index(view->rowCount() - 1, 0);
    };
    QTRY_COMPARE_WITH_TIMEOUT(lastRow().data(MessageListModel::DeliveryStateRole).toInt(),
                              int(MessageListModel::DeliveryState::Failed), 10000);
    const QString notSent = MessageViewModel::tr("Not sent: %1").arg(reason);
    QCOMPARE(lastRow().data(Qt::ToolTipRole).toString(), notSent);
    QVERIFY2(lastRow().data(Qt::AccessibleDescriptionRole).toString().startsWith(notSent),
             qPrintable(lastRow().data(Qt::AccessibleDescriptionRole).toString()));
}

void tst_ChatWindow::aTextOverTheLimitIsKeptAndSaidNotSent()
{
    ChatWindow *win = m_alice->window();
    Composer *composer = win->composer();
    auto *aliceModel = m_alice->chat()->messages(win->currentChannel());
    auto *bobModel = m_bob->chat()->messages(m_bob->window()->currentChannel());
    const auto tooLong = [](qsizetype length) {
        return ChatWindow::tr("This is too long to send: %1 characters, at most %2. Shorten it "
                              "first.")
            .arg(QLocale().toString(qlonglong(length)), QLocale().toString(4000));
    };
    composer->setFocus();

    // One character over (§3 counts code points): nothing sent, the text kept.
    const int rows = aliceModel->rowCount();
    composer->setPlainText(QString(4001, u'y'));
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(win->statusBar()->currentMessage(), tooLong(4001));
    QCOMPARE(composer->toPlainText(), QString(4001, u'y'));
    QCOMPARE(aliceModel->rowCount(), rows);
    // 2,001 emoji are 4,002 UTF-16 units but 2,001 characters: they go.
    QString faces;
    for (int i = 0; i < 2001; ++i)
        faces += u"😀"_qs;
    composer->setPlainText(faces);
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(composer->toPlainText(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), faces, 10000);

    // An edit over the limit stays open with its text, and the message as it was.
    // (Up picks the newest own message that is sent or on its way.)
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceModel).contains(faces), 10000);
    QTest::keyClick(composer, Qt::Key_Up);
    QVERIFY(composer->isEditing());
    QCOMPARE(composer->toPlainText(), faces);
    composer->moveCursor(QTextCursor::End);
    composer->insertPlainText(u"😀"_qs.repeated(2000));
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(composer->isEditing());
    QCOMPARE(composer->toPlainText(), faces + u"😀"_qs.repeated(2000));
    QCOMPARE(win->statusBar()->currentMessage(), tooLong(4001));
    // Shortened, it is saved.
    QTest::keyClick(composer, Qt::Key_Backspace);
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(!composer->isEditing());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobModel), faces + u"😀"_qs.repeated(1999), 10000);
}

void tst_ChatWindow::draftsSurviveARestart()
{
    const QString general = channelId(m_alice->chat(), QStringLiteral("general"));
    const QString random = channelId(m_alice->chat(), QStringLiteral("random"));
    const auto restart = [this] {
        m_alice.reset(); // quits at once: no time for the composer's one-second delay
        m_alice = signIn(QStringLiteral("alice"));
        return m_alice != nullptr;
    };
    ChatWindow *win = m_alice->window();
    win->composer()->setFocus();
    QTest::keyClicks(win->composer(), QStringLiteral("half-written thought"));
    win->openChannel(random);
    QTest::keyClicks(win->composer(), QStringLiteral("another one"));
    QVERIFY(restart());
    win = m_alice->window();
    win->openChannel(general);
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("half-written thought"));
    win->openChannel(random);
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("another one"));

    // Sent, it is gone for good.
    win->composer()->setFocus();
    QTest::keyClick(win->composer(), Qt::Key_Return);
    QCOMPARE(win->composer()->toPlainText(), QString());
    auto *bobRandom = m_bob->chat()->messages(channelId(m_bob->chat(), QStringLiteral("random")));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobRandom), QStringLiteral("another one"), 10000);

    // Quitting while editing keeps the draft set aside, not the edit.
    QTest::keyClicks(win->composer(), QStringLiteral("set aside"));
    QTRY_VERIFY_WITH_TIMEOUT(
        texts(m_alice->chat()->messages(random)).contains(QStringLiteral("another one")), 10000);
    win->messageActions()->beginEdit(random,
                                     m_alice->chat()->messages(random)->index(
                                         m_alice->chat()->messages(random)->rowCount() - 1, 0));
    QVERIFY(win->composer()->isEditing());
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("another one"));
    QVERIFY(restart());
    win = m_alice->window();
    win->openChannel(random);
    QVERIFY(!win->composer()->isEditing());
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("set aside"));
    win->openChannel(general);
    QCOMPARE(win->composer()->toPlainText(), QStringLiteral("half-written thought"));

    // Taken out of a channel while Natter was closed: what was typed there can
    // no longer be sent, and is forgotten, as it is when that happens live.
    // It was the newest channel, so the window opens it from the cached list
    // before natterd's snapshot says it is gone.
    QVERIFY(m_server.addChannel(QStringLiteral("scratch"), {QStringLiteral("alice")}));
    QTRY_VERIFY_WITH_TIMEOUT(!channelId(m_alice->chat(), QStringLiteral("scratch")).isEmpty(),
                             10000);
    const QString scratch = channelId(m_alice->chat(), QStringLiteral("scratch"));
    win->openChannel(scratch);
    win->composer()->setFocus();
    QTest::keyClicks(win->composer(), QStringLiteral("the newest message"));
    QTest::keyClick(win->composer(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->chat()->channels()->index(0).data(ChannelListModel::IdRole),
                              QVariant(scratch), 10000);
    QTest::keyClicks(win->composer(), QStringLiteral("for a channel about to go"));
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->chat()->draft(scratch),
                              QStringLiteral("for a channel about to go"), 10000);
    m_alice.reset();
    QCOMPARE(m_server.admin({QStringLiteral("channel"), QStringLiteral("leave"),
                             QStringLiteral("scratch"), QStringLiteral("alice")}),
             0);
    m_alice = signIn(QStringLiteral("alice"));
    QVERIFY(m_alice);
    win = m_alice->window();
    QVERIFY(!m_alice->chat()->channels()->contains(scratch));
    QVERIFY(win->currentChannel() != scratch);
    QVERIFY(!win->currentChannel().isEmpty());
    QCOMPARE(win->statusBar()->currentMessage(),
             ChatWindow::tr("You were removed from %1.").arg(QStringLiteral("scratch")));
    win->openChannel(general); // keeps the open channel's draft
    QCOMPARE(m_alice->chat()->draft(scratch), QString());
    QCOMPARE(m_alice->chat()->draft(general), QStringLiteral("half-written thought"));
}

#include "tst_ChatWindow.moc"
