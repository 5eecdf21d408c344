#include "http/UnbufferedSocket.h"

#include <cerrno>

#include <sys/socket.h>

namespace Natter::Server {

void UnbufferedSocket::releaseBuffers(QTcpSocket *socket)
{
    auto *self = qobject_cast<UnbufferedSocket *>(socket);
    if (!self || !self->isOpen())
        return;
    // setOpenMode() without a direction drops that direction's QRingBuffer
    // (QIODevicePrivate::setRead/WriteChannelCount(0)); set back, it gets an
    // empty one that allocates nothing until used. No signal, no state change.
    const OpenMode mode = self->openMode();
    if ((mode & ReadOnly) && self->QIODevice::bytesAvailable() == 0) {
        self->setOpenMode(mode & ~OpenMode(ReadOnly));
        self->setOpenMode(mode);
    }
    if ((mode & WriteOnly) && self->QIODevice::bytesToWrite() == 0) {
        self->setOpenMode(mode & ~OpenMode(WriteOnly));
        self->setOpenMode(mode);
    }
}

qint64 UnbufferedSocket::readData(char *data, qint64 maxSize)
{
    const bool wasConnected = state() == ConnectedState;
    const qint64 result = QTcpSocket::readData(data, maxSize);
    if (result < 0 && maxSize > 0 && wasConnected) {
        m_silentlyReset = state() == UnconnectedState;
        noticeEnd();
    }
    return result;
}

qint64 UnbufferedSocket::writeData(const char *data, qint64 size)
{
    const bool wasConnected = state() == ConnectedState;
    qint64 sent = 0;
    // Qt 6.4's setSocketDescriptor() leaves an accepted socket buffered
    // whatever the open mode (only connectToHost() honours Unbuffered): each
    // write would be copied into QAbstractSocket's write buffer, which then
    // keeps a 32 KiB chunk for the socket's life, and go out one event-loop
    // turn later. So the bytes go to the kernel here; only what it does not
    // take (or an error, which Qt then reports as usual) goes through Qt.
    if (wasConnected && size > 0 && QIODevice::bytesToWrite() == 0) {
        const qintptr fd = socketDescriptor();
        ssize_t n = -1;
        do {
            n = fd >= 0 ? ::send(int(fd), data, size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT) : -1;
        } while (n < 0 && errno == EINTR);
        if (n == size)
            return size;
        if (n > 0) {
            sent = n;
            data += n;
            size -= n;
        }
    }
    const qint64 result = QTcpSocket::writeData(data, size);
    if (result < 0 && wasConnected)
        noticeEnd();
    if (result >= 0 && QIODevice::bytesToWrite() > 0)
        watchWriteBuffer();
    return result < 0 ? (sent > 0 ? sent : result) : sent + result;
}

void UnbufferedSocket::watchWriteBuffer()
{
    if (m_releaseWatch)
        return;
    // Once Qt has written the rest, its buffer keeps the chunk (up to 32 KiB,
    // touched all over): give it back. Not inside bytesWritten (Qt's write
    // path is on the stack).
    m_releaseWatch = connect(this, &QTcpSocket::bytesWritten, this, [this] {
        if (QIODevice::bytesToWrite() > 0)
            return;
        disconnect(m_releaseWatch);
        m_releaseWatch = {};
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (QIODevice::bytesToWrite() == 0)
                    releaseBuffers(this);
            },
            Qt::QueuedConnection);
    });
}

void UnbufferedSocket::noticeEnd()
{
    if (m_endNoticed)
        return;
    m_endNoticed = true;
    QMetaObject::invokeMethod(this, &UnbufferedSocket::tearDown, Qt::QueuedConnection);
}

void UnbufferedSocket::tearDown()
{
    if (state() != UnconnectedState) {
        // A failed write closed the engine only: abort() runs the normal path
        // (stateChanged, disconnected).
        abort();
        return;
    }
    if (!m_silentlyReset)
        return; // it went the normal way meanwhile
    // readData() already reset the socket, silently: say what a buffered
    // socket says when its peer goes.
    Q_EMIT stateChanged(UnconnectedState);
    Q_EMIT readChannelFinished();
    Q_EMIT disconnected();
}

} // namespace Natter::Server
