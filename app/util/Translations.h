// Loads natter's own catalogue (embedded in natter-core under :/i18n) and Qt's
// qtbase catalogue for `locale`, and installs both on the application. Used by
// the desktop client and natter-cli, so both speak the user's language.
#pragma once

#include <QLocale>

namespace Natter {

// Installs the translators (owned by QCoreApplication) and makes `locale` the
// default. Returns true when natter's catalogue for the locale was found
// (English, the source language, has none).
bool installTranslations(const QLocale &locale);

} // namespace Natter
