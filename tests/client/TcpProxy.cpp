#include "TcpProxy.h"

#include <QHostAddress>

TcpProxy::TcpProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

bool TcpProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_accepted;
        auto *upstream = new QTcpSocket(this);
        client->setParent(this);
        m_pairs.append(Pair{client, upstream});
        // Bytes from the client wait in its buffer until upstream is connected.
        connect(upstream, &QTcpSocket::connected, this,
                [this, client, upstream] { relay(client, upstream); });
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                relay(client, upstream);
        });
        connect(upstream, &QTcpSocket::readyRead, this, [this, client, upstream] {
            if (m_cutAfter < 0) {
                relay(upstream, client);
                return;
            }
            const QByteArray data = upstream->readAll();
            if (client->state() != QAbstractSocket::ConnectedState)
                return;
            client->write(data.left(m_cutAfter));
            m_cutAfter -= qMin<qint64>(m_cutAfter, data.size());
            if (m_cutAfter == 0) {
                m_cutAfter = -1;
                // disconnectFromHost() sends what is written, then FIN.
                const auto pairs = m_pairs;
                m_pairs.clear();
                for (const Pair &pair : pairs) {
                    if (pair.upstream)
                        pair.upstream->abort();
                    if (pair.client)
                        pair.client->disconnectFromHost();
                }
            }
        });
        auto closeBoth = [client, upstream] {
            client->disconnectFromHost();
            upstream->disconnectFromHost();
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::errorOccurred, this, [client] { client->abort(); });
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpProxy::relay(QTcpSocket *from, QTcpSocket *to)
{
    const QByteArray data = from->readAll();
    if (!m_frozen && to->state() == QAbstractSocket::ConnectedState)
        to->write(data);
}

void TcpProxy::cutAll()
{
    const auto pairs = m_pairs;
    m_pairs.clear();
    for (const Pair &pair : pairs) {
        if (pair.client) {
            pair.client->abort();
            pair.client->deleteLater();
        }
        if (pair.upstream) {
            pair.upstream->abort();
            pair.upstream->deleteLater();
        }
    }
}
