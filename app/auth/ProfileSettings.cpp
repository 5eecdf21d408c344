#include "ProfileSettings.h"

namespace Natter {

namespace {
const QString kServerUrl = QStringLiteral("server/url");
const QString kUsername = QStringLiteral("account/username");
const QString kStaySignedIn = QStringLiteral("account/staySignedIn");
} // namespace

ProfileSettings::ProfileSettings(const Profile &profile, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_settings(profile.settingsPath(), QSettings::IniFormat)
{ }

QString ProfileSettings::serverUrl() const
{
    return m_settings.value(kServerUrl).toString();
}

void ProfileSettings::setServerUrl(const QString &url)
{
    m_settings.setValue(kServerUrl, url);
}

QString ProfileSettings::username() const
{
    return m_settings.value(kUsername).toString();
}

void ProfileSettings::setUsername(const QString &username)
{
    m_settings.setValue(kUsername, username);
}

bool ProfileSettings::staySignedIn() const
{
    return m_settings.value(kStaySignedIn, true).toBool();
}

void ProfileSettings::setStaySignedIn(bool stay)
{
    m_settings.setValue(kStaySignedIn, stay);
}

void ProfileSettings::sync()
{
    m_settings.sync();
}

} // namespace Natter
