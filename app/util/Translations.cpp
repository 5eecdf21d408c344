#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace Natter {

void installTranslations(const QLocale &locale)
{
    QLocale::setDefault(locale);
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    auto *natter = new QTranslator(QCoreApplication::instance());
    // uiLanguages() order: regional locales fall back to the language (de_AT -> de).
    if (natter->load(locale, QStringLiteral("natter"), QStringLiteral("_"),
                     QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(natter);
    else
        delete natter;
}

} // namespace Natter
