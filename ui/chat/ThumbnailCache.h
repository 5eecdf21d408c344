// The pictures of §9 image attachments in the message view. Looked up in
// memory first (decoded images, bounded by their size in bytes), then on disk
// (one file per file id under the account's cache directory, the whole directory
// bounded and trimmed oldest first), and only then fetched from natterd's own
// GET /api/v1/files/<id>/thumbnail with the access token (FileDownloader): the
// client never loads a picture from anywhere else. Every picture is decoded
// with QImageReader under an allocation limit and a pixel limit, so a hostile
// file cannot exhaust memory.
//
// A fetch that failed for good (404: gone or not ours; 403; not a picture)
// is never asked again while the cache lives. One that failed for a passing
// reason (natterd unreachable or restarting, a timeout, 5xx, the session
// ending) is asked again, never more than one request per picture at a time:
// at once after retryFailedFetches() (the connection is back), or when the
// picture is wanted again after a delay that doubles with every failure.
//
// Owned by AttachmentController (one per chat window), which calls
// retryFailedFetches() when ConnectionManager resumed; the delegate asks it
// while painting and repaints when thumbnailReady() says a picture arrived or
// retryDue() says failed ones may be asked again.
#pragma once

#include <QCache>
#include <QDeadlineTimer>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace Natter {

class AccessTokenProvider;
class FileDownloader;

class ThumbnailCache : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultDiskLimit = 64 * 1024 * 1024;
    static constexpr int kMemoryLimitKiB = 48 * 1024;
    static constexpr int kMaxSide = 2048; // natterd's thumbnails are at most 400×400 (§9)
    static constexpr int kParallelFetches = 4;
    // After a passing failure: the first wait before the picture is asked again;
    // it doubles with each further failure, up to kMaxRetryDelayMs.
    static constexpr int kDefaultRetryDelayMs = 10 * 1000;
    static constexpr int kMaxRetryDelayMs = 10 * 60 * 1000;

    // `directory`: where the pictures are kept on disk (created when needed);
    // see directoryFor().
    ThumbnailCache(AccessTokenProvider *tokens, const QUrl &serverUrl, const QString &directory,
                   QObject *parent = nullptr);
    ~ThumbnailCache() override;

    // <CacheLocation>/thumbnails/<a hash of server and user>: one directory per
    // account, so two accounts never see each other's pictures.
    static QString directoryFor(const QUrl &serverUrl, const QString &userId);

    // The picture of file `fileId` when it is at hand (memory or disk).
    // Otherwise starts fetching it (once) and returns a null image;
    // thumbnailReady() follows when it arrives.
    QImage thumbnail(const QString &fileId);
    // The last fetch of `fileId` failed: no picture for now (for good when the
    // file is gone; until the retry point when the server could not be reached).
    bool hasFailed(const QString &fileId) const
    {
        return m_failed.contains(fileId) || m_waiting.contains(fileId);
    }
    // It failed for good: it will not be asked again (gone, forbidden, not a picture).
    bool hasFailedForGood(const QString &fileId) const { return m_failed.contains(fileId); }
    // A request for `fileId` is under way or queued.
    bool isFetching(const QString &fileId) const
    {
        return m_running.contains(fileId) || m_queue.contains(fileId);
    }

    // The connection to natterd is back: pictures whose fetch failed for a
    // passing reason are fetched again when next asked for (retryDue() follows
    // when there are any). Failures for good stay.
    void retryFailedFetches();
    // The first wait after a passing failure (kDefaultRetryDelayMs).
    void setRetryDelay(int ms) { m_retryDelayMs = qMax(0, ms); }

    void setDiskLimit(qint64 bytes);
    qint64 diskLimit() const { return m_diskLimit; }
    // Bytes the cache directory holds now.
    qint64 diskUsage() const;
    QString directory() const { return m_directory; }
    // Forgets what is in memory (the disk copies stay).
    void clearMemory() { m_memory.clear(); }

    // Decodes `bytes` safely (allocation limit, at most kMaxSide per side); a null
    // image when it is not a picture or too large.
    static QImage decode(const QByteArray &bytes);

Q_SIGNALS:
    void thumbnailReady(const QString &fileId);
    // The fetch of `fileId` failed (hasFailed(), hasFailedForGood() tell how):
    // its placeholder says so now.
    void thumbnailFailed(const QString &fileId);
    // Pictures that had failed may be asked for again: repaint what shows them.
    void retryDue();

private:
    QString pathOf(const QString &fileId) const;
    QImage loadFromDisk(const QString &fileId);
    void store(const QString &fileId, const QByteArray &bytes);
    void trim();
    void fetchNext();
    void remember(const QString &fileId, const QImage &image);
    void fetchFailed(const QString &fileId, bool passing);

    AccessTokenProvider *m_tokens;
    QUrl m_server;
    QString m_directory;
    QNetworkAccessManager *m_network;
    QCache<QString, QImage> m_memory{kMemoryLimitKiB};
    QStringList m_queue; // file ids waiting for a free fetch
    QHash<QString, FileDownloader *> m_running;
    QSet<QString> m_failed; // for good: never asked again
    QHash<QString, QDeadlineTimer> m_waiting; // failed for now: asked again from then on
    QHash<QString, int> m_passingFailures; // in a row, per picture: the retry delay doubles
    int m_retryDelayMs = kDefaultRetryDelayMs;
    qint64 m_diskLimit = kDefaultDiskLimit;
};

} // namespace Natter
