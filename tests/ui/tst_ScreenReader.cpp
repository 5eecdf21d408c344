// What a screen reader hears from the desktop client (issue 13: "everything
// reachable without a mouse and announced to screen readers"), observed the way
// Orca observes it: over the real AT-SPI stack (Debian's at-spi-bus-launcher and
// at-spi2-registryd, started by the test on its private session bus), with
// Qt's own AT-SPI bridge in the window (xcb under the test runner's Xvfb; the
// offscreen platform has none). The test registers its listeners with the
// registry, then alice's real window, signed in to the real natterd, is driven
// by keys only; what the window says must arrive as a notification that starts
// showing, named with the words a person would hear.
#include "AtSpiBusProcess.h"
#include "ForgetDrafts.h"
#include "NatterdProcess.h"
#include "ScreenReaderListener.h"

#include "app/DesktopController.h"
#include "app/UnreadMarker.h"
#include "auth/MemoryTokenStore.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/ReactionPicker.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAccessible>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

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

ReactionPicker *activePicker()
{
    return qobject_cast<ReactionPicker *>(QApplication::activeModalWidget());
}

// Tab from wherever the focus is until `target` has it (bounded: the window's
// tab chain is short): the keyboard's way to a control. With a screen reader
// listening, Qt's bridge hands every key to the AT-SPI registry first and
// delivers it when the registry answers: wait for each Tab to land.
bool tabTo(QWidget *target)
{
    for (int i = 0; i < 30 && QApplication::focusWidget() != target; ++i) {
        QWidget *focus = QApplication::focusWidget();
        if (!focus)
            return false;
        QTest::keyClick(focus, Qt::Key_Tab);
        if (!QTest::qWaitFor([focus] { return QApplication::focusWidget() != focus; }, 5000))
            return false;
    }
    return QApplication::focusWidget() == target;
}

} // namespace

class tst_ScreenReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void reactingByKeyboardIsSpoken();
    void someoneTypingIsSpoken();
    void aMessageArrivingIsSpoken();
    void aNoticeIsSpoken();
    void openingAChannelWithUnreadMessagesSaysSo();
    void replyAndEditByKeysAreSpoken();

private:
    std::unique_ptr<Client> signIn(const QString &user);

    AtSpiBusProcess m_a11yBus;
    ScreenReaderListener m_reader;
    NatterdProcess m_server;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
};

void tst_ScreenReader::initTestCase()
{
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    // The screen reader comes first, as on a desktop where Orca runs: the
    // accessibility bus, the listeners registered, ScreenReaderEnabled on. No
    // widget exists yet, so Qt's bridge starts after this and knows them all.
    QVERIFY2(m_a11yBus.start(), qPrintable(m_a11yBus.errorString()));
    QVERIFY2(m_reader.connectTo(m_a11yBus.address()), qPrintable(m_reader.errorString()));
    for (const QString &event : {QStringLiteral("object:state-changed:showing"),
                                 QStringLiteral("object:property-change:accessible-name")})
        QVERIFY2(m_reader.registerEvent(event), qPrintable(m_reader.errorString()));
    QVERIFY2(m_a11yBus.setScreenReaderEnabled(true), qPrintable(m_a11yBus.errorString()));
    // Qt's AT-SPI bridge switches itself on (never forced here): fails if it does not.
    QTRY_VERIFY_WITH_TIMEOUT(QAccessible::isActive(), 10000);

    for (const QString &name : {QStringLiteral("alice"), QStringLiteral("bob")}) {
        QString display = name;
        display[0] = display.at(0).toUpper();
        QVERIFY2(m_server.addUser(name, name + QStringLiteral("-pw-123"), display),
                 m_server.lastAdminOutput().constData());
    }
    for (const QString &channel : {QStringLiteral("general"), QStringLiteral("random")})
        QVERIFY(m_server.addChannel(channel, {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

std::unique_ptr<Client> tst_ScreenReader::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + QStringLiteral("-pw-123");
    client->controller = std::make_unique<DesktopController>(
        Profile(QStringLiteral("tst-screenreader-") + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    return client;
}

void tst_ScreenReader::init()
{
    m_bob = signIn(QStringLiteral("bob"));
    QVERIFY(m_bob);
    m_alice = signIn(QStringLiteral("alice"));
    QVERIFY(m_alice);
    for (Client *c : {m_alice.get(), m_bob.get()}) {
        c->window()->openChannel(channelId(c->chat(), QStringLiteral("general")));
        QVERIFY(!c->window()->currentChannel().isEmpty());
    }
    ChatWindow *win = m_alice->window();
    win->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(win));
    m_reader.clear();
}

void tst_ScreenReader::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
}

void tst_ScreenReader::reactingByKeyboardIsSpoken()
{
    ChatWindow *win = m_alice->window();
    auto *messages = m_alice->chat()->messages(win->currentChannel());
    m_bob->chat()->sendMessage(m_bob->window()->currentChannel(), QStringLiteral("ship it?"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("ship it?"), 10000);

    // Keys only: Tab to the messages, End to the newest, "+" opens the picker,
    // "thumbs" finds 👍, Enter reacts.
    QListView *view = win->messageView();
    QVERIFY(tabTo(view));
    QTest::keyClick(view, Qt::Key_End);
    QTRY_COMPARE(view->currentIndex().data(MessageListModel::TextRole).toString(),
                 QStringLiteral("ship it?"));
    QTest::keyClick(view, Qt::Key_Plus);
    QTRY_VERIFY(activePicker());
    ReactionPicker *picker = activePicker();
    QVERIFY(QTest::qWaitForWindowActive(picker));
    QTest::keyClicks(picker->searchField(), QStringLiteral("thumbs"));
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QTRY_VERIFY(!activePicker());

    QTRY_VERIFY2_WITH_TIMEOUT(m_reader.heardNotification(QStringLiteral("Reacted with 👍")),
                              qPrintable(m_reader.notifications().join(u" | ")), 10000);
}

void tst_ScreenReader::someoneTypingIsSpoken()
{
    // bob types (keys into his composer); alice's window says so.
    QTest::keyClicks(m_bob->window()->composer(), QStringLiteral("almost do"));
    QTRY_COMPARE_WITH_TIMEOUT(m_alice->window()->typingText(), QStringLiteral("Bob is typing…"),
                              10000);
    QTRY_VERIFY2_WITH_TIMEOUT(m_reader.heardNotification(QStringLiteral("Bob is typing…")),
                              qPrintable(m_reader.notifications().join(u" | ")), 10000);
}

void tst_ScreenReader::aMessageArrivingIsSpoken()
{
    // bob sends by keys; alice hears who wrote what.
    Composer *bobs = m_bob->window()->composer();
    QTest::keyClicks(bobs, QStringLiteral("the build is green"));
    QTest::keyClick(bobs, Qt::Key_Return);
    auto *messages = m_alice->chat()->messages(m_alice->window()->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("the build is green"), 10000);
    const auto spoken = [this] {
        const QStringList heard = m_reader.notifications();
        return std::any_of(heard.begin(), heard.end(), [](const QString &words) {
            return words.startsWith(u"Bob, ") && words.endsWith(u": the build is green");
        });
    };
    QTRY_VERIFY2_WITH_TIMEOUT(spoken(), qPrintable(m_reader.notifications().join(u" | ")), 10000);
}

void tst_ScreenReader::aNoticeIsSpoken()
{
    // Up in an empty composer edits one's last message; alice has none here:
    // the window says so (ChatWindow::announce).
    Composer *composer = m_alice->window()->composer();
    QVERIFY(tabTo(composer));
    QVERIFY(composer->toPlainText().isEmpty());
    QTest::keyClick(composer, Qt::Key_Up);
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_reader.heardNotification(QStringLiteral("You have no message here to edit.")),
        qPrintable(m_reader.notifications().join(u" | ")), 10000);
}

void tst_ScreenReader::openingAChannelWithUnreadMessagesSaysSo()
{
    // bob writes twice in #random while alice reads #general.
    ChatWindow *win = m_alice->window();
    const ChannelListModel *channels = m_alice->chat()->channels();
    const QString random = channelId(m_alice->chat(), QStringLiteral("random"));
    const QString bobsRandom = channelId(m_bob->chat(), QStringLiteral("random"));
    m_bob->chat()->sendMessage(bobsRandom, QStringLiteral("first"));
    m_bob->chat()->sendMessage(bobsRandom, QStringLiteral("second"));
    const auto unread = [&] {
        return channels->index(channels->rowOf(random)).data(ChannelListModel::UnreadRole).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(unread(), 2, 10000);

    // Keys only: Alt+Up/Alt+Down walk the channel list to #random.
    for (int i = 0; i < 5 && win->currentChannel() != random; ++i) {
        const bool up = channels->rowOf(random) < channels->rowOf(win->currentChannel());
        QTest::keyClick(win, up ? Qt::Key_Up : Qt::Key_Down, Qt::AltModifier);
    }
    QCOMPARE(win->currentChannel(), random);
    QTRY_VERIFY2_WITH_TIMEOUT(m_reader.heardNotification(
                                  QStringLiteral("New messages: 2. Shift+Esc jumps to the first.")),
                              qPrintable(m_reader.notifications().join(u" | ")), 10000);

    // Shift+Esc: the first unread message has the keyboard focus (and a
    // screen reader reads the focused message).
    QTRY_VERIFY(win->unreadMarker()->firstUnread().isValid());
    QTest::keyClick(win, Qt::Key_Escape, Qt::ShiftModifier);
    QTRY_COMPARE(QApplication::focusWidget(), win->messageView());
    QCOMPARE(win->messageView()->currentIndex().data(MessageListModel::TextRole).toString(),
             QStringLiteral("first"));
}

void tst_ScreenReader::replyAndEditByKeysAreSpoken()
{
    ChatWindow *win = m_alice->window();
    auto *messages = m_alice->chat()->messages(win->currentChannel());
    m_alice->chat()->sendMessage(win->currentChannel(), QStringLiteral("mine to fix"));
    auto *bobs = m_bob->chat()->messages(m_bob->window()->currentChannel());
    QTRY_COMPARE_WITH_TIMEOUT(lastText(bobs), QStringLiteral("mine to fix"), 10000);
    m_bob->chat()->sendMessage(m_bob->window()->currentChannel(), QStringLiteral("lunch?"));
    QTRY_COMPARE_WITH_TIMEOUT(lastText(messages), QStringLiteral("lunch?"), 10000);

    // R on bob's message (the newest): the composer has the focus, and alice
    // hears whom she answers.
    QListView *view = win->messageView();
    QVERIFY(tabTo(view));
    QTest::keyClick(view, Qt::Key_End);
    QTRY_COMPARE(view->currentIndex().data(MessageListModel::TextRole).toString(),
                 QStringLiteral("lunch?"));
    QTest::keyClick(view, Qt::Key_R);
    QTRY_COMPARE(QApplication::focusWidget(), win->composer());
    QTRY_VERIFY2_WITH_TIMEOUT(m_reader.heardNotification(QStringLiteral("Replying to Bob: lunch?")),
                              qPrintable(m_reader.notifications().join(u" | ")), 10000);

    // Back to the list, Up to her own message, E: editing, and she hears so.
    QVERIFY(tabTo(view));
    QTest::keyClick(view, Qt::Key_End);
    QTest::keyClick(view, Qt::Key_Up);
    QTRY_COMPARE(view->currentIndex().data(MessageListModel::TextRole).toString(),
                 QStringLiteral("mine to fix"));
    QTest::keyClick(view, Qt::Key_E);
    QTRY_COMPARE(win->composer()->toPlainText(), QStringLiteral("mine to fix"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_reader.heardNotification(QStringLiteral("Editing message — Esc to cancel")),
        qPrintable(m_reader.notifications().join(u" | ")), 10000);
}

QTEST_MAIN(tst_ScreenReader)
#include "tst_ScreenReader.moc"
