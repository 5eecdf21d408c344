#include "RawWsClient.h"

#include <QJsonDocument>
#include <QtEndian>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int RawWsClient::Frame::closeCode() const
{
    if (opcode != 0x8 || payload.size() < 2)
        return -1;
    return qFromBigEndian<quint16>(payload.constData());
}

QJsonObject RawWsClient::Frame::json() const
{
    return opcode == 0x1 ? QJsonDocument::fromJson(payload).object() : QJsonObject();
}

RawWsClient::RawWsClient(int receiveBufferBytes)
    : m_receiveBuffer(receiveBufferBytes)
{ }

bool RawWsClient::open(quint16 port, const QByteArray &origin)
{
    if (m_receiveBuffer > 0) {
        // Set before connect(), so the window natterd sees is small from the start.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return false;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &m_receiveBuffer, sizeof m_receiveBuffer);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || !m_socket.setSocketDescriptor(fd)) {
            ::close(fd);
            return false;
        }
    } else {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(5000))
            return false;
    }
    m_socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                   + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nOrigin: "
                   + origin + "\r\n\r\n");
    while (!m_in.contains("\r\n\r\n")) {
        if (!m_socket.waitForReadyRead(5000))
            return false;
        m_in += m_socket.readAll();
    }
    const qsizetype end = m_in.indexOf("\r\n\r\n") + 4;
    const bool upgraded = m_in.startsWith("HTTP/1.1 101");
    m_in.remove(0, end);
    return upgraded;
}

QJsonObject RawWsClient::authenticate(const QString &token, const QJsonObject &resume)
{
    QJsonObject request{{QStringLiteral("type"), QStringLiteral("authenticate")},
                        {QStringLiteral("token"), token}};
    if (!resume.isEmpty())
        request.insert(QStringLiteral("resume"), resume);
    write(textFrame(request));
    Frame f;
    while (readFrame(&f)) {
        const QJsonObject json = f.json();
        if (json.value(QStringLiteral("type")).toString() == QStringLiteral("connected"))
            return json;
    }
    return {};
}

QByteArray RawWsClient::frame(int opcode, const QByteArray &payload, bool masked, bool fin)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        out.append(char(maskBit | char(payload.size())));
    } else if (payload.size() < 65536) {
        out.append(char(maskBit | 126));
        char length[2];
        qToBigEndian<quint16>(quint16(payload.size()), length);
        out.append(length, 2);
    } else {
        out.append(char(maskBit | 127));
        char length[8];
        qToBigEndian<quint64>(quint64(payload.size()), length);
        out.append(length, 8);
    }
    if (!masked)
        return out + payload;
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    out.append(key, 4);
    QByteArray body = payload;
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char(body[i] ^ key[i % 4]);
    return out + body;
}

QByteArray RawWsClient::textFrame(const QJsonObject &json, bool masked)
{
    return frame(0x1, QJsonDocument(json).toJson(QJsonDocument::Compact), masked);
}

void RawWsClient::write(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

bool RawWsClient::flush(int timeoutMs)
{
    while (m_socket.bytesToWrite() > 0) {
        if (!m_socket.waitForBytesWritten(timeoutMs))
            return false;
    }
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

bool RawWsClient::parseFrame(Frame *frame)
{
    if (m_in.size() < 2)
        return false;
    const uchar b0 = uchar(m_in[0]);
    const uchar b1 = uchar(m_in[1]);
    qsizetype header = 2;
    quint64 length = b1 & 0x7F;
    if (length == 126) {
        if (m_in.size() < 4)
            return false;
        length = qFromBigEndian<quint16>(m_in.constData() + 2);
        header = 4;
    } else if (length == 127) {
        if (m_in.size() < 10)
            return false;
        length = qFromBigEndian<quint64>(m_in.constData() + 2);
        header = 10;
    }
    if (b1 & 0x80)
        header += 4; // servers do not mask; tolerate it anyway
    if (quint64(m_in.size()) < quint64(header) + length)
        return false;
    frame->opcode = b0 & 0x0F;
    frame->payload = m_in.mid(header, qsizetype(length));
    m_in.remove(0, header + qsizetype(length));
    return true;
}

bool RawWsClient::readFrame(Frame *frame, int timeoutMs)
{
    m_socket.setReadBufferSize(0);
    for (;;) {
        m_in += m_socket.readAll();
        if (parseFrame(frame))
            return true;
        if (m_socket.state() != QAbstractSocket::ConnectedState
            || !m_socket.waitForReadyRead(timeoutMs)) {
            m_in += m_socket.readAll();
            if (parseFrame(frame))
                return true;
            m_ended = m_socket.state() != QAbstractSocket::ConnectedState;
            return false;
        }
    }
}

QList<RawWsClient::Frame> RawWsClient::readUntilClosed(int timeoutMs)
{
    QList<Frame> frames;
    Frame f;
    while (readFrame(&f, timeoutMs)) {
        frames.append(f);
        if (f.opcode == 0x8) {
            // Answer the close as a well-behaved client would, then wait for the end.
            write(frame(0x8, f.payload.left(2)));
            m_socket.waitForBytesWritten(timeoutMs);
            while (m_socket.state() == QAbstractSocket::ConnectedState
                   && m_socket.waitForReadyRead(timeoutMs))
                m_socket.readAll();
            break;
        }
    }
    return frames;
}
