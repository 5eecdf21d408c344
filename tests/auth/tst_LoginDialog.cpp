// LoginDialog driven with key clicks against the real natterd: sign-in, wrong
// password, unreachable server, 429, validation, keyboard and accessibility.
#include "NatterdProcess.h"
#include "auth/AuthClient.h"
#include "auth/AuthSession.h"
#include "auth/KeychainTokenStore.h"
#include "auth/ProfileSettings.h"
#include "login/LoginDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Natter;

namespace {
const QString kPassword = QStringLiteral("dialog-pass-123");

struct App
{
    App()
        : settings(
            Profile(QStringLiteral("d") + QUuid::createUuid().toString(QUuid::Id128).left(10)))
        , session(&client, &store, &settings)
    { }
    ProfileSettings settings;
    KeychainTokenStore store;
    AuthClient client;
    AuthSession session;
};
} // namespace

class tst_LoginDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyFieldIsAccessibleAndInTabOrder();
    void signsInWithTheKeyboard();
    void wrongPasswordShowsInlineError();
    void unreachableServerShowsInlineError();
    void rateLimitedShowsTheWait();
    void invalidAddressIsRefusedBeforeAnyRequest_data();
    void invalidAddressIsRefusedBeforeAnyRequest();
    void missingFieldsAreNamed();
    void escapeCancelsASignInInProgress();
    void remembersServerAndUserAndShowsNotice();

private:
    struct Fields
    {
        QLineEdit *server;
        QLineEdit *username;
        QLineEdit *password;
        QCheckBox *stay;
        QLabel *error;
        QLabel *busy;
        QPushButton *signIn;
    };
    static Fields fields(LoginDialog &dialog);
    static void type(QLineEdit *edit, const QString &text);

    QTemporaryDir m_home;
    NatterdProcess m_server;
};

void tst_LoginDialog::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/data")));
    QVERIFY2(m_server.start({QStringLiteral("--login-max-failures-user"), QStringLiteral("2")}),
             qPrintable(m_server.errorString()));
    QVERIFY(m_server.addUser(QStringLiteral("alice"), kPassword));
    QVERIFY(m_server.addUser(QStringLiteral("mallory"), kPassword));
}

tst_LoginDialog::Fields tst_LoginDialog::fields(LoginDialog &dialog)
{
    return {dialog.findChild<QLineEdit *>(QStringLiteral("serverEdit")),
            dialog.findChild<QLineEdit *>(QStringLiteral("usernameEdit")),
            dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit")),
            dialog.findChild<QCheckBox *>(QStringLiteral("staySignedInCheck")),
            dialog.findChild<QLabel *>(QStringLiteral("errorLabel")),
            dialog.findChild<QLabel *>(QStringLiteral("busyLabel")),
            dialog.findChild<QPushButton *>(QStringLiteral("signInButton"))};
}

void tst_LoginDialog::type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void tst_LoginDialog::everyFieldIsAccessibleAndInTabOrder()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    QVERIFY(f.server && f.username && f.password && f.stay && f.error && f.busy && f.signIn);

    for (QWidget *w : dialog.findChildren<QWidget *>()) {
        if (qobject_cast<QLineEdit *>(w) || qobject_cast<QCheckBox *>(w)
            || qobject_cast<QPushButton *>(w) || qobject_cast<QProgressBar *>(w))
            QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
    }
    QCOMPARE(f.password->echoMode(), QLineEdit::Password);
    QVERIFY(f.signIn->isDefault());

    // Tab walks the form in reading order.
    const auto nextTabStop = [](QWidget *w) {
        do
            w = w->nextInFocusChain();
        while (!(w->focusPolicy() & Qt::TabFocus) || !w->isVisible());
        return w;
    };
    QCOMPARE(nextTabStop(f.server), static_cast<QWidget *>(f.username));
    QCOMPARE(nextTabStop(f.username), static_cast<QWidget *>(f.password));
    QCOMPARE(nextTabStop(f.password), static_cast<QWidget *>(f.stay));
    QCOMPARE(nextTabStop(f.stay), static_cast<QWidget *>(f.signIn));
    // Each field has a label with a mnemonic pointing at it.
    int buddies = 0;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->buddy()) {
            QVERIFY(label->text().contains(QLatin1Char('&')));
            ++buddies;
        }
    }
    QCOMPARE(buddies, 3);
}

void tst_LoginDialog::signsInWithTheKeyboard()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    QSignalSpy busy(&app.session, &AuthSession::busyChanged);

    // The WebSocket address people often paste is accepted and normalised.
    type(f.server, QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.port()));
    type(f.username, QStringLiteral("alice"));
    type(f.password, kPassword);
    QTest::keyClick(f.password, Qt::Key_Return);

    // Busy: fields disabled and a progress line, until the answer.
    QCOMPARE(busy.size(), 1);
    QVERIFY(!f.server->isEnabled());
    QVERIFY(!f.password->isEnabled());
    QVERIFY(!f.signIn->isEnabled());
    QVERIFY(f.busy->isVisible());
    QCOMPARE(f.server->text(), m_server.httpUrl().toString());

    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
    QVERIFY(app.session.isSignedIn());
    QCOMPARE(app.session.user().username, QStringLiteral("alice"));
    QVERIFY(f.password->text().isEmpty()); // the password does not linger
    QVERIFY(dialog.errorText().isEmpty());
}

void tst_LoginDialog::wrongPasswordShowsInlineError()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    type(f.server, m_server.httpUrl().toString());
    type(f.username, QStringLiteral("alice"));
    type(f.password, QStringLiteral("not it"));
    QTest::keyClick(f.password, Qt::Key_Enter);

    QTRY_COMPARE_WITH_TIMEOUT(dialog.errorText(), QStringLiteral("Wrong username or password."),
                              15000);
    QVERIFY(f.error->isVisible());
    QVERIFY(dialog.isVisible()); // still open, ready for another try
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(f.password->isEnabled());
    QVERIFY(f.password->text().isEmpty());
    QVERIFY(!f.busy->isVisible());
    QVERIFY(!app.session.isSignedIn());

    // Typing again clears the error; the right password gets in.
    type(f.password, kPassword);
    QVERIFY(dialog.errorText().isEmpty());
    QTest::keyClick(f.password, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
}

void tst_LoginDialog::unreachableServerShowsInlineError()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();

    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    type(f.server, QStringLiteral("127.0.0.1:%1").arg(closedPort));
    type(f.username, QStringLiteral("alice"));
    type(f.password, kPassword);
    QTest::keyClick(f.password, Qt::Key_Return);

    QTRY_VERIFY_WITH_TIMEOUT(
        dialog.errorText().startsWith(QStringLiteral("Cannot reach the server at")), 15000);
    QVERIFY(f.server->isEnabled());
    QVERIFY(f.server->hasFocus() || !dialog.isActiveWindow()); // focus goes to the address
    QCOMPARE(f.password->text(), kPassword); // not the password's fault: kept
    QVERIFY(dialog.isVisible());
}

void tst_LoginDialog::rateLimitedShowsTheWait()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    type(f.server, m_server.httpUrl().toString());
    type(f.username, QStringLiteral("mallory"));
    // The server allows two failures for a username, then answers 429.
    for (int attempt = 0; attempt < 2; ++attempt) {
        type(f.password, QStringLiteral("guess-%1").arg(attempt));
        QTest::keyClick(f.password, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.errorText(), QStringLiteral("Wrong username or password."),
                                  15000);
    }
    type(f.password, kPassword);
    QTest::keyClick(f.password, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog.errorText().startsWith(QStringLiteral("Too many sign-in attempts. Please wait")),
        15000);
    QVERIFY2(dialog.errorText().contains(QStringLiteral("before trying again")),
             qPrintable(dialog.errorText()));
    QVERIFY(!app.session.isSignedIn());
}

void tst_LoginDialog::invalidAddressIsRefusedBeforeAnyRequest_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("message");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.org")
                         << QStringLiteral("The address must start with");
    QTest::newRow("empty") << QString() << QStringLiteral("Enter the server address.");
    QTest::newRow("credentials") << QStringLiteral("http://u:p@example.org")
                                 << QStringLiteral("Remove the user name and password");
}

void tst_LoginDialog::invalidAddressIsRefusedBeforeAnyRequest()
{
    QFETCH(QString, address);
    QFETCH(QString, message);
    App app;
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    type(f.server, address);
    type(f.username, QStringLiteral("alice"));
    type(f.password, kPassword);
    QTest::keyClick(f.password, Qt::Key_Return);
    QVERIFY2(dialog.errorText().startsWith(message), qPrintable(dialog.errorText()));
    QCOMPARE(requests.size(), 0);
    QVERIFY(!dialog.isBusy());
}

void tst_LoginDialog::missingFieldsAreNamed()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    type(f.server, m_server.httpUrl().toString());
    type(f.username, QString());
    QTest::keyClick(f.server, Qt::Key_Return);
    QCOMPARE(dialog.errorText(), QStringLiteral("Enter your username."));
    type(f.username, QStringLiteral("alice"));
    type(f.password, QString());
    QTest::keyClick(f.username, Qt::Key_Return);
    QCOMPARE(dialog.errorText(), QStringLiteral("Enter your password."));
}

void tst_LoginDialog::escapeCancelsASignInInProgress()
{
    App app;
    LoginDialog dialog(&app.session);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    QSignalSpy signedIn(&app.session, &AuthSession::signedIn);
    type(f.server, m_server.httpUrl().toString());
    type(f.username, QStringLiteral("alice"));
    type(f.password, kPassword);
    QTest::keyClick(f.password, Qt::Key_Return);
    QVERIFY(dialog.isBusy());
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!dialog.isVisible());
    QVERIFY(!app.session.isBusy());
    QCOMPARE(app.session.state(), AuthSession::State::SignedOut);
    // The late answer does not sign anyone in (it is revoked instead).
    QSignalSpy requests(&app.client, &AuthClient::requestStarted);
    QVERIFY(requests.wait(15000));
    QCOMPARE(requests.first().first().value<AuthClient::Endpoint>(), AuthClient::Endpoint::Logout);
    QCOMPARE(signedIn.size(), 0);
}

void tst_LoginDialog::remembersServerAndUserAndShowsNotice()
{
    App first;
    {
        LoginDialog dialog(&first.session);
        const Fields f = fields(dialog);
        type(f.server, m_server.httpUrl().toString());
        type(f.username, QStringLiteral("alice"));
        type(f.password, kPassword);
        f.stay->setChecked(false);
        QTest::keyClick(f.password, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
    }
    // Same profile, next start: the dialog comes back filled in, focus on the password.
    ProfileSettings settings(first.settings.profile());
    KeychainTokenStore store;
    AuthClient client;
    AuthSession session(&client, &store, &settings);
    LoginDialog dialog(&session);
    dialog.setNotice(QStringLiteral("Your session has expired — please sign in again"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const Fields f = fields(dialog);
    QCOMPARE(f.server->text(), m_server.httpUrl().toString());
    QCOMPARE(f.username->text(), QStringLiteral("alice"));
    QVERIFY(f.password->text().isEmpty());
    QVERIFY(!f.stay->isChecked());
    QCOMPARE(dialog.notice(), QStringLiteral("Your session has expired — please sign in again"));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("noticeLabel"))->isVisible());
    QCOMPARE(dialog.focusWidget(), static_cast<QWidget *>(f.password));
}

QTEST_MAIN(tst_LoginDialog)
#include "tst_LoginDialog.moc"
