// Random identifiers and secrets from libsodium's CSPRNG.
#pragma once

#include <QByteArray>
#include <QString>

namespace Natter::Server::RandomId {

// `bytes` random bytes as lowercase hex (ids of users, channels, messages, families).
QString hex(int bytes = 8);
// `bytes` random bytes as unpadded base64url (opaque tokens, demo passwords).
QByteArray base64url(int bytes);

} // namespace Natter::Server::RandomId
