// Loads natter's own catalogue (embedded in natter-core under :/i18n) and Qt's
// qtbase catalogue for `locale`, and installs both on the application. Used by
// the desktop client and natter-cli, so both speak the user's language.
#pragma once

#include <QLocale>

namespace Natter {

// Installs the translators (owned by QCoreApplication) for the catalogues that
// exist for `locale` (English, the source language, has none) and makes it the
// default locale. Calling it again replaces the catalogues of the last call.
void installTranslations(const QLocale &locale);

} // namespace Natter
