// A named profile: the unit that isolates settings, keychain entries and the
// local store, so two accounts can run side by side on one machine
// (`--profile NAME`).
//
// Keychain entries live under the service "natter" with the key
// "<server origin>|<username>" — the format — for the desktop client's
// default profile. Refresh tokens are single-use and rotated on every refresh,
// and presenting a spent one revokes the whole login family (docs/protocol.md §1).
// Two holders of one entry would therefore log each other out, so every other
// holder gets its own entry: a non-default profile appends "|<profile>", and
// natter-cli appends "|cli:<profile>" (':' cannot occur in a profile name, so
// keys never collide).
#pragma once

#include <QString>

namespace Natter {

class Profile
{
public:
    enum class Client { Desktop, Cli };

    explicit Profile(const QString &name = defaultName(), Client client = Client::Desktop);

    static QString defaultName();
    static QString keychainService();
    // Letters, digits, '-', '_' and '.', 1 to 64 characters, not starting with '.'.
    static bool isValidName(const QString &name);

    QString name() const { return m_name; }
    Client client() const { return m_client; }
    bool isDefault() const { return m_name == defaultName(); }

    // <AppDataLocation>/profiles/<name>, created on first use.
    QString dataDir() const;
    // An INI file per profile in the config location. Never holds a secret.
    QString settingsPath() const;
    // The keychain key of this profile's refresh token for one account.
    QString keychainKey(const QString &serverOrigin, const QString &username) const;

private:
    QString m_name;
    Client m_client;
};

} // namespace Natter
