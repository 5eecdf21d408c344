// The chat window in German, signed in to the real natterd: menu, composer and
// connection state show German text, the reaction picker German emoji names.
// Saves screenshots/chat-de.png.
#include "NatterdProcess.h"
#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/ReactionPicker.h"
#include "net/ConnectionManager.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

using namespace Natter;

class tst_ChatWindowTranslated : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void windowSpeaksGerman();
    void emojiNamesAreGermanToo();
    void cleanupTestCase();

private:
    QTemporaryDir m_home;
    NatterdProcess m_server;
    QTranslator m_qt;
    QTranslator m_app;
};

void tst_ChatWindowTranslated::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
    QVERIFY2(m_server.addUser(QStringLiteral("anna"), QStringLiteral("anna-pw-123"),
                              QStringLiteral("Anna")),
             m_server.lastAdminOutput().constData());
    QVERIFY(m_server.addChannel(QStringLiteral("allgemein"), {QStringLiteral("anna")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));

    // As app/desktop/main.cpp does for `natter --lang de`.
    const QLocale german(QLocale::German, QLocale::Germany);
    QLocale::setDefault(german);
    QVERIFY(m_qt.load(german, QStringLiteral("qtbase"), QStringLiteral("_"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    QVERIFY(QCoreApplication::installTranslator(&m_qt));
    QVERIFY(m_app.load(german, QStringLiteral("natter"), QStringLiteral("_"),
                       QStringLiteral(":/i18n")));
    QVERIFY(QCoreApplication::installTranslator(&m_app));
}

void tst_ChatWindowTranslated::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
}

void tst_ChatWindowTranslated::windowSpeaksGerman()
{
    MemoryTokenStore tokens;
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = QStringLiteral("anna");
    options.password = QStringLiteral("anna-pw-123");
    DesktopController controller(Profile(QStringLiteral("tst-i18n-chat")), &tokens, options);
    QSignalSpy shown(&controller, &DesktopController::chatShown);
    controller.start();
    QVERIFY(shown.wait(20000));
    ChatWindow *window = controller.window();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));

    // The menu.
    const QList<QAction *> menus = window->menuBar()->actions();
    QVERIFY(!menus.isEmpty());
    QCOMPARE(menus.first()->text(), QStringLiteral("&Natter"));
    QStringList items;
    for (QAction *a : menus.first()->menu()->actions())
        items << a->text();
    QVERIFY2(items.contains(QStringLiteral("&Wechseln zu …")), qPrintable(items.join(u'|')));
    QVERIFY2(items.contains(QStringLiteral("&Sprache")), qPrintable(items.join(u'|')));
    QVERIFY2(items.contains(QStringLiteral("Ab&melden")), qPrintable(items.join(u'|')));
    QVERIFY2(items.contains(QStringLiteral("&Beenden")), qPrintable(items.join(u'|')));

    // The composer's hint.
    auto *composer = window->findChild<Composer *>();
    QVERIFY(composer);
    QCOMPARE(composer->placeholderText(),
             QStringLiteral("Nachricht schreiben … (Eingabetaste sendet, Umschalt+Eingabe für "
                            "eine neue Zeile)"));

    // The connection state, once the connection is up.
    const auto connectedLabelShown = [window] {
        for (const QLabel *l : window->findChildren<QLabel *>())
            if (l->isVisible() && l->text() == QStringLiteral("Verbunden"))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(connectedLabelShown(), 20000);

    const QString dir = QStringLiteral(NATTER_SCREENSHOT_DIR);
    QVERIFY(QDir().mkpath(dir));
    const QString file = dir + QStringLiteral("/chat-de.png");
    QVERIFY2(window->grab().save(file), qPrintable(file));
    qInfo("screenshot: %s", qPrintable(file));
}

void tst_ChatWindowTranslated::emojiNamesAreGermanToo()
{
    // The picker shows and says each emoji's German name (CLDR's), and finds it
    // by German and English words.
    ReactionPicker picker({QStringLiteral("👍")});
    QListWidget *list = picker.list();
    QVERIFY(list->count() > 1000);
    QCOMPARE(list->item(0)->data(Qt::AccessibleTextRole).toString(), QStringLiteral("Daumen hoch"));
    const auto shown = [list] {
        QStringList out;
        for (int i = 0; i < list->count(); ++i)
            out << list->item(i)->data(Qt::UserRole).toString();
        return out;
    };
    QTest::keyClicks(picker.searchField(), QStringLiteral("daumen"));
    QVERIFY2(shown().contains(QStringLiteral("👍")) && shown().contains(QStringLiteral("👎")),
             qPrintable(shown().join(u' ')));
    picker.searchField()->clear();
    QTest::keyClicks(picker.searchField(), QStringLiteral("Daumen hoch"));
    QCOMPARE(shown(), QStringList{QStringLiteral("👍")});
    picker.searchField()->clear();
    QTest::keyClicks(picker.searchField(), QStringLiteral("thumbs up"));
    QCOMPARE(shown().value(0), QStringLiteral("👍"));
    picker.searchField()->clear();
    QTest::keyClicks(picker.searchField(), QStringLiteral("rotes herz"));
    QVERIFY2(shown().contains(QStringLiteral("❤️")), qPrintable(shown().join(u' ')));
    QCOMPARE(ReactionPicker::nameOf(QStringLiteral("❤️")), QStringLiteral("rotes Herz"));

    // French too; a search without the accents still finds "écureuil".
    QLocale::setDefault(QLocale(QLocale::French, QLocale::France));
    const auto german =
        qScopeGuard([] { QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany)); });
    QCOMPARE(ReactionPicker::nameOf(QStringLiteral("👍")), QStringLiteral("pouce vers le haut"));
    const QList<ReactionPicker::Emoji> squirrel =
        ReactionPicker::search(QStringLiteral("ecureuil"));
    QCOMPARE(squirrel.size(), 1);
    QCOMPARE(squirrel.at(0).name, QStringLiteral("écureuil"));
    bool redHeart = false;
    for (const auto &e : ReactionPicker::search(QStringLiteral("coeur rouge")))
        redHeart = redHeart || e.emoji == QStringLiteral("❤️");
    QVERIFY(redHeart);
    // A language Natter has no table for: English.
    QLocale::setDefault(QLocale(QLocale::Japanese, QLocale::Japan));
    QCOMPARE(ReactionPicker::nameOf(QStringLiteral("👍")), QStringLiteral("thumbs up"));
}

QTEST_MAIN(tst_ChatWindowTranslated)
#include "tst_ChatWindowTranslated.moc"
