// Reads one WebSocket's TCP socket on behalf of its QWebSocket.
//
// Owned by ClientConnection. Qt 6.4's QWebSocket reads its socket whenever bytes
// arrive and offers no way to stop reading (a peer that never reads would have
// every ping answered into natterd's memory), does not check that a client masks
// its frames (RFC 6455 §5.1 requires a close with 1002), does not tell about
// pings, and on close shuts the TCP connection at once, so the kernel resets it
// over the peer's unread frames and the peer never sees the close code. This
// class takes the socket's readyRead from QWebSocket and feeds QWebSocket's own
// frame parser (its internal QWebSocketDataProcessor child, whose `process` is a
// public slot reachable through the meta-object) itself, after a cheap scan of
// the frame headers; a close goes through closeGracefully(). If the parser is not
// found (another Qt), it leaves QWebSocket as it is and isHooked() is false.
#pragma once

#include <QMetaMethod>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketProtocol>

namespace Natter::Server {

class SocketReader : public QObject
{
    Q_OBJECT
public:
    // Bytes taken from the kernel at a time: one 64 KiB message and its header
    // must fit, since QWebSocket parses a frame only once all of it is buffered.
    static constexpr qint64 kReadBufferBytes = 80 * 1024;

    SocketReader(QWebSocket *socket, QTcpSocket *tcp, QObject *parent = nullptr);

    bool isHooked() const { return m_processor != nullptr; }
    // Stops taking bytes from the socket: its buffer fills, then the kernel's, and
    // TCP flow control makes the peer wait.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // Sends a close frame, then reads and discards until the peer's close frame
    // arrives and shuts the connection down after it (QWebSocket::close() would
    // close the socket at once). The caller bounds the wait.
    void closeGracefully(int code, const QString &reason);

Q_SIGNALS:
    // One or more WebSocket pings are about to be answered.
    void pingsReceived(int count);
    // A client frame without a mask: the caller closes with 1002.
    void unmaskedFrame();
    // QWebSocket's parser handled a message or control frame (it may have written a pong).
    void frameProcessed();
    // QWebSocket's parser refused the input (1009 too big, 1002, 1007, 1001 stalled frame).
    void protocolError(int code, const QString &reason);

private Q_SLOTS:
    void onParserError(QWebSocketProtocol::CloseCode code, const QString &reason);

private:
    struct Scan
    {
        int pings = 0;
        bool unmasked = false;
        bool close = false;
    };

    void onReadyRead();
    void readFrames();
    void discard();
    Scan scan(const char *data, qint64 size);

    QPointer<QTcpSocket> m_tcp;
    QObject *m_processor = nullptr;
    QMetaMethod m_process;
    bool m_paused = false;
    bool m_closing = false;
    // Bytes at the front of the socket's buffer already scanned.
    qint64 m_scanned = 0;
    // The frame being scanned: payload bytes still to skip, header bytes so far.
    quint64 m_skip = 0;
    int m_headerLength = 0;
    uchar m_header[14] = {};
};

} // namespace Natter::Server
