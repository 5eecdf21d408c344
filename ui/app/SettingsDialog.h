// The Settings dialog: desktop notifications on/off and whether they show the
// message text, and whether closing the window keeps Natter running in the tray
// (only offered where a system tray exists). Reads and writes DesktopSettings;
// the caller applies the result. Opened by DesktopController from the window's
// menu; owned by whoever opens it.
#pragma once

#include <QDialog>

class QCheckBox;
class QSettings;

namespace Natter {

// The desktop's own preferences, kept per profile (QSettings group "desktop").
struct DesktopSettings
{
    bool notifications = true;
    bool notificationText = true; // show what was written, not only who and where
    bool closeToTray = false; // default: true where a tray exists (see load())

    static DesktopSettings load(const QSettings &settings, bool trayAvailable);
    void save(QSettings &settings) const;
};

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const DesktopSettings &current, bool trayAvailable, QWidget *parent = nullptr);

    DesktopSettings result() const;
    QCheckBox *notificationsBox() const { return m_notifications; }
    QCheckBox *notificationTextBox() const { return m_text; }
    QCheckBox *closeToTrayBox() const { return m_closeToTray; }

private:
    QCheckBox *m_notifications;
    QCheckBox *m_text;
    QCheckBox *m_closeToTray;
};

} // namespace Natter
