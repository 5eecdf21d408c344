// Random identifiers and secrets from libsodium's CSPRNG.
#pragma once

#include <QByteArray>
#include <QString>

namespace Natter::Server::RandomId {

// `bytes` random bytes as lowercase hex (ids of users, channels, messages, families).
QString hex(int bytes = 8);
// A message id: the time in milliseconds (12 hex digits, big-endian) and then
// `bytes` random bytes as hex. Ids made later sort later, so a new message's
// entries in the id indexes go next to the last ones (one page per commit)
// instead of to a random page of an ever larger index; as unique as hex().
QString timeOrderedHex(qint64 msSinceEpoch, int bytes = 8);
// `bytes` random bytes as unpadded base64url (opaque tokens, demo passwords).
QByteArray base64url(int bytes);

} // namespace Natter::Server::RandomId
