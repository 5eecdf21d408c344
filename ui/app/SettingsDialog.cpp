#include "SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace Natter {

namespace {
const QString kNotifications = QStringLiteral("desktop/notifications");
const QString kText = QStringLiteral("desktop/notificationText");
const QString kCloseToTray = QStringLiteral("desktop/closeToTray");
const QString kSound = QStringLiteral("desktop/sound");
const QString kStartMinimised = QStringLiteral("desktop/startMinimised");
} // namespace

DesktopSettings DesktopSettings::load(const QSettings &settings, bool trayAvailable)
{
    DesktopSettings s;
    s.notifications = settings.value(kNotifications, true).toBool();
    s.notificationText = settings.value(kText, true).toBool();
    s.sound = settings.value(kSound, false).toBool();
    s.startMinimised = settings.value(kStartMinimised, false).toBool();
    // Without a tray a hidden window could not be brought back: never then.
    s.closeToTray = trayAvailable && settings.value(kCloseToTray, true).toBool();
    return s;
}

void DesktopSettings::save(QSettings &settings) const
{
    settings.setValue(kNotifications, notifications);
    settings.setValue(kText, notificationText);
    settings.setValue(kCloseToTray, closeToTray);
    settings.setValue(kSound, sound);
    settings.setValue(kStartMinimised, startMinimised);
}

SettingsDialog::SettingsDialog(const DesktopSettings &current, bool trayAvailable, QWidget *parent)
    : QDialog(parent)
    , m_notifications(new QCheckBox(tr("Show desktop &notifications for new messages"), this))
    , m_sound(new QCheckBox(tr("Play a &sound"), this))
    , m_text(new QCheckBox(tr("Show the message &text in notifications"), this))
    , m_startMinimised(new QCheckBox(tr("Start &minimised"), this))
    , m_closeToTray(
          new QCheckBox(tr("&Keep running in the system tray when the window is closed"), this))
    , m_language(new QComboBox(this))
    , m_account(new QLabel(this))
    , m_server(new QLabel(this))
    , m_signOut(new QPushButton(tr("Sign &out"), this))
{
    setWindowTitle(tr("Natter Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    setAccessibleName(tr("Natter Settings"));
    auto *notifications = new QGroupBox(tr("Notifications"), this);
    auto *nl = new QVBoxLayout(notifications);
    nl->addWidget(m_notifications);
    nl->addWidget(m_sound);
    nl->addWidget(m_text);
    m_notifications->setChecked(current.notifications);
    m_notifications->setAccessibleDescription(
        tr("Per channel, the channel list's context menu chooses which messages notify"));
    m_text->setChecked(current.notificationText);
    m_text->setAccessibleDescription(
        tr("When off, a notification says who wrote where, but not what"));
    m_text->setEnabled(current.notifications);
    connect(m_notifications, &QCheckBox::toggled, m_text, &QWidget::setEnabled);
    m_sound->setChecked(current.sound);
    m_sound->setAccessibleDescription(tr("Notifications ask the desktop to play a sound"));
    m_sound->setEnabled(current.notifications);
    connect(m_notifications, &QCheckBox::toggled, m_sound, &QWidget::setEnabled);

    auto *window = new QGroupBox(tr("Window"), this);
    auto *wl = new QVBoxLayout(window);
    wl->addWidget(m_startMinimised);
    wl->addWidget(m_closeToTray);
    m_startMinimised->setChecked(current.startMinimised);
    m_startMinimised->setAccessibleDescription(
        trayAvailable ? tr("Natter starts in the system tray, without its window")
                      : tr("Natter starts with its window minimised"));
    m_closeToTray->setChecked(current.closeToTray);
    m_closeToTray->setEnabled(trayAvailable);
    m_closeToTray->setAccessibleDescription(
        trayAvailable ? tr("Quit from the menu or the tray icon to end Natter")
                      : tr("This desktop has no system tray"));

    // The same choices as the window's Language menu; the endonyms stay untranslated.
    m_language->addItem(tr("System default"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setAccessibleName(tr("Language"));
    auto *languageLabel = new QLabel(tr("&Language:"), this);
    languageLabel->setBuddy(m_language);
    auto *ll = new QHBoxLayout;
    ll->addWidget(languageLabel);
    ll->addWidget(m_language, 1);
    wl->addLayout(ll);

    auto *account = new QGroupBox(tr("Account"), this);
    auto *al = new QFormLayout(account);
    m_account->setObjectName(QStringLiteral("settingsAccount"));
    m_account->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_server->setObjectName(QStringLiteral("settingsServer"));
    m_server->setTextInteractionFlags(Qt::TextSelectableByMouse);
    al->addRow(tr("Signed in as:"), m_account);
    al->addRow(tr("Server:"), m_server);
    al->addRow(m_signOut);
    m_signOut->setAccessibleName(tr("Sign out"));
    m_signOut->setAccessibleDescription(tr("Signs out of this account and shows the sign-in"));
    m_signOut->setAutoDefault(false);
    connect(m_signOut, &QPushButton::clicked, this, [this] { done(SignOut); });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(notifications);
    layout->addWidget(window);
    layout->addWidget(account);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

void SettingsDialog::setLanguage(const QString &code)
{
    const int i = m_language->findData(code);
    m_language->setCurrentIndex(i < 0 ? 0 : i);
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

void SettingsDialog::setAccount(const QString &displayName, const QString &username,
                                const QString &serverUrl)
{
    //: Settings, Account: the display name and the username, e.g. "Alice (@alice)".
    m_account->setText(tr("%1 (@%2)").arg(displayName, username));
    m_server->setText(serverUrl);
}

DesktopSettings SettingsDialog::result() const
{
    DesktopSettings s;
    s.notifications = m_notifications->isChecked();
    s.sound = m_sound->isChecked();
    s.startMinimised = m_startMinimised->isChecked();
    s.notificationText = m_text->isChecked();
    s.closeToTray = m_closeToTray->isEnabled() && m_closeToTray->isChecked();
    return s;
}

} // namespace Natter
