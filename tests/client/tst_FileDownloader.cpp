// FileDownloader against the real natterd: a file into a local file (bytes
// identical), a download cut off part-way (through TcpProxy) that resumes with
// a Range request (206) and ends byte for byte the same, the thumbnail into
// memory, 404 for someone who may not see the file, and one token refresh
// after a 401.
#include "HttpTokenProvider.h"
#include "NatterdFiles.h"
#include "NatterdProcess.h"
#include "TcpProxy.h"

#include "net/FileDownloader.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;

namespace {
// A provider whose first token natterd refuses (as an expired one), then the
// real one after the refresh.
class StaleFirstTokenProvider : public HttpTokenProvider
{
public:
    using HttpTokenProvider::HttpTokenProvider;
    QString accessToken() const override
    {
        return refreshCount() == 0 ? QStringLiteral("not.a.token")
                                   : HttpTokenProvider::accessToken();
    }
};

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class tst_FileDownloader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void downloadsTheExactBytes();
    void resumesAfterTheConnectionIsCut();
    void aCompletePartialFileNeedsNoRequest();
    void thumbnailIntoMemory();
    void someoneElseGetsNotFound();
    void expiredTokenIsRefreshedOnce();
    void cancelLeavesNothing();

private:
    QJsonObject upload(const QString &name, const QByteArray &bytes);

    NatterdProcess m_server;
    std::unique_ptr<NatterdFiles> m_files;
    std::unique_ptr<HttpTokenProvider> m_alice;
    QString m_token;
    QString m_general;
    QTemporaryDir m_dir;
};

void tst_FileDownloader::initTestCase()
{
    QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-123")));
    QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-123")));
    QVERIFY(m_server.addChannel(QStringLiteral("general"), {QStringLiteral("alice")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_files = std::make_unique<NatterdFiles>(m_server.httpUrl(), m_server.origin());
    m_alice = std::make_unique<HttpTokenProvider>(m_server.httpUrl());
    QVERIFY(m_alice->login(QStringLiteral("alice"), QStringLiteral("alice-pw-123")));
    m_token = m_alice->accessToken();
    m_general = m_files->channelId(m_token, QStringLiteral("general"));
    QVERIFY(!m_general.isEmpty());
    QVERIFY(m_dir.isValid());
}

QJsonObject tst_FileDownloader::upload(const QString &name, const QByteArray &bytes)
{
    const QJsonObject f = m_files->upload(m_token, m_general, name, bytes);
    if (f.isEmpty())
        qWarning("%s\n%s", qPrintable(m_files->error()), m_server.log().right(3000).constData());
    return f;
}

void tst_FileDownloader::downloadsTheExactBytes()
{
    QByteArray bytes(300 * 1024, Qt::Uninitialized);
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    const QJsonObject f = upload(QStringLiteral("notes.bin"), bytes);
    QVERIFY(!f.isEmpty());

    FileDownloader downloader(m_alice.get(), m_server.httpUrl());
    QSignalSpy finished(&downloader, &FileDownloader::finished);
    QSignalSpy progress(&downloader, &FileDownloader::progress);
    const QString path = m_dir.filePath(QStringLiteral("notes.bin"));
    downloader.download(f.value(QStringLiteral("id")).toString(), path,
                        f.value(QStringLiteral("size")).toInteger());
    QVERIFY(finished.wait(20000));
    QCOMPARE(fileBytes(path), bytes);
    QVERIFY(!QFile::exists(
        FileDownloader::partialPath(path, f.value(QStringLiteral("id")).toString())));
    QCOMPARE(progress.last().at(0).toLongLong(), qint64(bytes.size()));
    QCOMPARE(downloader.resumedFrom(), qint64(0));
}

void tst_FileDownloader::resumesAfterTheConnectionIsCut()
{
    // Big enough that the first bytes arrive long before the last.
    QByteArray bytes(12 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator(11).fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    const QJsonObject f = upload(QStringLiteral("big.bin"), bytes);
    QVERIFY(!f.isEmpty());
    const QString id = f.value(QStringLiteral("id")).toString();
    const QString path = m_dir.filePath(QStringLiteral("big.bin"));

    TcpProxy proxy(m_server.port());
    QVERIFY(proxy.listen());
    QUrl viaProxy = m_server.httpUrl();
    viaProxy.setPort(proxy.port());
    {
        FileDownloader downloader(m_alice.get(), viaProxy);
        QSignalSpy failed(&downloader, &FileDownloader::failed);
        // The network drops after 3 MiB of the answer (headers included):
        // at a fixed point, so the whole file can never slip through first.
        proxy.cutAfter(3 * 1024 * 1024);
        downloader.download(id, path, bytes.size());
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.first().at(0).value<FileDownloader::Error>(),
                 FileDownloader::Error::Network);
        QVERIFY(!failed.first().at(1).toString().isEmpty());
    }
    const QString part = FileDownloader::partialPath(path, id);
    const qint64 kept = QFileInfo(part).size();
    // Everything the proxy let through after the headers was kept.
    QVERIFY2(kept > 3 * 1024 * 1024 - 4096 && kept < 3 * 1024 * 1024,
             qPrintable(QString::number(kept)));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(fileBytes(part), bytes.left(kept)); // what arrived is the file's start

    FileDownloader again(m_alice.get(), m_server.httpUrl());
    QSignalSpy finished(&again, &FileDownloader::finished);
    QSignalSpy progress(&again, &FileDownloader::progress);
    again.download(id, path, bytes.size());
    QVERIFY(finished.wait(20000));
    QCOMPARE(again.resumedFrom(), kept); // natterd answered 206 from there
    QVERIFY(progress.first().at(0).toLongLong() >= kept); // counted from the kept part
    QCOMPARE(fileBytes(path), bytes);
    QVERIFY(!QFile::exists(part));
}

void tst_FileDownloader::aCompletePartialFileNeedsNoRequest()
{
    const QByteArray bytes("all of it arrived before the cut");
    const QJsonObject f = upload(QStringLiteral("done.txt"), bytes);
    const QString id = f.value(QStringLiteral("id")).toString();
    const QString path = m_dir.filePath(QStringLiteral("done.txt"));
    QFile part(FileDownloader::partialPath(path, id));
    QVERIFY(part.open(QIODevice::WriteOnly));
    part.write(bytes);
    part.close();
    // The server is asked for the rest and has none (416): the file is complete.
    FileDownloader downloader(m_alice.get(), m_server.httpUrl());
    QSignalSpy finished(&downloader, &FileDownloader::finished);
    downloader.download(id, path);
    QVERIFY(finished.wait(20000));
    QCOMPARE(fileBytes(path), bytes);
}

void tst_FileDownloader::thumbnailIntoMemory()
{
    const QJsonObject f = upload(QStringLiteral("wide.png"), NatterdFiles::pngBytes(1000, 600));
    QVERIFY(f.value(QStringLiteral("thumbnail")).toBool());
    FileDownloader downloader(m_alice.get(), m_server.httpUrl());
    QSignalSpy finished(&downloader, &FileDownloader::finished);
    downloader.fetchThumbnail(f.value(QStringLiteral("id")).toString());
    QVERIFY(finished.wait(20000));
    QBuffer buffer;
    buffer.setData(downloader.data());
    QImageReader reader(&buffer);
    const QImage thumb = reader.read();
    QVERIFY2(!thumb.isNull(), qPrintable(reader.errorString()));
    QCOMPARE(thumb.size(), QSize(400, 240)); // §13: the longer side 400, ratio kept
}

void tst_FileDownloader::someoneElseGetsNotFound()
{
    // Not attached yet, so only its uploader may fetch it (§13); bob is not even a member.
    const QJsonObject f = upload(QStringLiteral("secret.txt"), "for alice only");
    HttpTokenProvider bob(m_server.httpUrl());
    QVERIFY(bob.login(QStringLiteral("bob"), QStringLiteral("bob-pw-123")));
    FileDownloader downloader(&bob, m_server.httpUrl());
    QSignalSpy failed(&downloader, &FileDownloader::failed);
    const QString path = m_dir.filePath(QStringLiteral("secret.txt"));
    downloader.download(f.value(QStringLiteral("id")).toString(), path);
    QVERIFY(failed.wait(20000));
    QCOMPARE(failed.first().at(0).value<FileDownloader::Error>(), FileDownloader::Error::NotFound);
    QVERIFY(!QFile::exists(path));
    QVERIFY(!QFile::exists(
        FileDownloader::partialPath(path, f.value(QStringLiteral("id")).toString())));
}

void tst_FileDownloader::expiredTokenIsRefreshedOnce()
{
    const QJsonObject f = upload(QStringLiteral("later.txt"), "after a refresh");
    StaleFirstTokenProvider stale(m_server.httpUrl());
    QVERIFY(stale.login(QStringLiteral("alice"), QStringLiteral("alice-pw-123")));
    FileDownloader downloader(&stale, m_server.httpUrl());
    QSignalSpy finished(&downloader, &FileDownloader::finished);
    downloader.fetchThumbnail(f.value(QStringLiteral("id")).toString());
    // Not an image: after the refresh natterd says 404 (no thumbnail), not 401.
    QSignalSpy failed(&downloader, &FileDownloader::failed);
    QVERIFY(failed.wait(20000));
    QCOMPARE(stale.refreshCount(), 1);
    QCOMPARE(failed.first().at(0).value<FileDownloader::Error>(), FileDownloader::Error::NotFound);

    const QString path = m_dir.filePath(QStringLiteral("later.txt"));
    StaleFirstTokenProvider stale2(m_server.httpUrl());
    QVERIFY(stale2.login(QStringLiteral("alice"), QStringLiteral("alice-pw-123")));
    FileDownloader second(&stale2, m_server.httpUrl());
    QSignalSpy done(&second, &FileDownloader::finished);
    second.download(f.value(QStringLiteral("id")).toString(), path);
    QVERIFY(done.wait(20000));
    QCOMPARE(stale2.refreshCount(), 1);
    QCOMPARE(fileBytes(path), QByteArray("after a refresh"));
}

void tst_FileDownloader::cancelLeavesNothing()
{
    QByteArray bytes(8 * 1024 * 1024, 'x');
    const QJsonObject f = upload(QStringLiteral("cancel.bin"), bytes);
    const QString id = f.value(QStringLiteral("id")).toString();
    const QString path = m_dir.filePath(QStringLiteral("cancel.bin"));
    FileDownloader downloader(m_alice.get(), m_server.httpUrl());
    QSignalSpy finished(&downloader, &FileDownloader::finished);
    QSignalSpy failed(&downloader, &FileDownloader::failed);
    bool cancelled = false;
    connect(&downloader, &FileDownloader::progress, this, [&](qint64 received, qint64) {
        if (received > 0 && !cancelled) {
            cancelled = true;
            downloader.cancel(); // the person pressed Cancel part-way
        }
    });
    downloader.download(id, path, bytes.size());
    QTRY_VERIFY_WITH_TIMEOUT(cancelled, 20000);
    QVERIFY(!downloader.isRunning());
    QVERIFY(!QFile::exists(FileDownloader::partialPath(path, id)));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.size(), 0);
}

QTEST_GUILESS_MAIN(tst_FileDownloader)
#include "tst_FileDownloader.moc"
