#include <NatterVersion.h>

#include <QCoreApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("natter-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Natter::kVersion));
    QCommandLineParser parser;
    parser.addVersionOption();
    parser.addHelpOption();
    parser.process(app);
    return 0;
}
