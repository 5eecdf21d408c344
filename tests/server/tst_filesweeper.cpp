// §9's sweep of uploads never attached to a message, with the clock moved: a
// real SQLite store and real files in a temporary data directory; uploads
// older than 24 h go (row and bytes, thumbnails too), younger ones and
// attached ones stay.
#include "files/FileRepository.h"
#include "files/FileSweeper.h"
#include "store/sqlite/SqliteChatStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Natter::Server;

class tst_FileSweeper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sweepsOnlyOldUnattachedUploads();
};

namespace {
StoredFile fileAt(const QString &id, const QDateTime &created)
{
    StoredFile f;
    f.id = id;
    f.channel = QStringLiteral("c1");
    f.uploader = QStringLiteral("u1");
    f.name = QStringLiteral("f.txt");
    f.size = 4;
    f.mime = QStringLiteral("text/plain");
    f.createdAt = created;
    return f;
}

// One sweep; how many files it deleted, once their rows' removal is
// committed (the store's batch commits on the event loop) and the bytes gone.
int sweepNow(FileSweeper &sweeper)
{
    int deleted = -1;
    sweeper.sweep([&deleted](int n) { deleted = n; });
    // -1 when it never answered: the caller's QCOMPARE then fails.
    return QTest::qWaitFor([&deleted] { return deleted >= 0; }, 5000) ? deleted : -1;
}

bool writeFile(const QString &path)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write("data") == 4;
}
} // namespace

void tst_FileSweeper::sweepsOnlyOldUnattachedUploads()
{
    QTemporaryDir dir;
    FileRepository files(dir.path());
    QString error;
    QVERIFY(files.prepare(&error));
    SqliteChatStore store(dir.path() + QStringLiteral("/natterd.db"));
    QVERIFY2(store.open(&error), qPrintable(error));

    const QDateTime uploaded = QDateTime::fromString(u"2026-01-10T12:00:00Z"_qs, Qt::ISODate);
    const QString old = QString(32, u'a');
    const QString young = QString(32, u'b');
    const QString attached = QString(32, u'c');
    QVERIFY(store.addFile(fileAt(old, uploaded)));
    QVERIFY(store.addFile(fileAt(young, uploaded.addSecs(2 * 3600))));
    QVERIFY(store.addFile(fileAt(attached, uploaded)));
    QVERIFY(store.attachFiles(u"m1"_qs, u"c1"_qs, u"u1"_qs, {attached}));
    QVERIFY(store.flush());
    for (const QString &id : {old, young, attached}) {
        QVERIFY(writeFile(files.pathOf(id)));
        QVERIFY(writeFile(files.thumbnailPathOf(id)));
    }

    QDateTime now = uploaded.addSecs(23 * 3600);
    FileSweeper sweeper(&store, &files, FileSweeper::kDefaultMaxAgeMs, [&now] { return now; });
    QCOMPARE(sweepNow(sweeper), 0); // 23 h: nothing is old enough
    now = uploaded.addSecs(24 * 3600 + 60); // the first upload is past 24 h
    QCOMPARE(sweepNow(sweeper), 1);
    QVERIFY(store.fileById(old).notFound());
    QVERIFY(!QFile::exists(files.pathOf(old)));
    QVERIFY(!QFile::exists(files.thumbnailPathOf(old)));
    QVERIFY(store.fileById(young).has_value());
    QVERIFY(QFile::exists(files.pathOf(young)));
    QVERIFY(store.fileById(attached).has_value());
    QVERIFY(QFile::exists(files.pathOf(attached)));
    now = uploaded.addSecs(27 * 3600); // now the second one too; attached never
    QCOMPARE(sweepNow(sweeper), 1);
    QVERIFY(!QFile::exists(files.pathOf(young)));
    QVERIFY(QFile::exists(files.pathOf(attached)));
    QCOMPARE(sweepNow(sweeper), 0);
}

QTEST_GUILESS_MAIN(tst_FileSweeper)
#include "tst_filesweeper.moc"
