#include "hub/SocketReader.h"

#include "ServerLog.h"
#include "hub/FrameFeed.h"

#include <QTimer>
#include <QtEndian>

namespace Natter::Server {

namespace {
constexpr uchar kOpClose = 0x8;
constexpr uchar kOpPing = 0x9;
constexpr uchar kMaskBit = 0x80;
} // namespace

SocketReader::SocketReader(QWebSocket *socket, QTcpSocket *tcp, Listener *listener, QObject *parent)
    : QObject(parent)
    , m_tcp(tcp)
    , m_listener(listener)
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
    // The parser stops this timer when bytes arrive on the device it waits on;
    // that device is the FrameFeed now, so parse() stops it (RFC 6455 frames
    // that stall still time out: 1001).
    m_parserTimer = processor->findChild<QTimer *>(QString(), Qt::FindDirectChildrenOnly);
    // From here on only this class makes QWebSocket parse: it reads nothing by itself.
    QObject::disconnect(tcp, &QAbstractSocket::readyRead, socket, nullptr);
    // Parser errors (1009, 1002, 1007) close through us, not by resetting the socket.
    QObject::disconnect(processor, SIGNAL(errorEncountered(QWebSocketProtocol::CloseCode, QString)),
                        socket, nullptr);
    connect(processor, SIGNAL(errorEncountered(QWebSocketProtocol::CloseCode, QString)), this,
            SLOT(onParserError(QWebSocketProtocol::CloseCode, QString)));
    m_processor = processor;
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
    // What was read but not parsed is the peer's too: its close may be in it.
    QMetaObject::invokeMethod(this, &SocketReader::discard, Qt::QueuedConnection);
}

void SocketReader::onParserError(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    m_listener->protocolError(int(code), reason);
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
    // One read per readyRead takes everything the kernel has (it also turns
    // the read notification on again); only when the bound cut a read short is
    // there more to take once the parser made room.
    bool more = true;
    while (more && !m_paused && !m_closing && m_tcp && m_tcp->isOpen()) {
        bool stop = false;
        const qsizetype before = m_pending.size();
        more = takeFromSocket(stop);
        if (stop)
            return;
        parse(m_pending.size() != before);
    }
}

bool SocketReader::takeFromSocket(bool &stop)
{
    const qint64 room = kReadBufferBytes - m_pending.size();
    if (room <= 0 || !m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return false;
    // At least one byte is asked for: that read is what finds the peer's end
    // (UnbufferedSocket) and turns the socket's read notification on again.
    const qint64 wanted = qBound<qint64>(1, m_tcp->bytesAvailable(), room);
    QByteArray bytes = m_tcp->read(wanted);
    if (bytes.isEmpty())
        return false;
    const qint64 read = bytes.size();
    m_listener->bytesArrived();
    const Scan found = scan(bytes.constData(), read);
    if (m_pending.isEmpty())
        m_pending = std::move(bytes);
    else
        m_pending.append(bytes);
    if (found.unmasked) {
        m_listener->unmaskedFrame();
        stop = true;
        return false;
    }
    if (found.pings > 0) {
        m_listener->pingsArrived(found.pings);
        stop = m_closing || m_paused || !m_tcp;
    }
    return read == room;
}

void SocketReader::parse(bool fresh)
{
    if (m_pending.isEmpty() || !m_tcp)
        return;
    FrameFeed &feed = FrameFeed::shared();
    if (feed.isLoaded()) {
        // Another connection's parse is on the stack (it should never be): later.
        QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
        return;
    }
    m_listener->beforeParse();
    feed.load(std::exchange(m_pending, QByteArray()));
    // What the parser's readyRead connection did when it read the socket itself:
    // new bytes arrived, the frame it waits for is not stalled.
    if (fresh && m_parserTimer)
        m_parserTimer->stop();
    while (!m_paused && !m_closing && m_tcp && feed.bytesAvailable() > 0) {
        bool complete = false;
        if (!m_process.invoke(m_processor, Qt::DirectConnection, Q_RETURN_ARG(bool, complete),
                              Q_ARG(QIODevice *, &feed))
            || !complete)
            break; // the rest of a frame is still on its way
        m_listener->frameProcessed();
    }
    // The parser connects the device's readyRead to its timer while it waits;
    // the feed is shared, so that connection must not outlive this parse.
    if (m_parserTimer)
        QObject::disconnect(&feed, &QIODevice::readyRead, m_parserTimer, nullptr);
    m_pending = feed.take();
}

void SocketReader::discard()
{
    m_pending = QByteArray();
    if (!m_tcp || !m_tcp->isOpen() || m_tcp->state() != QAbstractSocket::ConnectedState)
        return;
    const QByteArray bytes = m_tcp->read(qMax<qint64>(1, m_tcp->bytesAvailable()));
    if (!bytes.isEmpty())
        m_peerClosed = scan(bytes.constData(), bytes.size()).close || m_peerClosed;
    // The peer answered our close: nothing more will come that could be left
    // unread, so closing now sends FIN, not RST.
    if (m_peerClosed && m_tcp && m_tcp->state() == QAbstractSocket::ConnectedState)
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
    if (found.close)
        m_peerClosed = true;
    return found;
}

} // namespace Natter::Server
