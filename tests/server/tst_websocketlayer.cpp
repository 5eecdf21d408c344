// natterd's own WebSocket layer, as a peer cannot see it through a well-behaved
// client: the frame parser (hub/FrameParser) against hand-built frames for each
// rule of RFC 6455 it enforces, fed whole and a byte at a time, and the
// handshake's answer (http/WebSocketHandshake) to good and bad upgrade
// requests. The layer against the real natterd and real QWebSocket clients is
// every integration test's (tst_connectionlimits for the limits and closes).
#include "http/WebSocketHandshake.h"
#include "hub/FrameParser.h"

#include <QRandomGenerator>
#include <QtTest>

using Natter::Server::FrameParser;
using Natter::Server::HttpRequest;
namespace WebSocketHandshake = Natter::Server::WebSocketHandshake;

namespace {

// One client frame: FIN, opcode, the mask bit and key, the shortest length form.
QByteArray clientFrame(uchar opcode, const QByteArray &payload, bool final = true,
                       bool masked = true, uchar rsv = 0)
{
    QByteArray frame;
    frame.append(char((final ? 0x80 : 0) | rsv | opcode));
    const uchar maskBit = masked ? 0x80 : 0;
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(maskBit | n));
    } else if (n < 65536) {
        frame.append(char(maskBit | 126)).append(char(n >> 8)).append(char(n & 0xFF));
    } else {
        frame.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(n) >> (8 * i)) & 0xFF));
    }
    if (!masked)
        return frame + payload;
    const quint32 key = QRandomGenerator::global()->generate();
    uchar mask[4];
    std::memcpy(mask, &key, 4);
    frame.append(reinterpret_cast<const char *>(mask), 4);
    for (qsizetype i = 0; i < n; ++i)
        frame.append(char(uchar(payload[i]) ^ mask[i & 3]));
    return frame;
}

// A masked frame whose length takes the 16-bit (126) or 64-bit (127) form
// whatever its size: RFC 6455 does not require the shortest form.
QByteArray longFormFrame(uchar opcode, const QByteArray &payload, uchar form, quint64 length)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode)).append(char(0x80 | form));
    for (int i = form == 126 ? 1 : 7; i >= 0; --i)
        frame.append(char((length >> (8 * i)) & 0xFF));
    const uchar mask[4] = {0x11, 0x22, 0x33, 0x44};
    frame.append(reinterpret_cast<const char *>(mask), 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(uchar(payload[i]) ^ mask[i & 3]));
    return frame;
}

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    QByteArray p;
    p.append(char(code >> 8)).append(char(code & 0xFF));
    return p + reason;
}

// Records what the parser tells, as text.
class Recorder : public FrameParser::Sink
{
public:
    QStringList events;
    int fragments = 0; // frames that did not end their message

    void messageReceived(const QByteArray &data, bool binary) override
    {
        events << (binary ? u"binary:"_qs : u"text:"_qs) + QString::fromLatin1(data.toHex());
    }
    void pingReceived(const QByteArray &payload) override
    {
        events << u"ping:"_qs + QString::fromLatin1(payload.toHex());
    }
    void pongReceived() override { events << u"pong"_qs; }
    void fragmentReceived() override { ++fragments; }
    void closeReceived(int code) override { events << u"close:%1"_qs.arg(code); }
    void protocolError(int code, const QString &) override { events << u"error:%1"_qs.arg(code); }
};

// Feeds `bytes` whole, or a byte at a time as a socket might deliver them.
QStringList parseAll(const QByteArray &bytes, bool byteByByte, qsizetype maxMessage = 64 * 1024)
{
    FrameParser parser(maxMessage);
    Recorder sink;
    QByteArray buffer;
    qsizetype offset = 0;
    const qsizetype step = byteByByte ? 1 : bytes.size();
    for (qsizetype at = 0; at < bytes.size(); at += step) {
        buffer.append(bytes.mid(at, step));
        FrameParser::Result r;
        while ((r = parser.parseOne(buffer, offset, sink)) == FrameParser::Result::Frame) { }
        if (r == FrameParser::Result::Failed)
            break;
    }
    return sink.events;
}

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

} // namespace

class tst_WebSocketLayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void frames_data();
    void frames();
    void oversizeIsRefusedFromTheHeader();
    void nothingIsParsedAfterClose();
    void aRefusedCloseStaysInTheBuffer();
    void fragmentsAreToldOneByOne();
    void utf8_data();
    void utf8();
    void handshake_data();
    void handshake();
    void upgradeMustListWebsocket_data();
    void upgradeMustListWebsocket();
    void acceptKeyIsRfc6455s();
};

void tst_WebSocketLayer::frames_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    const QByteArray big(300, 'x'); // the 16-bit length form
    const QByteArray utf8 = QStringLiteral("héllo 😀").toUtf8();

    QTest::newRow("text") << clientFrame(0x1, "hi") << QStringList{u"text:6869"_qs};
    QTest::newRow("empty text") << clientFrame(0x1, "") << QStringList{u"text:"_qs};
    QTest::newRow("binary, not UTF-8")
        << clientFrame(0x2, "\xff\xfe") << QStringList{u"binary:fffe"_qs};
    QTest::newRow("16-bit length") << clientFrame(0x1, big) << QStringList{u"text:"_qs + hex(big)};
    QTest::newRow("64 KiB exactly, 64-bit length form")
        << clientFrame(0x2, QByteArray(65536, 'a'))
        << QStringList{u"binary:"_qs + hex(QByteArray(65536, 'a'))};
    QTest::newRow("two messages") << clientFrame(0x1, "a") + clientFrame(0x1, "b")
                                  << QStringList{u"text:61"_qs, u"text:62"_qs};
    // §5.4: fragments, a code point split across them, a ping between them.
    QTest::newRow("fragmented, ping inside") << clientFrame(0x1, utf8.left(2), false)
            + clientFrame(0x9, "p") + clientFrame(0x0, utf8.mid(2, 7), false)
            + clientFrame(0x0, utf8.mid(9)) << QStringList{u"ping:70"_qs, u"text:"_qs + hex(utf8)};
    QTest::newRow("pong") << clientFrame(0xA, "x") << QStringList{u"pong"_qs};
    QTest::newRow("16-bit form for 5 bytes")
        << longFormFrame(0x1, "hello", 126, 5) << QStringList{u"text:"_qs + hex("hello")};
    QTest::newRow("64-bit form for 5 bytes")
        << longFormFrame(0x1, "hello", 127, 5) << QStringList{u"text:"_qs + hex("hello")};
    QTest::newRow("64-bit length with its top bit set")
        << longFormFrame(0x1, "hello", 127, quint64(1) << 63 | 5) << QStringList{u"error:1002"_qs};
    QTest::newRow("fragmented, close inside")
        << clientFrame(0x1, "a", false) + clientFrame(0x8, closePayload(1000))
        << QStringList{u"close:1000"_qs};
    QTest::newRow("close 1011") << clientFrame(0x8, closePayload(1011))
                                << QStringList{u"close:1011"_qs};
    QTest::newRow("close 1012 (IANA)")
        << clientFrame(0x8, closePayload(1012)) << QStringList{u"close:1012"_qs};
    QTest::newRow("close 1014 (IANA)")
        << clientFrame(0x8, closePayload(1014)) << QStringList{u"close:1014"_qs};
    QTest::newRow("close 1015 on the wire")
        << clientFrame(0x8, closePayload(1015)) << QStringList{u"error:1002"_qs};
    QTest::newRow("close 2999") << clientFrame(0x8, closePayload(2999))
                                << QStringList{u"error:1002"_qs};
    QTest::newRow("close 3000") << clientFrame(0x8, closePayload(3000))
                                << QStringList{u"close:3000"_qs};
    QTest::newRow("close 5000") << clientFrame(0x8, closePayload(5000))
                                << QStringList{u"error:1002"_qs};
    QTest::newRow("close without code") << clientFrame(0x8, "") << QStringList{u"close:1005"_qs};
    QTest::newRow("close 1000 with reason")
        << clientFrame(0x8, closePayload(1000, "bye")) << QStringList{u"close:1000"_qs};
    QTest::newRow("close 4001") << clientFrame(0x8, closePayload(4001))
                                << QStringList{u"close:4001"_qs};

    // §5.1: a client masks every frame.
    QTest::newRow("unmasked") << clientFrame(0x1, "hi", true, false)
                              << QStringList{u"error:1002"_qs};
    // §5.2: reserved bits (no extension was negotiated) and opcodes.
    QTest::newRow("RSV1") << clientFrame(0x1, "hi", true, true, 0x40)
                          << QStringList{u"error:1002"_qs};
    QTest::newRow("RSV3") << clientFrame(0x1, "hi", true, true, 0x10)
                          << QStringList{u"error:1002"_qs};
    QTest::newRow("opcode 3") << clientFrame(0x3, "hi") << QStringList{u"error:1002"_qs};
    QTest::newRow("opcode 0xB") << clientFrame(0xB, "") << QStringList{u"error:1002"_qs};
    // §5.5: control frames are final and short.
    QTest::newRow("fragmented ping")
        << clientFrame(0x9, "p", false) << QStringList{u"error:1002"_qs};
    QTest::newRow("ping of 126 bytes")
        << clientFrame(0x9, QByteArray(126, 'p')) << QStringList{u"error:1002"_qs};
    QTest::newRow("ping of 125 bytes") << clientFrame(0x9, QByteArray(125, 'p'))
                                       << QStringList{u"ping:"_qs + hex(QByteArray(125, 'p'))};
    // §5.4: fragments belong to a message.
    QTest::newRow("continuation first") << clientFrame(0x0, "x") << QStringList{u"error:1002"_qs};
    QTest::newRow("text inside a fragmented message")
        << clientFrame(0x1, "a", false) + clientFrame(0x1, "b") << QStringList{u"error:1002"_qs};
    // §8.1: text is UTF-8, checked over the whole message.
    QTest::newRow("invalid UTF-8")
        << clientFrame(0x1, "a\xc0\x80") << QStringList{u"error:1007"_qs};
    QTest::newRow("code point cut at the end") << clientFrame(0x1, utf8.left(2), false)
            + clientFrame(0x0, "") << QStringList{u"error:1007"_qs};
    // §7.4: close codes a peer may send, and its reason is UTF-8.
    QTest::newRow("close of one byte") << clientFrame(0x8, "\x03") << QStringList{u"error:1002"_qs};
    QTest::newRow("close 1005 on the wire")
        << clientFrame(0x8, closePayload(1005)) << QStringList{u"error:1002"_qs};
    QTest::newRow("close 999") << clientFrame(0x8, closePayload(999))
                               << QStringList{u"error:1002"_qs};
    QTest::newRow("close 2000") << clientFrame(0x8, closePayload(2000))
                                << QStringList{u"error:1002"_qs};
    QTest::newRow("close with invalid reason")
        << clientFrame(0x8, closePayload(1000, "\xff")) << QStringList{u"error:1007"_qs};
    // Nothing after an error is parsed.
    QTest::newRow("nothing after an error") << clientFrame(0x1, "a", true, false)
            + clientFrame(0x1, "b") << QStringList{u"error:1002"_qs};
}

void tst_WebSocketLayer::frames()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QCOMPARE(parseAll(input, false), expected);
    QCOMPARE(parseAll(input, true), expected);
}

void tst_WebSocketLayer::oversizeIsRefusedFromTheHeader()
{
    // The header alone announces 64 KiB + 1: refused (1009) before any payload
    // arrives, so none of it is ever buffered.
    const QByteArray header = clientFrame(0x1, QByteArray(65537, 'a')).left(14);
    QCOMPARE(parseAll(header, true), QStringList{u"error:1009"_qs});
    // Fragments of 40 KiB each: the second takes the message over the limit.
    const QByteArray piece(40 * 1024, 'a');
    QCOMPARE(parseAll(clientFrame(0x1, piece, false) + clientFrame(0x0, piece).left(14), false),
             QStringList{u"error:1009"_qs});
    // A smaller limit applies the same way.
    QCOMPARE(parseAll(clientFrame(0x2, QByteArray(11, 'b')), false, 10),
             QStringList{u"error:1009"_qs});
    QCOMPARE(parseAll(clientFrame(0x2, QByteArray(10, 'b')), false, 10),
             QStringList{u"binary:"_qs + hex(QByteArray(10, 'b'))});
}

void tst_WebSocketLayer::fragmentsAreToldOneByOne()
{
    // Each frame that does not end its message is told (ClientConnection
    // limits them as it limits pings): here two, then the message.
    FrameParser parser(64 * 1024);
    Recorder recorder;
    const QByteArray buffer =
        clientFrame(0x1, "a", false) + clientFrame(0x0, "", false) + clientFrame(0x0, "b");
    qsizetype offset = 0;
    while (parser.parseOne(buffer, offset, recorder) == FrameParser::Result::Frame) { }
    QCOMPARE(recorder.fragments, 2);
    QCOMPARE(recorder.events, QStringList{u"text:"_qs + hex("ab")});
}

void tst_WebSocketLayer::aRefusedCloseStaysInTheBuffer()
{
    // A close frame refused for its content is still the peer's close: it is
    // left where SocketReader looks for the peer's close once natterd sent its
    // own, so the connection ends at once (tst_connectionlimits).
    const QList<QByteArray> refused{clientFrame(0x8, "\x03"), clientFrame(0x8, closePayload(999)),
                                    clientFrame(0x8, closePayload(1000, "\xff"))};
    for (const QByteArray &close : refused) {
        FrameParser parser(64 * 1024);
        Recorder recorder;
        const QByteArray buffer = clientFrame(0x1, "a") + close;
        qsizetype offset = 0;
        QCOMPARE(parser.parseOne(buffer, offset, recorder), FrameParser::Result::Frame);
        const qsizetype closeAt = offset;
        QCOMPARE(parser.parseOne(buffer, offset, recorder), FrameParser::Result::Failed);
        QCOMPARE(offset, closeAt);
    }
}

void tst_WebSocketLayer::nothingIsParsedAfterClose()
{
    QCOMPARE(parseAll(clientFrame(0x8, closePayload(1000)) + clientFrame(0x1, "late"), true),
             QStringList{u"close:1000"_qs});
}

void tst_WebSocketLayer::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("plain") << true;
    QTest::newRow("2, 3 and 4 bytes") << QStringLiteral("é€😀").toUtf8() << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("F5") << QByteArray("\xf5\x80\x80\x80") << false;
    QTest::newRow("overlong 2") << QByteArray("\xc1\xbf") << false;
    QTest::newRow("overlong 3") << QByteArray("\xe0\x9f\xbf") << false;
    QTest::newRow("overlong 4") << QByteArray("\xf0\x8f\xbf\xbf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("U+D7FF") << QByteArray("\xed\x9f\xbf") << true;
    QTest::newRow("lone continuation") << QByteArray("a\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
    QTest::newRow("bad continuation") << QByteArray("\xe2\x28\xa1") << false;
}

void tst_WebSocketLayer::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(FrameParser::isValidUtf8(bytes), valid);
    // Qt's strict decoder agrees.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    Q_UNUSED(decoded);
    QCOMPARE(!decoder.hasError(), valid);
}

void tst_WebSocketLayer::handshake_data()
{
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("http10");
    QTest::addColumn<int>("status");
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    const QByteArray good = "http://127.0.0.1:8080";
    QTest::newRow("accepted") << QByteArray("Upgrade") << key << QByteArray("13") << good << false
                              << 101;
    QTest::newRow("Connection lists upgrade")
        << QByteArray("keep-alive, upgrade") << key << QByteArray("13") << good << false << 101;
    QTest::newRow("no Connection: Upgrade")
        << QByteArray("keep-alive") << key << QByteArray("13") << good << false << 400;
    QTest::newRow("no key") << QByteArray("Upgrade") << QByteArray() << QByteArray("13") << good
                            << false << 400;
    QTest::newRow("key not base64")
        << QByteArray("Upgrade") << QByteArray("!!!!") << QByteArray("13") << good << false << 400;
    QTest::newRow("key of 15 bytes") << QByteArray("Upgrade") << QByteArray("AAAAAAAAAAAAAAAAAAAA")
                                     << QByteArray("13") << good << false << 400;
    QTest::newRow("HTTP/1.0") << QByteArray("Upgrade") << key << QByteArray("13") << good << true
                              << 400;
    QTest::newRow("version 8") << QByteArray("Upgrade") << key << QByteArray("8") << good << false
                               << 426;
    QTest::newRow("two keys") << QByteArray("Upgrade") << key + ", " + key << QByteArray("13")
                              << good << false << 400;
    QTest::newRow("no Origin") << QByteArray("Upgrade") << key << QByteArray("13") << QByteArray()
                               << false << 403;
    QTest::newRow("foreign Origin") << QByteArray("Upgrade") << key << QByteArray("13")
                                    << QByteArray("http://evil") << false << 403;
    QTest::newRow("Origin differs in port") << QByteArray("Upgrade") << key << QByteArray("13")
                                            << QByteArray("http://127.0.0.1:8081") << false << 403;
}

void tst_WebSocketLayer::handshake()
{
    QFETCH(QByteArray, connection);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, origin);
    QFETCH(bool, http10);
    QFETCH(int, status);
    HttpRequest request;
    request.method = "GET";
    request.headers.insert("upgrade", "websocket");
    request.headers.insert("connection", connection);
    if (!key.isEmpty())
        request.headers.insert("sec-websocket-key", key);
    request.headers.insert("sec-websocket-version", version);
    if (!origin.isEmpty())
        request.headers.insert("origin", origin);
    const auto answer = WebSocketHandshake::answer(request, http10, {u"http://127.0.0.1:8080"_qs});
    QCOMPARE(answer.response.status, status);
    QCOMPARE(answer.originRefused, status == 403);
    if (status == 101) {
        QVERIFY(answer.switchingProtocols.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QVERIFY(answer.switchingProtocols.contains(
            "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(answer.switchingProtocols.endsWith("\r\n\r\n"));
    } else {
        QVERIFY(answer.switchingProtocols.isEmpty());
    }
    // §4.4: a client of another version learns which one the server speaks,
    // and (RFC 9110 §15.5.22) which protocol to upgrade to.
    const bool namesVersion = answer.response.headers.contains(
        QPair<QByteArray, QByteArray>("Sec-WebSocket-Version", "13"));
    QCOMPARE(namesVersion, status == 426);
    const bool namesUpgrade =
        answer.response.headers.contains(QPair<QByteArray, QByteArray>("Upgrade", "websocket"));
    QCOMPARE(namesUpgrade, status == 426);
}

void tst_WebSocketLayer::upgradeMustListWebsocket_data()
{
    QTest::addColumn<QByteArray>("upgrade");
    QTest::addColumn<int>("status");
    QTest::newRow("websocket") << QByteArray("websocket") << 101;
    QTest::newRow("WebSocket") << QByteArray("WebSocket") << 101;
    QTest::newRow("in a list") << QByteArray("h2c, websocket") << 101;
    QTest::newRow("another protocol") << QByteArray("h2c") << 400;
    QTest::newRow("empty") << QByteArray("") << 400;
}

void tst_WebSocketLayer::upgradeMustListWebsocket()
{
    QFETCH(QByteArray, upgrade);
    QFETCH(int, status);
    HttpRequest request;
    request.method = "GET";
    request.headers.insert("upgrade", upgrade);
    request.headers.insert("connection", "Upgrade");
    request.headers.insert("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
    request.headers.insert("sec-websocket-version", "13");
    request.headers.insert("origin", "http://127.0.0.1:8080");
    const auto answer = WebSocketHandshake::answer(request, false, {u"http://127.0.0.1:8080"_qs});
    QCOMPARE(answer.response.status, status);
}

void tst_WebSocketLayer::acceptKeyIsRfc6455s()
{
    // RFC 6455 §1.3's example.
    QCOMPARE(WebSocketHandshake::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

QTEST_GUILESS_MAIN(tst_WebSocketLayer)
#include "tst_websocketlayer.moc"
