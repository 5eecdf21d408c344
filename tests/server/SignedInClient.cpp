#include "SignedInClient.h"

#include "HttpTestClient.h"
#include "NatterdProcess.h"

#include <QJsonArray>

std::unique_ptr<SignedInClient> SignedInClient::connect(const NatterdProcess &server,
                                                        HttpTestClient &http, const QString &user)
{
    auto client = std::make_unique<SignedInClient>();
    if (!client->open(server.wsUrl(), server.origin()))
        return nullptr;
    client->m_connected =
        client->authenticate(http.accessToken(user, user + QStringLiteral("-pw")));
    if (client->m_connected.isEmpty())
        return nullptr;
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
