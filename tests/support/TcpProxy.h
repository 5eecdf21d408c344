// A loopback TCP relay between a client and a server, for tests that need to
// misbehave below the WebSocket layer: freeze() stops forwarding in both
// directions while keeping every TCP connection open (a peer that goes silent
// without closing), cutAll() drops every connection at once (a network cut),
// cutAfter(n) lets exactly n bytes through towards the clients and then drops
// every connection (a cut at a known point, whatever the scheduling), and
// hold() keeps one HTTP request, or its answer, back until released (answers
// that arrive in the order a test needs).
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

    // A connection whose client sends `marker` (in one read: a token, a user
    // name in a small JSON body) is held from then on until release(marker):
    // what the client sends next, that read included (Request), or what the
    // server answers (Answer), waits in the proxy, the connection open.
    enum class Hold { Request, Answer };
    void hold(const QByteArray &marker, Hold what);
    // Sends on what `marker` held, in order, and holds nothing more for it;
    // `thenClose` closes those connections once that is written (so the client
    // opens a new connection for its next request).
    void release(const QByteArray &marker, bool thenClose = false);

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray heldBy; // the marker holding this connection, if any
        Hold held = Hold::Request;
        QByteArray waiting; // held bytes, towards upstream (Request) or the client
    };
    void onNewConnection();
    void relay(QTcpSocket *from, QTcpSocket *to);
    Pair *pairOf(const QTcpSocket *client);

    QTcpServer m_server;
    quint16 m_targetPort;
    bool m_frozen = false;
    qint64 m_cutAfter = -1;
    int m_accepted = 0;
    QList<Pair> m_pairs;
    QList<QPair<QByteArray, Hold>> m_holds;
};
