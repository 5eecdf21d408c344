// A small program for tst_NoKeychain: drives AuthSession with the real
// KeychainTokenStore the way the desktop app does, and reports what happened one
// line per event on stdout (never a token). Run with a D-Bus address that leads
// nowhere, it shows the no-keychain path from the outside, as a user would see it.
//
//   auth_probe SERVER USER session   (password on stdin): sign in, refresh twice, log out
//   auth_probe SERVER USER restore   : try the kept sign-in
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/KeychainTokenStore.h"
#include "auth/ProfileSettings.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <iostream>
#include <string>

using namespace Natter;

namespace {
void say(const QString &line)
{
    std::fputs((line + QLatin1Char('\n')).toUtf8().constData(), stdout);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 1;
    const QString server = args.at(1);
    const QString user = args.at(2);
    const QString mode = args.at(3);

    ProfileSettings settings{Profile()};
    KeychainTokenStore store;
    AuthClient client;
    AuthSession session(&client, &store, &settings);
    int refreshes = 0;

    QObject::connect(&session, &AuthSession::keychainUnavailable, [](const QString &message) {
        say(QStringLiteral("keychain-unavailable: ") + message);
    });
    QObject::connect(&session, &AuthSession::errorOccurred, [](const AuthError &error) {
        say(QStringLiteral("error: ") + error.message);
    });
    QObject::connect(&session, &AuthSession::signedOut, [&](const QString &reason) {
        say(QStringLiteral("signed-out: ") + reason);
        app.exit(0);
    });
    QObject::connect(
        &session, &AccessTokenProvider::accessTokenRefreshFailed,
        [](const QString &reason, bool) { say(QStringLiteral("refresh-failed: ") + reason); });
    QObject::connect(&session, &AccessTokenProvider::accessTokenRefreshed, [&] {
        say(QStringLiteral("refreshed"));
        if (++refreshes < 2)
            session.refreshAccessToken();
        else
            session.logout();
    });
    QObject::connect(&session, &AuthSession::signedIn, [&] {
        say(QStringLiteral("signed-in"));
        if (mode != QLatin1String("session")) {
            app.exit(0);
            return;
        }
        // Let the keychain answer first, as the app would keep running anyway.
        const auto next = [&] {
            session.refreshAccessToken();
        };
        if (session.hasPendingStoreWork())
            QObject::connect(&session, &AuthSession::storeWorkFinished, next);
        else
            next();
    });

    if (mode == QLatin1String("session")) {
        std::string password;
        std::getline(std::cin, password);
        session.login(server, user, QString::fromStdString(password), true);
    } else if (!session.restore()) {
        say(QStringLiteral("nothing-to-restore"));
        return 0;
    }
    return QCoreApplication::exec();
}
