// natter-cli's logic: parses the command line, signs in (kept sign-in from the
// keychain, or --user for one command), runs the command and ends with an exit
// code (CliExitCode). main.cpp only builds a QCoreApplication and a CliRunner.
//
// Without a working keychain natter-cli cannot keep a sign-in between runs: it
// says so plainly and never falls back to a file. `login` then only checks the
// password (and revokes the session again); each other command can sign in for
// itself with --user USER, reading the password like `login` does.
#pragma once

#include "CliChatTask.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace Natter {

class AuthClient;
class AuthSession;
class KeychainTokenStore;
class ProfileSettings;
class UnixSignalWatcher;
struct AuthError;

class CliRunner : public QObject
{
    Q_OBJECT
public:
    explicit CliRunner(QObject *parent = nullptr);
    ~CliRunner() override;

    // Runs the command in `arguments` (argv, program name first). finished()
    // follows exactly once, also for --help and usage errors.
    void start(const QStringList &arguments);

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool parse(const QStringList &arguments);
    void setUpSession();
    void runLogin();
    void runLogout();
    void runChat();
    void startChatTask();
    void onAuthError(const AuthError &error);
    void end(int exitCode, const QString &error = {});
    void endNow(int exitCode);
    static int exitCodeFor(const AuthError &error);

    // What goes to the terminal: control characters shown, never obeyed.
    static QByteArray printable(const QByteArray &utf8);
    void out(const QByteArray &raw);
    void err(const QString &text);

    // parsed command line
    QString m_command;
    QStringList m_args;
    QString m_serverArg;
    QString m_profileName;
    QString m_oneShotUser;
    CliChatTask::Request m_request;

    std::unique_ptr<ProfileSettings> m_settings;
    KeychainTokenStore *m_store = nullptr;
    AuthClient *m_client = nullptr;
    AuthSession *m_session = nullptr;
    CliChatTask *m_task = nullptr;
    UnixSignalWatcher *m_signals = nullptr;

    int m_authExitCode = 0; // from the last AuthError, for signedOut after it
    bool m_ending = false;
    int m_exitCode = 0;
};

} // namespace Natter
