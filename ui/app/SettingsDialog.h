// The Settings dialog: desktop notifications on/off, with a sound or not, and
// whether they show the message text; starting minimised and whether closing
// the window keeps Natter running in the tray (only offered where a system tray
// exists); the interface language; and the account signed in, with Sign out.
// Reads and writes DesktopSettings; the caller applies the result, the language
// and a sign-out (exec() returns SignOut). Opened by DesktopController from the
// window's menu; owned by whoever opens it.
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSettings;

namespace Natter {

// The desktop's own preferences, kept per profile (QSettings group "desktop").
struct DesktopSettings
{
    bool notifications = true;
    bool notificationText = true; // show what was written, not only who and where
    bool sound = false; // notifications ask the desktop for a sound
    bool startMinimised = false; // to the tray where one exists, else a minimised window
    bool closeToTray = false; // default: true where a tray exists (see load())

    static DesktopSettings load(const QSettings &settings, bool trayAvailable);
    void save(QSettings &settings) const;
};

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // exec()'s result when the person pressed Sign out.
    enum { SignOut = 2 };

    SettingsDialog(const DesktopSettings &current, bool trayAvailable, QWidget *parent = nullptr);

    // The language chosen now ("" = the system's, else "en", "de", "fr").
    void setLanguage(const QString &code);
    QString language() const;
    // Who is signed in, on which server (shown in the Account box).
    void setAccount(const QString &displayName, const QString &username, const QString &serverUrl);

    DesktopSettings result() const;
    QCheckBox *notificationsBox() const { return m_notifications; }
    QCheckBox *soundBox() const { return m_sound; }
    QCheckBox *notificationTextBox() const { return m_text; }
    QCheckBox *startMinimisedBox() const { return m_startMinimised; }
    QCheckBox *closeToTrayBox() const { return m_closeToTray; }
    QComboBox *languageBox() const { return m_language; }
    QLabel *accountLabel() const { return m_account; }
    QLabel *serverLabel() const { return m_server; }
    QPushButton *signOutButton() const { return m_signOut; }

private:
    QCheckBox *m_notifications;
    QCheckBox *m_sound;
    QCheckBox *m_text;
    QCheckBox *m_startMinimised;
    QCheckBox *m_closeToTray;
    QComboBox *m_language;
    QLabel *m_account;
    QLabel *m_server;
    QPushButton *m_signOut;
};

} // namespace Natter
