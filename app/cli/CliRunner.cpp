#include "CliRunner.h"

#include "CliCommandLine.h"
#include "CliExitCode.h"
#include "PasswordPrompt.h"
#include "UnixSignalWatcher.h"
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/KeychainTokenStore.h"
#include "auth/Profile.h"
#include "auth/ProfileSettings.h"
#include "auth/ServerUrl.h"

#include <NatterVersion.h>

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSysInfo>
#include <QTimer>

#include <cstdio>

namespace Natter {

CliRunner::CliRunner(QObject *parent)
    : QObject(parent)
{ }

CliRunner::~CliRunner() = default;

QByteArray CliRunner::printable(const QByteArray &utf8)
{
    // Messages, topics and names come from other people: a control character
    // in them must not reach the terminal, where ESC starts a command (clear
    // the screen, retitle the window) and CR rewrites the line. C0 and DEL are
    // shown as ^X, as `cat -v` does; C1 (U+0080–U+009F, which some terminals
    // obey as commands) as U+FFFD. Not for --json output (out()).
    QByteArray out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const uchar c = uchar(utf8.at(i));
        if (c == '\n' || c == '\t') {
            out += char(c);
        } else if (c < 0x20 || c == 0x7f) {
            out += '^';
            out += char(c ^ 0x40);
        } else if (c == 0xc2 && i + 1 < utf8.size() && uchar(utf8.at(i + 1)) >= 0x80
                   && uchar(utf8.at(i + 1)) <= 0x9f) {
            out += "\xef\xbf\xbd";
            ++i;
        } else {
            out += char(c);
        }
    }
    return out;
}

void CliRunner::out(const QByteArray &raw)
{
    // JSON lines are for programs: the text stays as it was (JSON escapes C0;
    // DEL and C1 pass as they are and are the reader's to show).
    const QByteArray bytes = m_request.json ? raw : printable(raw);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout); // listeners read line by line through a pipe
}

void CliRunner::err(const QString &text)
{
    const QByteArray bytes = printable(text.toLocal8Bit()) + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliRunner::start(const QStringList &arguments)
{
    if (!parse(arguments))
        return;
    setUpSession();
    if (m_command == QLatin1String("login"))
        runLogin();
    else if (m_command == QLatin1String("logout"))
        runLogout();
    else
        runChat();
}

bool CliRunner::parse(const QStringList &arguments)
{
    const CliCommandLine cl = CliCommandLine::parse(arguments);
    // stderr is for the person: the library's progress lines only on request.
    // (No category ever logs a token or password, at any level.)
    if (!cl.verbose && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("natter.*.info=false\n"
                                                        "natter.*.debug=false"));
    switch (cl.action) {
    case CliCommandLine::Action::Help:
        out(CliCommandLine::helpText().toUtf8());
        end(CliExitCode::Ok);
        return false;
    case CliCommandLine::Action::Version:
        out("natter-cli " + QByteArray(Natter::kVersion) + '\n');
        end(CliExitCode::Ok);
        return false;
    case CliCommandLine::Action::UsageError:
        end(CliExitCode::Usage, cl.error);
        return false;
    case CliCommandLine::Action::Run:
        break;
    }
    m_command = cl.command;
    m_args = cl.args;
    m_serverArg = cl.server;
    m_profileName = cl.profile;
    m_oneShotUser = cl.oneShotUser;
    m_request = cl.request;
    return true;
}

void CliRunner::setUpSession()
{
    m_settings = std::make_unique<ProfileSettings>(Profile(m_profileName, Profile::Client::Cli));
    m_store = new KeychainTokenStore(this);
    m_client = new AuthClient(nullptr, this);
    m_client->setDeviceName(QStringLiteral("natter-cli on %1").arg(QSysInfo::machineHostName()));
    m_session = new AuthSession(m_client, m_store, m_settings.get(), this);
    connect(m_session, &AuthSession::errorOccurred, this, &CliRunner::onAuthError);
}

int CliRunner::exitCodeFor(const AuthError &error)
{
    switch (error.kind) {
    case AuthError::Kind::InvalidCredentials:
    case AuthError::Kind::InvalidGrant:
    case AuthError::Kind::InvalidToken:
        return CliExitCode::AuthFailed;
    case AuthError::Kind::Unreachable:
    case AuthError::Kind::Tls:
        return CliExitCode::Unreachable;
    default:
        return CliExitCode::Refused;
    }
}

void CliRunner::onAuthError(const AuthError &error)
{
    m_authExitCode = exitCodeFor(error);
    // During login the error is the end; during restore signedOut follows.
    if (m_session->state() == AuthSession::State::SignedOut && !m_ending
        && (m_command == QLatin1String("login") || !m_oneShotUser.isEmpty()))
        end(m_authExitCode, error.message);
}

void CliRunner::runLogin()
{
    const QString server = m_serverArg.isEmpty() ? m_settings->serverUrl() : m_serverArg;
    if (server.isEmpty()) {
        end(CliExitCode::Usage,
            QCoreApplication::translate("CliRunner",
                                        "Which server? Pass --server URL, for example "
                                        "--server https://chat.example.org"));
        return;
    }
    const QString username = m_args.first();
    const QString password = PasswordPrompt::read(
        QCoreApplication::translate("CliRunner", "Password for %1: ").arg(username));
    if (password.isEmpty()) {
        end(CliExitCode::AuthFailed,
            QCoreApplication::translate("CliRunner", "No password given."));
        return;
    }

    auto keychainBroken = std::make_shared<bool>(false);
    connect(m_session, &AuthSession::keychainUnavailable, this,
            [this, keychainBroken](const QString &message) {
                *keychainBroken = true;
                err(message);
                err(QCoreApplication::translate(
                        "CliRunner",
                        "natter-cli cannot keep this sign-in, so it signs out again now. Your "
                        "password is correct; use --user %1 with each command instead.")
                        .arg(m_args.first()));
            });
    connect(m_session, &AuthSession::signedIn, this, [this, keychainBroken] {
        // Wait until the keychain answered: only then is the sign-in kept (or not).
        const auto report = [this, keychainBroken] {
            if (*keychainBroken) {
                // Nothing can hold the token after we exit: revoke it now.
                connect(
                    m_session, &AuthSession::signedOut, this, [this] { end(CliExitCode::Ok); },
                    Qt::SingleShotConnection);
                m_session->logout();
                return;
            }
            err(QCoreApplication::translate("CliRunner", "Signed in as %1 on %2.")
                    .arg(m_session->user().username, m_session->server().toString()));
            end(CliExitCode::Ok);
        };
        if (m_session->hasPendingStoreWork())
            connect(m_session, &AuthSession::storeWorkFinished, this, report,
                    Qt::SingleShotConnection);
        else
            report();
    });
    m_session->login(server, username, password, true);
}

void CliRunner::runLogout()
{
    if (!m_session->canRestore()) {
        err(QCoreApplication::translate("CliRunner", "Not signed in."));
        end(CliExitCode::Ok);
        return;
    }
    connect(m_session, &AuthSession::keychainUnavailable, this,
            [this](const QString &message) { err(message); });
    connect(m_session, &AuthSession::logoutIncomplete, this,
            [this](const AuthError &error) { m_authExitCode = exitCodeFor(error); });
    connect(m_session, &AuthSession::signedOut, this, [this](const QString &reason) {
        if (!reason.isEmpty()) {
            // Signed out here, but the server still holds the session.
            end(m_authExitCode, reason);
            return;
        }
        err(QCoreApplication::translate("CliRunner", "Signed out."));
        end(CliExitCode::Ok);
    });
    m_session->logout();
}

void CliRunner::runChat()
{
    connect(m_session, &AuthSession::signedIn, this, &CliRunner::startChatTask);

    if (!m_oneShotUser.isEmpty()) {
        const QString server = m_serverArg.isEmpty() ? m_settings->serverUrl() : m_serverArg;
        if (server.isEmpty()) {
            end(CliExitCode::Usage,
                QCoreApplication::translate("CliRunner", "Which server? Pass --server URL."));
            return;
        }
        const QString password = PasswordPrompt::read(
            QCoreApplication::translate("CliRunner", "Password for %1: ").arg(m_oneShotUser));
        if (password.isEmpty()) {
            end(CliExitCode::AuthFailed,
                QCoreApplication::translate("CliRunner", "No password given."));
            return;
        }
        m_session->setEphemeral(true);
        m_session->login(server, m_oneShotUser, password, false);
        return;
    }

    const QString notSignedIn = QCoreApplication::translate(
        "CliRunner", "Not signed in. Run `natter-cli login USER` first, or pass --user USER.");
    if (!m_session->canRestore()) {
        end(CliExitCode::AuthFailed, notSignedIn);
        return;
    }
    if (!m_serverArg.isEmpty()
        && ServerUrl::parse(m_serverArg).origin()
            != ServerUrl::parse(m_settings->serverUrl()).origin()) {
        end(CliExitCode::AuthFailed,
            QCoreApplication::translate("CliRunner",
                                        "Not signed in to %1. Run `natter-cli --server %1 login "
                                        "USER` first, or pass --user USER.")
                .arg(ServerUrl::parse(m_serverArg).toString()));
        return;
    }
    connect(m_session, &AuthSession::keychainUnavailable, this, [this](const QString &message) {
        err(message);
        err(QCoreApplication::translate("CliRunner",
                                        "Without a keychain, pass --user USER to sign in for "
                                        "this one command."));
    });
    connect(m_session, &AuthSession::signedOut, this, [this, notSignedIn](const QString &reason) {
        if (m_ending)
            return;
        if (m_authExitCode != 0)
            end(m_authExitCode, reason);
        else
            end(CliExitCode::AuthFailed, reason.isEmpty() ? notSignedIn : reason);
    });
    m_session->restore();
}

void CliRunner::startChatTask()
{
    if (m_ending || m_task)
        return;
    m_task = new CliChatTask(m_session, m_request, this);
    connect(m_task, &CliChatTask::output, this, &CliRunner::out);
    connect(m_task, &CliChatTask::notice, this, &CliRunner::err);
    connect(m_task, &CliChatTask::done, this, &CliRunner::end);
    if (m_request.command == CliChatTask::Command::Listen) {
        m_signals = new UnixSignalWatcher(this);
        connect(m_signals, &UnixSignalWatcher::interrupted, m_task, &CliChatTask::stop);
    }
    m_task->start();
}

void CliRunner::end(int exitCode, const QString &error)
{
    if (!m_ending) {
        m_ending = true;
        m_exitCode = exitCode;
        if (!error.isEmpty())
            err(error);
    }
    if (m_session) {
        // A --user session is nobody's after this process: revoke it.
        if (m_session->isEphemeral() && m_session->isSignedIn()) {
            connect(
                m_session, &AuthSession::signedOut, this, [this] { end(m_exitCode); },
                Qt::SingleShotConnection);
            m_session->logout();
            return;
        }
        if (m_session->state() == AuthSession::State::SigningOut)
            return; // signedOut comes back here
        // A rotated refresh token still on its way to the keychain: exiting now
        // would keep the spent one, and the next run would revoke the session.
        if (m_session->hasPendingStoreWork()) {
            connect(
                m_session, &AuthSession::storeWorkFinished, this, [this] { end(m_exitCode); },
                Qt::SingleShotConnection);
            return;
        }
    }
    endNow(m_exitCode);
}

void CliRunner::endNow(int exitCode)
{
    // Queued, so finished() never fires inside start() before main() listens.
    QTimer::singleShot(0, this, [this, exitCode] {
        if (property("natterFinished").toBool())
            return;
        setProperty("natterFinished", true);
        Q_EMIT finished(exitCode);
    });
}

} // namespace Natter
