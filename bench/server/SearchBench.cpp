// natterd-searchbench: search (§10) latency and indexing cost (not a timed
// test; see docs/benchmarks.md).
//
//   natterd-searchbench --messages 100000 --channels 20 --queries 200
//
// Builds a data dir (users and channels through natterd's admin CLI, messages
// written through the SQLite store the way natterd writes them, committed in
// small batches), then starts that natterd and times GET /api/v1/search over
// loopback, one request at a time, for one-word, two-word, phrase and
// filtered queries. The indexing cost per message is the difference between
// writing the same messages with and without the search triggers.
#include "BenchClient.h"
#include "BenchServer.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Natter::Server;

namespace {

constexpr int kUsers = 10;
constexpr int kBatch = 10; // messages per commit, as natterd commits per event-loop turn

// A vocabulary of pronounceable words, drawn with a Zipf-like skew so that a
// few words are in many messages and most in few.
QStringList vocabulary(int size)
{
    static const char *const syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "ta",  "vo",
                                            "shi", "den", "por", "gal", "tre", "sun", "mar",
                                            "qui", "bel", "cor", "fa",  "zo",  "pe"};
    QRandomGenerator rng(7);
    QStringList words;
    while (words.size() < size) {
        QString w;
        const int n = 2 + int(rng.bounded(3));
        for (int i = 0; i < n; ++i)
            w += QLatin1String(syllables[rng.bounded(20)]);
        if (!words.contains(w))
            words << w;
    }
    return words;
}

int zipf(QRandomGenerator &rng, int n)
{
    // Inverse-transform sample of ~1/rank over [0, n).
    const double u = rng.generateDouble();
    return std::min(n - 1, int(std::exp(u * std::log(double(n)))) - 1);
}

QString messageText(QRandomGenerator &rng, const QStringList &words)
{
    QStringList out;
    const int n = 6 + int(rng.bounded(15));
    for (int i = 0; i < n; ++i)
        out << words.at(zipf(rng, int(words.size())));
    if (rng.bounded(20) == 0)
        out << QStringLiteral("https://example.org/") + words.at(int(rng.bounded(100)));
    return out.join(u' ');
}

// Writes `count` messages round-robin over `channels`; the wall time in ms.
double writeMessages(SqliteChatStore &store, const QStringList &channels,
                     const QStringList &authors, const QStringList &words, int count,
                     QStringList *sample)
{
    QRandomGenerator rng(42);
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count; ++i) {
        StoredMessage m;
        m.channel = channels.at(i % channels.size());
        m.author = authors.at(int(rng.bounded(authors.size())));
        m.text = messageText(rng, words);
        m.clientMsgId = QString::number(i);
        store.appendMessage(&m);
        if (sample && i % 100 == 0)
            sample->append(m.text);
        if (i % kBatch == kBatch - 1)
            store.flush();
    }
    store.flush();
    return double(t.nsecsElapsed()) / 1e6;
}

struct Stats
{
    double p50 = 0;
    double p95 = 0;
    double max = 0;
    double meanHits = 0;
};

Stats stats(QList<double> ms, double hits)
{
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double p) {
        return ms.at(std::min(qsizetype(ms.size() * p), ms.size() - 1));
    };
    return {at(0.5), at(0.95), ms.last(), hits / double(ms.size())};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("natterd"), QStringLiteral("natterd binary"),
                      QStringLiteral("path"),
                      qEnvironmentVariable("NATTERD_BIN", QStringLiteral("natterd"))});
    parser.addOption({QStringLiteral("messages"), QStringLiteral("messages"), QStringLiteral("n"),
                      QStringLiteral("100000")});
    parser.addOption({QStringLiteral("channels"), QStringLiteral("channels"), QStringLiteral("n"),
                      QStringLiteral("20")});
    parser.addOption({QStringLiteral("queries"), QStringLiteral("queries per kind"),
                      QStringLiteral("n"), QStringLiteral("200")});
    parser.process(app);
    const int messages = parser.value(QStringLiteral("messages")).toInt();
    const int channelCount = parser.value(QStringLiteral("channels")).toInt();
    const int queries = parser.value(QStringLiteral("queries")).toInt();

    BenchServer server(parser.value(QStringLiteral("natterd")));
    QStringList users;
    for (int i = 0; i < kUsers; ++i) {
        users << QStringLiteral("u%1").arg(i);
        if (!server.addUser(users.last(), QStringLiteral("bench-pw-1"))) {
            std::fprintf(stderr, "cannot add users (natterd binary?)\n");
            return 1;
        }
    }
    // u0, who searches, is in half the channels: the other half's messages
    // are matched by the engine and must be filtered out before LIMIT.
    for (int c = 0; c < channelCount; ++c) {
        QStringList members = users.mid(1);
        if (c % 2 == 0)
            members << users.first();
        server.addChannel(QStringLiteral("c%1").arg(c), members);
    }
    const QStringList words = vocabulary(5000);
    QStringList sample;
    double indexedMs = 0;
    {
        SqliteChatStore store(server.dataDir() + QStringLiteral("/natterd.sqlite"));
        QString error;
        if (!store.open(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        QStringList channelIds;
        for (int c = 0; c < channelCount; ++c)
            channelIds << store.channelByName(QStringLiteral("c%1").arg(c))->id;
        QStringList authorIds;
        for (const QString &u : users)
            authorIds << store.userByName(u)->id;
        indexedMs = writeMessages(store, channelIds, authorIds, words, messages, &sample);
        store.close();
    }
    // The same writes without the search triggers, on a store of its own.
    double plainMs = 0;
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plain.sqlite"));
        SqliteChatStore store(path);
        QString error;
        store.open(&error);
        QStringList channelIds;
        QStringList authorIds;
        for (int i = 0; i < kUsers; ++i) {
            StoredUser u;
            u.id = QStringLiteral("uid%1").arg(i);
            u.username = users.at(i);
            u.passwordHash = "x";
            store.addUser(u, &error);
            authorIds << u.id;
        }
        for (int c = 0; c < channelCount; ++c) {
            StoredChannel ch;
            ch.id = QStringLiteral("cid%1").arg(c);
            ch.name = QStringLiteral("c%1").arg(c);
            ch.members = authorIds;
            store.addChannel(ch, &error);
            channelIds << ch.id;
        }
        store.flush();
        store.close();
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("plain"));
            db.setDatabaseName(path);
            db.open();
            QSqlQuery q(db);
            for (const char *t :
                 {"messages_search_insert", "messages_search_update", "messages_search_delete"})
                q.exec(QStringLiteral("DROP TRIGGER %1").arg(QLatin1String(t)));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("plain"));
        store.open(&error);
        plainMs = writeMessages(store, channelIds, authorIds, words, messages, nullptr);
        store.close();
    }
    std::printf("writes: %d messages in batches of %d: %.0f ms with the index, %.0f ms without\n",
                messages, kBatch, indexedMs, plainMs);
    std::printf("indexing cost: %.1f us/message (%.1f us/message in all with the index)\n",
                (indexedMs - plainMs) * 1000.0 / messages, indexedMs * 1000.0 / messages);

    if (!server.start()) {
        std::fprintf(stderr, "natterd did not start: %s\n", qPrintable(server.error()));
        return 1;
    }
    QNetworkAccessManager nam;
    const QString token =
        BenchClient::login(nam, server.httpUrl(), users.first(), QStringLiteral("bench-pw-1"));
    const auto timed = [&](const QString &q, int *hits) {
        QUrl url = server.httpUrl();
        url.setPath(QStringLiteral("/api/v1/search"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("q"), QString::fromLatin1(QUrl::toPercentEncoding(q)));
        url.setQuery(query.toString(QUrl::FullyEncoded), QUrl::StrictMode);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QElapsedTimer t;
        t.start();
        QNetworkReply *reply = nam.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        const QByteArray body = reply->readAll();
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            std::fprintf(stderr, "status %d for a query\n",
                         reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        *hits += int(body.count("\"snippet\""));
        reply->deleteLater();
        return ms;
    };
    QRandomGenerator rng(99);
    const auto word = [&](int ranks) {
        return words.at(int(rng.bounded(ranks)));
    };
    struct Kind
    {
        const char *name;
        std::function<QString()> make;
    };
    const QList<Kind> kinds = {
        {"one word (rank 1-1000)",
         [&] {
             return word(1000);
         }},
        {"one word, the commonest",
         [&] {
             return words.first();
         }},
        {"two words (rank 1-300)",
         [&] {
             return word(300) + u' ' + word(300);
         }},
        {"phrase (2 adjacent words)",
         [&] {
             const QStringList w = sample.at(int(rng.bounded(sample.size()))).split(u' ');
             const int i = int(rng.bounded(w.size() - 1));
             return u'"' + w.at(i) + u' ' + w.at(i + 1) + u'"';
         }},
        {"prefix (3 letters*)",
         [&] {
             return word(1000).left(3) + u'*';
         }},
        {"word + from: + in:",
         [&] {
             return word(300)
                 + QStringLiteral(" from:u%1 in:c%2")
                       .arg(1 + rng.bounded(kUsers - 1))
                       .arg(2 * rng.bounded(channelCount / 2));
         }},
        {"filters only (from: has:link)",
         [&] {
             return QStringLiteral("from:u%1 has:link").arg(1 + rng.bounded(kUsers - 1));
         }},
    };
    std::printf(
        "\nsearch over HTTP as u0 (member of %d of %d channels), limit 20, %d queries each\n",
        (channelCount + 1) / 2, channelCount, queries);
    std::printf("%-32s %8s %8s %8s %8s\n", "query", "p50 ms", "p95 ms", "max ms", "hits");
    for (const Kind &k : kinds) {
        for (int i = 0; i < 5; ++i) { // warm-up
            int ignored = 0;
            timed(k.make(), &ignored);
        }
        QList<double> ms;
        int hits = 0;
        for (int i = 0; i < queries; ++i)
            ms << timed(k.make(), &hits);
        const Stats s = stats(ms, hits);
        std::printf("%-32s %8.2f %8.2f %8.2f %8.1f\n", k.name, s.p50, s.p95, s.max, s.meanHits);
    }
    server.stop();
    return 0;
}
