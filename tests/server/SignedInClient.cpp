#include "SignedInClient.h"

#include "HttpTestClient.h"
#include "NatterdProcess.h"

#include <QJsonArray>

std::unique_ptr<SignedInClient> SignedInClient::connect(const NatterdProcess &server,
                                                        HttpTestClient &http, const QString &user)
{
    // Each way this can fail says which, so a failed test tells what the user saw.
    auto client = std::make_unique<SignedInClient>();
    if (!client->open(server.wsUrl(), server.origin())) {
        qWarning("SignedInClient: %s: the WebSocket did not open", qPrintable(user));
        return nullptr;
    }
    const HttpResult login = http.login(user, user + QStringLiteral("-pw"));
    if (login.status != 200) {
        qWarning("SignedInClient: %s: login answered %d %s", qPrintable(user), login.status,
                 login.body.constData());
        return nullptr;
    }
    client->m_connected =
        client->authenticate(login.json.value(QStringLiteral("access_token")).toString());
    if (client->m_connected.isEmpty()) {
        qWarning("SignedInClient: %s: no connected frame after auth", qPrintable(user));
        return nullptr;
    }
    return client;
}

QString SignedInClient::channelId(const QJsonObject &connected, const QString &name)
{
    for (const QJsonValue &c : connected[QStringLiteral("channels")].toArray()) {
        if (c[QStringLiteral("name")].toString() == name)
            return c[QStringLiteral("id")].toString();
    }
    return {};
}
