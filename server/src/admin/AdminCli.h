// `natterd user ...` and `natterd channel ...`: administration of a data directory.
//
// Runs without the network, straight against the store, then exits. Passwords
// are read twice: from the terminal with echo off, or as two lines of stdin.
#pragma once

#include <QObject>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace Natter::Server {

class ServerConfig;
class ChatStore;

class AdminCli : public QObject
{
    Q_OBJECT
public:
    AdminCli(const ServerConfig &config, QObject *parent = nullptr);
    ~AdminCli() override;

    static bool isAdminCommand(const QStringList &positional);
    // Runs `positional` (e.g. {"user","add","alice"}); returns the exit code.
    // `admin`: `user add` makes the new user a server admin (§8).
    int run(const QStringList &positional, const QString &displayName, const QString &members,
            bool admin = false);

private:
    int userAdd(const QString &name, const QString &displayName, bool admin);
    int userSetAdmin(const QString &name, bool admin);
    int userList();
    int userPasswd(const QString &name);
    int userDisable(const QString &name);
    int channelAdd(const QString &name, const QString &members);
    int channelList();
    int channelJoin(const QString &name, const QString &user, bool join);
    int channelArchive(const QString &name, bool archived);
    bool readPassword(QByteArray *password);
    QByteArray readSecretLine(const QString &prompt);
    int fail(const QString &message);
    // What a command changed, said once the store has committed it (run()).
    void done(const QString &line) { m_done << line; }

    const ServerConfig &m_config;
    std::unique_ptr<ChatStore> m_store;
    QTextStream m_out;
    QTextStream m_err;
    QStringList m_done;
};

} // namespace Natter::Server
