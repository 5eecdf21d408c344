// One server-to-client WebSocket text message, framed once (RFC 6455 §5.2) and
// then written as the same bytes to every receiver.
//
// A server's frames are not masked (RFC 6455 §5.1), so the bytes on the wire do
// not depend on the receiver: a fan-out builds the frame once instead of framing
// it again for every receiver. ClientConnection collects the bytes with its
// pongs, in the order of the calls, and writes them to its QTcpSocket once a
// turn; close frames go after them (docs/server.md, "Write path").
//
// Value type (implicitly shared bytes); built by whoever encodes a frame (the hub,
// the codec's callers), carried in LiveFrame, written by ClientConnection.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Natter::Server {

class WireFrame
{
public:
    // Longer messages go out as a text frame and continuation frames of at most
    // this payload (as QWebSocket::setOutgoingFrameSize() would send them).
    static constexpr qsizetype kMaxFramePayload = 64 * 1024;

    WireFrame() = default;
    // `utf8` is the message's complete text (valid UTF-8, as the codec writes it).
    // Implicit on purpose: LiveFrame{kind, channel, seq, ServerCodec::xFrame(...)}.
    WireFrame(const QByteArray &utf8) // NOLINT(google-explicit-constructor)
        : m_bytes(encodeText(utf8))
        , m_payloadSize(utf8.size())
    { }

    // Header(s) and payload as they go on the wire.
    const QByteArray &bytes() const { return m_bytes; }
    // The message's text again (the cluster publishes it; tests read it).
    QByteArray payload() const;
    qsizetype payloadSize() const { return m_payloadSize; }
    bool isNull() const { return m_bytes.isNull(); }

    // The frames of one text message: FIN set on the last, opcode 0x1 on the first
    // and 0x0 (continuation) on the others, no mask, the shortest length form.
    // Fragments end on a code point boundary (QWebSocket 6.4 would split one, and
    // its client then rejects the frame with 1007).
    static QByteArray encodeText(QByteArrayView utf8, qsizetype maxFramePayload = kMaxFramePayload);

private:
    QByteArray m_bytes;
    qsizetype m_payloadSize = 0;
};

} // namespace Natter::Server
