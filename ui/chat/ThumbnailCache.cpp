#include "ThumbnailCache.h"

#include "net/FileDownloader.h"
#include "util/Logging.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace Natter {

namespace {
// QImageReader's limit for one decoded picture, in MiB: 2048×2048×4 bytes.
constexpr int kAllocationLimitMiB = 16;

// Whether a failed fetch may succeed later without anything changing on the
// server's side of §9: the server was unreachable, slow or restarting (5xx, 408,
// 429), or the session ended and comes back with the connection. 404 (gone, or
// not ours to see), 403 and a picture that is far too large stay failed.
bool isPassing(FileDownloader::Error error, int httpStatus)
{
    switch (error) {
    case FileDownloader::Error::Network:
    case FileDownloader::Error::NotSignedIn:
        return true;
    case FileDownloader::Error::Server:
        return httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    case FileDownloader::Error::NotFound:
    case FileDownloader::Error::Disk:
        break;
    }
    return false;
}
} // namespace

ThumbnailCache::ThumbnailCache(AccessTokenProvider *tokens, const QUrl &serverUrl,
                               const QString &directory, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_server(serverUrl)
    , m_directory(directory)
    , m_network(new QNetworkAccessManager(this))
{ }

ThumbnailCache::~ThumbnailCache() = default;

QString ThumbnailCache::directoryFor(const QUrl &serverUrl, const QString &userId)
{
    const QByteArray account = QCryptographicHash::hash(
        serverUrl.adjusted(QUrl::StripTrailingSlash).toString().toUtf8() + '\n' + userId.toUtf8(),
        QCryptographicHash::Sha256);
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
        + QStringLiteral("/thumbnails/") + QString::fromLatin1(account.toHex().left(24));
}

QString ThumbnailCache::pathOf(const QString &fileId) const
{
    // The id names the file on disk only when it is a plain token (natterd's ids
    // are): nothing a server says can point the cache at another path.
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_-]{1,128}$"));
    if (!safe.match(fileId).hasMatch())
        return {};
    return m_directory + QLatin1Char('/') + fileId + QStringLiteral(".thumb");
}

QImage ThumbnailCache::decode(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAllocationLimit(kAllocationLimitMiB);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > kMaxSide || size.height() > kMaxSide)
        return {};
    QImage image = reader.read();
    if (image.isNull())
        qCInfo(lcNet) << "thumbnail not decoded:" << reader.errorString();
    return image;
}

void ThumbnailCache::remember(const QString &fileId, const QImage &image)
{
    m_memory.insert(fileId, new QImage(image), qMax<qsizetype>(1, image.sizeInBytes() / 1024));
}

QImage ThumbnailCache::thumbnail(const QString &fileId)
{
    if (const QImage *image = m_memory.object(fileId))
        return *image;
    if (m_failed.contains(fileId) || isFetching(fileId))
        return {};
    if (const auto waiting = m_waiting.constFind(fileId); waiting != m_waiting.cend()) {
        // Failed for now: asked again only once its retry point passed, never
        // on every repaint.
        if (!waiting->hasExpired())
            return {};
        m_waiting.erase(waiting);
    }
    const QImage fromDisk = loadFromDisk(fileId);
    if (!fromDisk.isNull()) {
        remember(fileId, fromDisk);
        return fromDisk;
    }
    m_queue.append(fileId);
    fetchNext();
    return {};
}

QImage ThumbnailCache::loadFromDisk(const QString &fileId)
{
    const QString path = pathOf(fileId);
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadWrite))
        return {};
    const QImage image = decode(file.readAll());
    if (image.isNull()) {
        file.remove(); // damaged: fetch it again
        return {};
    }
    // Used now: the last to go when the directory is trimmed.
    file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
    return image;
}

void ThumbnailCache::fetchNext()
{
    while (m_running.size() < kParallelFetches && !m_queue.isEmpty()) {
        const QString fileId = m_queue.takeFirst();
        auto *fetch = new FileDownloader(m_tokens, m_server, m_network, this);
        m_running.insert(fileId, fetch);
        connect(fetch, &FileDownloader::finished, this, [this, fetch, fileId] {
            m_running.remove(fileId);
            fetch->deleteLater();
            const QByteArray bytes = fetch->data();
            const QImage image = decode(bytes);
            if (image.isNull()) {
                fetchFailed(fileId, false); // not a picture: asking again gives the same
            } else {
                m_passingFailures.remove(fileId);
                remember(fileId, image);
                store(fileId, bytes);
                Q_EMIT thumbnailReady(fileId);
            }
            fetchNext();
        });
        connect(fetch, &FileDownloader::failed, this,
                [this, fetch, fileId](FileDownloader::Error error) {
                    m_running.remove(fileId);
                    fetch->deleteLater();
                    fetchFailed(fileId, isPassing(error, fetch->httpStatus()));
                    fetchNext();
                });
        fetch->fetchThumbnail(fileId);
    }
}

void ThumbnailCache::fetchFailed(const QString &fileId, bool passing)
{
    if (!passing) {
        m_passingFailures.remove(fileId);
        m_failed.insert(fileId);
    } else {
        // Backoff per picture, so a server that keeps failing is not asked in a loop.
        const int failures = ++m_passingFailures[fileId];
        const qint64 delay = std::min<qint64>(qint64(m_retryDelayMs) << std::min(failures - 1, 16),
                                              std::max(m_retryDelayMs, kMaxRetryDelayMs));
        m_waiting.insert(fileId, QDeadlineTimer(delay));
    }
    Q_EMIT thumbnailFailed(fileId);
}

void ThumbnailCache::retryFailedFetches()
{
    if (m_waiting.isEmpty())
        return;
    qCDebug(lcNet) << "connection back: asking again for" << m_waiting.size() << "thumbnails";
    m_waiting.clear();
    Q_EMIT retryDue();
}

void ThumbnailCache::store(const QString &fileId, const QByteArray &bytes)
{
    const QString path = pathOf(fileId);
    if (path.isEmpty() || !QDir().mkpath(m_directory))
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        qCInfo(lcNet) << "thumbnail not cached on disk:" << file.errorString();
        return;
    }
    trim();
}

qint64 ThumbnailCache::diskUsage() const
{
    qint64 total = 0;
    const QFileInfoList files =
        QDir(m_directory).entryInfoList({QStringLiteral("*.thumb")}, QDir::Files);
    for (const QFileInfo &info : files)
        total += info.size();
    return total;
}

void ThumbnailCache::setDiskLimit(qint64 bytes)
{
    m_diskLimit = bytes;
    trim();
}

void ThumbnailCache::trim()
{
    QFileInfoList files = QDir(m_directory).entryInfoList({QStringLiteral("*.thumb")}, QDir::Files);
    qint64 total = 0;
    for (const QFileInfo &info : std::as_const(files))
        total += info.size();
    if (total <= m_diskLimit)
        return;
    // Oldest (least recently used) first.
    std::sort(files.begin(), files.end(), [](const QFileInfo &a, const QFileInfo &b) {
        return a.lastModified() < b.lastModified();
    });
    for (const QFileInfo &info : std::as_const(files)) {
        if (total <= m_diskLimit)
            break;
        if (QFile::remove(info.absoluteFilePath()))
            total -= info.size();
    }
}

} // namespace Natter
