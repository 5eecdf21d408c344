#include "http/UnbufferedSocket.h"

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
    const qint64 result = QTcpSocket::writeData(data, size);
    if (result < 0 && wasConnected)
        noticeEnd();
    return result;
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
