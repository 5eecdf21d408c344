// A loopback TCP relay between a client and a server, for tests that need to
// misbehave below the WebSocket layer: freeze() stops forwarding in both
// directions while keeping every TCP connection open (a peer that goes silent
// without closing), cutAll() drops every connection at once (a network cut),
// cutAfter(n) lets exactly n bytes through towards the clients and then drops
// every connection (a cut at a known point, whatever the scheduling).
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

class TcpProxy : public QObject
{
    Q_OBJECT
public:
    explicit TcpProxy(quint16 targetPort, QObject *parent = nullptr);

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    void setTargetPort(quint16 port) { m_targetPort = port; }

    // While frozen, bytes are read and thrown away: nothing reaches the other side.
    void setFrozen(bool frozen) { m_frozen = frozen; }
    // Aborts every relayed connection (both sides see a dropped TCP connection).
    void cutAll();
    // After `bytes` more bytes from upstream have reached the clients, the
    // rest is withheld and every connection is cut; what was let through is
    // delivered before the client's side closes.
    void cutAfter(qint64 bytes) { m_cutAfter = bytes; }
    int accepted() const { return m_accepted; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };
    void onNewConnection();
    void relay(QTcpSocket *from, QTcpSocket *to);

    QTcpServer m_server;
    quint16 m_targetPort;
    bool m_frozen = false;
    qint64 m_cutAfter = -1;
    int m_accepted = 0;
    QList<Pair> m_pairs;
};
