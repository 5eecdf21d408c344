// WireFrame: natterd's frames are built once and written as raw bytes to every
// receiver's TCP socket (docs/server.md, "Write path"). A real QWebSocket client
// must read exactly the text that went in, for every length form of RFC 6455
// §5.2 (7-bit, 16-bit, 64-bit), for messages QWebSocket would have fragmented
// (over 64 KiB) and for multi-byte UTF-8 split across those fragments. The
// server side here is a plain QTcpServer answering the handshake, so the bytes
// the client parses are exactly the encoder's.
#include "hub/ServerCodec.h"
#include "hub/WireFrame.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using Natter::Server::ServerCodec;
using Natter::Server::StoredMessage;
using Natter::Server::WireFrame;

class tst_WireFrame : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headers();
    void payloadRoundTrip_data();
    void payloadRoundTrip();
    void clientReadsWhatWasEncoded();
    void ackAndMessageShareOneEncoding_data();
    void ackAndMessageShareOneEncoding();

private:
    // A QWebSocket client connected to a raw TCP socket that has answered the handshake.
    bool connectPair(QWebSocket *client, QTcpServer *server, QTcpSocket **raw);
};

void tst_WireFrame::headers()
{
    // FIN + text opcode, no mask bit, shortest length form.
    QCOMPARE(WireFrame::encodeText("").toHex(), QByteArray("8100"));
    QCOMPARE(WireFrame::encodeText("hi").toHex(), QByteArray("81026869"));
    QCOMPARE(WireFrame::encodeText(QByteArray(125, 'a')).left(2).toHex(), QByteArray("817d"));
    QCOMPARE(WireFrame::encodeText(QByteArray(126, 'a')).left(4).toHex(), QByteArray("817e007e"));
    QCOMPARE(WireFrame::encodeText(QByteArray(65535, 'a')).left(4).toHex(), QByteArray("817effff"));
    QCOMPARE(WireFrame::encodeText(QByteArray(65536, 'a')).left(10).toHex(),
             QByteArray("817f0000000000010000"));
    // Over the frame size: text frame without FIN, then a final continuation.
    const QByteArray two = WireFrame::encodeText(QByteArray(65537, 'a'));
    QCOMPARE(two.size(), 10 + 65536 + 2 + 1);
    QCOMPARE(two.left(2).toHex(), QByteArray("017f"));
    QCOMPARE(two.mid(10 + 65536, 2).toHex(), QByteArray("8001"));
    // A fragment never ends inside a code point: "é" is two bytes, so the first
    // frame of 65,537 of them (131,074 bytes) carries 65,536 bytes, and 32,768 "é".
    const QByteArray accents = WireFrame::encodeText(QString(65537, QChar(0xE9)).toUtf8());
    QCOMPARE(accents.left(10).toHex(), QByteArray("017f0000000000010000"));
    const QByteArray emoji = WireFrame::encodeText(QStringLiteral("a😀").repeated(20000).toUtf8());
    // 5 bytes per pair; 65,536 = 13,107 × 5 + 1: the boundary falls between an
    // "a" and its 😀, a code point boundary, so the first frame is full.
    QCOMPARE(emoji.left(10).toHex(), QByteArray("017f0000000000010000"));
    const QByteArray split = WireFrame::encodeText(QStringLiteral("ab😀").repeated(20000).toUtf8());
    // 6 bytes per group; 65,536 = 10,922 × 6 + 4: the boundary would fall after
    // the 2nd byte of 😀, so the first frame ends before it: 65,534 bytes.
    QCOMPARE(split.left(4).toHex(), QByteArray("017efffe"));
}

void tst_WireFrame::payloadRoundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("short") << QByteArray("{\"type\":\"pong\"}");
    QTest::newRow("16-bit") << QByteArray(40000, 'x');
    QTest::newRow("fragmented") << QString(70000, QChar(0x00E9)).toUtf8();
    // 65,535 + 65,535 + 30 bytes: the three headers (4 + 4 + 2 bytes) are as
    // long as one frame's for 131,100 bytes (10), so the sizes cannot tell.
    QTest::newRow("three fragments, headers as long as one frame's")
        << QString(43700, QChar(0x20AC)).toUtf8();
}

void tst_WireFrame::payloadRoundTrip()
{
    QFETCH(QByteArray, text);
    const WireFrame frame(text);
    QCOMPARE(frame.payload(), text);
    QCOMPARE(frame.payloadSize(), text.size());
}

bool tst_WireFrame::connectPair(QWebSocket *client, QTcpServer *server, QTcpSocket **raw)
{
    if (!server->listen(QHostAddress::LocalHost))
        return false;
    client->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server->serverPort())));
    // The client needs the event loop to send its handshake: wait on it, not on the socket.
    if (!QTest::qWaitFor([&] { return server->hasPendingConnections(); }, 5000))
        return false;
    QTcpSocket *socket = server->nextPendingConnection();
    QByteArray request;
    if (!QTest::qWaitFor(
            [&] {
                request += socket->readAll();
                return request.contains("\r\n\r\n");
            },
            5000))
        return false;
    QByteArray key;
    for (const QByteArray &line : request.split('\n')) {
        if (line.toLower().startsWith("sec-websocket-key:"))
            key = line.mid(18).trimmed();
    }
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                  + accept + "\r\n\r\n");
    *raw = socket;
    QSignalSpy connected(client, &QWebSocket::connected);
    return connected.wait(5000);
}

void tst_WireFrame::clientReadsWhatWasEncoded()
{
    QTcpServer server;
    QWebSocket client;
    QTcpSocket *raw = nullptr;
    QVERIFY(connectPair(&client, &server, &raw));

    // Every length form; UTF-8 of 1 to 4 bytes per code point, so fragment
    // boundaries fall inside a code point too.
    const QString mixed = QStringLiteral("aé€😀");
    const QList<QString> texts = {
        QString(),
        QStringLiteral("{\"type\":\"message\",\"text\":\"hé 😀\"}"),
        QString(125, u'a'),
        QString(126, u'a'),
        mixed.repeated(65535 / mixed.toUtf8().size()),
        QString(65535, u'b'),
        QString(65536, u'c'),
        mixed.repeated(20000), // 200,000 bytes: four frames, split between code points
    };
    QStringList received;
    connect(&client, &QWebSocket::textMessageReceived, this,
            [&](const QString &text) { received << text; });
    QByteArray all;
    for (const QString &text : texts)
        all += WireFrame(text.toUtf8()).bytes();
    raw->write(all); // back to back, as a fan-out writes them
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), texts.size(), 10000);
    for (qsizetype i = 0; i < texts.size(); ++i)
        QCOMPARE(received[i], texts[i]);
}

void tst_WireFrame::ackAndMessageShareOneEncoding_data()
{
    // Refs and ids chosen to confuse a splice: the placeholder's own text, quotes.
    QTest::addColumn<QJsonValue>("ref");
    QTest::addColumn<QString>("clientMsgId");
    QTest::newRow("no ref") << QJsonValue(QJsonValue::Undefined) << u"c1"_qs;
    QTest::newRow("string ref") << QJsonValue(u"r\"message\":0"_qs) << u"\"message\":0"_qs;
    QTest::newRow("object ref") << QJsonValue(QJsonObject{{u"message"_qs, 0}}) << u"x"_qs;
    QTest::newRow("number ref") << QJsonValue(7) << u"grüße 😀"_qs;
}

void tst_WireFrame::ackAndMessageShareOneEncoding()
{
    // The frames built around one encoding of M are byte for byte the frames
    // QJsonDocument writes for the whole object.
    QFETCH(QJsonValue, ref);
    QFETCH(QString, clientMsgId);
    StoredMessage m;
    m.id = u"m1"_qs;
    m.channel = u"ch"_qs;
    m.seq = 42;
    m.author = u"u1"_qs;
    m.text = u"hé \"message\":0 😀\n"_qs;
    m.ts = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    m.clientMsgId = clientMsgId;
    m.ev = 9;
    const QByteArray json = ServerCodec::messageJson(m);

    QJsonObject ack{{u"type"_qs, u"ack"_qs},
                    {u"client_msg_id"_qs, clientMsgId},
                    {u"message"_qs, ServerCodec::message(m)}};
    if (!ref.isUndefined())
        ack.insert(u"ref"_qs, ref);
    QCOMPARE(ServerCodec::ackFrame(ref, clientMsgId, json),
             QJsonDocument(ack).toJson(QJsonDocument::Compact));
    QCOMPARE(ServerCodec::ackFrame(ref, m), QJsonDocument(ack).toJson(QJsonDocument::Compact));
    const QJsonObject message{{u"type"_qs, u"message"_qs},
                              {u"message"_qs, ServerCodec::message(m)}};
    QCOMPARE(ServerCodec::messageFrame(json),
             QJsonDocument(message).toJson(QJsonDocument::Compact));
}

QTEST_MAIN(tst_WireFrame)
#include "tst_wireframe.moc"
