#include "http/TrustedProxies.h"

#include <QStringList>

namespace Natter::Server {

namespace {
// "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1.
QHostAddress plain(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}
} // namespace

bool TrustedProxies::parse(const QString &list, QString *bad)
{
    m_subnets.clear();
    for (const QString &raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        QString entry = raw.trimmed();
        if (entry.isEmpty())
            continue;
        if (!entry.contains(QLatin1Char('/'))) {
            const QHostAddress address(entry);
            if (address.isNull()) {
                if (bad)
                    *bad = entry;
                return false;
            }
            entry += address.protocol() == QAbstractSocket::IPv6Protocol ? u"/128"_qs : u"/32"_qs;
        }
        const auto subnet = QHostAddress::parseSubnet(entry);
        if (subnet.first.isNull() || subnet.second < 0) {
            if (bad)
                *bad = raw.trimmed();
            return false;
        }
        m_subnets.append({plain(subnet.first), subnet.second});
    }
    return true;
}

bool TrustedProxies::contains(const QHostAddress &address) const
{
    const QHostAddress a = plain(address);
    for (const auto &subnet : m_subnets) {
        if (a.isInSubnet(subnet))
            return true;
    }
    return false;
}

QString TrustedProxies::clientAddress(const QHostAddress &socketPeer,
                                      const QByteArray &forwardedFor) const
{
    QHostAddress current = plain(socketPeer);
    if (!contains(current))
        return current.toString(); // never trust the header from anyone else
    // Walk from the right (the hop our proxy saw) past further trusted proxies.
    const QList<QByteArray> hops = forwardedFor.split(',');
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        const QByteArray hop = hops[i].trimmed();
        if (hop.isEmpty())
            continue;
        const QHostAddress address(QString::fromLatin1(hop));
        if (address.isNull())
            break; // garbage: the trusted hop that passed it on is as far as we know
        current = plain(address);
        if (!contains(current))
            break;
    }
    return current.toString();
}

} // namespace Natter::Server
