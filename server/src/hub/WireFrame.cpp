#include "hub/WireFrame.h"

#include <QVarLengthArray>
#include <QtEndian>

namespace Natter::Server {

namespace {

constexpr char kOpText = 0x1;
constexpr char kOpContinuation = 0x0;
constexpr char kFin = char(0x80);

qsizetype headerSize(qsizetype payload)
{
    return payload <= 125 ? 2 : payload <= 0xFFFF ? 4 : 10;
}

// Writes one frame header at `out`; returns the bytes written.
qsizetype writeHeader(char *out, char opcode, bool fin, qsizetype payload)
{
    out[0] = char(opcode | (fin ? kFin : 0));
    if (payload <= 125) {
        out[1] = char(payload); // mask bit clear: servers do not mask (RFC 6455 §5.1)
        return 2;
    }
    if (payload <= 0xFFFF) {
        out[1] = char(126);
        qToBigEndian<quint16>(quint16(payload), out + 2);
        return 4;
    }
    out[1] = char(127);
    qToBigEndian<quint64>(quint64(payload), out + 2);
    return 10;
}

} // namespace

QByteArray WireFrame::encodeText(QByteArrayView utf8, qsizetype maxFramePayload)
{
    // Fragment ends, each at most maxFramePayload after the previous one and never
    // inside a UTF-8 sequence: Qt 6.4's QWebSocket client checks every text frame
    // on its own and closes with 1007 on a split code point.
    const qsizetype total = utf8.size();
    QVarLengthArray<qsizetype, 4> ends;
    qsizetype size = total;
    qsizetype begin = 0;
    do {
        qsizetype end = qMin(total, begin + maxFramePayload);
        while (end < total && end > begin + 1 && (uchar(utf8[end]) & 0xC0) == 0x80)
            --end;
        ends.append(end);
        size += headerSize(end - begin);
        begin = end;
    } while (begin < total); // an empty message is still one frame
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    begin = 0;
    for (qsizetype i = 0; i < ends.size(); ++i) {
        const qsizetype chunk = ends[i] - begin;
        p += writeHeader(p, i == 0 ? kOpText : kOpContinuation, i == ends.size() - 1, chunk);
        if (chunk > 0)
            memcpy(p, utf8.data() + begin, size_t(chunk));
        p += chunk;
        begin = ends[i];
    }
    return out;
}

QByteArray WireFrame::payload() const
{
    // One frame when the first is final (FIN). The sizes alone cannot tell:
    // three fragments' headers (4 + 4 + 2 bytes) add up to one frame's (10).
    if (uchar(m_bytes.at(0)) & 0x80)
        return m_bytes.sliced(headerSize(m_payloadSize));
    QByteArray text;
    text.reserve(m_payloadSize);
    const char *p = m_bytes.constData();
    const char *const end = p + m_bytes.size();
    while (p < end) {
        const uchar len = uchar(p[1]) & 0x7F;
        qsizetype chunk = len;
        if (len == 126) {
            chunk = qFromBigEndian<quint16>(p + 2);
            p += 4;
        } else if (len == 127) {
            chunk = qsizetype(qFromBigEndian<quint64>(p + 2));
            p += 10;
        } else {
            p += 2;
        }
        text.append(p, chunk);
        p += chunk;
    }
    return text;
}

} // namespace Natter::Server
