// Holds N authenticated, idle WebSocket connections to natterd and reports the
// server's resident memory before and after (RSS per connection).
#pragma once

#include <QObject>

class BenchServer;

class IdleBench : public QObject
{
    Q_OBJECT
public:
    IdleBench(BenchServer *server, int connections, QObject *parent = nullptr);
    int run(); // prints the result; returns the exit code

private:
    BenchServer *m_server;
    int m_connections;
};
