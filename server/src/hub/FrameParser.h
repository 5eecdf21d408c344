// Parses the frames a WebSocket client sends (RFC 6455 §5).
//
// natterd's own parser, in place of QWebSocket's (docs/server.md, "natterd's
// WebSocket layer"): a client's frames must be masked (§5.1, else 1002); the
// reserved bits must be clear and the opcode known (§5.2, 1002); control frames
// are final and carry at most 125 bytes (§5.5, 1002); fragments follow a text or
// binary frame and nothing else (§5.4, 1002); a message, or a frame announcing
// more, over the limit is refused from its header, before its payload arrives
// (1009); text is valid UTF-8 (§8.1, 1007), and so is a close frame's reason;
// a close frame's code is one a peer may send (§7.4, 1002).
//
// A plain value owned by SocketReader. parse() takes whole frames from the
// front of a buffer and tells its Sink about each complete message and control
// frame; a frame whose bytes have not all arrived stays in the buffer. Fragments
// of a message wait here, unmasked, until its final frame.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Natter::Server {

class FrameParser
{
public:
    // What the parser found, told as it is found.
    class Sink
    {
    public:
        // A complete text (valid UTF-8) or binary message.
        virtual void messageReceived(const QByteArray &data, bool binary) = 0;
        // A ping, to be answered with a pong carrying `payload` (at most 125 bytes).
        virtual void pingReceived(const QByteArray &payload) = 0;
        virtual void pongReceived() = 0;
        // A text, binary or continuation frame that does not end its message.
        virtual void fragmentReceived() = 0;
        // The peer's close frame: `code` is 1005 when it carried none.
        virtual void closeReceived(int code) = 0;
        // The input broke RFC 6455: close with `code` (1002, 1007, 1009). Nothing
        // more is parsed.
        virtual void protocolError(int code, const QString &reason) = 0;

    protected:
        ~Sink() = default;
    };

    enum class Result {
        NeedMore, // the buffer ends inside a frame (or is empty)
        Frame, // one frame was taken from the buffer (and perhaps told)
        Failed, // protocolError() was told
    };

    explicit FrameParser(qsizetype maxMessageBytes)
        : m_maxMessage(maxMessageBytes)
    { }

    // Takes at most one frame from `buffer` at `offset` (advanced past it; a
    // refused close frame stays at `offset`: it is still the peer's close).
    Result parseOne(const QByteArray &buffer, qsizetype &offset, Sink &sink);

    // True when `code` may appear in a close frame sent by a peer (RFC 6455
    // §7.4.1-2 and IANA's registry: 1000-1003, 1007-1014, 3000-4999).
    static bool isValidCloseCode(int code);
    static bool isValidUtf8(QByteArrayView bytes);
    // The size of a frame's header, from its second byte (the length form and
    // the mask bit), and the payload length it announces (all of it read).
    static int headerSize(uchar secondByte);
    static quint64 payloadLength(const uchar *header);

private:
    Result fail(Sink &sink, int code, const QString &reason);

    qsizetype m_maxMessage;
    QByteArray m_message; // the fragments so far, unmasked
    bool m_inMessage = false;
    bool m_messageBinary = false;
    bool m_failed = false;
};

} // namespace Natter::Server
