#include "SettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QSettings>
#include <QVBoxLayout>

namespace Natter {

namespace {
const QString kNotifications = QStringLiteral("desktop/notifications");
const QString kText = QStringLiteral("desktop/notificationText");
const QString kCloseToTray = QStringLiteral("desktop/closeToTray");
} // namespace

DesktopSettings DesktopSettings::load(const QSettings &settings, bool trayAvailable)
{
    DesktopSettings s;
    s.notifications = settings.value(kNotifications, true).toBool();
    s.notificationText = settings.value(kText, true).toBool();
    // Without a tray a hidden window could not be brought back: never then.
    s.closeToTray = trayAvailable && settings.value(kCloseToTray, true).toBool();
    return s;
}

void DesktopSettings::save(QSettings &settings) const
{
    settings.setValue(kNotifications, notifications);
    settings.setValue(kText, notificationText);
    settings.setValue(kCloseToTray, closeToTray);
}

SettingsDialog::SettingsDialog(const DesktopSettings &current, bool trayAvailable, QWidget *parent)
    : QDialog(parent)
    , m_notifications(new QCheckBox(tr("Show desktop &notifications for new messages"), this))
    , m_text(new QCheckBox(tr("Show the message &text in notifications"), this))
    , m_closeToTray(
          new QCheckBox(tr("&Keep running in the system tray when the window is closed"), this))
{
    setWindowTitle(tr("Natter Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    setAccessibleName(tr("Natter Settings"));
    auto *notifications = new QGroupBox(tr("Notifications"), this);
    auto *nl = new QVBoxLayout(notifications);
    nl->addWidget(m_notifications);
    nl->addWidget(m_text);
    m_notifications->setChecked(current.notifications);
    m_notifications->setAccessibleDescription(
        tr("Per channel, the channel list's context menu chooses which messages notify"));
    m_text->setChecked(current.notificationText);
    m_text->setAccessibleDescription(
        tr("When off, a notification says who wrote where, but not what"));
    m_text->setEnabled(current.notifications);
    connect(m_notifications, &QCheckBox::toggled, m_text, &QWidget::setEnabled);

    auto *window = new QGroupBox(tr("Window"), this);
    auto *wl = new QVBoxLayout(window);
    wl->addWidget(m_closeToTray);
    m_closeToTray->setChecked(current.closeToTray);
    m_closeToTray->setEnabled(trayAvailable);
    m_closeToTray->setAccessibleDescription(
        trayAvailable ? tr("Quit from the menu or the tray icon to end Natter")
                      : tr("This desktop has no system tray"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(notifications);
    layout->addWidget(window);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

DesktopSettings SettingsDialog::result() const
{
    DesktopSettings s;
    s.notifications = m_notifications->isChecked();
    s.notificationText = m_text->isChecked();
    s.closeToTray = m_closeToTray->isEnabled() && m_closeToTray->isChecked();
    return s;
}

} // namespace Natter
