// The pictures of §9 image attachments in the message view. Looked up in
// memory first (decoded images, bounded by their size in bytes), then on disk
// (one file per file id under the account's cache directory, the whole directory
// bounded and trimmed oldest first), and only then fetched from natterd's own
// GET /api/v1/files/<id>/thumbnail with the access token (FileDownloader): the
// client never loads a picture from anywhere else. Every picture is decoded
// with QImageReader under an allocation limit and a pixel limit, so a hostile
// file cannot exhaust memory.
//
// Owned by AttachmentController (one per chat window); the delegate asks it
// while painting and repaints when thumbnailReady() says a picture arrived.
#pragma once

#include <QCache>
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
    // The fetch of `fileId` failed (e.g. the file is gone): no picture will come.
    bool hasFailed(const QString &fileId) const { return m_failed.contains(fileId); }

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

private:
    QString pathOf(const QString &fileId) const;
    QImage loadFromDisk(const QString &fileId);
    void store(const QString &fileId, const QByteArray &bytes);
    void trim();
    void fetchNext();
    void remember(const QString &fileId, const QImage &image);

    AccessTokenProvider *m_tokens;
    QUrl m_server;
    QString m_directory;
    QNetworkAccessManager *m_network;
    QCache<QString, QImage> m_memory{kMemoryLimitKiB};
    QStringList m_queue; // file ids waiting for a free fetch
    QHash<QString, FileDownloader *> m_running;
    QSet<QString> m_failed;
    qint64 m_diskLimit = kDefaultDiskLimit;
};

} // namespace Natter
