// Reads one WebSocket's TCP socket: natterd's own WebSocket layer after the
// handshake (docs/server.md, "natterd's WebSocket layer").
//
// Owned by ClientConnection. Reads the bytes the kernel has (at most
// kReadBufferBytes unparsed), parses them with a FrameParser, and tells its
// Listener about messages, pings and the peer's close by direct call. It can
// stop reading (the output limit of issue 12: a peer that does not read its
// answers is not read either, and TCP flow control makes it wait), and closes
// gracefully: after our close frame it reads and discards until the peer's
// close frame, so the kernel never resets the connection over unread frames
// and the peer sees the code (issue 12, defect 5). An idle connection holds no
// buffer here.
//
// The socket is Unbuffered (http/TcpListener): Qt reads it only when asked, so
// pausing is simply not reading, and every readyRead must be answered with a read.
#pragma once

#include "hub/FrameParser.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

namespace Natter::Server {

class SocketReader : public QObject, private FrameParser::Sink
{
    Q_OBJECT
public:
    // What the reader tells its connection, by direct call (no signal
    // connections per socket).
    class Listener
    {
    public:
        // Bytes arrived (a sign of life, pings included).
        virtual void bytesArrived() = 0;
        virtual void messageReceived(const QByteArray &data, bool binary) = 0;
        // To be answered with a pong carrying `payload`.
        virtual void pingReceived(const QByteArray &payload) = 0;
        // A pong, or a fragment that does not end its message: a frame that
        // carries no message, limited as pings are (else a flood of them,
        // empty fragments of a message that never ends for one, would hold
        // the event loop past every rate limit).
        virtual void frameWithoutMessage() = 0;
        // The peer's close frame (code 1005: none), before we sent ours.
        virtual void closeReceived(int code) = 0;
        // A complete frame was handled (the connection checks its output).
        virtual void frameProcessed() = 0;
        // The input broke RFC 6455 (1002, 1007, 1009): the connection closes.
        virtual void protocolError(int code, const QString &reason) = 0;

    protected:
        ~Listener() = default;
    };

    // Unparsed bytes held at most: one 64 KiB frame and its header must fit
    // (a frame is parsed once all of it is there).
    static constexpr qint64 kReadBufferBytes = 80 * 1024;
    static constexpr qsizetype kMaxMessageBytes = 64 * 1024;

    SocketReader(QTcpSocket *tcp, Listener *listener, QObject *parent = nullptr);

    // Stops taking bytes from the socket: the kernel's buffer fills and TCP
    // flow control makes the peer wait.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // Sends a close frame, then reads and discards until the peer's close frame
    // arrives and shuts the connection down after it. The caller bounds the wait.
    void closeGracefully(int code, const QString &reason);
    // Answers the peer's close frame with `code` and shuts the connection down
    // once the answer is written.
    void answerClose(int code);

    // A close frame (RFC 6455 §5.5.1): the code and at most 123 bytes of reason.
    static QByteArray closeFrame(int code, const QString &reason);

private:
    // FrameParser::Sink
    void messageReceived(const QByteArray &data, bool binary) override;
    void pingReceived(const QByteArray &payload) override;
    void pongReceived() override;
    void fragmentReceived() override;
    void closeReceived(int code) override;
    void protocolError(int code, const QString &reason) override;

    void readFrames();
    // Reads what the socket has (within the bound) into m_pending. True when
    // the bound left bytes in the socket.
    bool takeFromSocket();
    void parse();
    // After a parser error: follows frame headers in `bytes` to find the
    // peer's close frame, skipping payloads.
    void skipToClose(const QByteArray &bytes);
    bool isOpen() const;

    QPointer<QTcpSocket> m_tcp;
    Listener *m_listener;
    FrameParser m_parser{kMaxMessageBytes};
    // Read, not yet parsed (empty, unallocated, when idle).
    QByteArray m_pending;
    bool m_paused = false;
    bool m_closing = false; // our close frame (or our answer to the peer's) is out
    bool m_stopped = false; // the parser failed or the peer's close came: nothing more is parsed
    bool m_skipping = false; // the parser failed: headers are followed (skipToClose)
    // The frame being skipped: payload bytes still to skip, header bytes so far.
    quint64 m_skip = 0;
    int m_headerLength = 0;
    uchar m_header[14] = {};
};

} // namespace Natter::Server
