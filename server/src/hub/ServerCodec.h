// Builds the JSON objects of protocol v1 frames from stored records.
//
// Plain class of static functions, shared by ChatHub and the HTTP handlers, so
// every field name of the contract is spelled in exactly one place.
#pragma once

#include "store/ChatStore.h"

#include <QJsonObject>

namespace Natter::Server {

class ServerCodec
{
public:
    static QString timestamp(const QDateTime &dt); // RFC 3339 UTC with ms, or ""
    static QJsonObject message(const StoredMessage &m);
    static QJsonObject channel(const StoredChannel &c);
    static QJsonObject user(const StoredUser &u);
    static QJsonObject userWithPresence(const StoredUser &u, const QString &status,
                                        const QDateTime &lastSeen);
    static QJsonObject error(const QJsonValue &ref, const QString &code, const QString &message);
    static QByteArray encode(const QJsonObject &frame);
    // Number of Unicode code points (the 4000-character limit counts these).
    static qsizetype codePoints(const QString &text);
};

} // namespace Natter::Server
