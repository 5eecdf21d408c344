// Uploads one file to the signed-in user's server (§9 POST /api/v1/files):
// streamed from disk (the file is never read into memory whole), the access
// token in the Authorization header (never in the URL), with progress and
// cancel. A 401 refreshes the token once and starts again (TokenRefresh); a
// 429 (too many uploads at once, or the upload rate) waits the Retry-After the
// server gave and starts again, a few times; every failure comes back as plain
// translated words.
//
// One upload per object; owned by whoever shows it (a chip of the desktop's
// AttachmentTray, natter-cli's upload and send --attach). The token provider
// must outlive it.
#pragma once

#include "protocol/Types.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QFile;
class QNetworkAccessManager;
class QTimer;
class QNetworkReply;

namespace Natter {

class AccessTokenProvider;

class FileUploader : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        TooLarge, // 413: over the server's limit (maxBytes() says which)
        NotAllowed, // 415: the server does not take this type of file
        NoSpace, // 507: the server's disk is (nearly) full
        OverQuota, // 507 "quota": past the user's share; quotaBytes() says how much
        RateLimited, // 429 past the waiting budget; retryAfterSecs() says when to try again
        Refused, // 404/403: not a member of the channel, or it is archived
        SessionExpired, // 401 even after one refresh: sign in again
        Network, // the server could not be reached, or the connection broke
        Unreadable, // the local file cannot be read
        Server, // any other answer
    };
    Q_ENUM(Error)

    // A 429 is waited out: the server's Retry-After, growing 1, 2, 4 … 32 s
    // with each wait, plus up to half a second so that uploads refused
    // together do not all come back together. One start() waits at most
    // waitBudgetSecs() in all (5 minutes unless set), and never when the
    // server asks for more than kMaxWaitSecs at once; then RateLimited.
    static constexpr int kMaxWaitSecs = 60;
    static constexpr int kDefaultWaitBudgetSecs = 300;
    void setWaitBudgetSecs(int seconds) { m_waitBudget = seconds; }
    int waitBudgetSecs() const { return m_waitBudget; }

    // `serverUrl`: http(s)://host:port[/prefix], as ConnectionManager::Options has it.
    FileUploader(const QUrl &serverUrl, AccessTokenProvider *tokens, QObject *parent = nullptr);
    ~FileUploader() override;

    // Starts uploading the file at `path` to `channel` (an id) under `name`
    // (empty: the file's own name). False (and failed() already emitted) when
    // the file cannot be read; false alone while an upload or discard() runs.
    bool start(const QString &channel, const QString &path, const QString &name = {});
    // Stops the upload: the connection is dropped, so the server keeps nothing
    // (§9: a body cut short is not stored). Emits cancelled() if one was running.
    void cancel();
    bool isRunning() const { return m_running; }
    // Takes the uploaded file back off the server (natterd's DELETE
    // /api/v1/files/<id>), for a file removed before it was sent; discarded()
    // follows. A server that cannot be told keeps the file until its sweep of
    // files never sent (§9: 24 h): nothing for the person to do.
    void discard();

    QString path() const { return m_path; }
    QString name() const { return m_name; }
    qint64 size() const { return m_size; }
    // After TooLarge: the server's limit in bytes (0 when it did not say).
    qint64 maxBytes() const { return m_maxBytes; }
    // After RateLimited: seconds to wait, as the server said (Retry-After).
    // waiting() carries the wait actually taken, which grows.
    int retryAfterSecs() const { return m_retryAfter; }
    // After OverQuota: the user's share in bytes, and how much of it is taken.
    qint64 quotaBytes() const { return m_quotaBytes; }
    qint64 usedBytes() const { return m_usedBytes; }

    // The words for a limit in MB ("25", "0.5"), as the too-large message uses them.
    static QString megabytes(qint64 bytes);

Q_SIGNALS:
    // Bytes of the body sent so far, of `total` (the file's size).
    void progress(qint64 sent, qint64 total);
    // The server asked to wait (429): the upload starts again by itself in
    // `seconds`, from the first byte (progress goes back to 0).
    void waiting(int seconds);
    // The server stored the file: `file` is its §9 `F` (use file.id in send).
    void finished(const Natter::Attachment &file);
    // `explanation`: plain translated words, fit for a status line or stderr.
    void failed(Natter::FileUploader::Error error, const QString &explanation);
    void cancelled();
    // After discard(): whether the server no longer has the file.
    void discarded(bool gone);

private:
    void send();
    void sendDiscard();
    void onDiscardAnswered();
    void onFinished();
    void fail(Error error, const QString &explanation);
    void dropReply();

    QUrl m_url;
    QPointer<AccessTokenProvider> m_tokens; // a discard() may outlive its chip
    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QFile *m_file = nullptr; // the body of the request being sent
    QPointer<QObject> m_refreshWait; // a token refresh we wait for
    QString m_channel;
    QString m_fileId; // once finished()
    QString m_path;
    QString m_name;
    qint64 m_size = 0;
    qint64 m_sent = 0; // the last progress reported
    qint64 m_maxBytes = 0;
    qint64 m_quotaBytes = 0;
    qint64 m_usedBytes = 0;
    int m_retryAfter = 0;
    int m_waits = 0; // 429s waited out since start()
    int m_waited = 0; // seconds of them
    int m_waitBudget = kDefaultWaitBudgetSecs;
    QTimer *m_waitTimer;
    bool m_running = false;
    bool m_retried = false; // after one token refresh
};

} // namespace Natter
