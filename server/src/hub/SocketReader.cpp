#include "hub/SocketReader.h"

#include "ServerLog.h"

#include <QtEndian>

namespace Natter::Server {

namespace {
constexpr uchar kOpClose = 0x8;
constexpr uchar kOpPing = 0x9;
constexpr uchar kMaskBit = 0x80;
} // namespace

SocketReader::SocketReader(QWebSocket *socket, QTcpSocket *tcp, QObject *parent)
    : QObject(parent)
    , m_tcp(tcp)
{
    if (!socket || !tcp)
        return;
    QObject *processor = nullptr;
    for (QObject *child : socket->children()) {
        if (qstrcmp(child->metaObject()->className(), "QWebSocketDataProcessor") == 0)
            processor = child;
    }
    const QMetaObject *meta = processor ? processor->metaObject() : nullptr;
    const int process = meta ? meta->indexOfSlot("process(QIODevice*)") : -1;
    const int error =
        meta ? meta->indexOfSignal("errorEncountered(QWebSocketProtocol::CloseCode,QString)") : -1;
    if (process < 0 || error < 0) {
        qCWarning(lcServerWs).noquote().nospace()
            << "event=ws_reader_unhooked reason=no_frame_parser qt=" << qVersion();
        return;
    }
    m_process = meta->method(process);
    // From here on only this class makes QWebSocket parse: it reads nothing by itself.
    QObject::disconnect(tcp, &QAbstractSocket::readyRead, socket, nullptr);
    // Parser errors (1009, 1002, 1007) close through us, not by resetting the socket.
    QObject::disconnect(processor, SIGNAL(errorEncountered(QWebSocketProtocol::CloseCode, QString)),
                        socket, nullptr);
    connect(processor, SIGNAL(errorEncountered(QWebSocketProtocol::CloseCode, QString)), this,
            SLOT(onParserError(QWebSocketProtocol::CloseCode, QString)));
    m_processor = processor;
    tcp->setReadBufferSize(kReadBufferBytes);
    connect(tcp, &QTcpSocket::readyRead, this, &SocketReader::onReadyRead);
    if (tcp->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
}

void SocketReader::pause()
{
    if (isHooked())
        m_paused = true;
}

void SocketReader::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    // Not from inside whatever noticed the drain (a bytesWritten handler).
    QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
}

void SocketReader::closeGracefully(int code, const QString &reason)
{
    if (!m_tcp || m_closing)
        return;
    m_closing = true;
    m_paused = false;
    // RFC 6455 §5.5.1: a close frame carries the code and at most 123 bytes of reason.
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian<quint16>(quint16(code), payload.data());
    payload += reason.toUtf8().left(123);
    QByteArray frame;
    frame.reserve(payload.size() + 2);
    frame.append(char(0x80 | kOpClose)).append(char(payload.size())).append(payload);
    m_tcp->write(frame);
    // What is already buffered is the peer's too: look for its close there first.
    QMetaObject::invokeMethod(this, &SocketReader::discard, Qt::QueuedConnection);
}

void SocketReader::onParserError(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    Q_EMIT protocolError(int(code), reason);
}

void SocketReader::onReadyRead()
{
    if (m_closing)
        discard();
    else
        readFrames();
}

void SocketReader::readFrames()
{
    if (m_paused || m_closing || !m_tcp || !m_tcp->isOpen())
        return;
    const qint64 available = m_tcp->bytesAvailable();
    const qint64 fresh = available - m_scanned;
    if (fresh > 0) {
        Scan found;
        if (m_headerLength == 0 && m_skip >= quint64(fresh)) {
            m_skip -= quint64(fresh); // all of it inside a payload: nothing to look at
        } else {
            const QByteArray buffered = m_tcp->peek(available);
            found = scan(buffered.constData() + m_scanned, buffered.size() - m_scanned);
        }
        m_scanned = available;
        if (found.unmasked) {
            Q_EMIT unmaskedFrame();
            return;
        }
        if (found.pings > 0) {
            Q_EMIT pingsReceived(found.pings);
            if (m_closing || !m_tcp)
                return;
        }
    }
    const bool wasFull = m_tcp->readBufferSize() > 0 && available >= m_tcp->readBufferSize();
    while (m_tcp && m_tcp->isOpen() && m_tcp->bytesAvailable() > 0 && !m_paused && !m_closing) {
        bool complete = false;
        if (!m_process.invoke(m_processor, Qt::DirectConnection, Q_RETURN_ARG(bool, complete),
                              Q_ARG(QIODevice *, m_tcp.data()))
            || !complete)
            break; // the rest of a frame is still on its way
        Q_EMIT frameProcessed();
    }
    if (!m_tcp || !m_tcp->isOpen()) {
        m_scanned = 0;
        return;
    }
    m_scanned = m_tcp->bytesAvailable();
    // A full buffer turned the socket's read notifier off; only a read asking
    // for more than is buffered turns it on again (QAbstractSocket::readData).
    // QIODevice does that by itself when a read empties the buffer, not when
    // the start of a frame stays in it.
    if (wasFull && m_scanned > 0 && !m_closing) {
        m_tcp->peek(m_scanned + 1);
        if (m_tcp->bytesAvailable() > m_scanned && !m_paused)
            QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
    }
}

void SocketReader::discard()
{
    if (!m_tcp || !m_tcp->isOpen() || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray bytes = m_tcp->readAll();
    Scan found;
    if (bytes.size() > m_scanned)
        found = scan(bytes.constData() + m_scanned, bytes.size() - m_scanned);
    m_scanned = 0;
    // The peer answered our close: nothing more will come that could be left
    // unread, so closing now sends FIN, not RST.
    if (found.close)
        m_tcp->disconnectFromHost();
}

SocketReader::Scan SocketReader::scan(const char *data, qint64 size)
{
    Scan found;
    qint64 i = 0;
    while (i < size) {
        if (m_skip > 0) {
            const quint64 step = qMin<quint64>(m_skip, quint64(size - i));
            m_skip -= step;
            i += qint64(step);
            continue;
        }
        m_header[m_headerLength++] = uchar(data[i++]);
        if (m_headerLength < 2)
            continue;
        const uchar lengthCode = m_header[1] & 0x7F;
        const bool masked = (m_header[1] & kMaskBit) != 0;
        const int needed = 2
            + (lengthCode == 126       ? 2
                   : lengthCode == 127 ? 8
                                       : 0)
            + (masked ? 4 : 0);
        if (m_headerLength < needed)
            continue;
        quint64 length = lengthCode;
        if (lengthCode == 126)
            length = qFromBigEndian<quint16>(m_header + 2);
        else if (lengthCode == 127)
            length = qFromBigEndian<quint64>(m_header + 2);
        m_headerLength = 0;
        m_skip = length;
        const uchar opcode = m_header[0] & 0x0F;
        found.unmasked = found.unmasked || !masked;
        found.pings += opcode == kOpPing;
        found.close = found.close || opcode == kOpClose;
    }
    return found;
}

} // namespace Natter::Server
