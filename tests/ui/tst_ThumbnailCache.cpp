// ThumbnailCache's disk side and its decoder: pictures kept on disk are used
// without asking the network, the directory is trimmed to its limit oldest
// first (a picture just used counts as new), and decoding refuses what is not
// a picture or is larger than any thumbnail natterd makes. Fetching from
// natterd is tested through the real server in tst_Attachments.
#include "NatterdFiles.h"

#include "chat/ThumbnailCache.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
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
} // namespace

class tst_ThumbnailCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void picturesOnDiskNeedNoNetwork();
    void diskIsTrimmedOldestFirst();
    void decodeRefusesWhatIsNoThumbnail();
    void idsThatAreNoPlainNamesNeverTouchTheDisk();
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

QTEST_GUILESS_MAIN(tst_ThumbnailCache)
#include "tst_ThumbnailCache.moc"
