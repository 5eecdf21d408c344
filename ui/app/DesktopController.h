// The desktop client's flow from start to quit, for one profile: restore the
// kept sign-in or show the login dialog, then build the connection, the chat
// session and the window; tear them down again on sign-out or when the server
// ends the session. The composition root (main.cpp) creates exactly one.
#pragma once

#include "auth/Profile.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace Natter {

class AuthClient;
class ChannelNotifications;
class AuthSession;
class ChatSession;
class ChatWindow;
class ConnectionManager;
class DesktopNotifier;
class LocalStore;
class LoginDialog;
class ProfileSettings;
class ScreenLockWatcher;
class TokenStore;

class DesktopController : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString serverUrl; // pre-filled in the login dialog when nothing is remembered
        QString screenshotPath; // save a picture of the window once it shows the conversation
        // Scripted sign-in (demo, automation): both set → sign in at start instead of
        // restoring. The password comes from stdin, never from the command line.
        QString username;
        QString password;
    };

    // `tokens` is the refresh-token store (the OS keychain in the app); not owned.
    DesktopController(const Profile &profile, TokenStore *tokens, const Options &options,
                      QObject *parent = nullptr);
    ~DesktopController() override;

    // Restores the kept sign-in, or shows the login dialog.
    void start();
    // Called after the event loop ends: waits (a few seconds at most) until a
    // refresh token rotated just before quitting has reached the keychain, so the
    // next start does not present a spent one and get the session revoked.
    void finishPendingWork();

    AuthSession *auth() const { return m_auth; }
    ChatWindow *window() const { return m_window.get(); }
    ChatSession *chat() const { return m_chat.get(); }
    ConnectionManager *connection() const { return m_connection.get(); }
    DesktopNotifier *notifier() const { return m_notifier.get(); }
    ChannelNotifications *notifications() const { return m_notifications.get(); }
    LoginDialog *loginDialog() const { return m_login.get(); }

Q_SIGNALS:
    // The chat window is up for a signed-in user.
    void chatShown();
    // The login dialog is showing (first start, sign-out, or an expired session).
    void loginShown();
    // A screenshot asked for in Options was written.
    void screenshotSaved(const QString &path);

private:
    void showLogin(const QString &notice);
    void onSignedIn();
    void onSignedOut(const QString &reason);
    void tearDownChat();
    void takeScreenshotWhenReady();
    // One notification per channel (§7/§8), clicking one opens its channel.
    void setUpNotifications();
    // The desktop settings (notifications, close to tray) applied to the session's parts.
    void applyDesktopSettings();
    void openSettings();
    // Creates the chat window for the session (again after a language change, so
    // every string is in the new language) and wires it to the controller.
    void buildWindow();
    // File → Sign out and the Settings dialog's Sign out: end the session.
    void signOut();
    // The window's Language menu and the Settings dialog: keep `code` ("" = the
    // system's) as ui/language, install its catalogues and rebuild the window.
    void setLanguage(const QString &code);

    Profile m_profile;
    TokenStore *m_tokens;
    Options m_options;
    ProfileSettings *m_settings;
    AuthClient *m_authClient;
    AuthSession *m_auth;
    ScreenLockWatcher *m_lockWatcher;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<ConnectionManager> m_connection;
    std::unique_ptr<ChatSession> m_chat;
    std::unique_ptr<DesktopNotifier> m_notifier;
    std::unique_ptr<ChatWindow> m_window;
    std::unique_ptr<ChannelNotifications> m_notifications;
    std::unique_ptr<LoginDialog> m_login;
    QString m_keychainNotice;
    bool m_screenshotTaken = false;
    // Set by start(); the first chat window shown without the login dialog honours
    // "Start minimised" (after typing a password the window is wanted).
    bool m_minimiseAtStart = false;
};

} // namespace Natter
