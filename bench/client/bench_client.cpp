// natter-bench-client: throughput of the client connection layer.
//
//   decode      Codec::decode alone, frames/s (UTF-8 bytes and QString input)
//   dispatch    frames pushed by a local WebSocket server through
//               ConnectionManager to messageReceived, frames/s (memory / file store)
//   reconnect   natterd restarted (SIGTERM, 1001): time from "listening again"
//               to `resumed`, with the default backoff and with reconnectNow()
//
// Not a test: numbers depend on the machine. Results go to docs/benchmarks.md.
// Usage: natter-bench-client [decode] [dispatch] [reconnect]   (default: all)
// `reconnect` needs NATTERD_BIN (or natterd on PATH).
#include "NatterdProcess.h"
#include "auth/AccessTokenProvider.h"
#include "net/ConnectionManager.h"
#include "protocol/Codec.h"
#include "store/LocalStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cstdio>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {

class FixedToken : public AccessTokenProvider
{
    Q_OBJECT
public:
    explicit FixedToken(const QString &token)
        : m_token(token)
    { }
    QString accessToken() const override { return m_token; }
    void refreshAccessToken() override
    {
        QTimer::singleShot(0, this, [this] { Q_EMIT accessTokenRefreshFailed(u"bench"_s, true); });
    }

private:
    QString m_token;
};

Message sampleMessage(qint64 seq)
{
    return Message{
        u"m%1"_s.arg(seq),
        u"c1"_s,
        seq,
        u"u2"_s,
        u"The quick brown fox jumps over the lazy dog, message number %1 of the bench."_s.arg(seq),
        QDateTime::currentDateTimeUtc(),
        u"cm%1"_s.arg(seq)};
}

// Runs the event loop until `done()` or the timeout; false on timeout.
template<class F> bool spinUntil(F done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

void benchDecode()
{
    QList<QByteArray> frames;
    for (int i = 1; i <= 64; ++i)
        frames.append(Codec::encodeMessageFrame(sampleMessage(i)));
    frames.append(
        R"({"type":"typing","channel":"c1","user":"u2","state":"start","expires_in_ms":6000})");
    frames.append(
        R"({"type":"presence","user":"u2","status":"away","last_seen":"2026-11-21T19:43:33.327Z"})");
    frames.append(R"({"type":"read","channel":"c1","user":"u2","seq":3})");
    QList<QString> strings;
    for (const QByteArray &f : frames)
        strings.append(QString::fromUtf8(f));

    constexpr int kFrames = 500000;
    qint64 bytes = 0;
    int ok = 0;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < kFrames; ++i) {
        const QByteArray &f = frames.at(i % frames.size());
        bytes += f.size();
        ok += !std::holds_alternative<DecodeError>(Codec::decode(QByteArrayView(f)));
    }
    const double secs = t.nsecsElapsed() / 1e9;
    std::printf("decode (UTF-8 bytes)   %9.0f frames/s  %6.1f MB/s  (%d frames, %d decoded)\n",
                kFrames / secs, bytes / secs / 1e6, kFrames, ok);
    t.restart();
    for (int i = 0; i < kFrames; ++i)
        Codec::decode(strings.at(i % strings.size()));
    std::printf("decode (QString)       %9.0f frames/s\n", kFrames / (t.nsecsElapsed() / 1e9));
}

void benchDispatch(const QString &label, LocalStore *store)
{
    constexpr int kFrames = 20000;
    QWebSocketServer server(u"bench"_s, QWebSocketServer::NonSecureMode);
    server.listen(QHostAddress::LocalHost, 0);
    QList<QByteArray> frames;
    for (int i = 1; i <= kFrames; ++i)
        frames.append(Codec::encodeMessageFrame(sampleMessage(i)));
    QWebSocket *peer = nullptr;
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        QWebSocket *s = server.nextPendingConnection();
        s->setParent(&server);
        peer = s;
        QObject::connect(s, &QWebSocket::textMessageReceived, s, [s](const QString &) {
            ConnectedEvent c;
            c.self.id = u"u1"_s;
            c.channels.append(
                Channel{u"c1"_s, u"general"_s, ChannelKind::Channel, {u"u1"_s}, 0, 0});
            s->sendTextMessage(QString::fromUtf8(Codec::encodeConnectedFrame(c)));
            s->sendTextMessage(u"{\"type\":\"resumed\"}"_s);
        });
    });

    FixedToken token(u"t"_s);
    ConnectionManager manager(&token, store);
    ConnectionManager::Options options;
    options.serverUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort()));
    manager.setOptions(options);
    int received = 0;
    QObject::connect(&manager, &ConnectionManager::messageReceived, &manager, [&] { ++received; });
    bool resumed = false;
    QObject::connect(&manager, &ConnectionManager::resumed, &manager, [&] { resumed = true; });
    manager.open();
    if (!spinUntil([&] { return resumed; }, 10000)) {
        std::printf("dispatch %s: could not connect\n", qPrintable(label));
        return;
    }
    QElapsedTimer t;
    t.start();
    for (const QByteArray &f : std::as_const(frames))
        peer->sendTextMessage(QString::fromUtf8(f));
    const bool done = spinUntil([&] { return received == kFrames; }, 120000);
    const double secs = t.nsecsElapsed() / 1e9;
    std::printf("dispatch (%-11s) %9.0f frames/s  (%d of %d frames to messageReceived)\n",
                qPrintable(label), received / secs, received, kFrames);
    Q_UNUSED(done);
    manager.close();
}

QString login(const QUrl &server, const QString &user, const QString &password)
{
    QNetworkAccessManager http;
    QNetworkRequest request(server.resolved(QUrl(u"/api/v1/auth/login"_s)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply =
        http.post(request,
                  QJsonDocument(QJsonObject{{u"username"_s, user},
                                            {u"password"_s, password},
                                            {u"device_name"_s, u"natter-bench-client"_s}})
                      .toJson(QJsonDocument::Compact));
    spinUntil([reply] { return reply->isFinished(); }, 20000);
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(u"access_token").toString();
}

void benchReconnect()
{
    NatterdProcess natterd;
    if (!natterd.start() || !natterd.addUser(u"bench"_s, u"bench-password-1"_s)
        || !natterd.addChannel(u"bench"_s, {u"bench"_s})) {
        std::printf("reconnect: natterd could not be started: %s\n",
                    qPrintable(natterd.errorString()));
        return;
    }
    FixedToken token(login(natterd.httpUrl(), u"bench"_s, u"bench-password-1"_s));
    if (token.accessToken().isEmpty()) {
        std::printf("reconnect: login failed\n");
        return;
    }
    for (const bool now : {false, true}) {
        ConnectionManager manager(&token, nullptr);
        ConnectionManager::Options options;
        options.serverUrl = natterd.httpUrl();
        manager.setOptions(options);
        int resumed = 0;
        QObject::connect(&manager, &ConnectionManager::resumed, &manager, [&] { ++resumed; });
        manager.open();
        spinUntil([&] { return resumed == 1; }, 20000);
        QList<double> times;
        for (int round = 0; round < 5; ++round) {
            const int before = resumed;
            natterd.stop(); // SIGTERM: the client gets 1001
            spinUntil([&] { return manager.state() != ConnectionManager::State::Connected; },
                      20000);
            natterd.restart(); // listening again on the same port and data
            QElapsedTimer t;
            t.start();
            if (now)
                manager.reconnectNow();
            if (!spinUntil([&] { return resumed > before; }, 60000))
                break;
            times.append(t.nsecsElapsed() / 1e6);
        }
        std::sort(times.begin(), times.end());
        if (times.isEmpty()) {
            std::printf("reconnect: no resume; natterd log:\n%s\n",
                        natterd.log().right(2000).constData());
            continue;
        }
        std::printf(
            "reconnect→resumed %-14s median %7.1f ms  min %7.1f  max %7.1f  (%lld restarts)\n",
            now ? "(reconnectNow)" : "(backoff)", times.at(times.size() / 2), times.first(),
            times.last(), qint64(times.size()));
        manager.close();
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    app.setApplicationName(u"natter-bench-client"_s);
    QStringList what = app.arguments().mid(1);
    if (what.isEmpty())
        what = {u"decode"_s, u"dispatch"_s, u"reconnect"_s};
    if (what.contains(u"decode"_s))
        benchDecode();
    if (what.contains(u"dispatch"_s)) {
        benchDispatch(u"memory"_s, nullptr);
        QTemporaryDir dir;
        LocalStore store(dir.filePath(u"bench.sqlite"_s));
        store.open();
        benchDispatch(u"file store"_s, &store);
    }
    if (what.contains(u"reconnect"_s))
        benchReconnect();
    return 0;
}

#include "bench_client.moc"
