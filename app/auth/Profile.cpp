#include "Profile.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

namespace Natter {

Profile::Profile(const QString &name, Client client)
    : m_name(name.isEmpty() ? defaultName() : name)
    , m_client(client)
{ }

QString Profile::defaultName()
{
    return QStringLiteral("default");
}

QString Profile::keychainService()
{
    return QStringLiteral("natter");
}

bool Profile::isValidName(const QString &name)
{
    // The name becomes a directory and a file name: no separators, no "..".
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$"));
    return valid.match(name).hasMatch();
}

QString Profile::dataDir() const
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/profiles/") + m_name;
    QDir().mkpath(dir);
    return dir;
}

QString Profile::settingsPath() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QStringLiteral("/profiles/") + m_name + QStringLiteral(".ini");
}

QString Profile::keychainKey(const QString &serverOrigin, const QString &username) const
{
    QString key = serverOrigin + QLatin1Char('|') + username;
    if (m_client == Client::Cli)
        key += QStringLiteral("|cli:") + m_name;
    else if (!isDefault())
        key += QLatin1Char('|') + m_name;
    return key;
}

} // namespace Natter
