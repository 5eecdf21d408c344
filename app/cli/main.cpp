// natter-cli: a thin main over CliRunner (natter-clilib). See `natter-cli --help`.
#include "CliRunner.h"
#include "util/Translations.h"

#include <NatterVersion.h>

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Natter::kVersion));
    // The language of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
    Natter::installTranslations(QLocale::system());

    Natter::CliRunner runner;
    QObject::connect(&runner, &Natter::CliRunner::finished, &app, &QCoreApplication::exit);
    runner.start(QCoreApplication::arguments());
    return QCoreApplication::exec();
}
