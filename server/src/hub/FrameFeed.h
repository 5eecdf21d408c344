// The bytes QWebSocket's frame parser reads from: what SocketReader took from
// the socket and scanned, and nothing else.
//
// SocketReader reads a WebSocket's (Unbuffered) TCP socket itself and checks
// each frame header before the parser sees it (masking, pings, close). Handing
// the parser the socket would let it read bytes straight from the kernel that
// were never checked, so it gets this device instead, loaded with the scanned
// bytes for the duration of one parse. One instance serves every connection of
// the thread (the parser reads only inside SocketReader's synchronous call), so
// an idle connection holds no device and no buffer. Owned by SocketReader's
// translation unit (shared()).
#pragma once

#include <QByteArray>
#include <QIODevice>

namespace Natter::Server {

class FrameFeed : public QIODevice
{
    Q_OBJECT
public:
    FrameFeed();

    // The thread's instance.
    static FrameFeed &shared();

    // Makes `bytes` (shared, not copied) what the next reads return.
    void load(QByteArray bytes);
    bool isLoaded() const { return m_loaded; }
    // What was not read, and unloads.
    QByteArray take();

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QByteArray m_bytes;
    qsizetype m_position = 0;
    bool m_loaded = false;
};

} // namespace Natter::Server
