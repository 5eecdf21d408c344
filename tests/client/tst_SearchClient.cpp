// SearchClient against a scripted HTTP peer (an in-test QTcpServer that answers
// each request with a response the test gives it): what natterd itself cannot
// be made to answer on demand. A 429 is RateLimited, with the wait the server
// asks for in words; the query reaches the server percent-encoded. (Results,
// paging and bad_query are tested through the real natterd: tst_NatterCli,
// tst_SearchPanel.)
#include "StaticTokenProvider.h"
#include "net/SearchClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {

// Answers every request with `response` and keeps the request line it got.
class ScriptedHttpPeer : public QTcpServer
{
public:
    QByteArray response;
    QByteArray requestLine;

    ScriptedHttpPeer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffer += socket->readAll();
                    if (!m_buffer.contains("\r\n\r\n"))
                        return;
                    requestLine = m_buffer.left(m_buffer.indexOf("\r\n"));
                    m_buffer.clear();
                    socket->write(response);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    QByteArray m_buffer;
};

QByteArray httpResponse(const QByteArray &status, const QByteArray &headers, const QByteArray &body)
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n" + headers + "Connection: close\r\n\r\n" + body;
}

} // namespace

class tst_SearchClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rateLimitedSaysHowLongToWait();
};

void tst_SearchClient::rateLimitedSaysHowLongToWait()
{
    ScriptedHttpPeer peer;
    QVERIFY(peer.listen(QHostAddress::LocalHost));
    const QUrl url(u"http://127.0.0.1:%1/api/v1/search"_s.arg(peer.serverPort()));
    StaticTokenProvider tokens(u"token"_s);
    SearchClient client(url, &tokens);
    QSignalSpy failed(&client, &SearchClient::failed);

    // natterd's answer past a peer's socket cap: 429, Retry-After, no retry_after.
    peer.response = httpResponse("429 Too Many Requests", "Retry-After: 7\r\n",
                                 R"({"error":"too_many_connections"})");
    client.search(u"a&b #c"_s);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).value<SearchClient::Error>(), SearchClient::Error::RateLimited);
    QCOMPARE(failed.at(0).at(1).toString(), u"The server is busy. Search again in 7 s."_s);
    QCOMPARE(peer.requestLine, "GET /api/v1/search?q=a%26b%20%23c&limit=20 HTTP/1.1");

    // The body's retry_after, when there is one, wins.
    peer.response = httpResponse("429 Too Many Requests", "Retry-After: 7\r\n",
                                 R"({"error":"rate_limited","retry_after":3})");
    client.search(u"x"_s);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(1).at(1).toString(), u"The server is busy. Search again in 3 s."_s);
}

QTEST_GUILESS_MAIN(tst_SearchClient)
#include "tst_SearchClient.moc"
