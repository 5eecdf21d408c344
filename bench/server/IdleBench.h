// Holds N authenticated, idle WebSocket connections to natterd and reports the
// server's resident memory before and after (RSS per connection).
#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

class BenchServer;

class BenchClient;

class IdleBench : public QObject
{
    Q_OBJECT
public:
    IdleBench(BenchServer *server, int connections, QObject *parent = nullptr);
    int run(); // prints the result; returns the exit code

    // Tokens of users idle0..idle9 (the caller made them, and lifted
    // natterd's per-user connection cap).
    static QStringList login(BenchServer *server);
    // Opens `connections` authenticated WebSockets with `tokens`, in waves, and
    // returns them once every one is ready or failed (`failed` counts those).
    static QList<BenchClient *> open(BenchServer *server, const QStringList &tokens,
                                     int connections, QObject *owner, int *failed);

private:
    BenchServer *m_server;
    int m_connections;
};
