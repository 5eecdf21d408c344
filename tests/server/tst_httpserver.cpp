// HttpServer in-process: what the handed-over WebSocket connection looks like
// underneath (the Origin rules are tested against the real natterd in
// tst_serversecurity).
#include "http/HttpRouter.h"
#include "http/HttpServer.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace Natter::Server;

class tst_HttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void webSocketsHaveNagleOff();
};

void tst_HttpServer::webSocketsHaveNagleOff()
{
    // natterd writes small frames one after another (an ack, then each member's
    // message; typing; presence). With Nagle's algorithm a frame written while
    // the previous one is unacknowledged waits for the client's delayed ACK (up
    // to 40 ms on Linux): the fan-out benchmark showed p50 15 ms instead of
    // about 1.5 ms (docs/benchmarks.md).
    HttpRouter router;
    HttpServer server(&router);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString origin = u"http://127.0.0.1:%1"_qs.arg(server.serverPort());
    server.setAllowedOrigins({origin});
    qRegisterMetaType<QTcpSocket *>();
    QSignalSpy connected(&server, &HttpServer::webSocketConnected);

    QWebSocket client;
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws"_qs.arg(server.serverPort())));
    request.setRawHeader("Origin", origin.toUtf8());
    client.open(request);
    QVERIFY(connected.wait(10000));
    auto *tcp = connected.first().at(0).value<QTcpSocket *>();
    QVERIFY(tcp);
    QCOMPARE(tcp->socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
    delete tcp;
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
