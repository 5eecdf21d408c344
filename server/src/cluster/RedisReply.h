// One Redis reply as a value (hiredis' redisReply copied out of the library's
// buffer, which is freed when the callback returns).
//
// Built by RedisConnection, handed to whoever issued the command. A reply of a
// command that never reached Redis (not connected, connection lost) is an Error
// whose `lost` is set: the caller may retry it, Redis did not refuse it.
#pragma once

#include <QByteArray>
#include <QList>

namespace Natter::Server {

struct RedisReply
{
    enum class Type { Nil, Status, Error, Integer, String, Array };
    Type type = Type::Nil;
    QByteArray str; // Status, Error, String
    qint64 integer = 0; // Integer
    QList<RedisReply> elements; // Array
    bool lost = false; // Error: no answer from Redis (not connected, connection lost)

    bool isError() const { return type == Type::Error; }
    static RedisReply connectionLost()
    {
        RedisReply r;
        r.type = Type::Error;
        r.str = QByteArrayLiteral("connection lost");
        r.lost = true;
        return r;
    }
};

} // namespace Natter::Server
