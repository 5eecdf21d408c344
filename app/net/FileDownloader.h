// Fetches the bytes of one §9 file from natterd for a signed-in client: GET
// /api/v1/files/<id> into a local file (Save as…, natter-cli download), or
// GET /api/v1/files/<id>/thumbnail into memory (the message view's pictures).
//
// The access token travels in the Authorization header, never in the URL (§9),
// and redirects are not followed: the client loads nothing but its own server's
// file API. A file download writes to a partial file next to the target first
// (partialPath()) and renames it when complete; after an interruption (a cut
// connection, a crash) the next download() of the same file to the same path
// continues from where it stopped with a Range request (206, Content-Range
// checked); a server that answers 200 instead restarts it cleanly. A 401 asks the
// token provider for one refresh and tries once more, as SearchClient does.
//
// One transfer at a time per object; owned by whoever asked for it (the
// desktop's AttachmentController and ThumbnailCache, natter-cli's download).
#pragma once

#include <QFile>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Natter {

class AccessTokenProvider;

class FileDownloader : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        NotFound, // 404: gone (its message was deleted) or not ours to see
        NotSignedIn, // the session ended and one refresh did not bring it back
        Network, // the connection failed or was cut: the partial file is kept
        Disk, // the local file could not be written
        Server, // any other answer
    };
    Q_ENUM(Error)

    // More than any 400×400 thumbnail natterd makes (§9): anything bigger is refused.
    static constexpr qint64 kMaxThumbnailBytes = 8 * 1024 * 1024;

    // `serverUrl`: http(s)://host:port[/prefix], as ConnectionManager::Options has
    // it. `network` may be shared (null: the downloader makes its own).
    FileDownloader(AccessTokenProvider *tokens, const QUrl &serverUrl,
                   QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~FileDownloader() override;

    // Downloads file `fileId` to `path` (replacing it when complete).
    // `expectedSize` (§9 `F.size`, -1 unknown) lets a complete partial file finish
    // without asking the server again. finished() or failed() follows.
    void download(const QString &fileId, const QString &path, qint64 expectedSize = -1);
    // Fetches the file's thumbnail (§9) into data(). finished() or failed() follows.
    void fetchThumbnail(const QString &fileId);
    // Stops the transfer; a file download's partial file is removed. No signal follows.
    void cancel();
    bool isRunning() const { return !m_reply.isNull() || !m_refresh.isNull(); }

    QString fileId() const { return m_fileId; }
    QString path() const { return m_path; }
    // The thumbnail's bytes, once finished().
    QByteArray data() const { return m_data; }
    // The HTTP status of the last answer (0: none came, e.g. the connection
    // failed or timed out). Tells a passing Error::Server (5xx) from a lasting one.
    int httpStatus() const { return m_status; }
    // Where the bytes collect until the file is complete.
    static QString partialPath(const QString &path, const QString &fileId);
    // The offset from which the server sent the last transfer with 206 (0: from the start).
    qint64 resumedFrom() const { return m_resumedFrom; }
    // The file's name as the server's Content-Disposition gives it, reduced to a
    // plain base name (empty until the answer's headers arrived, or without one).
    QString serverFileName() const { return m_serverName; }
    static QString fileNameFromDisposition(const QByteArray &header);

Q_SIGNALS:
    // `received` counts the bytes of the whole file (a resumed part included);
    // `total` is -1 while unknown.
    void progress(qint64 received, qint64 total);
    void finished();
    // `message`: plain translated words for the person.
    void failed(Natter::FileDownloader::Error error, const QString &message);

private:
    void start();
    void send();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void complete();
    void restartFromZero();
    void fail(Error error, const QString &message);
    void refreshThenSend();
    QUrl urlFor(const QString &fileId, bool thumbnail) const;

    AccessTokenProvider *m_tokens;
    QUrl m_server;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QString m_fileId;
    QString m_path;
    bool m_thumbnail = false;
    qint64 m_expected = -1;
    QFile m_part;
    QByteArray m_data;
    qint64 m_offset = 0; // bytes already in the partial file when the request went out
    qint64 m_resumedFrom = 0;
    QString m_serverName;
    bool m_accepting = false; // the answer's body is the file's (200 or a checked 206)
    bool m_retried = false; // after one token refresh
    bool m_restarted = false; // after one clean restart from byte 0
    int m_status = 0; // of the last answer
    QPointer<QObject> m_refresh; // the one token refresh under way (TokenRefresh)
};

} // namespace Natter
