#include "hub/FrameFeed.h"

#include <cstring>

namespace Natter::Server {

FrameFeed::FrameFeed()
{
    // Unbuffered: QIODevice passes every read straight to readData().
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

FrameFeed &FrameFeed::shared()
{
    static thread_local FrameFeed feed;
    return feed;
}

void FrameFeed::load(QByteArray bytes)
{
    m_bytes = std::move(bytes);
    m_position = 0;
    m_loaded = true;
}

QByteArray FrameFeed::take()
{
    QByteArray rest;
    if (m_position == 0)
        rest = std::move(m_bytes);
    else if (m_position < m_bytes.size())
        rest = m_bytes.sliced(m_position);
    m_bytes = QByteArray();
    m_position = 0;
    m_loaded = false;
    return rest;
}

qint64 FrameFeed::bytesAvailable() const
{
    return (m_bytes.size() - m_position) + QIODevice::bytesAvailable();
}

qint64 FrameFeed::readData(char *data, qint64 maxSize)
{
    const qint64 n = qMin<qint64>(maxSize, m_bytes.size() - m_position);
    if (n <= 0)
        return 0;
    std::memcpy(data, m_bytes.constData() + m_position, size_t(n));
    m_position += qsizetype(n);
    return n;
}

qint64 FrameFeed::writeData(const char *, qint64)
{
    return -1;
}

} // namespace Natter::Server
