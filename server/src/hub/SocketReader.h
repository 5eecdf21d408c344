// Reads one WebSocket's TCP socket on behalf of its QWebSocket.
//
// Owned by ClientConnection. Qt 6.4's QWebSocket reads its socket whenever bytes
// arrive and offers no way to stop reading (a peer that never reads would have
// every ping answered into natterd's memory), does not check that a client masks
// its frames (RFC 6455 §5.1 requires a close with 1002), does not tell about
// pings, and on close shuts the TCP connection at once, so the kernel resets it
// over the peer's unread frames and the peer never sees the close code. This
// class takes the socket's readyRead from QWebSocket, reads the bytes itself
// (at most kReadBufferBytes unparsed), scans their frame headers, and feeds
// QWebSocket's own frame parser (its internal QWebSocketDataProcessor child,
// whose `process` is a public slot reachable through the meta-object) from a
// FrameFeed holding exactly the scanned bytes; a close goes through
// closeGracefully(). An idle connection holds no buffer here. If the parser is
// not found (another Qt), it leaves QWebSocket as it is and isHooked() is false.
//
// The socket is Unbuffered (http/TcpListener): Qt reads it only when asked, so
// pausing is simply not reading, and every readyRead must be answered with a read.
#pragma once

#include <QByteArray>
#include <QMetaMethod>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketProtocol>

class QTimer;

namespace Natter::Server {

class SocketReader : public QObject
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
        // QWebSocket's parser is about to run and may write (pongs, its close
        // answer): whatever the connection has collected must go first.
        virtual void beforeParse() = 0;
        // One or more WebSocket pings are about to be answered.
        virtual void pingsArrived(int count) = 0;
        // A client frame without a mask: the connection closes with 1002.
        virtual void unmaskedFrame() = 0;
        // QWebSocket's parser handled a message or control frame (it may have written a pong).
        virtual void frameProcessed() = 0;
        // QWebSocket's parser refused the input (1009 too big, 1002, 1007, 1001 stalled frame).
        virtual void protocolError(int code, const QString &reason) = 0;

    protected:
        ~Listener() = default;
    };

    // Unparsed bytes held at most: one 64 KiB message and its header must fit,
    // since QWebSocket parses a frame only once all of it is there.
    static constexpr qint64 kReadBufferBytes = 80 * 1024;

    SocketReader(QWebSocket *socket, QTcpSocket *tcp, Listener *listener,
                 QObject *parent = nullptr);

    bool isHooked() const { return m_processor != nullptr; }
    // Stops taking bytes from the socket: the kernel's buffer fills and TCP
    // flow control makes the peer wait.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // Sends a close frame, then reads and discards until the peer's close frame
    // arrives and shuts the connection down after it (QWebSocket::close() would
    // close the socket at once). The caller bounds the wait.
    void closeGracefully(int code, const QString &reason);

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
    // Reads what the socket has (within the bound) into m_pending and scans it.
    // True when the bound left bytes in the socket; `stop` when the connection
    // closes (or pauses) because of what was found.
    bool takeFromSocket(bool &stop);
    // Runs the parser over m_pending; `fresh`: bytes were added since the last run.
    void parse(bool fresh);
    void discard();
    Scan scan(const char *data, qint64 size);

    QPointer<QTcpSocket> m_tcp;
    Listener *m_listener;
    QObject *m_processor = nullptr;
    QTimer *m_parserTimer = nullptr; // the parser's stalled-frame timer
    QMetaMethod m_process;
    // Read and scanned, not yet parsed (empty, unallocated, when idle).
    QByteArray m_pending;
    bool m_paused = false;
    bool m_closing = false;
    bool m_peerClosed = false; // a close frame from the peer was scanned
    // The frame being scanned: payload bytes still to skip, header bytes so far.
    quint64 m_skip = 0;
    int m_headerLength = 0;
    uchar m_header[14] = {};
};

} // namespace Natter::Server
