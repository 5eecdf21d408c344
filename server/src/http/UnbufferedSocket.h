// A QTcpSocket that writes straight to the kernel and still reports its end.
//
// Opened Unbuffered (TcpListener), but Qt 6.4 honours Unbuffered only in
// connectToHost(): an accepted socket stays buffered, every write is copied
// into QAbstractSocket's write buffer, sent a turn later, and the buffer keeps a
// 32 KiB chunk for the socket's life (one pong is enough). writeData() therefore
// sends to the kernel itself when nothing is queued; only what the kernel does
// not take waits in Qt's buffer, whose chunk is given back once it drained
// (docs/benchmarks.md, "Idle memory, third round"). And when a read finds the
// peer gone (EOF, reset), QAbstractSocket::readData() may reset the socket to
// UnconnectedState without emitting stateChanged() or disconnected(), and a
// failed write leaves it in ConnectedState with a closed engine:
// HttpConnection and the hub's SocketReader would never hear of it. This class
// notices both and tears the socket down as a buffered one would (queued: the
// read that found the end may be deep inside a parser).
//
// Readers of such a socket must read on every readyRead, or read again once they
// want bytes: it reports new bytes (and the peer's end) only once until the
// next read. Created by TcpListener; owned like any accepted socket.
#pragma once

#include <QTcpSocket>

namespace Natter::Server {

class UnbufferedSocket : public QTcpSocket
{
    Q_OBJECT
public:
    using QTcpSocket::QTcpSocket;

    // Gives back QIODevice's read chunk (16 KiB, allocated by the peeks of the
    // HTTP phase and the WebSocket handshake) and write chunk (32 KiB, after a
    // write the kernel did not take whole) when they are empty: QRingBuffer
    // keeps one chunk per buffer for reuse, for the socket's whole life.
    // `socket` may be any QTcpSocket (then nothing happens).
    static void releaseBuffers(QTcpSocket *socket);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    void noticeEnd();
    void tearDown();
    // Some bytes wait in Qt's write buffer: release its chunk once they are out.
    void watchWriteBuffer();

    QMetaObject::Connection m_releaseWatch;

    bool m_endNoticed = false;
    bool m_silentlyReset = false; // readData() reset it without a signal
};

} // namespace Natter::Server
