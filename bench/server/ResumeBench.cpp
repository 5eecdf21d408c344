#include "ResumeBench.h"

#include "BenchClient.h"
#include "BenchServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>

namespace {

QString encode(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Runs the event loop until `done` holds or `timeoutMs` passed; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 60000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

} // namespace

ResumeBench::ResumeBench(BenchServer *server, int messages, int rounds, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_messages(messages)
    , m_rounds(rounds)
{ }

int ResumeBench::run()
{
    QNetworkAccessManager nam;
    const QString writerToken = BenchClient::login(nam, m_server->httpUrl(),
                                                   QStringLiteral("writer"), QStringLiteral("pw"));
    const QString readerToken = BenchClient::login(nam, m_server->httpUrl(),
                                                   QStringLiteral("reader"), QStringLiteral("pw"));

    // The writer: N messages, acked.
    BenchClient writer(m_server->wsUrl(), m_server->origin(), writerToken);
    QString channel;
    QStringList ids;
    int updates = 0;
    int histories = 0;
    bool ready = false;
    connect(&writer, &BenchClient::ready, this, [&](BenchClient *, const QJsonObject &connected) {
        channel = connected[u"channels"][0][u"id"].toString();
        ready = true;
    });
    connect(&writer, &BenchClient::frame, this, [&](BenchClient *, const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = o[u"type"].toString();
        if (type == u"ack")
            ids << o[u"message"][u"id"].toString();
        else if (type == u"message_updated")
            ++updates;
        else if (type == u"history")
            ++histories;
    });
    writer.open();
    if (!waitUntil([&] { return ready; })) {
        std::fprintf(stderr, "the writer did not connect\n");
        return 1;
    }
    for (int i = 0; i < m_messages; ++i)
        writer.socket().sendTextMessage(encode({{u"type"_qs, u"send"_qs},
                                                {u"channel"_qs, channel},
                                                {u"client_msg_id"_qs, QString::number(i)},
                                                {u"text"_qs, u"message %1"_qs.arg(i)}}));
    if (!waitUntil([&] { return ids.size() == m_messages; })) {
        std::fprintf(stderr, "only %lld of %d acks\n", static_cast<long long>(ids.size()),
                     m_messages);
        return 1;
    }

    // The reader's position: what `connected` says now.
    qint64 lastSeq = 0;
    qint64 lastEv = 0;
    QList<double> ms;
    int replayed = 0;
    for (int round = 0; round <= m_rounds; ++round) {
        QWebSocket reader;
        QElapsedTimer clock;
        qint64 resumedNs = -1;
        int roundUpdates = 0;
        QJsonObject connected;
        connect(&reader, &QWebSocket::connected, this, [&] {
            QJsonObject auth{{u"type"_qs, u"authenticate"_qs}, {u"token"_qs, readerToken}};
            if (round > 0) {
                auth.insert(u"resume"_qs, QJsonObject{{channel, lastSeq}});
                auth.insert(u"resume_ev"_qs, QJsonObject{{channel, lastEv}});
            }
            clock.start();
            reader.sendTextMessage(encode(auth));
        });
        connect(&reader, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
            if (text.contains(u"\"type\":\"message_updated\"")) {
                ++roundUpdates;
            } else if (text.contains(u"\"type\":\"resumed\"")) {
                resumedNs = clock.nsecsElapsed();
            } else if (text.contains(u"\"type\":\"connected\"")) {
                connected = QJsonDocument::fromJson(text.toUtf8()).object();
            }
        });
        QNetworkRequest request(m_server->wsUrl());
        request.setRawHeader("Origin", m_server->origin());
        reader.open(request);
        if (!waitUntil([&] { return resumedNs >= 0; })) {
            std::fprintf(stderr, "the reader did not resume\n");
            return 1;
        }
        for (const QJsonValue &c : connected[u"channels"].toArray()) {
            if (c[u"id"].toString() == channel) {
                lastSeq = c[u"last_seq"].toInteger();
                lastEv = c[u"last_ev"].toInteger();
            }
        }
        if (round > 0) {
            ms << double(resumedNs) / 1e6;
            replayed = roundUpdates;
        }
        reader.close();
        waitUntil([&] { return reader.state() == QAbstractSocket::UnconnectedState; });
        if (round == m_rounds)
            break;
        // While the reader is away: every message is edited once.
        updates = 0;
        for (int i = 0; i < m_messages; ++i)
            writer.socket().sendTextMessage(
                encode({{u"type"_qs, u"edit"_qs},
                        {u"channel"_qs, channel},
                        {u"id"_qs, ids[i]},
                        {u"text"_qs, u"round %1 edit %2"_qs.arg(round).arg(i)}}));
        if (!waitUntil([&] { return updates == m_messages; })) {
            std::fprintf(stderr, "only %d of %d edits answered\n", updates, m_messages);
            return 1;
        }
    }
    // A full page of history (§3: at most 200), one request at a time.
    QList<double> historyMs;
    for (int i = 0; i < 10 * m_rounds; ++i) {
        QElapsedTimer clock;
        clock.start();
        const int before = histories;
        writer.socket().sendTextMessage(encode({{u"type"_qs, u"history"_qs},
                                                {u"ref"_qs, i},
                                                {u"channel"_qs, channel},
                                                {u"limit"_qs, 200}}));
        if (!waitUntil([&] { return histories > before; })) {
            std::fprintf(stderr, "no answer to history\n");
            return 1;
        }
        historyMs << double(clock.nsecsElapsed()) / 1e6;
    }
    std::sort(ms.begin(), ms.end());
    std::sort(historyMs.begin(), historyMs.end());
    const auto median = [](const QList<double> &sorted) {
        return sorted.isEmpty() ? 0.0 : sorted[sorted.size() / 2];
    };
    std::printf("resume changed_messages=%d rounds=%d message_updated_per_resume=%d "
                "authenticate_to_resumed_ms_median=%.1f min=%.1f max=%.1f "
                "history_200_ms_median=%.2f\n",
                m_messages, m_rounds, replayed, median(ms), ms.isEmpty() ? 0.0 : ms.first(),
                ms.isEmpty() ? 0.0 : ms.last(), median(historyMs));
    std::fflush(stdout);
    return replayed == m_messages ? 0 : 1;
}
