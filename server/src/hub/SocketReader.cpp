#include "hub/SocketReader.h"

#include <QtEndian>

namespace Natter::Server {

namespace {
constexpr uchar kOpClose = 0x8;
} // namespace

SocketReader::SocketReader(QTcpSocket *tcp, Listener *listener, QObject *parent)
    : QObject(parent)
    , m_tcp(tcp)
    , m_listener(listener)
{
    connect(tcp, &QTcpSocket::readyRead, this, &SocketReader::readFrames);
    // Frames sent right behind the handshake are already in the socket.
    if (tcp->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
}

QByteArray SocketReader::closeFrame(int code, const QString &reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian<quint16>(quint16(code), payload.data());
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        // Cut on a code point boundary: the reason must stay valid UTF-8.
        qsizetype cut = 123;
        while (cut > 0 && (uchar(text[cut]) & 0xC0) == 0x80)
            --cut;
        text.truncate(cut);
    }
    payload += text;
    QByteArray frame;
    frame.reserve(payload.size() + 2);
    frame.append(char(0x80 | kOpClose)).append(char(payload.size())).append(payload);
    return frame;
}

bool SocketReader::isOpen() const
{
    return m_tcp && m_tcp->state() == QAbstractSocket::ConnectedState;
}

void SocketReader::pause()
{
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
    if (!isOpen() || m_closing)
        return;
    m_closing = true;
    m_paused = false;
    m_tcp->write(closeFrame(code, reason));
    // What was read but not parsed is the peer's too: its close may be in it.
    // (Not from here: this may be called from inside parse().)
    QMetaObject::invokeMethod(this, &SocketReader::readFrames, Qt::QueuedConnection);
}

void SocketReader::answerClose(int code)
{
    if (!isOpen() || m_closing)
        return;
    m_closing = true;
    // RFC 6455 §5.5.1: echo the code (none, if none came); the server then
    // closes the TCP connection (§7.1.1), once the answer is written.
    if (code == 1005)
        m_tcp->write(QByteArray("\x88\x00", 2));
    else
        m_tcp->write(closeFrame(code, QString()));
    m_tcp->disconnectFromHost();
}

void SocketReader::readFrames()
{
    // One read per readyRead takes everything the kernel has (it also turns
    // the read notification on again); only when the bound cut a read short is
    // there more to take once the parser made room. After our close frame the
    // frames are parsed only to find the peer's close.
    bool more = true;
    while (more && (!m_paused || m_closing) && isOpen()) {
        if (m_stopped) {
            // Nothing more is parsed (the parser failed, or the peer's close
            // came): what arrives is read and dropped until the socket closes;
            // after a parser error its frame headers are still followed, to
            // find the peer's answer to our close.
            if (!m_pending.isEmpty())
                skipToClose(std::exchange(m_pending, QByteArray()));
            const QByteArray bytes = m_tcp->read(qMax<qint64>(1, m_tcp->bytesAvailable()));
            if (!bytes.isEmpty())
                skipToClose(bytes);
            return;
        }
        more = takeFromSocket();
        parse();
    }
}

bool SocketReader::takeFromSocket()
{
    const qint64 room = kReadBufferBytes - m_pending.size();
    if (room <= 0 || !isOpen())
        return false;
    // At least one byte is asked for: that read is what finds the peer's end
    // (UnbufferedSocket) and turns the socket's read notification on again.
    const qint64 wanted = qBound<qint64>(1, m_tcp->bytesAvailable(), room);
    QByteArray bytes = m_tcp->read(wanted);
    if (bytes.isEmpty())
        return false;
    const qint64 read = bytes.size();
    m_listener->bytesArrived();
    if (m_pending.isEmpty())
        m_pending = std::move(bytes);
    else
        m_pending.append(bytes);
    return read == room;
}

void SocketReader::parse()
{
    qsizetype offset = 0;
    while ((!m_paused || m_closing) && !m_stopped && isOpen()) {
        const FrameParser::Result result = m_parser.parseOne(m_pending, offset, *this);
        if (result == FrameParser::Result::NeedMore)
            break;
        if (result == FrameParser::Result::Failed) {
            // The frames from the refused one on are only skipped (readFrames).
            m_skipping = true;
            break;
        }
        if (!m_closing && !m_stopped)
            m_listener->frameProcessed();
    }
    if ((m_stopped && !m_skipping) || offset >= m_pending.size())
        m_pending = QByteArray(); // idle: no buffer held
    else if (offset > 0)
        m_pending.remove(0, offset);
}

void SocketReader::messageReceived(const QByteArray &data, bool binary)
{
    if (!m_closing)
        m_listener->messageReceived(data, binary);
}

void SocketReader::pongReceived()
{
    if (!m_closing)
        m_listener->frameWithoutMessage();
}

void SocketReader::fragmentReceived()
{
    if (!m_closing)
        m_listener->frameWithoutMessage();
}

void SocketReader::pingReceived(const QByteArray &payload)
{
    // Nothing may follow our close frame, pongs included.
    if (!m_closing)
        m_listener->pingReceived(payload);
}

void SocketReader::closeReceived(int code)
{
    m_stopped = true;
    if (m_closing) {
        // The answer to our close frame: nothing more will come that could be
        // left unread, so closing now sends FIN, not RST.
        m_tcp->disconnectFromHost();
        return;
    }
    m_listener->closeReceived(code);
}

void SocketReader::skipToClose(const QByteArray &bytes)
{
    if (!m_skipping || !m_tcp)
        return;
    // Frame headers only (a few bytes each); payloads are skipped unread.
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        if (m_skip > 0) {
            const quint64 step = qMin<quint64>(m_skip, quint64(size - i));
            m_skip -= step;
            i += qsizetype(step);
            continue;
        }
        m_header[m_headerLength++] = data[i++];
        if (m_headerLength < 2 || m_headerLength < FrameParser::headerSize(m_header[1]))
            continue;
        m_headerLength = 0;
        m_skip = FrameParser::payloadLength(m_header);
        if ((m_header[0] & 0x0F) == kOpClose && m_closing) {
            // The peer answered our close: closing now sends FIN, not RST.
            m_skipping = false;
            m_tcp->disconnectFromHost();
            return;
        }
    }
}

void SocketReader::protocolError(int code, const QString &reason)
{
    m_stopped = true;
    if (!m_closing)
        m_listener->protocolError(code, reason);
}

} // namespace Natter::Server
