// Accessibility checked the way a screen reader sees it: the running chat
// window (signed in through the real natterd) and every dialog of issue 14 are
// walked over AT-SPI — Qt's own bridge on the test's private session bus, read
// by Debian's pyatspi (tests/ui/atspi_walk.py) — and any control without a
// role, or an interactive one without a name, fails the test. Runs on a real X
// display (Xvfb), not offscreen: the offscreen platform has no AT-SPI bridge.
#include "NatterdProcess.h"

#include "app/AboutDialog.h"
#include "app/DesktopController.h"
#include "app/SettingsDialog.h"
#include "auth/MemoryTokenStore.h"
#include "chat/BrowseChannelsDialog.h"
#include "chat/ChannelActions.h"
#include "chat/ChatWindow.h"
#include "chat/CreateChannelDialog.h"
#include "chat/EditChannelDialog.h"
#include "chat/InviteDialog.h"
#include "chat/MembersPanel.h"
#include "chat/QuickSwitcher.h"
#include "models/ChannelListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QDialog>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

using namespace Natter;
using namespace Qt::StringLiterals;

class tst_Accessibility : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyControlHasANameAndARole();

private:
    // Runs the walker while this process keeps answering AT-SPI; its output.
    bool walk(QString *output);

    NatterdProcess m_server;
};

void tst_Accessibility::initTestCase()
{
    for (const QString &name : {u"alice"_s, u"bob"_s}) {
        QString display = name;
        display[0] = display[0].toUpper();
        QVERIFY2(m_server.addUser(name, name + u"-pw-123"_s, display),
                 m_server.lastAdminOutput().constData());
    }
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

bool tst_Accessibility::walk(QString *output)
{
    QProcess walker;
    walker.setProcessChannelMode(QProcess::MergedChannels);
    QSignalSpy finished(&walker, &QProcess::finished);
    // Debian's Python, where python3-pyatspi lives.
    walker.start(u"/usr/bin/python3"_s,
                 {QStringLiteral(NATTER_ATSPI_WALK),
                  QString::number(QCoreApplication::applicationPid()), u"30"_s});
    const bool done = finished.wait(120000);
    *output = QString::fromUtf8(walker.readAll());
    return done && walker.exitStatus() == QProcess::NormalExit && walker.exitCode() == 0;
}

void tst_Accessibility::everyControlHasANameAndARole()
{
    MemoryTokenStore tokens;
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = u"alice"_s;
    options.password = u"alice-pw-123"_s;
    DesktopController controller(Profile(u"tst-accessibility"_s), &tokens, options);
    QSignalSpy shown(&controller, &DesktopController::chatShown);
    controller.start();
    QVERIFY(shown.wait(20000));
    QSignalSpy resumed(controller.connection(), &ConnectionManager::resumed);
    QVERIFY(resumed.wait(20000));
    ChatWindow *win = controller.window();
    ChatSession *chat = controller.chat();
    QVERIFY(QTest::qWaitForWindowExposed(win));
    win->channelActions()->membersPanel()->show();

    // The main window first, on its own.
    QString output;
    QVERIFY2(walk(&output), qPrintable(output));
    QVERIFY2(output.startsWith(u"checked "_s), qPrintable(output));
    const int windowOnly = output.section(u' ', 1, 1).section(u'\n', 0, 0).toInt();
    QVERIFY2(windowOnly > 20, qPrintable(output)); // the whole window, not an empty shell

    // Then every dialog of issue 14 at once, each as a person would see it.
    const Channel general = chat->channels()->channel(win->currentChannel());
    std::vector<std::unique_ptr<QDialog>> dialogs;
    dialogs.emplace_back(std::make_unique<CreateChannelDialog>(chat, win));
    dialogs.emplace_back(std::make_unique<BrowseChannelsDialog>(chat, win));
    dialogs.emplace_back(std::make_unique<InviteDialog>(chat, general.name, general.members, win));
    dialogs.emplace_back(std::make_unique<EditChannelDialog>(general.name, u"a topic"_s, win));
    dialogs.emplace_back(std::make_unique<QuickSwitcher>(chat, win));
    dialogs.emplace_back(
        std::make_unique<QuickSwitcher>(chat, win, QuickSwitcher::Mode::PeopleOnly));
    dialogs.emplace_back(std::make_unique<SettingsDialog>(DesktopSettings{}, true, win));
    dialogs.emplace_back(std::make_unique<AboutDialog>(win));
    for (const auto &dialog : dialogs) {
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
    }
    QVERIFY2(walk(&output), qPrintable(output));
    qInfo("%s", qPrintable(output.trimmed()));
    const int withDialogs = output.section(u' ', 1, 1).section(u'\n', 0, 0).toInt();
    QVERIFY2(withDialogs > windowOnly + 8 * 2, qPrintable(output)); // the dialogs were walked
}

QTEST_MAIN(tst_Accessibility)
#include "tst_Accessibility.moc"
