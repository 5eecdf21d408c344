// Desktop notifications end to end: two real desktop clients (DesktopController +
// ChatWindow, offscreen) through the real natterd, and a notification server on
// the test's private session bus — a small org.freedesktop.Notifications service
// in this process (on a connection of its own) that records Notify and
// CloseNotification and can emit ActionInvoked like a click. One notification
// per channel, updated as messages arrive; a deleted message leaves it, the last
// one closes it; a click opens the channel; reading it on another device closes
// it; a channel set to "nothing" notifies nothing and its badge is quiet.
#include "FullDisk.h"
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"

#include "app/AboutDialog.h"
#include "app/Avatar.h"
#include "app/ChannelNotifications.h"
#include "app/DesktopController.h"
#include "app/DesktopNotifier.h"
#include "app/NotifyLevelMenu.h"
#include "app/SettingsDialog.h"
#include "app/TrayIconBadge.h"
#include "app/UnreadMarker.h"
#include "auth/MemoryTokenStore.h"
#include "chat/Announcer.h"
#include "chat/ChannelDelegate.h"
#include "chat/ChatWindow.h"
#include "login/LoginDialog.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

#include <memory>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
constexpr int kWait = 20000;

struct NotifyCall
{
    uint id = 0;
    uint replacesId = 0;
    QString appIcon;
    QString summary;
    QString body;
    QStringList actions;
    QVariantMap hints;
};

// The notification server: what a desktop's notification daemon is to Natter.
class NotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    QList<NotifyCall> notifies;
    QList<uint> closes;

    // The person clicks the notification (a daemon keeping it, as for "resident").
    void click(uint id) { Q_EMIT ActionInvoked(id, u"default"_s); }
    // The newest Notify whose summary or body contains `text`; none: id 0.
    NotifyCall lastWith(const QString &text) const
    {
        for (auto it = notifies.crbegin(); it != notifies.crend(); ++it)
            if (it->summary.contains(text) || it->body.contains(text))
                return *it;
        return {};
    }

public Q_SLOTS:
    QStringList GetCapabilities() { return {u"body"_s, u"actions"_s}; }
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion)
    {
        vendor = u"natter-test"_s;
        version = u"1"_s;
        specVersion = u"1.2"_s;
        return u"tst_ChannelNotifications"_s;
    }
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout)
    {
        Q_UNUSED(appName)
        Q_UNUSED(expireTimeout)
        const uint id = replacesId != 0 ? replacesId : ++m_nextId;
        notifies.append({id, replacesId, appIcon, summary, body, actions, hints});
        return id;
    }
    void CloseNotification(uint id)
    {
        closes.append(id);
        Q_EMIT NotificationClosed(id, 3);
    }

Q_SIGNALS:
    void NotificationClosed(uint id, uint reason);
    void ActionInvoked(uint id, const QString &actionKey);

private:
    uint m_nextId = 100;
};

struct Client
{
    MemoryTokenStore tokens;
    std::unique_ptr<DesktopController> controller;

    ChatWindow *window() const { return controller->window(); }
    ChatSession *chat() const { return controller->chat(); }
};

QString channelId(ChatSession *session, const QString &name)
{
    const auto *channels = session->channels();
    for (int i = 0; i < channels->rowCount(); ++i) {
        const QModelIndex idx = channels->index(i);
        if (idx.data(ChannelListModel::NameRole).toString() == name)
            return idx.data(ChannelListModel::IdRole).toString();
    }
    return {};
}

QString lastId(const MessageListModel *model)
{
    return model->index(model->rowCount() - 1).data(MessageListModel::IdRole).toString();
}

// Whether any pixel of the channel list is the unread badge's red.
bool showsRedBadge(QListView *view)
{
    const QImage image = view->viewport()->grab().toImage();
    const QRgb red = ChannelDelegate::unreadBadgeColor().rgb();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xffffff) == (red & 0xffffff))
                return true;
    return false;
}
// Every control in `root`'s accessible tree that a person operates (buttons,
// boxes, lists, text fields, menu items) has a role and a name; returns those
// that do not, as "role at path".
QStringList unnamedControls(QAccessibleInterface *root, const QString &path = {})
{
    static const QSet<QAccessible::Role> operated{
        QAccessible::PushButton, QAccessible::CheckBox,     QAccessible::RadioButton,
        QAccessible::ComboBox,   QAccessible::EditableText, QAccessible::List,
        QAccessible::MenuItem,   QAccessible::ButtonMenu,   QAccessible::SpinBox,
        QAccessible::Slider,     QAccessible::PageTab,      QAccessible::Link,
        QAccessible::Dialog,     QAccessible::Window,
    };
    QStringList missing;
    if (!root || !root->isValid() || root->state().invisible)
        return missing;
    const QString here = path + u'/' + QString::number(int(root->role()), 16);
    if (root->role() == QAccessible::NoRole)
        missing.append(u"no role at "_s + here);
    else if (operated.contains(root->role()) && root->text(QAccessible::Name).trimmed().isEmpty())
        missing.append(u"no name for role 0x"_s + here);
    for (int i = 0; i < root->childCount(); ++i)
        missing += unnamedControls(root->child(i), here);
    return missing;
}

// The menus' actions: each has words for a screen reader.
QStringList unnamedActions(QMenuBar *bar)
{
    QStringList missing;
    std::function<void(QMenu *)> walk = [&](QMenu *menu) {
        for (QAction *a : menu->actions()) {
            if (a->isSeparator())
                continue;
            if (a->text().remove(u'&').trimmed().isEmpty())
                missing.append(menu->title());
            if (a->menu())
                walk(a->menu());
        }
    };
    for (QAction *a : bar->actions())
        if (a->menu())
            walk(a->menu());
    return missing;
}

// Opens `win`'s Settings dialog from the menu (Ctrl+,) and runs `use` on it while
// it is modal; `use` must close it. Whether the dialog came up.
bool withSettings(ChatWindow *win, const std::function<void(SettingsDialog *)> &use)
{
    bool seen = false;
    QTimer::singleShot(0, win, [&] {
        auto *dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
        seen = dialog != nullptr;
        if (dialog)
            use(dialog);
    });
    win->findChild<QAction *>(u"settingsAction"_s)->trigger();
    return seen;
}

} // namespace

class tst_ChannelNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void oneNotificationPerChannelUpdatedWithdrawnAndClicked();
    void newMessagesLineAndJumpToFirstUnread();
    void everyControlHasANameAndRole();
    void aLevelTheServerCannotStoreIsSaid();
    void settingsApplyToNotificationsAndAboutShowsTheVersion();
    void settingsSoundLanguageAccountAndStartMinimised();
    void screenshotIsWrittenWhole();
    void avatarsHaveInitialsAndAStableColour();

private:
    std::unique_ptr<Client> signIn(const QString &user, const QString &screenshot = {});

    NatterdProcess m_server;
    NotificationServer m_notifications;
};

void tst_ChannelNotifications::initTestCase()
{
    QVERIFY2(QDBusConnection::sessionBus().isConnected(),
             "this test needs the D-Bus session the test runner provides");
    QDBusConnection bus =
        QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"notification-server"_s);
    QVERIFY(bus.isConnected());
    QVERIFY(
        bus.registerObject(u"/org/freedesktop/Notifications"_s, &m_notifications,
                           QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY2(bus.registerService(u"org.freedesktop.Notifications"_s),
             qPrintable(bus.lastError().message()));

    QVERIFY2(m_server.addUser(u"alice"_s, u"alice-pw-123"_s, u"Alice"_s),
             m_server.lastAdminOutput().constData());
    QVERIFY(m_server.addUser(u"bob"_s, u"bob-pw-123"_s, u"Bob"_s));
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY(m_server.addChannel(u"random"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY(m_server.addChannel(u"lunch"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_ChannelNotifications::cleanupTestCase()
{
    QDBusConnection bus(u"notification-server"_s);
    bus.unregisterService(u"org.freedesktop.Notifications"_s);
    bus.unregisterObject(u"/org/freedesktop/Notifications"_s);
    QDBusConnection::disconnectFromBus(u"notification-server"_s);
}

std::unique_ptr<Client> tst_ChannelNotifications::signIn(const QString &user,
                                                         const QString &screenshot)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + u"-pw-123"_s;
    options.screenshotPath = screenshot;
    client->controller = std::make_unique<DesktopController>(
        Profile(u"tst-channelnotifications-"_s + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(kWait))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(kWait))
        return nullptr;
    return client;
}

void tst_ChannelNotifications::oneNotificationPerChannelUpdatedWithdrawnAndClicked()
{
    std::unique_ptr<Client> alice = signIn(u"alice"_s);
    QVERIFY(alice);
    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    const QString general = channelId(bob->chat(), u"general"_s);
    const QString random = channelId(bob->chat(), u"random"_s);
    const QString aliceRandom = channelId(alice->chat(), u"random"_s);
    alice->window()->openChannel(channelId(alice->chat(), u"general"_s));
    bob->window()->openChannel(general);
    auto *aliceModel = alice->chat()->messages(aliceRandom);
    // Sends `text` to #random as alice; its id once stored (empty: it never was).
    const auto aliceSays = [&](const QString &text) {
        alice->chat()->sendMessage(aliceRandom, text);
        const bool stored = QTest::qWaitFor(
            [&] {
                return aliceModel->index(aliceModel->rowCount() - 1)
                           .data(MessageListModel::TextRole)
                           .toString()
                    == text
                    && !lastId(aliceModel).isEmpty();
            },
            kWait);
        return stored ? lastId(aliceModel) : QString();
    };

    // A message in a channel bob is not reading: one notification, with the app
    // icon, the channel's name and a default action to click; no urgency that
    // would break through do-not-disturb.
    const QString one = aliceSays(u"one"_s);
    QVERIFY(!one.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"one"_s).id != 0, kWait);
    const NotifyCall first = m_notifications.lastWith(u"one"_s);
    QCOMPARE(first.summary, u"Alice in random"_s);
    QCOMPARE(first.body, u"one"_s);
    QCOMPARE(first.replacesId, 0u);
    QCOMPARE(first.appIcon, u"natter"_s);
    QVERIFY(first.actions.contains(u"default"_s));
    QVERIFY(!first.hints.contains(u"urgency"_s));
    // Silent by default ("Play a sound" is off): the service is asked for no sound.
    QCOMPARE(first.hints.value(u"suppress-sound"_s), QVariant(true));
    QVERIFY(!first.hints.contains(u"sound-name"_s));

    // A second one replaces it: the count and the latest lines.
    const QString two = aliceSays(u"two"_s);
    QVERIFY(!two.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"Alice: two"_s).id != 0, kWait);
    const NotifyCall grouped = m_notifications.lastWith(u"Alice: two"_s);
    QCOMPARE(grouped.replacesId, first.id);
    QCOMPARE(grouped.summary, u"2 new messages in random"_s);
    QCOMPARE(grouped.body, u"Alice: one\nAlice: two"_s);
    QCOMPARE(m_notifications.closes.size(), 0);

    // Deleting one message leaves the other; deleting the last closes it.
    const int before = int(m_notifications.notifies.size());
    alice->chat()->deleteMessage(aliceRandom, two, {});
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.notifies.size() > before, kWait);
    QCOMPARE(m_notifications.notifies.constLast().replacesId, first.id);
    QCOMPARE(m_notifications.notifies.constLast().summary, u"Alice in random"_s);
    QCOMPARE(m_notifications.notifies.constLast().body, u"one"_s);
    alice->chat()->deleteMessage(aliceRandom, one, {});
    QTRY_COMPARE_WITH_TIMEOUT(m_notifications.closes, QList<uint>{first.id}, kWait);

    // A click on a new one opens #random in bob's window, which reads it: closed.
    QVERIFY(!aliceSays(u"three"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"three"_s).id != 0, kWait);
    const uint third = m_notifications.lastWith(u"three"_s).id;
    QVERIFY(third != first.id);
    QCOMPARE(bob->window()->currentChannel(), general);
    m_notifications.click(third);
    QTRY_COMPARE_WITH_TIMEOUT(bob->window()->currentChannel(), random, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.closes.contains(third), kWait);

    // Read on bob's other device: the notification on this one closes.
    bob->window()->openChannel(general);
    QVERIFY(!aliceSays(u"four"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"four"_s).id != 0, kWait);
    const uint fourth = m_notifications.lastWith(u"four"_s).id;
    {
        HttpTokenProvider tokens(m_server.httpUrl());
        QVERIFY(tokens.login(u"bob"_s, u"bob-pw-123"_s));
        ConnectionManager phone(&tokens, nullptr);
        ConnectionManager::Options options;
        options.serverUrl = m_server.httpUrl();
        options.clientName = u"natter-test-phone"_s;
        phone.setOptions(options);
        QSignalSpy resumed(&phone, &ConnectionManager::resumed);
        phone.open();
        QVERIFY(resumed.wait(kWait));
        qint64 newest = 0;
        for (const Channel &c : phone.session().channels)
            if (c.id == random)
                newest = c.lastSeq;
        QVERIFY(newest > 0);
        phone.markRead(random, newest);
        QTRY_VERIFY_WITH_TIMEOUT(m_notifications.closes.contains(fourth), kWait);
        phone.close();
    }

    // "Nothing" for #random, chosen in bob's menu bar: no notification, and its
    // unread badge is drawn quiet (no red).
    bob->window()->notifyLevelMenu()->refresh();
    QVERIFY(bob->window()->notifyLevelMenu()->nothingAction()->isEnabled());
    bob->window()->openChannel(random);
    bob->window()->notifyLevelMenu()->nothingAction()->trigger();
    bob->window()->openChannel(general);
    const auto levelOfRandom = [&] {
        const auto *channels = bob->chat()->channels();
        return NotifyLevel(channels->index(channels->rowOf(random))
                               .data(ChannelListModel::NotifyLevelRole)
                               .toInt());
    };
    QTRY_COMPARE_WITH_TIMEOUT(levelOfRandom(), NotifyLevel::None, kWait);
    bob->window()->notifyLevelMenu()->refresh();
    QVERIFY(!aliceSays(u"five"_s).isEmpty());
    auto *bobRandom = bob->chat()->messages(random);
    QTRY_COMPARE_WITH_TIMEOUT(
        bobRandom->index(bobRandom->rowCount() - 1).data(MessageListModel::TextRole),
        QVariant(u"five"_s), kWait);
    const auto *channels = bob->chat()->channels();
    QVERIFY(channels->index(channels->rowOf(random)).data(ChannelListModel::UnreadRole).toInt()
            > 0);
    QVERIFY(!showsRedBadge(bob->window()->channelView()));

    // Back to all messages from the channel list's menu for #random (without
    // opening it): the next message notifies, "five" never did (the server's calls
    // come in order), and the unread badge is red again.
    NotifyLevelMenu contextMenu(bob->chat(), random);
    QVERIFY(contextMenu.nothingAction()->isChecked());
    contextMenu.allAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(levelOfRandom(), NotifyLevel::All, kWait);
    QVERIFY(!aliceSays(u"six"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"six"_s).id != 0, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(showsRedBadge(bob->window()->channelView()), kWait);

    // Settings: without message text, a notification says who and where only.
    bob->window()->openChannel(random); // read: the next one starts a new group
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.closes.contains(m_notifications.lastWith(u"six"_s).id),
                             kWait);
    bob->window()->openChannel(general);
    bob->controller->notifications()->setShowText(false);
    const int shownBefore = int(m_notifications.notifies.size());
    QVERIFY(!aliceSays(u"the secret plan"_s).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.notifies.size() > shownBefore, kWait);
    QCOMPARE(m_notifications.notifies.constLast().summary, u"Alice in random"_s);
    QCOMPARE(m_notifications.notifies.constLast().body, u"New message"_s);
    QCOMPARE(m_notifications.lastWith(u"secret"_s).id, 0u);
    QCOMPARE(m_notifications.lastWith(u"five"_s).id, 0u);
}

void tst_ChannelNotifications::newMessagesLineAndJumpToFirstUnread()
{
    std::unique_ptr<Client> alice = signIn(u"alice"_s);
    QVERIFY(alice);
    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    const QString lunch = channelId(bob->chat(), u"lunch"_s);
    const QString aliceLunch = channelId(alice->chat(), u"lunch"_s);
    ChatWindow *win = bob->window();
    // bob has read #lunch up to "already read", then looks elsewhere.
    alice->chat()->sendMessage(aliceLunch, u"already read"_s);
    auto *bobLunch = bob->chat()->messages(lunch);
    QTRY_COMPARE_WITH_TIMEOUT(bobLunch->rowCount(), 1, kWait);
    win->openChannel(lunch);
    QTRY_COMPARE_WITH_TIMEOUT(bob->chat()->channels()->channel(lunch).lastReadSeq,
                              bobLunch->index(0).data(MessageListModel::SeqRole).toLongLong(),
                              kWait);
    // (It arrived while bob looked elsewhere: it was the unread part then.)
    QCOMPARE(win->unreadMarker()->firstUnread().data(MessageListModel::TextRole).toString(),
             u"already read"_s);
    win->openChannel(channelId(bob->chat(), u"general"_s));

    // More news than fits on screen arrives meanwhile.
    constexpr int kNews = 40;
    for (int i = 1; i <= kNews; ++i)
        alice->chat()->sendMessage(aliceLunch, u"news %1"_s.arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(bobLunch->rowCount(), kNews + 1, kWait);

    // Opening #lunch: the line stands above the first new message, which is out of
    // sight above the newest; the button leads there.
    win->openChannel(lunch);
    QTRY_VERIFY_WITH_TIMEOUT(win->unreadMarker()->firstUnread().isValid(), kWait);
    QCOMPARE(win->unreadMarker()->firstUnread().data(MessageListModel::TextRole).toString(),
             u"news 1"_s);
    QCOMPARE(win->unreadMarker()->line()->accessibleName(), u"New messages"_s);
    QTRY_VERIFY_WITH_TIMEOUT(win->unreadMarker()->jumpButton()->isVisible(), kWait);
    QVERIFY(!win->unreadMarker()->jumpButton()->accessibleName().isEmpty());
    QVERIFY(!win->unreadMarker()->line()->isVisible());

    // Shift+Esc jumps: "news 1" is focused and the line shows right above it.
    win->activateWindow();
    QTest::keyClick(win, Qt::Key_Escape, Qt::ShiftModifier);
    QTRY_COMPARE_WITH_TIMEOUT(
        win->messageView()->currentIndex().data(MessageListModel::TextRole).toString(), u"news 1"_s,
        kWait);
    QTRY_VERIFY_WITH_TIMEOUT(win->unreadMarker()->line()->isVisible(), kWait);
    QVERIFY(!win->unreadMarker()->jumpButton()->isVisible());
    const QRect row = win->messageView()->visualRect(win->messageView()->currentIndex());
    QVERIFY(qAbs(win->unreadMarker()->line()->geometry().center().y() - row.top()) <= 2);
    // Read all the same; another channel and back: no line any more.
    QTRY_COMPARE_WITH_TIMEOUT(bob->chat()->channels()->channel(lunch).lastReadSeq,
                              bobLunch->index(kNews).data(MessageListModel::SeqRole).toLongLong(),
                              kWait);
    win->openChannel(channelId(bob->chat(), u"general"_s));
    win->openChannel(lunch);
    QVERIFY(!win->unreadMarker()->firstUnread().isValid());
    QVERIFY(!win->unreadMarker()->line()->isVisible());
}

void tst_ChannelNotifications::everyControlHasANameAndRole()
{
    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    ChatWindow *win = bob->window();
    win->openChannel(channelId(bob->chat(), u"general"_s));
    QAccessibleInterface *root = QAccessible::queryAccessibleInterface(win);
    QVERIFY(root);
    QCOMPARE(root->role(), QAccessible::Window);
    const QStringList inWindow = unnamedControls(root);
    QVERIFY2(inWindow.isEmpty(), qPrintable(inWindow.join(u", ")));
    const QStringList inMenus = unnamedActions(win->menuBar());
    QVERIFY2(inMenus.isEmpty(), qPrintable(inMenus.join(u", ")));

    // The new dialogs too.
    SettingsDialog settings(DesktopSettings{}, false, win);
    settings.show();
    const QStringList inSettings =
        unnamedControls(QAccessible::queryAccessibleInterface(&settings));
    QVERIFY2(inSettings.isEmpty(), qPrintable(inSettings.join(u", ")));
    AboutDialog about(win);
    about.show();
    const QStringList inAbout = unnamedControls(QAccessible::queryAccessibleInterface(&about));
    QVERIFY2(inAbout.isEmpty(), qPrintable(inAbout.join(u", ")));
    NotifyLevelMenu levels(bob->chat(), channelId(bob->chat(), u"general"_s), win);
    levels.popup(win->geometry().center());
    const QStringList inLevels = unnamedControls(QAccessible::queryAccessibleInterface(&levels));
    QVERIFY2(inLevels.isEmpty(), qPrintable(inLevels.join(u", ")));
    levels.close();
}

void tst_ChannelNotifications::aLevelTheServerCannotStoreIsSaid()
{
    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    ChatWindow *win = bob->window();
    const QString lunch = channelId(bob->chat(), u"lunch"_s);
    win->openChannel(lunch);
    auto *announcer = win->statusBar()->findChild<Announcer *>();
    QVERIFY(announcer);
    QSignalSpy said(announcer, &Announcer::said);
    const auto levelOfLunch = [&] {
        return bob->chat()->channels()->channel(lunch).notify;
    };
    NotifyLevelMenu menu(bob->chat(), lunch);
    QVERIFY(menu.allAction()->isChecked());

    // natterd's disk is full: it answers the `notify` frame with rate_limited.
    const QString why = ChatSession::tr("The notifications of %1 stay as they were. %2")
                            .arg(u"lunch"_s,
                                 ChatSession::tr("The server cannot take this right now; "
                                                 "please try again in a moment."));
    {
        FullDisk full(m_server.pid());
        QVERIFY(full.active());
        menu.nothingAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(win->statusBar()->currentMessage(), why, kWait);
    }
    // Said to screen readers too, and the menu still shows what the server has.
    QVERIFY(std::any_of(said.cbegin(), said.cend(),
                        [&](const QList<QVariant> &args) { return args.at(0) == why; }));
    QCOMPARE(levelOfLunch(), NotifyLevel::All);
    menu.refresh();
    QVERIFY(menu.allAction()->isChecked());

    // With room on the disk again, the same choice is made (and then undone,
    // for the tests after this one).
    menu.nothingAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(levelOfLunch(), NotifyLevel::None, kWait);
    menu.allAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(levelOfLunch(), NotifyLevel::All, kWait);
}

void tst_ChannelNotifications::settingsApplyToNotificationsAndAboutShowsTheVersion()
{
    // Defaults: notifications on, with text; close to tray only where a tray exists.
    QSettings empty(QSettings::IniFormat, QSettings::UserScope, u"natter-test"_s,
                    u"tst-channelnotifications-none"_s);
    empty.clear();
    QCOMPARE(DesktopSettings::load(empty, false).closeToTray, false);
    QCOMPARE(DesktopSettings::load(empty, true).closeToTray, true);
    QVERIFY(DesktopSettings::load(empty, false).notifications);

    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    ChannelNotifications *notifications = bob->controller->notifications();
    QVERIFY(notifications->isEnabled());
    // The dialog from the menu (Ctrl+,): notifications off, OK.
    ChatWindow *win = bob->window();
    win->activateWindow();
    bool seen = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<SettingsDialog *>(QApplication::activeModalWidget());
        seen = dialog != nullptr;
        if (!dialog)
            return;
        QVERIFY(dialog->notificationTextBox()->isEnabled());
        dialog->notificationsBox()->setChecked(false);
        QVERIFY(!dialog->notificationTextBox()->isEnabled());
        // No tray under the test's X server: the option is offered disabled.
        QCOMPARE(dialog->closeToTrayBox()->isEnabled(), QSystemTrayIcon::isSystemTrayAvailable());
        dialog->accept();
    });
    win->findChild<QAction *>(u"settingsAction"_s)->trigger();
    QVERIFY(seen);
    QVERIFY(!notifications->isEnabled());
    // Kept: the next sign-in starts with them off.
    bob.reset();
    bob = signIn(u"bob"_s);
    QVERIFY(bob);
    QVERIFY(!bob->controller->notifications()->isEnabled());
    QCOMPARE(bob->window()->closesToTray(), false); // no tray: closing closes

    AboutDialog about;
    QCOMPARE(about.versionText(), u"Natter "_s + QCoreApplication::applicationVersion());

    // The tray icon's unread badge: the count in red on the app icon.
    QPixmap base(64, 64);
    base.fill(Qt::white);
    const QImage badged = TrayIconBadge::withCount(QIcon(base), 3).pixmap(64, 64).toImage();
    QCOMPARE(badged.pixelColor(56, 60).rgb() & 0xffffff,
             TrayIconBadge::badgeColor().rgb() & 0xffffff);
    QCOMPARE(TrayIconBadge::withCount(QIcon(base), 0).pixmap(64, 64).toImage().pixelColor(56, 60),
             QColor(Qt::white));
}

void tst_ChannelNotifications::settingsSoundLanguageAccountAndStartMinimised()
{
    std::unique_ptr<Client> alice = signIn(u"alice"_s);
    QVERIFY(alice);
    std::unique_ptr<Client> bob = signIn(u"bob"_s);
    QVERIFY(bob);
    bob->window()->openChannel(channelId(bob->chat(), u"general"_s));

    // The account box names who is signed in and where; sound is off by default.
    QString account, server;
    bool soundWasOff = false;
    QVERIFY(withSettings(bob->window(), [&](SettingsDialog *dialog) {
        account = dialog->accountLabel()->text();
        server = dialog->serverLabel()->text();
        soundWasOff = !dialog->soundBox()->isChecked();
        dialog->notificationsBox()->setChecked(true); // the test before turned them off
        dialog->soundBox()->setChecked(true);
        dialog->accept();
    }));
    QCOMPARE(account, u"Bob (@bob)"_s);
    QCOMPARE(QUrl(server).port(), m_server.httpUrl().port());
    QCOMPARE(QUrl(server).host(), m_server.httpUrl().host());
    QVERIFY(soundWasOff);

    // With "Play a sound" on, the notification asks for the instant-message sound.
    const QString aliceRandom = channelId(alice->chat(), u"random"_s);
    alice->chat()->sendMessage(aliceRandom, u"with a sound"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_notifications.lastWith(u"with a sound"_s).id != 0, kWait);
    const NotifyCall loud = m_notifications.lastWith(u"with a sound"_s);
    QCOMPARE(loud.hints.value(u"sound-name"_s).toString(), u"message-new-instant"_s);
    QVERIFY(!loud.hints.contains(u"suppress-sound"_s));

    // Deutsch in the dialog: the window speaks German, and back again.
    const QString english = bob->window()->findChild<QAction *>(u"settingsAction"_s)->text();
    QCOMPARE(english, u"Se&ttings…"_s);
    QVERIFY(withSettings(bob->window(), [&](SettingsDialog *dialog) {
        dialog->languageBox()->setCurrentIndex(dialog->languageBox()->findText(u"Deutsch"_s));
        dialog->accept();
    }));
    QTRY_COMPARE_WITH_TIMEOUT(bob->window()->findChild<QAction *>(u"settingsAction"_s)->text(),
                              u"&Einstellungen …"_s, kWait);
    QVERIFY(bob->window()->isVisible());
    QString language;
    QVERIFY(withSettings(bob->window(), [&](SettingsDialog *dialog) {
        language = dialog->languageBox()->currentText();
        dialog->languageBox()->setCurrentIndex(dialog->languageBox()->findText(u"English"_s));
        dialog->accept();
    }));
    QCOMPARE(language, u"Deutsch"_s); // kept
    QTRY_COMPARE_WITH_TIMEOUT(bob->window()->findChild<QAction *>(u"settingsAction"_s)->text(),
                              english, kWait);

    // Start minimised: the next start leaves the window out of the way (no tray
    // under the test's X server: minimised; with one, hidden in the tray).
    QVERIFY(withSettings(bob->window(), [&](SettingsDialog *dialog) {
        dialog->startMinimisedBox()->setChecked(true);
        dialog->accept();
    }));
    bob.reset();
    bob = signIn(u"bob"_s);
    QVERIFY(bob);
    QVERIFY(!bob->window()->isVisible() || bob->window()->isMinimized());

    // Sign out from the account box: back at the login dialog, the window gone.
    QSignalSpy login(bob->controller.get(), &DesktopController::loginShown);
    QVERIFY(withSettings(bob->window(),
                         [&](SettingsDialog *dialog) { dialog->signOutButton()->click(); }));
    QTRY_COMPARE_WITH_TIMEOUT(login.size(), 1, kWait);
    QVERIFY(bob->controller->loginDialog()->isVisible());
    QVERIFY(!bob->window());

    // Tidy: the next run of this test starts from the defaults again.
    QSettings(Profile(u"tst-channelnotifications-bob"_s).settingsPath(), QSettings::IniFormat)
        .clear();
}

void tst_ChannelNotifications::screenshotIsWrittenWhole()
{
    // What the headless demo asks for (--screenshot): the PNG appears in one
    // piece, under its name only once complete, and decodes.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"bob.png"_s);
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = u"bob"_s;
    options.password = u"bob-pw-123"_s;
    options.screenshotPath = path;
    client->controller = std::make_unique<DesktopController>(
        Profile(u"tst-channelnotifications-shot"_s), &client->tokens, options);
    QSignalSpy saved(client->controller.get(), &DesktopController::screenshotSaved);
    client->controller->start();
    QVERIFY(saved.wait(kWait));
    QCOMPARE(saved.at(0).at(0).toString(), path);
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.size(), client->window()->grab().size());
    // Nothing else was left behind in the directory (no temporary file).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"bob.png"_s});
}

void tst_ChannelNotifications::avatarsHaveInitialsAndAStableColour()
{
    QCOMPARE(Avatar::initials(u"Alice Smith"_s), u"AS"_s);
    QCOMPARE(Avatar::initials(u"bob"_s), u"B"_s);
    QCOMPARE(Avatar::initials(u"  carol   ann   lee "_s), u"CA"_s);
    QCOMPARE(Avatar::initials(QString()), u"?"_s);
    // The same key, the same colour (not a seeded hash); different people differ
    // often enough that a pair of names is told apart.
    QCOMPARE(Avatar::colorFor(u"alice"_s), Avatar::colorFor(u"alice"_s));
    QCOMPARE(Avatar::colorFor(u"alice"_s), QColor(0x28, 0x74, 0xa6)); // FNV-1a, pinned
    QSet<QRgb> colours;
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"erin"_s})
        colours.insert(Avatar::colorFor(name).rgb());
    QVERIFY(colours.size() >= 3);
    // Painted: the disc in that colour with white initials.
    QImage image(40, 40, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    {
        QPainter p(&image);
        Avatar::paint(&p, QRect(0, 0, 40, 40), u"Alice"_s, u"alice"_s);
    }
    QCOMPARE(image.pixelColor(4 + 2, 20).rgb(), Avatar::colorFor(u"alice"_s).rgb());
}

QTEST_MAIN(tst_ChannelNotifications)
#include "tst_ChannelNotifications.moc"
