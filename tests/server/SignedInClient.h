// A WsTestClient already signed in as one of a test's users: opened on a
// running natterd, authenticated with a token from a real login, and holding
// the `connected` frame it got, so a test can look up its channels by name.
// The password is the tests' convention, the user name followed by "-pw"
// (what they give NatterdProcess::addUser). Owned by the test.
#pragma once

#include "WsTestClient.h"

#include <memory>

class HttpTestClient;
class NatterdProcess;

class SignedInClient : public WsTestClient
{
public:
    // Opens a connection to `server` and authenticates as `user` (logging in
    // through `http`); null when the connection or the authentication failed.
    static std::unique_ptr<SignedInClient> connect(const NatterdProcess &server,
                                                   HttpTestClient &http, const QString &user);

    // The `connected` frame the authentication was answered with.
    const QJsonObject &connected() const { return m_connected; }
    // The id of the channel called `name` in connected(); empty when the user
    // is not a member.
    QString channelId(const QString &name) const { return channelId(m_connected, name); }
    // The same lookup in any `connected` frame.
    static QString channelId(const QJsonObject &connected, const QString &name);

private:
    QJsonObject m_connected;
};
