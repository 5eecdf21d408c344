#include "hub/FrameParser.h"

#include <QtEndian>

#include <cstring>
#include <utility>

namespace Natter::Server {

namespace {
constexpr uchar kOpContinuation = 0x0;
constexpr uchar kOpText = 0x1;
constexpr uchar kOpBinary = 0x2;
constexpr uchar kOpClose = 0x8;
constexpr uchar kOpPing = 0x9;
constexpr uchar kOpPong = 0xA;
constexpr qsizetype kMaxControlPayload = 125;

// XORs `size` bytes at `data` with the 4-byte mask, starting at mask byte 0.
void unmask(char *data, qsizetype size, const uchar *mask)
{
    quint32 key;
    std::memcpy(&key, mask, 4);
    qsizetype i = 0;
    for (; i + 4 <= size; i += 4) {
        quint32 word;
        std::memcpy(&word, data + i, 4);
        word ^= key;
        std::memcpy(data + i, &word, 4);
    }
    for (; i < size; ++i)
        data[i] = char(uchar(data[i]) ^ mask[i & 3]);
}
} // namespace

bool FrameParser::isValidCloseCode(int code)
{
    // 1012-1014 are registered with IANA since RFC 6455 (service restart, try
    // again later, bad gateway): a proxy may send them.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
}

bool FrameParser::isValidUtf8(QByteArrayView bytes)
{
    // RFC 3629 §4: no overlong forms, no surrogates, nothing past U+10FFFF.
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const uchar *end = p + bytes.size();
    while (p < end) {
        const uchar c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        uchar low = 0x80;
        uchar high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0)
                low = 0xA0;
            else if (c == 0xED)
                high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0)
                low = 0x90;
            else if (c == 0xF4)
                high = 0x8F;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        if (p[1] < low || p[1] > high)
            return false;
        for (int i = 2; i <= extra; ++i) {
            if (p[i] < 0x80 || p[i] > 0xBF)
                return false;
        }
        p += extra + 1;
    }
    return true;
}

int FrameParser::headerSize(uchar secondByte)
{
    const uchar lengthCode = secondByte & 0x7F;
    return 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((secondByte & 0x80) ? 4 : 0);
}

quint64 FrameParser::payloadLength(const uchar *header)
{
    const uchar lengthCode = header[1] & 0x7F;
    if (lengthCode == 126)
        return qFromBigEndian<quint16>(header + 2);
    if (lengthCode == 127)
        return qFromBigEndian<quint64>(header + 2);
    return lengthCode;
}

FrameParser::Result FrameParser::fail(Sink &sink, int code, const QString &reason)
{
    m_failed = true;
    m_message = QByteArray();
    sink.protocolError(code, reason);
    return Result::Failed;
}

FrameParser::Result FrameParser::parseOne(const QByteArray &buffer, qsizetype &offset, Sink &sink)
{
    if (m_failed)
        return Result::Failed;
    const qsizetype available = buffer.size() - offset;
    if (available < 2)
        return Result::NeedMore;
    const auto *head = reinterpret_cast<const uchar *>(buffer.constData() + offset);
    const bool final = (head[0] & 0x80) != 0;
    const uchar opcode = head[0] & 0x0F;
    const bool masked = (head[1] & 0x80) != 0;
    const uchar lengthCode = head[1] & 0x7F;
    // Everything the first two bytes tell is checked before waiting for more.
    if ((head[0] & 0x70) != 0)
        return fail(sink, 1002, QStringLiteral("reserved bits set"));
    if (!masked)
        return fail(sink, 1002, QStringLiteral("client frames must be masked"));
    const bool control = (opcode & 0x8) != 0;
    if (control) {
        if (opcode != kOpClose && opcode != kOpPing && opcode != kOpPong)
            return fail(sink, 1002, QStringLiteral("unknown opcode"));
        if (!final || lengthCode > kMaxControlPayload)
            return fail(sink, 1002, QStringLiteral("invalid control frame"));
    } else if (opcode == kOpContinuation) {
        if (!m_inMessage)
            return fail(sink, 1002, QStringLiteral("continuation without a message"));
    } else if (opcode == kOpText || opcode == kOpBinary) {
        if (m_inMessage)
            return fail(sink, 1002, QStringLiteral("message inside a fragmented message"));
    } else {
        return fail(sink, 1002, QStringLiteral("unknown opcode"));
    }
    const qsizetype headerBytes = headerSize(head[1]); // masked: the key's 4 bytes included
    if (available < headerBytes)
        return Result::NeedMore;
    const quint64 length = payloadLength(head);
    if (length >> 63) // RFC 6455 §5.2: the most significant bit must be 0
        return fail(sink, 1002, QStringLiteral("invalid payload length"));
    // A frame that would take the message over the limit is refused now; its
    // payload is never buffered.
    if (!control && length > quint64(m_maxMessage - m_message.size()))
        return fail(sink, 1009, QStringLiteral("message too big"));
    if (quint64(available) < quint64(headerBytes) + length)
        return Result::NeedMore;

    const uchar *mask = head + headerBytes - 4;
    const qsizetype size = qsizetype(length);
    const char *payload = buffer.constData() + offset + headerBytes;

    if (control) {
        QByteArray data(payload, size);
        unmask(data.data(), size, mask);
        if (opcode == kOpClose) {
            // A close frame refused here is still the peer's close: it stays
            // at `offset`, where SocketReader, having sent our close, finds it
            // and ends the connection at once (FIN), instead of waiting for
            // another close that will not come.
            int code = 1005;
            if (size == 1)
                return fail(sink, 1002, QStringLiteral("invalid close frame"));
            if (size >= 2) {
                code = qFromBigEndian<quint16>(data.constData());
                if (!isValidCloseCode(code))
                    return fail(sink, 1002, QStringLiteral("invalid close code"));
                if (!isValidUtf8(QByteArrayView(data).sliced(2)))
                    return fail(sink, 1007, QStringLiteral("invalid UTF-8 in close reason"));
            }
            offset += headerBytes + size;
            m_failed = true; // nothing after a close frame is parsed
            sink.closeReceived(code);
            return Result::Frame;
        }
        offset += headerBytes + size;
        if (opcode == kOpPing)
            sink.pingReceived(data);
        else
            sink.pongReceived();
        return Result::Frame;
    }
    offset += headerBytes + size;

    if (opcode != kOpContinuation) {
        m_messageBinary = opcode == kOpBinary;
        m_inMessage = true;
    }
    const qsizetype start = m_message.size();
    if (final && start == 0) {
        // The common case, one frame: unmasked straight into its own array.
        m_message = QByteArray(payload, size);
    } else {
        m_message.append(payload, size);
    }
    unmask(m_message.data() + start, size, mask);
    if (!final) {
        sink.fragmentReceived();
        return Result::Frame;
    }
    m_inMessage = false;
    const QByteArray message = std::exchange(m_message, QByteArray());
    if (!m_messageBinary && !isValidUtf8(message))
        return fail(sink, 1007, QStringLiteral("invalid UTF-8 in text message"));
    sink.messageReceived(message, m_messageBinary);
    return Result::Frame;
}

} // namespace Natter::Server
