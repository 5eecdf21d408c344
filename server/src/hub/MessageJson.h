// §3/§7 `M` written straight to JSON text: the frame every receiver of a send
// gets, encoded once per message (ServerCodec::messageJson), and the `M`s of
// `ack`, `message_updated` and `history`.
#pragma once

#include "store/MessageStore.h"

#include <QByteArray>
#include <QJsonValue>

namespace Natter::Server::MessageJson {

// The same object as QJsonDocument(ServerCodec::message(m)).toJson(Compact),
// without building the QJsonObject first (a fifth of natterd's instructions per
// fanned-out message went into that; docs/benchmarks.md). Keys in the order
// QJsonDocument writes them. tst_messagejson holds the two to the same object.
QByteArray encode(const StoredMessage &m);

// A string, or a `ref` (§3: echoed as the client sent it) that is a string or
// an integer, as QJsonDocument writes it; false for any other value.
QByteArray string(const QString &s);
bool scalar(const QJsonValue &value, QByteArray *json);

} // namespace Natter::Server::MessageJson
