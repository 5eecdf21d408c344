// ThumbnailCache's disk side and its decoder: pictures kept on disk are used
// without asking the network, the directory is trimmed to its limit oldest
// first (a picture just used counts as new), and decoding refuses what is not
// a picture or is larger than any thumbnail natterd makes. Which failed fetches
// are asked again, against a scripted HTTP peer on loopback that counts the
// requests: a 503 is fetched again at the retry point (the connection is back,
// or its delay passed) and the picture then comes; a 404, a 403 and a body that
// is no picture never are. Fetching from natterd, and again after natterd
// restarted, is tested through the real server in tst_Attachments.
#include "NatterdFiles.h"
#include "StaticTokenProvider.h"

#include "chat/ThumbnailCache.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

namespace {
bool writeFile(const QString &path, const QByteArray &bytes, const QDateTime &modified)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return false;
    return f.setFileTime(modified, QFileDevice::FileModificationTime);
}

QString thumbnailPath(const QString &fileId)
{
    return QStringLiteral("/api/v1/files/") + fileId + QStringLiteral("/thumbnail");
}

// An HTTP peer standing in for natterd's §9 thumbnail route: every request for a
// path is counted and takes the next answer scripted for it (the last one
// repeats; nothing scripted: 404). One request per connection.
struct ScriptedHttp
{
    struct Answer
    {
        int status;
        QByteArray body;
    };

    QTcpServer server;
    QHash<QString, QList<Answer>> script;
    QHash<QString, int> requests;
    QByteArrayList authorizations;

    bool listen()
    {
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [this, socket] { serve(socket); });
            }
        });
        return server.listen(QHostAddress::LocalHost);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()));
    }

    void serve(QTcpSocket *socket)
    {
        const QByteArray head = socket->property("head").toByteArray() + socket->readAll();
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            socket->setProperty("head", head);
            return;
        }
        const QByteArrayList lines = head.left(end).split('\n');
        const QString path = QString::fromLatin1(lines.value(0).split(' ').value(1));
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("authorization:"))
                authorizations.append(line.mid(14).trimmed());
        }
        ++requests[path];
        QList<Answer> &answers = script[path];
        const Answer answer =
            answers.size() > 1 ? answers.takeFirst() : answers.value(0, {404, {}});
        socket->write("HTTP/1.1 " + QByteArray::number(answer.status)
                      + " Scripted\r\nContent-Type: image/png\r\nContent-Length: "
                      + QByteArray::number(answer.body.size()) + "\r\nConnection: close\r\n\r\n"
                      + answer.body);
        socket->disconnectFromHost();
    }
};
} // namespace

class tst_ThumbnailCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void picturesOnDiskNeedNoNetwork();
    void diskIsTrimmedOldestFirst();
    void decodeRefusesWhatIsNoThumbnail();
    void idsThatAreNoPlainNamesNeverTouchTheDisk();
    void passingFailureIsFetchedAgainWhenTheConnectionIsBack();
    void passingFailureIsFetchedAgainAfterItsDelay();
    void lastingFailureIsNeverFetchedAgain();
};

void tst_ThumbnailCache::picturesOnDiskNeedNoNetwork()
{
    QTemporaryDir dir;
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-3);
    QVERIFY(
        writeFile(dir.filePath(QStringLiteral("f1.thumb")), NatterdFiles::pngBytes(400, 240), old));
    // No token provider and no server: only the disk can answer.
    ThumbnailCache cache(nullptr, QUrl(), dir.path());
    const QImage image = cache.thumbnail(QStringLiteral("f1"));
    QCOMPARE(image.size(), QSize(400, 240));
    QVERIFY(!cache.hasFailed(QStringLiteral("f1")));
    // Used now: it is the newest when the directory is trimmed.
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("f1.thumb"))).lastModified() > old.addDays(1));
    // And from memory after that, even with the file gone.
    QFile::remove(dir.filePath(QStringLiteral("f1.thumb")));
    QCOMPARE(cache.thumbnail(QStringLiteral("f1")).size(), QSize(400, 240));
}

void tst_ThumbnailCache::diskIsTrimmedOldestFirst()
{
    QTemporaryDir dir;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QStringList ids = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                             QStringLiteral("d"), QStringLiteral("e")};
    for (int i = 0; i < ids.size(); ++i) {
        QVERIFY(writeFile(dir.filePath(ids.at(i) + QStringLiteral(".thumb")), QByteArray(1000, 'x'),
                          now.addSecs(-3600 + i * 60)));
    }
    ThumbnailCache cache(nullptr, QUrl(), dir.path());
    QCOMPARE(cache.diskUsage(), 5000);
    cache.setDiskLimit(3000);
    QCOMPARE(cache.diskUsage(), 3000);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.thumb"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.thumb"))));
    for (const char *kept : {"c", "d", "e"})
        QVERIFY(QFile::exists(dir.filePath(QString::fromLatin1(kept) + QStringLiteral(".thumb"))));
}

void tst_ThumbnailCache::decodeRefusesWhatIsNoThumbnail()
{
    QCOMPARE(ThumbnailCache::decode(NatterdFiles::pngBytes(400, 240)).size(), QSize(400, 240));
    QVERIFY(ThumbnailCache::decode("<html>not a picture</html>").isNull());
    QVERIFY(ThumbnailCache::decode(QByteArray()).isNull());
    // Larger than any thumbnail (natterd's are at most 400×400): not even decoded.
    QVERIFY(
        ThumbnailCache::decode(NatterdFiles::pngBytes(ThumbnailCache::kMaxSide + 1, 8)).isNull());
}

void tst_ThumbnailCache::idsThatAreNoPlainNamesNeverTouchTheDisk()
{
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("inner"))));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("secret.thumb")), NatterdFiles::pngBytes(20, 20),
                      QDateTime::currentDateTimeUtc()));
    ThumbnailCache cache(nullptr, QUrl(), dir.filePath(QStringLiteral("inner")));
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    // "../secret" would name a file outside the cache: it is never looked up there,
    // and without a sign-in it cannot be fetched either.
    QVERIFY(cache.thumbnail(QStringLiteral("../secret")).isNull());
    QTRY_VERIFY(cache.hasFailed(QStringLiteral("../secret")));
    QCOMPARE(ready.size(), 0);
}

void tst_ThumbnailCache::passingFailureIsFetchedAgainWhenTheConnectionIsBack()
{
    ScriptedHttp peer;
    QVERIFY(peer.listen());
    const QByteArray png = NatterdFiles::pngBytes(300, 200);
    peer.script.insert(thumbnailPath(QStringLiteral("p1")),
                       {{503, "natterd is starting"}, {200, png}});
    QTemporaryDir dir;
    StaticTokenProvider tokens(QStringLiteral("tok-thumb"));
    ThumbnailCache cache(&tokens, peer.url(), dir.path());
    cache.setRetryDelay(60 * 60 * 1000); // only the connection coming back counts here
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    QSignalSpy retryDue(&cache, &ThumbnailCache::retryDue);
    QSignalSpy failed(&cache, &ThumbnailCache::thumbnailFailed);

    QVERIFY(cache.thumbnail(QStringLiteral("p1")).isNull());
    QVERIFY(cache.isFetching(QStringLiteral("p1")));
    QTRY_VERIFY(cache.hasFailed(QStringLiteral("p1")));
    // Failed for now, not for good; the view hears it and repaints the placeholder.
    QVERIFY(!cache.hasFailedForGood(QStringLiteral("p1")));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("p1"));
    QCOMPARE(peer.requests.value(thumbnailPath(QStringLiteral("p1"))), 1);
    // Painted again and again while the server is away: not asked again.
    QVERIFY(cache.thumbnail(QStringLiteral("p1")).isNull());
    QVERIFY(!cache.isFetching(QStringLiteral("p1")));

    // The connection is back: the view is told to repaint, and the picture it
    // asks for is fetched once more and comes.
    cache.retryFailedFetches();
    QCOMPARE(retryDue.size(), 1);
    QVERIFY(!cache.hasFailed(QStringLiteral("p1")));
    QVERIFY(cache.thumbnail(QStringLiteral("p1")).isNull());
    QVERIFY(cache.isFetching(QStringLiteral("p1")));
    QVERIFY(cache.thumbnail(QStringLiteral("p1")).isNull()); // one request at a time
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(0).toString(), QStringLiteral("p1"));
    QCOMPARE(cache.thumbnail(QStringLiteral("p1")).size(), QSize(300, 200));
    QVERIFY(!cache.hasFailed(QStringLiteral("p1")));
    QCOMPARE(peer.requests.value(thumbnailPath(QStringLiteral("p1"))), 2);
    // §9: the token in the header every time, never in the URL.
    QCOMPARE(peer.authorizations, QByteArrayList({"Bearer tok-thumb", "Bearer tok-thumb"}));
    QCOMPARE(peer.requests.keys(), QStringList{thumbnailPath(QStringLiteral("p1"))});
}

void tst_ThumbnailCache::passingFailureIsFetchedAgainAfterItsDelay()
{
    ScriptedHttp peer;
    QVERIFY(peer.listen());
    peer.script.insert(thumbnailPath(QStringLiteral("p2")),
                       {{502, {}}, {504, {}}, {200, NatterdFiles::pngBytes(40, 30)}});
    QTemporaryDir dir;
    StaticTokenProvider tokens(QStringLiteral("tok-thumb"));
    ThumbnailCache cache(&tokens, peer.url(), dir.path());
    // No delay: every time the message is shown again after a failure, it is asked again.
    cache.setRetryDelay(0);
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    for (int attempt = 1; attempt <= 2; ++attempt) {
        QVERIFY(cache.thumbnail(QStringLiteral("p2")).isNull());
        QTRY_VERIFY(cache.hasFailed(QStringLiteral("p2")));
        QCOMPARE(peer.requests.value(thumbnailPath(QStringLiteral("p2"))), attempt);
    }
    QVERIFY(cache.thumbnail(QStringLiteral("p2")).isNull());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(cache.thumbnail(QStringLiteral("p2")).size(), QSize(40, 30));
    QCOMPARE(peer.requests.value(thumbnailPath(QStringLiteral("p2"))), 3);
}

void tst_ThumbnailCache::lastingFailureIsNeverFetchedAgain()
{
    ScriptedHttp peer;
    QVERIFY(peer.listen());
    const QStringList lasting = {QStringLiteral("gone"), QStringLiteral("forbidden"),
                                 QStringLiteral("nopicture")};
    const QByteArray png = NatterdFiles::pngBytes(20, 20);
    // Were any of them asked again, it would get a picture this time.
    peer.script.insert(thumbnailPath(lasting.at(0)), {{404, {}}, {200, png}});
    peer.script.insert(thumbnailPath(lasting.at(1)), {{403, {}}, {200, png}});
    peer.script.insert(thumbnailPath(lasting.at(2)), {{200, "<html>not a picture</html>"}});
    peer.script.insert(thumbnailPath(QStringLiteral("ok")), {{200, png}});
    QTemporaryDir dir;
    StaticTokenProvider tokens(QStringLiteral("tok-thumb"));
    ThumbnailCache cache(&tokens, peer.url(), dir.path());
    cache.setRetryDelay(0); // even with no delay at all
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    QSignalSpy retryDue(&cache, &ThumbnailCache::retryDue);
    for (const QString &id : lasting)
        QVERIFY(cache.thumbnail(id).isNull());
    for (const QString &id : lasting) {
        QTRY_VERIFY2(cache.hasFailed(id), qPrintable(id));
        QVERIFY2(cache.hasFailedForGood(id), qPrintable(id));
    }

    // Shown again, and the connection comes back: none of them is asked again.
    cache.retryFailedFetches();
    QCOMPARE(retryDue.size(), 0);
    for (const QString &id : lasting) {
        QVERIFY(cache.thumbnail(id).isNull());
        QVERIFY2(!cache.isFetching(id), qPrintable(id));
        QVERIFY(cache.hasFailed(id));
    }
    // Another picture fetched after them, to its end: still one request each.
    QVERIFY(cache.thumbnail(QStringLiteral("ok")).isNull());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(0).toString(), QStringLiteral("ok"));
    for (const QString &id : lasting)
        QCOMPARE(peer.requests.value(thumbnailPath(id)), 1);
}

QTEST_GUILESS_MAIN(tst_ThumbnailCache)
#include "tst_ThumbnailCache.moc"
