#include "RandomId.h"

#include <sodium.h>

namespace Natter::Server::RandomId {

QString hex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    randombytes_buf(raw.data(), size_t(raw.size()));
    return QString::fromLatin1(raw.toHex());
}

QString timeOrderedHex(qint64 msSinceEpoch, int bytes)
{
    QByteArray raw(6 + bytes, Qt::Uninitialized);
    for (int i = 0; i < 6; ++i)
        raw[i] = char(quint8(quint64(msSinceEpoch) >> (8 * (5 - i))));
    randombytes_buf(raw.data() + 6, size_t(bytes));
    return QString::fromLatin1(raw.toHex());
}

QByteArray base64url(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    randombytes_buf(raw.data(), size_t(raw.size()));
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace Natter::Server::RandomId
