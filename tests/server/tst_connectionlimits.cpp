// natterd's WebSocket connection layer under hostile and slow peers (issue 12,
// defects 1, 5 and 10, and the ping limit), against the real natterd: memory
// stays bounded while a peer sends without reading, a slow consumer is dropped
// and then resumes losing nothing, a close arrives after the answers before it
// instead of a reset, unmasked client frames are refused with 1002, and a ping
// flood is closed while everyone else is still served.
#include "HttpTestClient.h"
#include "NatterdProcess.h"
#include "RawWsClient.h"
#include "WsTestClient.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

namespace {

// Resident memory of a process in KiB, from /proc/PID/status.
qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Writes one more frame and waits for it to leave: true once natterd has closed
// the connection (a peer that does not read notices it when it writes).
bool closedByServer(QTcpSocket &socket, const QByteArray &frame)
{
    if (socket.state() == QAbstractSocket::ConnectedState) {
        socket.write(frame);
        socket.waitForBytesWritten(200);
    }
    return socket.state() != QAbstractSocket::ConnectedState;
}

constexpr qint64 kGrowthBoundKiB = 8 * 1024;
constexpr int kOutputLimit = 64 * 1024; // natterd's smallest: the tests fill it fast
constexpr int kSmallWindow = 8192; // SO_RCVBUF of a peer that does not read

} // namespace

class tst_ConnectionLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    // First: freed memory stays resident and would hide a later test's growth.
    void historyReaderThatDoesNotReadStaysBounded();
    void pingerThatDoesNotReadStaysBounded();
    void slowConsumerIsDroppedAndResumesLosingNothing();
    void floodCloseArrivesAfterTheErrors();
    void oversizeFragmentedMessageGets1009();
    void unmaskedFrameGets1002();
    void pingsAndThePeersCloseAreAnswered();
    void aRefusedCloseFrameIsStillThePeersClose();
    void pingFloodIsClosedWhileOthersAreServed();
    void framesWithoutAMessageAreLimitedAsPings_data();
    void framesWithoutAMessageAreLimitedAsPings();
    void pausedConnectionIsNotReadIntoMemory();

private:
    QString token(const QString &user) { return m_http->accessToken(user, user + u"-pw"_qs); }
    QByteArray historyRequest() const;

    NatterdProcess m_server;
    std::unique_ptr<HttpTestClient> m_http;
    QString m_general;
};

void tst_ConnectionLimits::initTestCase()
{
    QVERIFY(m_server.addUser(u"alice"_qs, u"alice-pw"_qs));
    QVERIFY(m_server.addUser(u"bob"_qs, u"bob-pw"_qs));
    QVERIFY(m_server.addChannel(u"general"_qs, {u"alice"_qs, u"bob"_qs}));
    QVERIFY2(m_server.start({u"--output-limit"_qs, QString::number(kOutputLimit),
                             u"--slow-consumer-timeout"_qs, u"1"_qs}),
             qPrintable(m_server.errorString()));
    m_http = std::make_unique<HttpTestClient>(m_server.httpUrl());
    WsTestClient probe;
    QVERIFY(probe.open(m_server.wsUrl(), m_server.origin()));
    m_general = probe.authenticate(token(u"alice"_qs))[u"channels"][0][u"id"].toString();
    QVERIFY(!m_general.isEmpty());
    // 30 messages of 12 KB to ask `history` for (two senders: one connection's
    // burst is 40 frames).
    for (const QString &user : {u"alice"_qs, u"bob"_qs}) {
        WsTestClient sender;
        QVERIFY(sender.open(m_server.wsUrl(), m_server.origin()));
        QVERIFY(!sender.authenticate(token(user)).isEmpty());
        for (int i = 0; i < 15; ++i) {
            sender.sendJson({{u"type"_qs, u"send"_qs},
                             {u"ref"_qs, u"h"_qs},
                             {u"channel"_qs, m_general},
                             {u"client_msg_id"_qs, QStringLiteral("fill-%1-%2").arg(user).arg(i)},
                             {u"text"_qs, QString(4000, QChar(0x20AC))}});
            QVERIFY(!sender.take(u"ack"_qs).isEmpty());
        }
    }
}

QByteArray tst_ConnectionLimits::historyRequest() const
{
    return RawWsClient::textFrame({{u"type"_qs, u"history"_qs},
                                   {u"ref"_qs, u"r"_qs},
                                   {u"channel"_qs, m_general},
                                   {u"limit"_qs, 30}});
}

void tst_ConnectionLimits::pingerThatDoesNotReadStaysBounded()
{
    // An unauthenticated peer sends WebSocket pings (each answered by a pong)
    // and never reads: up to 64 MiB of them, or until natterd drops it.
    RawWsClient pinger(kSmallWindow);
    QVERIFY(pinger.open(m_server.port(), m_server.origin()));
    pinger.stopReading();
    QByteArray batch;
    for (int i = 0; i < 256; ++i)
        batch += RawWsClient::frame(0x9, QByteArray(125, 'p'));
    const qint64 before = rssKiB(m_server.pid());
    QVERIFY(before > 0);
    qint64 peak = before;
    qint64 written = 0;
    QTcpSocket &socket = pinger.socket();
    while (socket.state() == QAbstractSocket::ConnectedState && written < 64 * 1024 * 1024) {
        if (socket.bytesToWrite() < 1024 * 1024) {
            socket.write(batch);
            written += batch.size();
        }
        socket.waitForBytesWritten(100);
        peak = qMax(peak, rssKiB(m_server.pid()));
    }
    // natterd closes it (ping flood, auth timeout or slow consumer) ...
    QTRY_VERIFY_WITH_TIMEOUT((peak = qMax(peak, rssKiB(m_server.pid())),
                              closedByServer(socket, RawWsClient::frame(0x9, {}))),
                             15000);
    // ... and never held more than a few MiB for it (64 MiB of pongs before).
    QVERIFY2(peak - before < kGrowthBoundKiB,
             qPrintable(QStringLiteral("natterd grew by %1 KiB").arg(peak - before)));
}

void tst_ConnectionLimits::historyReaderThatDoesNotReadStaysBounded()
{
    // Big answers (~360 KB) to its own requests, within the rate limit, never read.
    RawWsClient reader(kSmallWindow);
    QVERIFY(reader.open(m_server.port(), m_server.origin()));
    QVERIFY(!reader.authenticate(token(u"bob"_qs)).isEmpty());
    reader.stopReading();
    const QByteArray request = RawWsClient::textFrame({{u"type"_qs, u"history"_qs},
                                                       {u"ref"_qs, u"r"_qs},
                                                       {u"channel"_qs, m_general},
                                                       {u"limit"_qs, 30}});
    const qint64 before = rssKiB(m_server.pid());
    qint64 peak = before;
    QTcpSocket &socket = reader.socket();
    // Each answer is ~360 KB; the 40 of one burst were 14 MB queued in natterd.
    for (int i = 0; i < 200 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        socket.write(request);
        socket.waitForBytesWritten(100);
        peak = qMax(peak, rssKiB(m_server.pid()));
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        (peak = qMax(peak, rssKiB(m_server.pid())), closedByServer(socket, request)), 15000);
    QVERIFY2(peak - before < kGrowthBoundKiB,
             qPrintable(QStringLiteral("natterd grew by %1 KiB").arg(peak - before)));
}

void tst_ConnectionLimits::slowConsumerIsDroppedAndResumesLosingNothing()
{
    WsTestClient alice;
    QVERIFY(alice.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!alice.authenticate(token(u"alice"_qs)).isEmpty());
    RawWsClient bob(kSmallWindow);
    QVERIFY(bob.open(m_server.port(), m_server.origin()));
    const QJsonObject connected = bob.authenticate(token(u"bob"_qs));
    QVERIFY(!connected.isEmpty());
    qint64 bobSeq = -1;
    for (const QJsonValue &c : connected[u"channels"].toArray()) {
        if (c[u"id"].toString() == m_general)
            bobSeq = c[u"last_seq"].toInteger();
    }
    QVERIFY(bobSeq >= 0);

    QList<qint64> sent; // seqs of everything alice sent, in order
    QList<qint64> received; // seqs bob received, both sessions
    const auto send = [&](const QString &text) {
        static int n = 0;
        alice.sendJson({{u"type"_qs, u"send"_qs},
                        {u"ref"_qs, u"s"_qs},
                        {u"channel"_qs, m_general},
                        {u"client_msg_id"_qs, QStringLiteral("slow-%1").arg(++n)},
                        {u"text"_qs, text}});
        const QJsonObject ack = alice.take(u"ack"_qs);
        QVERIFY(!ack.isEmpty());
        sent.append(ack[u"message"][u"seq"].toInteger());
    };
    const auto collect = [&](RawWsClient &client, const QString &until) {
        RawWsClient::Frame f;
        while (client.readFrame(&f, 3000)) {
            const QJsonObject json = f.json();
            if (json[u"type"].toString() == u"message"
                && json[u"message"][u"channel"].toString() == m_general)
                received.append(json[u"message"][u"seq"].toInteger());
            if (!until.isEmpty() && json[u"type"].toString() == until)
                return;
        }
    };

    // While bob reads, he gets everything.
    for (int i = 0; i < 3; ++i)
        send(QStringLiteral("hello %1").arg(i));
    RawWsClient::Frame f;
    while (received.size() < 3 && bob.readFrame(&f)) {
        const QJsonObject json = f.json();
        if (json[u"type"].toString() == u"message")
            received.append(json[u"message"][u"seq"].toInteger());
    }
    QCOMPARE(received, sent);

    // Then he stops reading, after asking for 40 pages of history (~14 MB), and
    // more messages are sent meanwhile.
    bob.stopReading();
    const qsizetype drops = m_server.log().count("event=slow_consumer_close");
    for (int i = 0; i < 40; ++i)
        bob.write(historyRequest());
    for (int i = 0; i < 5; ++i)
        send(QStringLiteral("while away %1").arg(i));
    // natterd drops him within the bound (1 s over the limit here) ...
    QTRY_VERIFY_WITH_TIMEOUT(m_server.log().count("event=slow_consumer_close") > drops, 10000);
    // ... which he notices once he reads again: the connection is gone.
    collect(bob, {});
    QVERIFY(bob.ended());

    // He resumes from the last message he got, and has every message exactly once.
    RawWsClient bob2;
    QVERIFY(bob2.open(m_server.port(), m_server.origin()));
    const qint64 last = received.isEmpty() ? bobSeq : received.last();
    QVERIFY(!bob2.authenticate(token(u"bob"_qs), {{m_general, last}}).isEmpty());
    collect(bob2, u"resumed"_qs);
    QCOMPARE(received, sent);
}

void tst_ConnectionLimits::floodCloseArrivesAfterTheErrors()
{
    // A client floods JSON frames without reading: natterd refuses the excess
    // (`rate_limited`), then closes with 4429 while more frames are on their way.
    RawWsClient flooder(kSmallWindow);
    QVERIFY(flooder.open(m_server.port(), m_server.origin()));
    QVERIFY(!flooder.authenticate(token(u"alice"_qs)).isEmpty());
    flooder.stopReading();
    QByteArray flood;
    for (int i = 0; i < 5000; ++i)
        flood += RawWsClient::textFrame({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, i}});
    flooder.write(flood);
    flooder.flush();
    const QList<RawWsClient::Frame> frames = flooder.readUntilClosed();
    int refused = 0;
    for (const RawWsClient::Frame &f : frames)
        refused += f.json()[u"code"].toString() == u"rate_limited";
    QVERIFY(refused > 0);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().closeCode(), 4429); // not a reset (1006)
}

void tst_ConnectionLimits::oversizeFragmentedMessageGets1009()
{
    RawWsClient client(kSmallWindow);
    QVERIFY(client.open(m_server.port(), m_server.origin()));
    QVERIFY(!client.authenticate(token(u"alice"_qs)).isEmpty());
    client.stopReading();
    // Pongs fill the small window, so natterd's answers wait in its buffers.
    for (int i = 0; i < 60; ++i)
        client.write(RawWsClient::frame(0x9, QByteArray(125, 'q')));
    // One text message in 32 KiB fragments, 352 KiB in all (the limit is 64 KiB).
    const QByteArray chunk(32 * 1024, 'a');
    client.write(RawWsClient::frame(0x1, chunk, true, false));
    for (int i = 0; i < 9; ++i)
        client.write(RawWsClient::frame(0x0, chunk, true, false));
    client.write(RawWsClient::frame(0x0, chunk, true, true));
    client.flush();
    const QList<RawWsClient::Frame> frames = client.readUntilClosed();
    int pongs = 0;
    for (const RawWsClient::Frame &f : frames)
        pongs += f.opcode == 0xA;
    QCOMPARE(pongs, 60);
    QCOMPARE(frames.last().closeCode(), 1009);
}

void tst_ConnectionLimits::unmaskedFrameGets1002()
{
    // RFC 6455 §5.1: a server must close when a client frame is not masked.
    RawWsClient client;
    QVERIFY(client.open(m_server.port(), m_server.origin()));
    client.write(RawWsClient::textFrame(
        {{u"type"_qs, u"authenticate"_qs}, {u"token"_qs, token(u"alice"_qs)}}, false));
    const QList<RawWsClient::Frame> frames = client.readUntilClosed();
    QVERIFY(!frames.isEmpty());
    for (const RawWsClient::Frame &f : frames)
        QVERIFY(f.json()[u"type"].toString() != u"connected");
    QCOMPARE(frames.last().closeCode(), 1002);
}

void tst_ConnectionLimits::pingsAndThePeersCloseAreAnswered()
{
    // natterd's own WebSocket layer (RFC 6455 §5.5): a pong carries its ping's
    // payload and follows the answers written before it; the peer's close is
    // answered with its code, and natterd then ends the TCP connection (§7.1.1).
    RawWsClient client;
    QVERIFY(client.open(m_server.port(), m_server.origin()));
    QVERIFY(!client.authenticate(token(u"alice"_qs)).isEmpty());
    client.write(RawWsClient::textFrame({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"first"_qs}})
                 + RawWsClient::frame(0x9, "payload of the ping"));
    // Other frames (`resumed`, presence) may come between; the order of these two may not.
    bool answered = false;
    RawWsClient::Frame frame;
    while (client.readFrame(&frame) && frame.opcode != 0xA) {
        const QJsonObject json = frame.json();
        answered = answered
            || (json[u"type"].toString() == u"pong" && json[u"ref"].toString() == u"first");
    }
    QCOMPARE(frame.opcode, 0xA);
    QVERIFY(answered);
    QCOMPARE(frame.payload, QByteArray("payload of the ping"));

    client.write(RawWsClient::frame(0x8,
                                    QByteArray("\x0f\xa0"
                                               "bye",
                                               5))); // 4000 "bye"
    const QList<RawWsClient::Frame> frames = client.readUntilClosed();
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().closeCode(), 4000);
    QVERIFY(client.socket().state() == QAbstractSocket::UnconnectedState
            || client.socket().waitForDisconnected(5000));
}

void tst_ConnectionLimits::aRefusedCloseFrameIsStillThePeersClose()
{
    // RFC 6455 §7.1.1: a close frame natterd refuses (code 999: 1002) is still
    // the peer's close. natterd answers with its own and ends the TCP
    // connection at once, instead of waiting for a second close frame that
    // will not come and cutting the connection off after kCloseWaitMs
    // (event=close_wait_expired) with a reset.
    const qsizetype expiredBefore = m_server.log().count("event=close_wait_expired");
    RawWsClient client;
    QVERIFY(client.open(m_server.port(), m_server.origin()));
    QVERIFY(!client.authenticate(token(u"alice"_qs)).isEmpty());
    client.write(RawWsClient::frame(0x8, QByteArray("\x03\xe7", 2))); // code 999
    // Having sent its close, the client sends nothing more (§5.5.1): it reads
    // natterd's close and waits for the end of the connection.
    RawWsClient::Frame frame;
    while (client.readFrame(&frame) && frame.opcode != 0x8) { }
    QCOMPARE(frame.opcode, 0x8);
    QCOMPARE(frame.closeCode(), 1002);
    QVERIFY(client.socket().state() == QAbstractSocket::UnconnectedState
            || client.socket().waitForDisconnected(10000));
    // Once a line natterd logs after this is in the log, so is everything before it.
    HttpTestClient http(m_server.httpUrl());
    http.request("GET", u"/after-the-refused-close"_qs);
    QTRY_VERIFY(m_server.log().contains("/after-the-refused-close"));
    QCOMPARE(m_server.log().count("event=close_wait_expired"), expiredBefore);
}

void tst_ConnectionLimits::pingFloodIsClosedWhileOthersAreServed()
{
    RawWsClient pinger;
    QVERIFY(pinger.open(m_server.port(), m_server.origin()));
    QVERIFY(!pinger.authenticate(token(u"bob"_qs)).isEmpty());
    QByteArray flood;
    for (int i = 0; i < 20000; ++i)
        flood += RawWsClient::frame(0x9, {});
    pinger.write(flood);
    // Another client is answered meanwhile.
    WsTestClient alice;
    QVERIFY(alice.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!alice.authenticate(token(u"alice"_qs)).isEmpty());
    alice.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QCOMPARE(alice.take(u"pong"_qs)[u"ref"].toString(), u"p"_qs);
    // The flood (read as it is answered) is closed for flooding.
    const QList<RawWsClient::Frame> frames = pinger.readUntilClosed();
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().closeCode(), 4429);
    int pongs = 0;
    for (const RawWsClient::Frame &f : frames)
        pongs += f.opcode == 0xA;
    QVERIFY2(pongs < 1000, qPrintable(QString::number(pongs)));
    alice.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"q"_qs}});
    QCOMPARE(alice.take(u"pong"_qs)[u"ref"].toString(), u"q"_qs);
}

void tst_ConnectionLimits::framesWithoutAMessageAreLimitedAsPings_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("pongs") << QByteArray() << RawWsClient::frame(0xA, {});
    // A message that never ends: empty continuation frames, none of them final.
    QTest::newRow("empty fragments")
        << RawWsClient::frame(0x1, "{", true, false) << RawWsClient::frame(0x0, {}, true, false);
}

void tst_ConnectionLimits::framesWithoutAMessageAreLimitedAsPings()
{
    QFETCH(QByteArray, start);
    QFETCH(QByteArray, frame);
    RawWsClient flooder;
    QVERIFY(flooder.open(m_server.port(), m_server.origin()));
    QVERIFY(!flooder.authenticate(token(u"bob"_qs)).isEmpty());
    QByteArray flood = start;
    for (int i = 0; i < 20000; ++i)
        flood += frame;
    flooder.write(flood);
    // Others are answered meanwhile, and the flood is closed for flooding.
    WsTestClient alice;
    QVERIFY(alice.open(m_server.wsUrl(), m_server.origin()));
    QVERIFY(!alice.authenticate(token(u"alice"_qs)).isEmpty());
    alice.sendJson({{u"type"_qs, u"ping"_qs}, {u"ref"_qs, u"p"_qs}});
    QCOMPARE(alice.take(u"pong"_qs)[u"ref"].toString(), u"p"_qs);
    const QList<RawWsClient::Frame> frames = flooder.readUntilClosed();
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().closeCode(), 4429);
}

void tst_ConnectionLimits::pausedConnectionIsNotReadIntoMemory()
{
    // natterd stops reading a connection whose output is over its limit. The
    // peer keeps writing: what it writes must wait in the kernel (TCP pushes
    // back), not in natterd. A natterd of its own that keeps a slow consumer
    // for 20 s, so the connection stays paused while the peer writes.
    NatterdProcess server;
    QVERIFY(server.addUser(u"carol"_qs, u"carol-pw"_qs));
    QVERIFY(server.addChannel(u"general"_qs, {u"carol"_qs}));
    QVERIFY2(server.start({u"--output-limit"_qs, QString::number(kOutputLimit),
                           u"--slow-consumer-timeout"_qs, u"20"_qs}),
             qPrintable(server.errorString()));
    HttpTestClient http(server.httpUrl());
    const QString carol = http.accessToken(u"carol"_qs, u"carol-pw"_qs);
    WsTestClient sender;
    QVERIFY(sender.open(server.wsUrl(), server.origin()));
    const QString general = sender.authenticate(carol)[u"channels"][0][u"id"].toString();
    QVERIFY(!general.isEmpty());
    for (int i = 0; i < 20; ++i) { // a history page of ~240 KB
        sender.sendJson({{u"type"_qs, u"send"_qs},
                         {u"ref"_qs, u"h"_qs},
                         {u"channel"_qs, general},
                         {u"client_msg_id"_qs, QStringLiteral("page-%1").arg(i)},
                         {u"text"_qs, QString(4000, QChar(0x20AC))}});
        QVERIFY(!sender.take(u"ack"_qs).isEmpty());
    }

    // Pages it does not read until natterd pauses it.
    RawWsClient reader(kSmallWindow);
    QVERIFY(reader.open(server.port(), server.origin()));
    QVERIFY(!reader.authenticate(carol).isEmpty());
    reader.stopReading();
    const QByteArray page = RawWsClient::textFrame({{u"type"_qs, u"history"_qs},
                                                    {u"ref"_qs, u"page"_qs},
                                                    {u"channel"_qs, general},
                                                    {u"limit"_qs, 20}});
    // 24 pages (~6 MB) are more than natterd's kernel send buffer (4 MiB at
    // most) takes, so it stays over its limit, paused, until the reader reads.
    const int pages = 24;
    for (int i = 0; i < pages; ++i)
        reader.write(page);
    QVERIFY(reader.flush());
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("event=output_over_limit"), 10000);

    // Then up to 64 MiB of unsolicited pongs (natterd does not answer them),
    // for at most 2 s: the kernel stops taking them once natterd stops reading.
    QByteArray filler;
    for (int i = 0; i < 8192; ++i)
        filler += RawWsClient::frame(0xA, QByteArray(125, 'f'));
    QTcpSocket &socket = reader.socket();
    const qint64 before = rssKiB(server.pid());
    QVERIFY(before > 0);
    qint64 peak = before;
    qint64 written = 0;
    QElapsedTimer writing;
    writing.start();
    while (written < 64 * 1024 * 1024 && writing.elapsed() < 2000
           && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.bytesToWrite() < filler.size()) {
            socket.write(filler);
            written += filler.size();
        }
        socket.waitForBytesWritten(100);
        peak = qMax(peak, rssKiB(server.pid()));
    }
    qInfo("wrote %lld KiB while paused; natterd grew by %lld KiB", written / 1024, peak - before);
    // (Qt's read buffer in natterd took all 64 MiB before, in 2 s.)
    QVERIFY2(peak - before < kGrowthBoundKiB,
             qPrintable(QStringLiteral("natterd grew by %1 KiB").arg(peak - before)));

    // It reads again: it gets every page it asked for, and natterd resumes
    // reading it, which finds the pongs: a flood of them (they take from the
    // ping bucket), closed with 4429 after the pages.
    int answered = 0;
    RawWsClient::Frame f;
    while (reader.readFrame(&f, 10000) && f.opcode != 0x8) {
        // A page comes in fragments; its "ref" is in the last (keys sorted).
        answered += f.payload.contains(R"("ref":"page")");
    }
    QCOMPARE(answered, pages);
    QCOMPARE(f.opcode, 0x8);
    QCOMPARE(f.closeCode(), 4429);
    QVERIFY(!server.log().contains("event=slow_consumer_close"));
}

QTEST_GUILESS_MAIN(tst_ConnectionLimits)
#include "tst_connectionlimits.moc"
