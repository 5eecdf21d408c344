// Which reverse proxies may tell natterd a client's address (`trusted_proxies`).
//
// Behind a proxy every connection comes from the proxy, so per-peer limits (login
// throttling, §5) would lump all clients together. When the connecting address is
// in this list, the client is the last hop of `X-Forwarded-For` that is not itself
// a trusted proxy (each proxy appends the address it saw, so hops further left
// can be forged by the client). Otherwise the header is ignored. Value type,
// held by HttpServer and read by every HttpConnection.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace Natter::Server {

class TrustedProxies
{
public:
    // Parses a comma-separated list of addresses and CIDRs; false (with the
    // offending entry in `bad`) when one does not parse.
    bool parse(const QString &list, QString *bad = nullptr);
    bool isEmpty() const { return m_subnets.isEmpty(); }
    bool contains(const QHostAddress &address) const;

    // The client's address for a connection from `socketPeer` that carried
    // `forwardedFor` (the X-Forwarded-For value, possibly empty).
    QString clientAddress(const QHostAddress &socketPeer, const QByteArray &forwardedFor) const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
};

} // namespace Natter::Server
