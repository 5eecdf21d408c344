// natter: the desktop client. Parses arguments, builds the objects, wires them.
#include "app/DesktopController.h"
#include "auth/KeychainTokenStore.h"
#include "auth/Profile.h"
#include "util/Translations.h"

#include <NatterVersion.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QSettings>
#include <QTextStream>

#include <cstdio>

namespace {

struct Arguments
{
    QString profile;
    QString server;
    QString lang;
    QString screenshot;
};

// --help and --version must work without a display, so they are handled before
// QApplication exists (it aborts when there is no display).
QCommandLineParser *makeParser(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Natter desktop chat client"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("profile"),
                      QCoreApplication::translate("main",
                                                  "Use the profile <name> (separate settings, "
                                                  "keychain entries and local data)."),
                      QStringLiteral("name"), Natter::Profile::defaultName()});
    parser.addOption({QStringLiteral("server"),
                      QCoreApplication::translate("main", "Server address to suggest at sign-in."),
                      QStringLiteral("url")});
    parser.addOption(
        {QStringLiteral("lang"),
         QCoreApplication::translate("main", "Language of the interface, e.g. de or fr."),
         QStringLiteral("code")});
    parser.addOption({QStringLiteral("screenshot"),
                      QCoreApplication::translate("main",
                                                  "Save a picture of the chat window to "
                                                  "<file> once it has loaded."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("user"),
                      QCoreApplication::translate("main",
                                                  "Sign in as <name> at start (with "
                                                  "--password-stdin)."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("password-stdin"),
                      QCoreApplication::translate("main",
                                                  "Read the password for --user from the "
                                                  "first line of standard input.")});
    return &parser;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("natter"));
    QCoreApplication::setOrganizationName(QStringLiteral("natter"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Natter::kVersion));

    QStringList rawArgs;
    for (int i = 0; i < argc; ++i)
        rawArgs.append(QString::fromLocal8Bit(argv[i]));
    {
        QCommandLineParser early;
        makeParser(early);
        early.parse(rawArgs);
        if (early.isSet(QStringLiteral("version"))) {
            std::printf("natter %s\n", Natter::kVersion);
            return 0;
        }
        if (early.isSet(QStringLiteral("help"))) {
            std::printf("%s",
                        qPrintable(early.helpText().replace(QStringLiteral("<executable_name>"),
                                                            QStringLiteral("natter"))));
            return 0;
        }
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.natter.Natter"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/natter.svg")));
    QCommandLineParser parser;
    makeParser(parser);
    parser.process(app);

    const QString profileName = parser.value(QStringLiteral("profile"));
    if (!Natter::Profile::isValidName(profileName)) {
        std::fprintf(
            stderr, "%s\n",
            qPrintable(
                QCoreApplication::translate("main", "Invalid profile name: %1").arg(profileName)));
        return 1;
    }

    const Natter::Profile profile(profileName);
    // --lang overrides the language chosen in the app (Natter > Language), which
    // overrides the system locale.
    QString lang = parser.value(QStringLiteral("lang"));
    if (lang.isEmpty())
        lang = QSettings(profile.settingsPath(), QSettings::IniFormat)
                   .value(QStringLiteral("ui/language"))
                   .toString();
    Natter::installTranslations(lang.isEmpty() ? QLocale() : QLocale(lang));

    Natter::KeychainTokenStore keychain;
    Natter::DesktopController::Options options;
    options.serverUrl = parser.value(QStringLiteral("server"));
    options.screenshotPath = parser.value(QStringLiteral("screenshot"));
    if (parser.isSet(QStringLiteral("user")) && parser.isSet(QStringLiteral("password-stdin"))) {
        options.username = parser.value(QStringLiteral("user"));
        QTextStream in(stdin);
        options.password = in.readLine();
    }
    Natter::DesktopController controller(profile, &keychain, options);
    controller.start();
    const int code = QApplication::exec();
    controller.finishPendingWork();
    return code;
}
