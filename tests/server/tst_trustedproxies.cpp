// TrustedProxies: X-Forwarded-For names the client only when the connection
// comes from a configured proxy, and only its last untrusted hop counts.
#include "http/TrustedProxies.h"

#include <QtTest>

using Natter::Server::TrustedProxies;

class tst_TrustedProxies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAddressesAndCidrs();
    void rejectsGarbage_data();
    void rejectsGarbage();
    void clientAddress_data();
    void clientAddress();
};

void tst_TrustedProxies::parsesAddressesAndCidrs()
{
    TrustedProxies p;
    QVERIFY(p.parse(u" 10.0.0.0/8, 192.168.1.5 ,2001:db8::/32,::1"_qs));
    QVERIFY(p.contains(QHostAddress(u"10.200.3.4"_qs)));
    QVERIFY(p.contains(QHostAddress(u"::ffff:10.1.1.1"_qs)));
    QVERIFY(p.contains(QHostAddress(u"192.168.1.5"_qs)));
    QVERIFY(!p.contains(QHostAddress(u"192.168.1.6"_qs)));
    QVERIFY(p.contains(QHostAddress(u"2001:db8:1::7"_qs)));
    QVERIFY(p.contains(QHostAddress(u"::1"_qs)));
    QVERIFY(!p.contains(QHostAddress(u"127.0.0.1"_qs)));
    TrustedProxies none;
    QVERIFY(none.parse(QString()));
    QVERIFY(none.isEmpty());
}

void tst_TrustedProxies::rejectsGarbage_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("bad");
    QTest::newRow("name") << u"10.0.0.1,proxy.example"_qs << u"proxy.example"_qs;
    QTest::newRow("prefix") << u"10.0.0.0/33"_qs << u"10.0.0.0/33"_qs;
    QTest::newRow("address") << u"300.1.1.1"_qs << u"300.1.1.1"_qs;
}

void tst_TrustedProxies::rejectsGarbage()
{
    QFETCH(QString, list);
    QFETCH(QString, bad);
    TrustedProxies p;
    QString reported;
    QVERIFY(!p.parse(list, &reported));
    QCOMPARE(reported, bad);
}

void tst_TrustedProxies::clientAddress_data()
{
    QTest::addColumn<QString>("socketPeer");
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<QString>("client");
    // Trusted: 10.0.0.0/8 (the proxies), nothing else.
    QTest::newRow("direct client, header ignored")
        << u"203.0.113.9"_qs << QByteArray("198.51.100.1") << u"203.0.113.9"_qs;
    QTest::newRow("via proxy") << u"10.0.0.2"_qs << QByteArray("198.51.100.1")
                               << u"198.51.100.1"_qs;
    QTest::newRow("forged hops on the left do not count")
        << u"10.0.0.2"_qs << QByteArray("1.2.3.4, 198.51.100.1") << u"198.51.100.1"_qs;
    QTest::newRow("two proxies") << u"10.0.0.2"_qs << QByteArray("198.51.100.1, 10.9.9.9")
                                 << u"198.51.100.1"_qs;
    QTest::newRow("proxy without header") << u"10.0.0.2"_qs << QByteArray() << u"10.0.0.2"_qs;
    QTest::newRow("garbage stops at the proxy")
        << u"10.0.0.2"_qs << QByteArray("198.51.100.1, nonsense") << u"10.0.0.2"_qs;
    QTest::newRow("only proxies") << u"10.0.0.2"_qs << QByteArray("10.0.0.7, 10.0.0.8")
                                  << u"10.0.0.7"_qs;
    QTest::newRow("mapped socket address")
        << u"::ffff:10.0.0.2"_qs << QByteArray("2001:db8::5") << u"2001:db8::5"_qs;
}

void tst_TrustedProxies::clientAddress()
{
    QFETCH(QString, socketPeer);
    QFETCH(QByteArray, forwardedFor);
    QFETCH(QString, client);
    TrustedProxies p;
    QVERIFY(p.parse(u"10.0.0.0/8"_qs));
    QCOMPARE(p.clientAddress(QHostAddress(socketPeer), forwardedFor), client);
}

QTEST_GUILESS_MAIN(tst_TrustedProxies)
#include "tst_trustedproxies.moc"
