// Writes each connection's frames of one event-loop turn with one system call.
//
// natterd's WebSocket sockets are Unbuffered (http/TcpListener): a write goes to
// the kernel at once. A turn can produce several frames for one socket (a
// resume's replay, `connected` then `resumed`, several messages fanned out in
// one turn under load); ClientConnection collects them and registers here, and
// one queued call at the end of the turn writes every collected batch. The
// order on the wire stays the order of the calls: a connection flushes its batch
// before anything else writes to its socket (SocketReader's close frames). One
// instance per thread (shared()).
#pragma once

#include <QList>
#include <QObject>

namespace Natter::Server {

class ClientConnection;

class OutputFlusher : public QObject
{
    Q_OBJECT
public:
    static OutputFlusher &shared();

    // `connection` has frames waiting: flush them at the end of this turn.
    void add(ClientConnection *connection);
    // `connection` is going away (or flushed by itself).
    void remove(ClientConnection *connection);

private:
    void flush();

    QList<ClientConnection *> m_waiting;
    QList<ClientConnection *> m_flushing; // flush()'s, empty between turns
    bool m_queued = false;
};

} // namespace Natter::Server
