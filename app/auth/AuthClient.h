// natterd's HTTP auth API (docs/protocol.md §1): login, refresh, logout, me.
//
// Owned by AuthSession (or natter-cli); knows nothing of keychains or timers.
// Tokens travel only in JSON bodies and the Authorization header, never in a
// URL, and are never logged. Every failure comes back as an AuthError whose
// message a person understands (wrong password, unreachable, TLS, rate limited
// with the wait, server error). Requests time out (transferTimeout()).
//
// Each call returns a request number and is answered by exactly one of its two
// signals, which carries that number: calls may overlap, and a caller tells a
// late answer to an abandoned call from the one it waits for. Single-flight
// refresh is AuthSession's job.
#pragma once

#include "AuthTypes.h"
#include "ServerUrl.h"

#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace Natter {

class AuthClient : public QObject
{
    Q_OBJECT
public:
    enum class Endpoint { Login, Refresh, Logout, Me };
    Q_ENUM(Endpoint)

    // `network` may be null: the client then owns its own manager.
    explicit AuthClient(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);

    void setServer(const ServerUrl &server) { m_server = server; }
    ServerUrl server() const { return m_server; }
    void setTransferTimeout(int msecs) { m_timeoutMs = msecs; }
    int transferTimeout() const { return m_timeoutMs; }
    // Sent as `device_name` on login, so the server can list sessions by device
    // (default: "<application> on <host name>").
    void setDeviceName(const QString &name) { m_deviceName = name; }

    using Request = quint64; // never 0, so 0 can mean "none"
    Request login(const QString &username, const QString &password);
    Request refresh(const QString &refreshToken);
    Request logout(const QString &refreshToken);
    // To `server` rather than server(): a session begun on another server.
    Request logout(const QString &refreshToken, const ServerUrl &server);
    Request me(const QString &accessToken);

Q_SIGNALS:
    // A request went out (one per HTTP request; lets tests count them).
    void requestStarted(Natter::AuthClient::Endpoint endpoint);

    void loginSucceeded(const Natter::TokenPair &tokens, quint64 request);
    void loginFailed(const Natter::AuthError &error, quint64 request);
    void refreshSucceeded(const Natter::TokenPair &tokens, quint64 request);
    void refreshFailed(const Natter::AuthError &error, quint64 request);
    // Logout answers 204 even for an unknown or spent token (docs/protocol.md §5).
    void logoutSucceeded(quint64 request);
    void logoutFailed(const Natter::AuthError &error, quint64 request);
    void meSucceeded(const Natter::User &user, quint64 request);
    void meFailed(const Natter::AuthError &error, quint64 request);

private:
    Request post(Endpoint endpoint, const ServerUrl &server, const QString &path,
                 const QByteArray &body);
    void handle(QNetworkReply *reply, Endpoint endpoint, Request request);
    // The server is not set: `fail` is answered on the next turn of the event loop.
    Request failNotConfigured(void (AuthClient::*fail)(const AuthError &, quint64));
    AuthError errorFor(QNetworkReply *reply, const QByteArray &body) const;
    AuthError notConfigured() const;

    QNetworkAccessManager *m_network;
    ServerUrl m_server;
    QString m_deviceName;
    int m_timeoutMs = 15000;
    Request m_lastRequest = 0;
};

} // namespace Natter
