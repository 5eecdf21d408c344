// natterd's listening socket: a QTcpServer whose accepted sockets are
// UnbufferedSockets, opened Unbuffered.
//
// A buffered QTcpSocket keeps a 32 KiB write chunk (QAbstractSocket's
// QRingBuffer) and a 16 KiB read chunk for its whole life once anything was
// written or read, although an idle WebSocket sends a pong now and then. An
// UnbufferedSocket writes straight to the kernel (only what the kernel does not
// take waits in Qt's buffer, which is freed again when it held more than a
// chunk) and reads only when asked to, so an idle connection holds no socket
// buffer in natterd (docs/benchmarks.md, "Idle memory per connection"). Their
// readers must read on every readyRead: an Unbuffered socket reports new bytes
// again only after a read. HttpConnection and SocketReader do. Owned by HttpServer.
#pragma once

#include <QTcpServer>

namespace Natter::Server {

class TcpListener : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace Natter::Server
