// The remembered, non-secret choices of one profile: server address, username
// and "Stay signed in". Stored in the profile's INI file (Profile::settingsPath()).
// Never holds a token or a password — tests scan this file for them.
#pragma once

#include "Profile.h"

#include <QObject>
#include <QSettings>

namespace Natter {

class ProfileSettings : public QObject
{
    Q_OBJECT
public:
    explicit ProfileSettings(const Profile &profile, QObject *parent = nullptr);

    const Profile &profile() const { return m_profile; }
    QString fileName() const { return m_settings.fileName(); }

    QString serverUrl() const;
    void setServerUrl(const QString &url);
    QString username() const;
    void setUsername(const QString &username);
    bool staySignedIn() const;
    void setStaySignedIn(bool stay);

    // Writes pending changes to disk now.
    void sync();

    // For other non-secret preferences of the app (window geometry, ...).
    QSettings *settings() { return &m_settings; }

private:
    Profile m_profile;
    QSettings m_settings;
};

} // namespace Natter
