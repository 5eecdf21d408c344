// A WebSocket client on a bare TCP socket, for tests that must misbehave.
//
// QWebSocket always masks, always reads and always answers; a hostile peer does
// none of that. This client does the handshake itself and then writes exactly
// the frames a test builds (masked or not, fragmented, pings) and reads only when
// the test asks. Its socket can be given a small kernel receive buffer so that
// "not reading" quickly closes the TCP window. Used against the real natterd.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>

class RawWsClient
{
public:
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
        int closeCode() const; // for a close frame; -1 otherwise
        QJsonObject json() const; // for a text frame
    };

    // receiveBufferBytes > 0: SO_RCVBUF set before connecting (a small TCP window).
    explicit RawWsClient(int receiveBufferBytes = 0);

    // Connects to natterd on loopback and completes the handshake.
    bool open(quint16 port, const QByteArray &origin);
    // Sends `authenticate` and reads until `connected` (returned; empty on failure).
    QJsonObject authenticate(const QString &token, const QJsonObject &resume = {});

    static QByteArray frame(int opcode, const QByteArray &payload, bool masked = true,
                            bool fin = true);
    static QByteArray textFrame(const QJsonObject &json, bool masked = true);
    void write(const QByteArray &bytes);
    // Stops taking bytes from the kernel (until the next readFrame()): what
    // natterd sends piles up in the small window, then in natterd.
    void stopReading() { m_socket.setReadBufferSize(1); }
    // Waits until everything written has left for the kernel; false if the
    // connection broke first.
    bool flush(int timeoutMs = 10000);

    // Reads the next frame, waiting up to timeoutMs. False on timeout or when the
    // connection ended (see ended()).
    bool readFrame(Frame *frame, int timeoutMs = 5000);
    // Reads until natterd's close frame (answered with a close frame) or the end of
    // the connection. Returns every frame read; the close frame last if one came.
    QList<Frame> readUntilClosed(int timeoutMs = 10000);
    bool ended() const { return m_ended; }

    QTcpSocket &socket() { return m_socket; }

private:
    bool parseFrame(Frame *frame);

    QTcpSocket m_socket;
    int m_receiveBuffer;
    QByteArray m_in;
    bool m_ended = false;
};
