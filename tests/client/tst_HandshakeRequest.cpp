// The opening request: the /ws URL, Origin and User-Agent for every server URL
// form, and the token in exactly the one place the account's method puts it.
#include "NatterVersion.h"
#include "net/HandshakeRequest.h"

#include <QTest>
#include <QUrlQuery>

using namespace Natter;
using namespace Qt::StringLiterals;
using AuthMethod = ConnectionManager::AuthMethod;

class tst_HandshakeRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urlAndOrigin_data();
    void urlAndOrigin();
    void tokenPlacement_data();
    void tokenPlacement();
    void userAgent();
};

void tst_HandshakeRequest::urlAndOrigin_data()
{
    QTest::addColumn<QUrl>("server");
    QTest::addColumn<QByteArray>("originOverride");
    QTest::addColumn<QUrl>("ws");
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("http with port")
        << QUrl(u"http://127.0.0.1:8080"_s) << QByteArray() << QUrl(u"ws://127.0.0.1:8080/ws"_s)
        << QByteArray("http://127.0.0.1:8080");
    QTest::newRow("https default port")
        << QUrl(u"https://chat.example.org"_s) << QByteArray()
        << QUrl(u"wss://chat.example.org/ws"_s) << QByteArray("https://chat.example.org");
    QTest::newRow("path and query dropped")
        << QUrl(u"https://chat.example.org:8443/app/?x=1#frag"_s) << QByteArray()
        << QUrl(u"wss://chat.example.org:8443/ws"_s) << QByteArray("https://chat.example.org:8443");
    QTest::newRow("ws scheme given")
        << QUrl(u"ws://localhost:9000"_s) << QByteArray() << QUrl(u"ws://localhost:9000/ws"_s)
        << QByteArray("http://localhost:9000");
    QTest::newRow("user info never in the origin")
        << QUrl(u"https://user:pw@chat.example.org"_s) << QByteArray()
        << QUrl(u"wss://chat.example.org/ws"_s) << QByteArray("https://chat.example.org");
    QTest::newRow("override") << QUrl(u"http://10.0.0.5:8080"_s)
                              << QByteArray("https://chat.example.org")
                              << QUrl(u"ws://10.0.0.5:8080/ws"_s)
                              << QByteArray("https://chat.example.org");
}

void tst_HandshakeRequest::urlAndOrigin()
{
    QFETCH(QUrl, server);
    QFETCH(QByteArray, originOverride);
    QFETCH(QUrl, ws);
    QFETCH(QByteArray, origin);
    ConnectionManager::Options options;
    options.serverUrl = server;
    options.origin = originOverride;
    const QNetworkRequest request = HandshakeRequest::build(options, u"tok"_s);
    QCOMPARE(request.url(), ws);
    QCOMPARE(request.rawHeader("Origin"), origin);
    QCOMPARE(HandshakeRequest::webSocketUrl(server), ws);
}

void tst_HandshakeRequest::tokenPlacement_data()
{
    QTest::addColumn<AuthMethod>("method");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("cookie");
    QTest::addColumn<QString>("query");
    QTest::newRow("first message: nowhere")
        << AuthMethod::FirstMessage << QByteArray() << QByteArray() << QString();
    QTest::newRow("bearer") << AuthMethod::BearerHeader << QByteArray("Bearer t.o.k")
                            << QByteArray() << QString();
    QTest::newRow("cookie") << AuthMethod::Cookie << QByteArray()
                            << QByteArray("natter_access_token=t.o.k") << QString();
    QTest::newRow("query") << AuthMethod::QueryParameter << QByteArray() << QByteArray()
                           << u"t.o.k"_s;
}

void tst_HandshakeRequest::tokenPlacement()
{
    QFETCH(AuthMethod, method);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, cookie);
    QFETCH(QString, query);
    ConnectionManager::Options options;
    options.serverUrl = QUrl(u"http://127.0.0.1:8080"_s);
    options.authMethod = method;
    const QNetworkRequest request = HandshakeRequest::build(options, u"t.o.k"_s);
    QCOMPARE(request.rawHeader("Authorization"), authorization);
    QCOMPARE(request.rawHeader("Cookie"), cookie);
    QCOMPARE(QUrlQuery(request.url()).queryItemValue(u"token"_s), query);
    QCOMPARE(request.url().hasQuery(), !query.isEmpty());
}

void tst_HandshakeRequest::userAgent()
{
    const QByteArray agent = HandshakeRequest::userAgent();
    QVERIFY2(agent.startsWith("Natter/" + QByteArray(kVersion) + " ("), agent.constData());
    QVERIFY(agent.endsWith(')'));
}

QTEST_GUILESS_MAIN(tst_HandshakeRequest)
#include "tst_HandshakeRequest.moc"
