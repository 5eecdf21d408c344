// The sign-in dialog: server address, username, password and "Stay signed in".
//
// Talks only to AuthSession: it pre-fills what the session remembers, validates
// the address (http, https, ws and wss accepted and normalised), calls
// AuthSession::login() and shows the outcome inline — wrong password,
// unreachable server, TLS trouble, "wait N seconds" after too many attempts —
// without ever closing on an error. While signing in the fields are disabled and
// a progress line shows. Fully usable by keyboard: mnemonics on every label,
// Enter signs in, Esc cancels (also a sign-in in progress). Accepted once
// AuthSession::signedIn() fired. Owned by whoever shows it (the desktop main).
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace Natter {

class AuthSession;
struct AuthError;

class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(AuthSession *session, QWidget *parent = nullptr);

    // Shown above the fields before the person does anything, e.g. "Your session
    // has expired — please sign in again" or the keychain notice. Empty hides it.
    void setNotice(const QString &text);
    QString notice() const;
    // The inline error currently shown (empty when none).
    QString errorText() const;
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void reject() override;

private:
    void submit();
    void setBusy(bool busy);
    void showError(const QString &text, QWidget *focus);
    void clearError();
    void onError(const AuthError &error);
    void updateSubmitEnabled();

    AuthSession *m_session;
    QLabel *m_notice;
    QLineEdit *m_server;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_stay;
    QLabel *m_error;
    QLabel *m_busyLabel;
    QProgressBar *m_spinner;
    QDialogButtonBox *m_buttons;
    QPushButton *m_signIn;
    bool m_busy = false;
};

} // namespace Natter
