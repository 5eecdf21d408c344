#include "DesktopController.h"

#include "ChannelNotifications.h"
#include "DesktopNotifier.h"
#include "ScreenLockWatcher.h"
#include "SettingsDialog.h"
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/ProfileSettings.h"
#include "chat/ChatWindow.h"
#include "login/LoginDialog.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"
#include "store/LocalStore.h"
#include "util/Logging.h"
#include "util/Translations.h"

#include <QCryptographicHash>
#include <QDBusConnection>
#include <QDir>
#include <QEventLoop>
#include <QMessageBox>
#include <QSaveFile>
#include <QSystemTrayIcon>
#include <QTimer>

namespace Natter {

DesktopController::DesktopController(const Profile &profile, TokenStore *tokens,
                                     const Options &options, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_tokens(tokens)
    , m_options(options)
    , m_settings(new ProfileSettings(profile, this))
    , m_authClient(new AuthClient(nullptr, this))
    , m_auth(new AuthSession(m_authClient, m_tokens, m_settings, this))
    , m_lockWatcher(new ScreenLockWatcher(this))
{
    if (!m_options.serverUrl.isEmpty() && m_settings->serverUrl().isEmpty())
        m_settings->setServerUrl(m_options.serverUrl);
    connect(m_auth, &AuthSession::signedIn, this, &DesktopController::onSignedIn);
    connect(m_auth, &AuthSession::signedOut, this, &DesktopController::onSignedOut);
    connect(m_auth, &AuthSession::keychainUnavailable, this, [this](const QString &message) {
        // Said once, plainly; the session itself goes on in memory.
        m_keychainNotice = message;
        if (m_login && m_login->isVisible()) {
            m_login->setNotice(message);
        } else {
            auto *box = new QMessageBox(QMessageBox::Information, tr("Natter"), message,
                                        QMessageBox::Ok, m_window.get());
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    connect(m_auth, &AuthSession::errorOccurred, this, [this](const AuthError &error) {
        // A restore that failed (server unreachable, ...) ends in the dialog,
        // which shows what happened; a failed login is shown by the dialog itself.
        if (!m_login || !m_login->isVisible())
            showLogin(error.message);
    });
}

DesktopController::~DesktopController()
{
    tearDownChat();
}

void DesktopController::start()
{
    m_minimiseAtStart = true;
    if (!m_options.username.isEmpty() && !m_options.password.isEmpty()) {
        const QString server =
            m_options.serverUrl.isEmpty() ? m_settings->serverUrl() : m_options.serverUrl;
        m_auth->login(server, m_options.username, m_options.password, true);
        m_options.password.clear();
        return;
    }
    if (!m_auth->restore())
        showLogin({});
}

void DesktopController::finishPendingWork()
{
    tearDownChat();
    if (!m_auth->hasPendingStoreWork())
        return;
    QEventLoop loop;
    connect(m_auth, &AuthSession::storeWorkFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    if (m_auth->hasPendingStoreWork())
        loop.exec();
}

void DesktopController::showLogin(const QString &notice)
{
    m_minimiseAtStart = false;
    if (!m_login)
        m_login = std::make_unique<LoginDialog>(m_auth);
    m_login->setNotice(notice.isEmpty() ? m_keychainNotice : notice);
    m_login->show();
    m_login->raise();
    m_login->activateWindow();
    Q_EMIT loginShown();
}

void DesktopController::onSignedIn()
{
    if (m_login)
        m_login->hide();
    tearDownChat();

    // One cache per account: the same profile pointed at another server (or
    // signed in as someone else) must never show the other account's messages.
    const QByteArray account = m_auth->server().origin() + '|' + m_auth->user().id.toUtf8();
    const QString storePath =
        QDir(m_profile.dataDir())
            .filePath(QStringLiteral("store-%1.sqlite")
                          .arg(QString::fromLatin1(
                              QCryptographicHash::hash(account, QCryptographicHash::Sha256)
                                  .toHex()
                                  .left(16))));
    m_store = std::make_unique<LocalStore>(storePath);
    if (!m_store->open()) {
        qCWarning(lcStore) << "local store unavailable, continuing without cache:"
                           << m_store->errorString();
        m_store.reset();
    }

    m_connection = std::make_unique<ConnectionManager>(m_auth, m_store.get());
    ConnectionManager::Options options;
    options.serverUrl = m_auth->server().httpBase();
    options.origin = m_auth->server().origin();
    options.clientName = QStringLiteral("natter-desktop");
    m_connection->setOptions(options);
    connect(m_connection.get(), &ConnectionManager::loggedOut, this,
            [this](const QString &reason) { onSignedOut(reason); });

    m_chat = std::make_unique<ChatSession>(m_connection.get(), m_store.get(), m_auth->user());
    m_notifier = std::make_unique<DesktopNotifier>(QDBusConnection::sessionBus());
    connect(m_lockWatcher, &ScreenLockWatcher::lockedChanged, m_chat.get(),
            &ChatSession::setScreenLocked);
    buildWindow();
    setUpNotifications();
    const bool minimised = m_minimiseAtStart
        && DesktopSettings::load(*m_settings->settings(), QSystemTrayIcon::isSystemTrayAvailable())
               .startMinimised;
    m_minimiseAtStart = false;
    if (!minimised)
        m_window->show();
    else if (!m_window->trayIcon())
        m_window->showMinimized();
    // else: only the tray icon, which brings the window back
    m_connection->open();
    Q_EMIT chatShown();
    if (!m_options.screenshotPath.isEmpty())
        takeScreenshotWhenReady();
}

void DesktopController::onSignedOut(const QString &reason)
{
    tearDownChat();
    showLogin(reason);
}

void DesktopController::tearDownChat()
{
    if (m_connection)
        m_connection->close();
    // The window shows the session's models, and the session listens to the
    // connection: destroy them in that order.
    m_notifications.reset();
    m_window.reset();
    m_notifier.reset();
    m_chat.reset();
    m_connection.reset();
    m_store.reset();
}

void DesktopController::setUpNotifications()
{
    m_notifications = std::make_unique<ChannelNotifications>(m_chat.get(), m_notifier.get());
    connect(m_notifications.get(), &ChannelNotifications::openRequested, this,
            [this](const QString &channelId) {
                if (!m_window)
                    return;
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
                m_window->openChannel(channelId);
            });
    applyDesktopSettings();
}

void DesktopController::buildWindow()
{
    m_window = std::make_unique<ChatWindow>(m_chat.get(), m_notifier.get());
    connect(m_window.get(), &ChatWindow::logoutRequested, this, &DesktopController::signOut);
    connect(m_window.get(), &ChatWindow::languageChosen, this, &DesktopController::setLanguage);
    connect(m_window.get(), &ChatWindow::settingsRequested, this, &DesktopController::openSettings);
    applyDesktopSettings();
}

void DesktopController::signOut()
{
    if (m_connection)
        m_connection->close(); // 1000: stay disconnected
    m_auth->logout();
}

void DesktopController::setLanguage(const QString &code)
{
    m_settings->settings()->setValue(QStringLiteral("ui/language"), code);
    m_settings->sync();
    installTranslations(code.isEmpty() ? QLocale::system() : QLocale(code));
    // The window's strings were set when it was built: build it again, later,
    // because the menu action that asked for this belongs to the window.
    QTimer::singleShot(0, this, [this] {
        if (!m_window)
            return;
        const QString channel = m_window->currentChannel();
        const QRect geometry = m_window->geometry();
        const bool visible = m_window->isVisible();
        const Qt::WindowStates state = m_window->windowState();
        m_window.reset();
        buildWindow();
        m_window->setGeometry(geometry);
        m_window->setWindowState(state);
        if (visible)
            m_window->show();
        if (!channel.isEmpty())
            m_window->openChannel(channel);
    });
}

void DesktopController::applyDesktopSettings()
{
    const DesktopSettings s =
        DesktopSettings::load(*m_settings->settings(), QSystemTrayIcon::isSystemTrayAvailable());
    if (m_notifications) {
        m_notifications->setEnabled(s.notifications);
        m_notifications->setShowText(s.notificationText);
    }
    if (m_notifier)
        m_notifier->setSound(s.sound);
    if (m_window)
        m_window->setCloseToTray(s.closeToTray);
}

void DesktopController::openSettings()
{
    const bool tray = QSystemTrayIcon::isSystemTrayAvailable();
    SettingsDialog dialog(DesktopSettings::load(*m_settings->settings(), tray), tray,
                          m_window.get());
    const QString language =
        m_settings->settings()->value(QStringLiteral("ui/language")).toString();
    dialog.setLanguage(language);
    const User user = m_auth->user();
    dialog.setAccount(user.name(), user.username, m_auth->server().toString());
    const int result = dialog.exec();
    if (result == SettingsDialog::SignOut) {
        signOut();
        return;
    }
    if (result != QDialog::Accepted)
        return;
    dialog.result().save(*m_settings->settings());
    m_settings->sync();
    applyDesktopSettings();
    if (dialog.language() != language)
        setLanguage(dialog.language());
}

void DesktopController::takeScreenshotWhenReady()
{
    // Once the conversation has loaded after `resumed`, give the window one more
    // turn of the event loop to lay out and paint, then grab it.
    connect(m_connection.get(), &ConnectionManager::resumed, this, [this] {
        if (m_screenshotTaken || !m_window)
            return;
        m_screenshotTaken = true;
        QTimer::singleShot(1500, this, [this] {
            if (!m_window)
                return;
            // Written under a temporary name and renamed into place (QSaveFile), so
            // whoever waits for the file (scripts/demo-session.sh) never reads half a PNG.
            QSaveFile file(m_options.screenshotPath);
            const bool ok = file.open(QIODevice::WriteOnly) && m_window->grab().save(&file, "PNG")
                && file.commit();
            if (ok)
                Q_EMIT screenshotSaved(m_options.screenshotPath);
            else
                qCWarning(lcModel)
                    << "could not save the screenshot to" << m_options.screenshotPath;
        });
    });
}

} // namespace Natter
