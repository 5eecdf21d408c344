// The sign-in dialog in German and French, the way `natter --lang de` shows it:
// the catalogue comes from the .qm files embedded in natter-core (:/i18n), Qt's
// own strings from qtbase_<lang>.qm. Saves a screenshot per language.
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/MemoryTokenStore.h"
#include "auth/Profile.h"
#include "auth/ProfileSettings.h"
#include "login/LoginDialog.h"
#include "util/Translations.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

using namespace Natter;

class tst_LoginDialogTranslated : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void catalogueIsEmbedded_data();
    void catalogueIsEmbedded();
    void dialogShowsTranslatedText_data();
    void dialogShowsTranslatedText();
    void pluralsFollowTheCount_data();
    void pluralsFollowTheCount();

private:
    void installLanguage(const QString &lang);

    QTemporaryDir m_home;
    std::unique_ptr<QTranslator> m_app;
    std::unique_ptr<QTranslator> m_qt;
};

void tst_LoginDialogTranslated::initTestCase()
{
    QVERIFY(m_home.isValid());
    // The dialog's session reads the profile's settings: keep them out of $HOME.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
}

void tst_LoginDialogTranslated::cleanup()
{
    for (auto *t : {m_app.get(), m_qt.get()})
        if (t)
            QCoreApplication::removeTranslator(t);
    m_app.reset();
    m_qt.reset();
    Natter::installTranslations(QLocale::c()); // replaces what a test installed with it
}

// The same lookup as app/desktop/main.cpp: the locale picks natter_<lang>.qm
// from the resources and qtbase_<lang>.qm from Qt's translations directory.
void tst_LoginDialogTranslated::installLanguage(const QString &lang)
{
    const QLocale locale(lang);
    QLocale::setDefault(locale);
    m_qt = std::make_unique<QTranslator>();
    QVERIFY2(m_qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)),
             "qtbase translations missing: install qt6-translations-l10n");
    QVERIFY(QCoreApplication::installTranslator(m_qt.get()));
    m_app = std::make_unique<QTranslator>();
    QVERIFY(m_app->load(locale, QStringLiteral("natter"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")));
    QVERIFY(QCoreApplication::installTranslator(m_app.get()));
}

void tst_LoginDialogTranslated::catalogueIsEmbedded_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("de") << QStringLiteral("de");
    QTest::newRow("fr") << QStringLiteral("fr");
}

void tst_LoginDialogTranslated::catalogueIsEmbedded()
{
    QFETCH(QString, lang);
    const QString path = QStringLiteral(":/i18n/natter_%1.qm").arg(lang);
    QVERIFY2(QFile::exists(path), qPrintable(path));
    // Regional locales fall back to the language's catalogue (de_AT -> natter_de).
    QTranslator regional;
    QVERIFY(regional.load(QLocale(lang + QStringLiteral("_CH")), QStringLiteral("natter"),
                          QStringLiteral("_"), QStringLiteral(":/i18n")));
    QCOMPARE(QFileInfo(regional.filePath()).fileName(), QStringLiteral("natter_%1.qm").arg(lang));
}

void tst_LoginDialogTranslated::dialogShowsTranslatedText_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("signIn");
    QTest::addColumn<QString>("stay");
    QTest::addColumn<QString>("cancel"); // from Qt's own catalogue (qtbase_<lang>.qm)
    QTest::addColumn<QString>("missingUser");

    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Bei Natter anmelden")
                        << QStringLiteral("An&melden") << QStringLiteral("Angemeldet b&leiben")
                        << QStringLiteral("Abbrechen")
                        << QStringLiteral("Geben Sie Ihren Benutzernamen ein.");
    QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Se connecter à Natter")
                        << QStringLiteral("Se &connecter") << QStringLiteral("Rester co&nnecté")
                        << QStringLiteral("Annuler")
                        << QStringLiteral("Saisissez votre nom d’utilisateur.");
}

void tst_LoginDialogTranslated::dialogShowsTranslatedText()
{
    QFETCH(QString, lang);
    QFETCH(QString, title);
    QFETCH(QString, signIn);
    QFETCH(QString, stay);
    QFETCH(QString, cancel);
    QFETCH(QString, missingUser);
    installLanguage(lang);
    if (QTest::currentTestFailed())
        return;

    ProfileSettings settings(Profile(QStringLiteral("i18n-") + lang));
    MemoryTokenStore store;
    AuthClient client;
    AuthSession session(&client, &store, &settings);
    LoginDialog dialog(&session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    QCOMPARE(dialog.windowTitle(), title);
    auto *signInButton = dialog.findChild<QPushButton *>(QStringLiteral("signInButton"));
    auto *cancelButton = dialog.findChild<QPushButton *>(QStringLiteral("cancelButton"));
    auto *stayCheck = dialog.findChild<QCheckBox *>(QStringLiteral("staySignedInCheck"));
    QVERIFY(signInButton && cancelButton && stayCheck);
    QCOMPARE(signInButton->text(), signIn);
    QCOMPARE(stayCheck->text(), stay);
    // Whether Qt's button text keeps its '&' depends on the platform theme.
    QCOMPARE(cancelButton->text().remove(u'&'), cancel);

    // A message made at run time is translated too: sign in without a username.
    auto *server = dialog.findChild<QLineEdit *>(QStringLiteral("serverEdit"));
    QVERIFY(server);
    server->setText(QStringLiteral("http://127.0.0.1:9"));
    QTest::mouseClick(signInButton, Qt::LeftButton);
    QCOMPARE(dialog.errorText(), missingUser);
    auto *error = dialog.findChild<QLabel *>(QStringLiteral("errorLabel"));
    QVERIFY(error);
    QTRY_VERIFY(error->isVisible());

    const QString dir = QStringLiteral(NATTER_SCREENSHOT_DIR);
    QVERIFY(QDir().mkpath(dir));
    const QString file = dir + QStringLiteral("/login-%1.png").arg(lang);
    QVERIFY2(dialog.grab().save(file), qPrintable(file));
    qInfo("screenshot: %s", qPrintable(file));
}

void tst_LoginDialogTranslated::pluralsFollowTheCount_data()
{
    QTest::addColumn<QString>("lang");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("expected");

    QTest::newRow("de 1") << QStringLiteral("de") << 1
                          << QStringLiteral("Zu viele Anmeldeversuche. Bitte warten Sie 1 "
                                            "Sekunde, bevor Sie es erneut versuchen.");
    QTest::newRow("de 30") << QStringLiteral("de") << 30
                           << QStringLiteral("Zu viele Anmeldeversuche. Bitte warten Sie 30 "
                                             "Sekunden, bevor Sie es erneut versuchen.");
    // French uses the singular for 0 and 1.
    QTest::newRow("fr 1") << QStringLiteral("fr") << 1
                          << QStringLiteral("Trop de tentatives de connexion. Veuillez patienter "
                                            "1 seconde avant de réessayer.");
    QTest::newRow("fr 30") << QStringLiteral("fr") << 30
                           << QStringLiteral("Trop de tentatives de connexion. Veuillez "
                                             "patienter 30 secondes avant de réessayer.");
    // English has its plural forms too, and so has a language without a
    // catalogue (Spanish), which is shown in English.
    QTest::newRow("en 1") << QStringLiteral("en_GB") << 1
                          << QStringLiteral("Too many sign-in attempts. Please wait 1 second "
                                            "before trying again.");
    QTest::newRow("en 30") << QStringLiteral("en_US") << 30
                           << QStringLiteral("Too many sign-in attempts. Please wait 30 seconds "
                                             "before trying again.");
    QTest::newRow("es 1") << QStringLiteral("es") << 1
                          << QStringLiteral("Too many sign-in attempts. Please wait 1 second "
                                            "before trying again.");
}

void tst_LoginDialogTranslated::pluralsFollowTheCount()
{
    QFETCH(QString, lang);
    QFETCH(int, count);
    QFETCH(QString, expected);
    // What the desktop client and natter-cli do at start.
    Natter::installTranslations(QLocale(lang));
    // The exact string AuthClient shows for HTTP 429 with Retry-After.
    QCOMPARE(QCoreApplication::translate(
                 "Natter::AuthClient",
                 "Too many sign-in attempts. Please wait %n second(s) before trying again.",
                 nullptr, count),
             expected);
}

QTEST_MAIN(tst_LoginDialogTranslated)
#include "tst_LoginDialogTranslated.moc"
