#include "LoginDialog.h"

#include "auth/AuthSession.h"
#include "auth/AuthTypes.h"
#include "auth/ServerUrl.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter {

LoginDialog::LoginDialog(AuthSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
{
    setWindowTitle(tr("Sign in to Natter"));
    setObjectName(QStringLiteral("loginDialog"));
    setMinimumWidth(380); // room for a full https address and the error sentences

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("noticeLabel"));
    m_notice->setWordWrap(true);
    m_notice->setAccessibleName(tr("Notice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();

    m_server = new QLineEdit(this);
    m_server->setObjectName(QStringLiteral("serverEdit"));
    m_server->setAccessibleName(tr("Server address"));
    m_server->setAccessibleDescription(tr("For example https://chat.example.org"));
    m_server->setPlaceholderText(tr("https://chat.example.org"));
    m_server->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);

    m_username = new QLineEdit(this);
    m_username->setObjectName(QStringLiteral("usernameEdit"));
    m_username->setAccessibleName(tr("Username"));
    m_username->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);

    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData
                                    | Qt::ImhNoPredictiveText);

    m_stay = new QCheckBox(tr("&Stay signed in"), this);
    m_stay->setObjectName(QStringLiteral("staySignedInCheck"));
    m_stay->setAccessibleName(tr("Stay signed in"));
    m_stay->setAccessibleDescription(
        tr("Keep the sign-in in the system keychain so Natter opens without asking next time"));

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setAccessibleName(tr("Sign-in error"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: palette(bright-text); background: #b3261e; "
                                          "padding: 4px; border-radius: 3px;"));
    m_error->hide();

    m_busyLabel = new QLabel(tr("Signing in…"), this);
    m_busyLabel->setObjectName(QStringLiteral("busyLabel"));
    m_busyLabel->setAccessibleName(tr("Progress"));
    m_busyLabel->hide();
    m_spinner = new QProgressBar(this);
    m_spinner->setObjectName(QStringLiteral("busySpinner"));
    m_spinner->setAccessibleName(tr("Signing in"));
    m_spinner->setRange(0, 0); // indeterminate: a busy indicator
    m_spinner->setTextVisible(false);
    m_spinner->setMaximumHeight(8);
    m_spinner->hide();

    m_buttons = new QDialogButtonBox(this);
    m_signIn = m_buttons->addButton(tr("Sign &in"), QDialogButtonBox::AcceptRole);
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setAccessibleName(tr("Sign in"));
    m_signIn->setDefault(true);
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    auto *form = new QFormLayout;
    auto *serverLabel = new QLabel(tr("Se&rver:"), this);
    serverLabel->setBuddy(m_server);
    auto *userLabel = new QLabel(tr("&Username:"), this);
    userLabel->setBuddy(m_username);
    auto *passwordLabel = new QLabel(tr("&Password:"), this);
    passwordLabel->setBuddy(m_password);
    form->addRow(serverLabel, m_server);
    form->addRow(userLabel, m_username);
    form->addRow(passwordLabel, m_password);
    form->addRow(QString(), m_stay);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busyLabel);
    layout->addWidget(m_spinner);
    layout->addWidget(m_buttons);

    setTabOrder(m_server, m_username);
    setTabOrder(m_username, m_password);
    setTabOrder(m_password, m_stay);
    setTabOrder(m_stay, m_signIn);
    setTabOrder(m_signIn, cancel);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LoginDialog::reject);
    for (QLineEdit *edit : {m_server, m_username, m_password}) {
        connect(edit, &QLineEdit::textEdited, this, &LoginDialog::updateSubmitEnabled);
        // Enter in any field signs in, like the default button.
        connect(edit, &QLineEdit::returnPressed, this, &LoginDialog::submit);
    }

    connect(m_session, &AuthSession::busyChanged, this, &LoginDialog::setBusy);
    connect(m_session, &AuthSession::errorOccurred, this, &LoginDialog::onError);
    connect(m_session, &AuthSession::signedIn, this, [this] {
        m_password->clear(); // the password does not outlive its use
        QDialog::accept();
    });

    m_server->setText(m_session->rememberedServerUrl());
    m_username->setText(m_session->rememberedUsername());
    m_stay->setChecked(m_session->rememberedStaySignedIn());
    if (m_server->text().isEmpty())
        m_server->setFocus();
    else if (m_username->text().isEmpty())
        m_username->setFocus();
    else
        m_password->setFocus();
    setBusy(m_session->isBusy());
}

void LoginDialog::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString LoginDialog::notice() const
{
    return m_notice->text();
}

QString LoginDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void LoginDialog::reject()
{
    if (m_busy)
        m_session->cancel();
    QDialog::reject();
}

void LoginDialog::submit()
{
    if (m_busy)
        return;
    clearError();
    const ServerUrl server = ServerUrl::parse(m_server->text());
    if (!server.isValid()) {
        showError(server.errorString(), m_server);
        return;
    }
    // Show the address in the form it will be remembered in.
    m_server->setText(server.toString());
    if (m_username->text().trimmed().isEmpty()) {
        showError(tr("Enter your username."), m_username);
        return;
    }
    if (m_password->text().isEmpty()) {
        showError(tr("Enter your password."), m_password);
        return;
    }
    m_session->login(server.toString(), m_username->text().trimmed(), m_password->text(),
                     m_stay->isChecked());
}

void LoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_server), static_cast<QWidget *>(m_username),
                       static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_stay),
                       static_cast<QWidget *>(m_signIn)})
        w->setEnabled(!busy);
    m_busyLabel->setVisible(busy);
    m_spinner->setVisible(busy);
    if (busy) {
        clearError();
        m_busyLabel->setFocus(); // keeps Esc working while the fields are disabled
    }
}

void LoginDialog::showError(const QString &text, QWidget *focus)
{
    m_error->setText(text);
    m_error->show();
    if (focus) {
        focus->setFocus();
        if (auto *edit = qobject_cast<QLineEdit *>(focus))
            edit->selectAll();
    }
}

void LoginDialog::clearError()
{
    m_error->clear();
    m_error->hide();
}

void LoginDialog::onError(const AuthError &error)
{
    QWidget *focus = m_password;
    switch (error.kind) {
    case AuthError::Kind::Unreachable:
    case AuthError::Kind::Tls:
    case AuthError::Kind::BadResponse:
        focus = m_server;
        break;
    default:
        break;
    }
    if (error.kind == AuthError::Kind::InvalidCredentials)
        m_password->clear();
    showError(error.message, focus);
}

void LoginDialog::updateSubmitEnabled()
{
    // Editing after an error means the person is fixing it.
    if (!m_error->isHidden())
        clearError();
}

} // namespace Natter
