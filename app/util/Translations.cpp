#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

namespace Natter {

namespace {
// The catalogues installed by the last call: a new language replaces them
// (otherwise German would still answer after switching to English).
QPointer<QTranslator> g_qt;
QPointer<QTranslator> g_natter;
} // namespace

void installTranslations(const QLocale &locale)
{
    for (QTranslator *old : {g_qt.data(), g_natter.data()}) {
        if (old) {
            QCoreApplication::removeTranslator(old);
            delete old;
        }
    }
    QLocale::setDefault(locale);
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qt = qt;
    } else {
        delete qt;
    }
    auto *natter = new QTranslator(QCoreApplication::instance());
    // uiLanguages() order: regional locales fall back to the language (de_AT -> de).
    // English, and any language without a catalogue, gets natter_en: the
    // source text with its plural forms ("1 file", not "1 file(s)").
    if (natter->load(locale, QStringLiteral("natter"), QStringLiteral("_"),
                     QStringLiteral(":/i18n"))
        || natter->load(QStringLiteral(":/i18n/natter_en.qm"))) {
        QCoreApplication::installTranslator(natter);
        g_natter = natter;
    } else {
        delete natter;
    }
}

} // namespace Natter
