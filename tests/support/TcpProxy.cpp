#include "TcpProxy.h"

#include <QHostAddress>

#include <utility>

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
        m_pairs.append(Pair{client, upstream, {}, Hold::Request, {}});
        // Bytes from the client wait in its buffer until upstream is connected.
        connect(upstream, &QTcpSocket::connected, this,
                [this, client, upstream] { relay(client, upstream); });
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                relay(client, upstream);
        });
        connect(upstream, &QTcpSocket::readyRead, this, [this, client, upstream] {
            if (Pair *pair = pairOf(client);
                pair && pair->held == Hold::Answer && !pair->heldBy.isEmpty()) {
                pair->waiting += upstream->readAll();
                return;
            }
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
    if (Pair *pair = pairOf(from)) { // from the client
        if (pair->heldBy.isEmpty()) {
            for (const auto &[marker, what] : std::as_const(m_holds)) {
                if (data.contains(marker)) {
                    pair->heldBy = marker;
                    pair->held = what;
                    break;
                }
            }
        }
        if (!pair->heldBy.isEmpty() && pair->held == Hold::Request) {
            pair->waiting += data;
            return;
        }
    }
    if (!m_frozen && to->state() == QAbstractSocket::ConnectedState)
        to->write(data);
}

TcpProxy::Pair *TcpProxy::pairOf(const QTcpSocket *client)
{
    for (Pair &pair : m_pairs) {
        if (pair.client == client)
            return &pair;
    }
    return nullptr;
}

void TcpProxy::hold(const QByteArray &marker, Hold what)
{
    m_holds.append({marker, what});
}

void TcpProxy::release(const QByteArray &marker, bool thenClose)
{
    m_holds.removeIf([&](const auto &hold) { return hold.first == marker; });
    for (Pair &pair : m_pairs) {
        if (pair.heldBy != marker)
            continue;
        pair.heldBy.clear();
        QTcpSocket *to = pair.held == Hold::Request ? pair.upstream : pair.client;
        if (to && to->state() == QAbstractSocket::ConnectedState)
            to->write(std::exchange(pair.waiting, QByteArray()));
        if (thenClose) {
            // disconnectFromHost() sends what is written, then FIN.
            if (pair.client)
                pair.client->disconnectFromHost();
            if (pair.upstream)
                pair.upstream->disconnectFromHost();
        }
    }
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
