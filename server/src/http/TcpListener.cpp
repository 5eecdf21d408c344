#include "http/TcpListener.h"

#include "ServerLog.h"
#include "http/UnbufferedSocket.h"

#include <unistd.h>

namespace Natter::Server {

void TcpListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new UnbufferedSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor, QAbstractSocket::ConnectedState,
                                     QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        qCWarning(lcServerHttp).noquote().nospace()
            << "event=accept_failed error=" << ServerLog::value(socket->errorString());
        delete socket;
        ::close(int(socketDescriptor));
        return;
    }
    addPendingConnection(socket);
}

} // namespace Natter::Server
